/**
 * Elasticsearch and OpenSearch clients. Most of the query DSL is data, but two parts are
 * languages the server parses: the Lucene syntax of `query_string` and of the `q` parameter
 * (`merchant:42 AND ${q}` lets `q` widen the search to other merchants: `* OR merchant:*`; on
 * its own it still reaches every field of the index), and Painless scripts (`script.source`),
 * which run on the cluster.
 * `simple_query_string` is made for user input (no field names, no errors) and is not a sink;
 * script `params` are data, the safe twin.
 */
import { reportCallSink } from "./sink-report";
import type { Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, TypeRow } from "./rows";

const MAX_DEPTH = 8;
const MAX_PROPS = 200;

/**
 * Every value under keys `keys` of a request body, depth-first (bounded), and for each the
 * property of it that is text the server parses (`query_string.query`, `script.source`).
 */
function parsedTexts(params: Value | undefined, keys: ReadonlySet<string>, field: (holder: Value) => Value | undefined): Value[] {
  const out: Value[] = [];
  let seen = 0;
  const walk = (v: Value, depth: number): void => {
    if (!v.props || depth > MAX_DEPTH) return;
    for (const [k, child] of v.props) {
      if (++seen > MAX_PROPS) return;
      if (keys.has(k)) {
        const text = field(child);
        if (text) out.push(text);
        continue;
      }
      walk(child, depth + 1);
    }
    if (v.elem) walk(v.elem, depth + 1);
  };
  if (params) walk(params, 0);
  return out;
}

const QUERY_STRING = new Set(["query_string"]);
const SCRIPT = new Set(["script"]);

function luceneQueries(host: ModelHost, site: CallSite, kind: number): void {
  const texts = parsedTexts(site.args[0], QUERY_STRING, (h) => h.props?.get("query"));
  // The `q` request parameter (`search({ index, q })`) is query_string syntax too.
  const uriQuery = site.args[0]?.props?.get("q");
  if (uriQuery && !uriQuery.props) texts.push(uriQuery);
  for (const q of texts) {
    // Beside the application's own clauses the attacker's text can undo them; alone, it is a search box with field access.
    const own = q.parts?.some((p) => typeof p === "string" && p.trim() !== "") ?? false;
    const what = own
      ? "as Lucene query syntax (query_string) beside the application's own clauses, which it can widen with OR and wildcards"
      : "as Lucene query syntax (query_string), which reaches every field of the index";
    reportCallSink(host, site, kind, q, what, "any", own ? "high" : "medium");
  }
}

function painlessScripts(host: ModelHost, site: CallSite, kind: number): void {
  const source = (h: Value): Value | undefined => (h.props ? (h.props.get("source") ?? h.props.get("inline")) : h);
  for (const s of parsedTexts(site.args[0], SCRIPT, source)) {
    if (!s.props) reportCallSink(host, site, kind, s, "as a Painless script run on the search cluster", "any");
  }
}

const CLIENT_MODULES = ["@elastic/elasticsearch", "@opensearch-project/opensearch", "elasticsearch"];
// NestJS's injectable ElasticsearchService is the client.
const MODULES = [...CLIENT_MODULES, "@nestjs/elasticsearch"];
const METHODS = ["search", "count", "msearch", "updateByQuery", "deleteByQuery", "update", "explain", "reindex", "asyncSearch.submit"];

const SINKS: SinkRow[] = MODULES.flatMap((m) =>
  METHODS.flatMap((f): SinkRow[] => [
    { call: `${m}:${f}`, rule: "nosql-injection", effect: luceneQueries },
    { call: `${m}:${f}`, rule: "code-injection", effect: painlessScripts },
  ]),
);

const TYPES: TypeRow[] = [
  ...CLIENT_MODULES.map((m): TypeRow => ({ call: `${m}:Client`, returns: "module" })),
  { call: "@nestjs/elasticsearch:ElasticsearchService", returns: "module" },
];

export const model: LibraryModel = {
  id: "search-engines",
  description: "Elasticsearch and OpenSearch clients: query_string Lucene syntax and Painless scripts.",
  fixtures: ["nosql-injection/transaction-search.js"],
  types: TYPES,
  sinks: SINKS,
};
