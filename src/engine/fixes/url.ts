/**
 * Open redirect fixes: a redirect whose whole target comes from the request
 * (`res.redirect(req.query.next)`, `ctx.redirect(to)`, `res.location(url)`, a `Location`
 * header set with `setHeader`/`set`/`writeHead`) follows
 * it only when it is a path on the site's own origin, and goes to "/" otherwise:
 * `res.redirect(LOCAL.test(next) ? next : "/")` with LOCAL = `/^\/(?![/\\\t\n\r])/` — a "/" not
 * followed by a second "/" or "\" (browsers read `/\host` as `//host`) nor by a tab or line
 * break (URL parsing drops them first). Redirects within the site keep working; links to other
 * sites, the application's own absolute URLs among them, now land on "/". A target the code
 * builds around the data (`"https://" + host`) or a request URL (SSRF) gets no mechanical fix.
 *
 * The equivalence check reads the patched target back from its parse — the regular expression,
 * the value it tests and the fallback — evaluates it for a path on the site (the benign input of
 * a redirect) and for each attack URL, and parses each result with the URL prover against the
 * application's origin: the path reaches the page it reached before, and no attack leaves the site.
 */
import { literalString, pathKey, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { BENIGN, payloadsFor } from "../simulator/payloads";
import { ATTACKER_HOST, createUrlProver } from "../simulator/url";
import type { FixCheck } from "../types";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";

/** The guard the patch writes (see the module header), as JavaScript source. */
const LOCAL_PATH = String.raw`/^\/(?![/\\\t\n\r])/`;
/** Where a redirect goes when its target is not a path on the site. */
const FALLBACK = "/";
/** Targets that get past weaker local-path checks, tried next to the catalogue's. */
const BYPASSES = [`/\\${ATTACKER_HOST}/`, `/\t/${ATTACKER_HOST}/`, ` //${ATTACKER_HOST}/`];
/** Classes whose `redirect` needs an absolute URL: a relative fallback would throw. */
const ABSOLUTE_ONLY = /^(NextResponse|Response)$/;

const NOT_A_REDIRECT =
  "the URL is not the target of a redirect: a URL the server requests (SSRF) needs an allowlist of hosts, and a link or navigation a check of its scheme, not a local-path check";

/** The argument of a sink call that is the redirect target; a reason when the call is not a redirect. */
function redirectTarget(call: JsNode): { arg: JsNode } | { reason: string } {
  const callee = call.type === "CallExpression" ? unwrap(call.callee) : null;
  if (callee?.type !== "MemberExpression" || callee.computed) return { reason: NOT_A_REDIRECT };
  const method: string = callee.property.name;
  const args = (call.arguments ?? []) as JsNode[];
  if (method === "redirect" || method === "location") {
    const receiver = unwrap(callee.object);
    if (receiver.type === "Identifier" && ABSOLUTE_ONLY.test(receiver.name)) return { reason: `\`${receiver.name}.redirect\` needs an absolute URL` };
    // Express and Fastify take an optional status first, Koa an optional fallback second: the target is the first non-number.
    const arg = args.find((a) => !(unwrap(a).type === "Literal" && typeof unwrap(a).value === "number"));
    return arg ? { arg } : { reason: "the redirect call has no target argument" };
  }
  if (/^(setHeader|header|set|append)$/.test(method) && literalString(args[0])?.toLowerCase() === "location" && args[1]) return { arg: args[1] };
  // `res.writeHead(302, { Location: url })`, `res.set({ Location: url })`.
  const headers = /^(writeHead|set|header)$/.test(method) ? args.map(unwrap).find((a) => a.type === "ObjectExpression") : null;
  const location = (headers?.properties as JsNode[] | undefined)?.find(
    (p) => p.type === "Property" && !p.computed && !p.shorthand && String(p.key.name ?? p.key.value).toLowerCase() === "location",
  );
  if (location) return { arg: location.value };
  return { reason: NOT_A_REDIRECT };
}

function urlPatch(sink: SinkSite): Patch {
  const target = redirectTarget(sink.node);
  if ("reason" in target) return target;
  const value = unwrap(target.arg);
  if (value.type === "BinaryExpression" || value.type === "TemplateLiteral")
    return { reason: "the code builds the target around the data; check what the data may be (an allowlist of hosts or paths) where it is built" };
  // The guard names the value it checks; the redirect uses the same one, so it must read the same twice.
  if (pathKey(value) === null)
    return { reason: "the target is computed in the call; store it in a variable, then redirect only when it is a path on the site" };
  const text = sink.source.slice(target.arg.start, target.arg.end);
  return {
    edits: [{ start: target.arg.start, end: target.arg.end, text: `${LOCAL_PATH}.test(${text}) ? ${text} : ${JSON.stringify(FALLBACK)}` }],
    description: `Redirects to \`${text}\` only when it is a path on this site (a "/" not followed by "/" or "\\"), and to "/" otherwise; links to other sites, this site's absolute URLs included, land on "/".`,
  };
}

/** The patched target read back: `REGEX.test(x) ? x : "fallback"` as a function of x's value. */
function readGuarded(node: JsNode): ((value: string) => string) | { reason: string } {
  const n = unwrap(node);
  if (n.type !== "ConditionalExpression") return { reason: "the patched target is not a checked value" };
  const test = unwrap(n.test);
  const callee = test.type === "CallExpression" ? unwrap(test.callee) : null;
  const regex = callee?.type === "MemberExpression" && !callee.computed && callee.property.name === "test" ? unwrap(callee.object) : null;
  if (!regex?.regex || regex.regex.pattern.length > 200) return { reason: "the patched target is not checked with a regular expression written in place" };
  const checked = test.arguments[0] ? pathKey(test.arguments[0]) : null;
  if (checked === null || checked !== pathKey(n.consequent)) return { reason: "the patched target checks one value and redirects to another" };
  const fallback = literalString(n.alternate);
  if (fallback === null) return { reason: "the patched target's fallback is not a constant" };
  const pattern = new RegExp(regex.regex.pattern, regex.regex.flags.replace(/[gy]/g, ""));
  return (value) => (pattern.test(value) ? value : fallback);
}

function urlEquivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Equivalence {
  const before = redirectTarget(original.node);
  const after = redirectTarget(patched.node);
  if ("reason" in before) return { outcome: "unknown", evidence: "the original redirect target could not be read back" };
  if ("reason" in after) return { outcome: "different", evidence: "the patched call is not a redirect" };
  const guarded = readGuarded(after.arg);
  if ("reason" in guarded) return { outcome: "different", evidence: guarded.reason };
  const prover = createUrlProver();
  // A redirect's legitimate target is a page of the site itself.
  const benignValue = BENIGN["url-after-host"];
  const a = prover.analyze(benignValue);
  const benignTarget = guarded(benignValue);
  const b = prover.analyze(benignTarget);
  if (!a.ok) return { outcome: "unknown", evidence: `the original target does not parse with benign input: ${a.message}` };
  if (!b.ok || JSON.stringify(a.structure) !== JSON.stringify(b.structure) || benignTarget !== benignValue)
    return {
      outcome: "different",
      evidence: `with a path on the site (${JSON.stringify(benignValue)}) the patched code redirects to ${JSON.stringify(benignTarget)}`,
    };
  const attacks = [...new Set([...(payload ? [payload] : []), ...payloadsFor({ id: "url-full", description: "" }), ...BYPASSES])];
  let shown: { payload: string; target: string; summary: string } | null = null;
  for (const p of attacks) {
    const target = guarded(p);
    const c = prover.analyze(target);
    if (!c.ok) return { outcome: "different", evidence: `with the payload ${JSON.stringify(p)} the patched target does not parse as a URL` };
    const changes = prover.compare(b.structure, c.structure).filter((x) => x.rank > 0);
    if (changes.length > 0 || c.structure.protocol !== b.structure.protocol)
      return { outcome: "different", evidence: `with the payload ${JSON.stringify(p)} the patched redirect still leaves the site: ${c.summary}` };
    if (!shown || p === payload) shown = { payload: p, target, summary: c.summary };
  }
  const check: FixCheck = {
    payload: shown!.payload,
    before: { input: benignValue, rendered: benignValue, structure: a.summary },
    benign: { input: benignValue, rendered: benignTarget, structure: b.summary },
    attack: { input: shown!.payload, rendered: shown!.target, structure: shown!.summary },
    parser: prover.parser,
  };
  return {
    outcome: "same",
    evidence: `A path on the site (${JSON.stringify(benignValue)}) is redirected to as before (${b.summary}); each of ${attacks.length} attack targets, such as ${JSON.stringify(shown!.payload)}, now redirects to ${JSON.stringify(shown!.target)} on the site.`,
    check,
  };
}

export const URL_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression"]),
  patch: urlPatch,
  equivalence: (original, patched, payload) => Promise.resolve(urlEquivalence(original, patched, payload)),
};
