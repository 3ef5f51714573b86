/**
 * GraphQL, both sides. Servers: resolver maps (Apollo Server, graphql-tools, Mercurius, Yoga),
 * whose functions under `Query`, `Mutation` and `Subscription` are called with the client's
 * arguments as their second parameter. Clients: a query *document* built from request text
 * (`{ payment(id: "${id}") { … } }`) lets the text close the string and select other fields,
 * aliases or operations — query logic injection (CWE-943), reported as nosql-injection; the
 * safe twin passes the value as a variable (`$id` and `variables: { id }`).
 */
import { constantText, reportCallSink } from "./sink-report";
import type { Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, TypeRow } from "./rows";

const WHAT = "as GraphQL query text (values belong in variables)";

/** Text that starts like a GraphQL document: `{ … }`, `query …`, `mutation …`. */
const DOCUMENT_START = /^\s*(?:\{|(?:query|mutation|subscription|fragment)\b)/;

/**
 * A document built from text around attacker data. A document that is attacker data as a whole
 * (`graphql({ schema, source: req.body.query })`) is a GraphQL server doing its job: clients
 * write queries, and the schema decides what they may ask.
 */
function builtAround(v: Value | undefined): v is Value {
  return !!v?.parts && v.parts.some((p) => typeof p === "string" && p.trim() !== "");
}

function startsLikeDocument(v: Value | undefined): boolean {
  if (!v) return false;
  const first = v.parts ? v.parts[0] : v.str;
  return typeof first === "string" && DOCUMENT_START.test(first.slice(0, 200));
}

/** graphql-js `graphql({ schema, source })` / `graphql(schema, source)`. */
function executedSource(host: ModelHost, site: CallSite, kind: number): void {
  const first = site.args[0];
  const source = first?.props && first.props.has("source") ? first.props.get("source") : site.args[1];
  if (builtAround(source)) reportCallSink(host, site, kind, source, WHAT, "any");
}

/**
 * graphql-request `request(url, document, variables)`, `request({ url, document })` and a
 * client's `request(document, variables)`: the document is the argument that holds GraphQL text.
 */
function requestDocument(host: ModelHost, site: CallSite, kind: number): void {
  const first = site.args[0];
  const doc = first?.props && first.props.has("document") ? first.props.get("document") : site.args.slice(0, 2).find((a) => /[{}]/.test(constantText(a)));
  if (builtAround(doc)) reportCallSink(host, site, kind, doc, WHAT, "any");
}

/** `JSON.stringify({ query: "{ … ${x} … }" })`: the body of a GraphQL-over-HTTP request, built by hand. */
function handBuiltBody(host: ModelHost, site: CallSite, kind: number): void {
  const query = site.args[0]?.props?.get("query");
  if (builtAround(query) && startsLikeDocument(query)) reportCallSink(host, site, kind, query, WHAT + " in a hand-built request body", "any", "medium");
}

const GQL_TAGS = [
  "graphql-tag:",
  "graphql-tag:default",
  "graphql-tag:gql",
  "@apollo/client:gql",
  "@apollo/client/core:gql",
  "graphql-request:gql",
  "urql:gql",
  "@urql/core:gql",
];

const SINKS: SinkRow[] = [
  { call: "graphql:graphql", rule: "nosql-injection", effect: executedSource },
  { call: "graphql:graphqlSync", rule: "nosql-injection", effect: executedSource },
  // parse() and the gql tags called as functions (not as tags) with text: the document is parsed from that text.
  ...["graphql:parse", ...GQL_TAGS].map((call): SinkRow => ({
    call,
    when: (_host, site) => builtAround(site.args[0]),
    argument: 0,
    rule: "nosql-injection",
    what: WHAT,
    mode: "any",
  })),
  { call: "graphql-request:request", rule: "nosql-injection", effect: requestDocument },
  { call: "graphql-request:rawRequest", rule: "nosql-injection", effect: requestDocument },
  { call: "global:JSON.stringify", rule: "nosql-injection", effect: handBuiltBody },
];

const TYPES: TypeRow[] = [{ call: "graphql-request:GraphQLClient", returns: "module" }];

export const model: LibraryModel = {
  id: "graphql",
  description: "GraphQL: resolver maps and their arguments (servers); query documents built from text (graphql-js, graphql-request, gql, hand-built bodies).",
  fixtures: ["apps/graphql/resolvers.js", "nosql-injection/graphql-gateway.ts"],
  entryPoints: [
    { resolverRoots: ["Query", "Mutation", "Subscription"] },
    { precedence: 10, roles: (_host, { ref }) => (ref.resolver ? [null, { kind: "tainted", what: "GraphQL arguments", obj: true }] : null) },
  ],
  types: TYPES,
  sinks: SINKS,
};
