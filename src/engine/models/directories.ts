/**
 * LDAP directory clients: ldapjs, ldapts and activedirectory. Search filters (RFC 4515) and
 * distinguished names (RFC 4514) built from request text can gain filter components
 * (`*)(uid=*))(|(uid=*`), wildcards or RDNs. ldap-escape's `filter` and `dn` tags escape what
 * they interpolate, ldapjs filter objects (`new EqualityFilter({ value })`) never parse their
 * value, and passport-ldapauth escapes `{{username}}` itself: all safe.
 */
import { reportCallSink } from "./sink-report";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, SummaryRow, TypeRow } from "./rows";

const FILTER = "as an LDAP search filter";
const DN = "as an LDAP distinguished name";

/** `search(base, { filter })`: a filter given as text (a filter object is not parsed). */
function searchFilter(host: ModelHost, site: CallSite, kind: number): void {
  const options = site.args[1];
  const filter = options?.props ? options.props.get("filter") : undefined;
  if (filter && !filter.props) reportCallSink(host, site, kind, filter, FILTER, "text");
}

/** activedirectory `find*(query | { filter }, …)`: a query given as text is the filter. */
function adQuery(host: ModelHost, site: CallSite, kind: number): void {
  const q = site.args[0];
  if (!q) return;
  const filter = q.props ? q.props.get("filter") : q;
  if (filter && !filter.props && !filter.fn) reportCallSink(host, site, kind, filter, FILTER, "text");
}

/** activedirectory `findUser(opts?, username, cb)`: the name goes unescaped into the filter it builds. */
function adUserName(host: ModelHost, site: CallSite, kind: number): void {
  const name = site.args.find((a) => !a.props && !a.fn && (a.taint || a.str !== null));
  reportCallSink(host, site, kind, name, "into the LDAP filter activedirectory builds around a user name, unescaped", "any", "medium");
}

const CLIENTS = ["ldapjs", "ldapts"];
const DN_METHODS = ["bind", "add", "del", "modify", "compare", "modifyDN", "exop"];

const SINKS: SinkRow[] = [
  ...CLIENTS.flatMap((m): SinkRow[] => [
    { call: `${m}:search`, argument: 0, rule: "ldap-injection", what: DN, mode: "text" },
    { call: `${m}:search`, rule: "ldap-injection", effect: searchFilter },
    ...DN_METHODS.map((f): SinkRow => ({ call: `${m}:${f}`, argument: 0, rule: "ldap-injection", what: DN, mode: "text" })),
  ]),
  ...["activedirectory", "activedirectory2"].flatMap((m): SinkRow[] => [
    ...["find", "findUsers", "findGroups"].map((f): SinkRow => ({ call: `${m}:${f}`, rule: "ldap-injection", effect: adQuery })),
    ...["findUser", "findGroup", "isUserMemberOf", "getGroupMembershipForUser", "userExists"].map((f): SinkRow => ({
      call: `${m}:${f}`,
      rule: "ldap-injection",
      effect: adUserName,
    })),
  ]),
];

const TYPES: TypeRow[] = [
  { call: "ldapjs:createClient", returns: "module" },
  { call: "ldapts:Client", returns: "module" },
  ...["activedirectory:", "activedirectory:default", "activedirectory2:", "activedirectory2:default"].map((call): TypeRow => ({ call, returns: "module" })),
];

// ldap-escape called as a function (`escape.filter(strings, ...values)` is rare, but the tags are functions).
const SUMMARIES: SummaryRow[] = [
  { call: "ldap-escape:filter", returns: "text", sanitises: ["ldap-injection"] },
  { call: "ldap-escape:dn", returns: "text", sanitises: ["ldap-injection"] },
];

export const model: LibraryModel = {
  id: "directories",
  description: "LDAP directory clients: ldapjs, ldapts and activedirectory, with ldap-escape as the sanitiser.",
  fixtures: ["ldap-injection/staff-login.js", "ldap-injection/directory-service.ts"],
  types: TYPES,
  summaries: SUMMARIES,
  sinks: SINKS,
};
