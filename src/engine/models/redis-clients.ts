/**
 * Redis clients (ioredis, node-redis): the text of a Lua script given to `EVAL`, `SCRIPT LOAD`
 * or ioredis `defineCommand` runs on the Redis server; keys and arguments passed beside it
 * (`KEYS[1]`, `ARGV[1]`) are data. A script built from request data is code injection on the
 * database server.
 */
import { reportCallSink } from "./sink-report";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, TypeRow } from "./rows";

const WHAT = "as a Lua script run on the Redis server";

/** A command given as words: `sendCommand(["EVAL", script, "0"])`, `call("eval", script)`. */
function commandWords(site: CallSite): Array<{ str: string | null; index: number }> {
  const first = site.args[0];
  if (first?.props && site.method === "sendCommand") {
    const out = [];
    for (let i = 0; i < 3; i++) out.push({ str: first.props.get(String(i))?.str ?? null, index: i });
    return out;
  }
  return site.args.slice(0, 3).map((a, index) => ({ str: a.str, index }));
}

/** The script of a generic command call, when the command is EVAL or SCRIPT LOAD. */
function genericCommand(host: ModelHost, site: CallSite, kind: number): void {
  const words = commandWords(site);
  const name = words[0]?.str?.toUpperCase();
  let at = -1;
  if (name === "EVAL" || name === "EVAL_RO") at = 1;
  else if (name === "SCRIPT" && words[1]?.str?.toUpperCase() === "LOAD") at = 2;
  if (at < 0) return;
  const holder = site.method === "sendCommand" ? site.args[0]?.props?.get(String(at)) : site.args[at];
  reportCallSink(host, site, kind, holder, WHAT, "any");
}

/** ioredis `script("load", text)`. */
function scriptLoad(host: ModelHost, site: CallSite, kind: number): void {
  if (site.args[0]?.str?.toUpperCase() === "LOAD") reportCallSink(host, site, kind, site.args[1], WHAT, "any");
}

/** ioredis `defineCommand(name, { lua })`. */
function definedCommand(host: ModelHost, site: CallSite, kind: number): void {
  reportCallSink(host, site, kind, site.args[1]?.props?.get("lua"), WHAT, "any");
}

const MODULES = ["ioredis", "redis", "@redis/client"];

const SINKS: SinkRow[] = MODULES.flatMap((m): SinkRow[] => [
  ...["eval", "EVAL", "evalRo", "EVAL_RO", "scriptLoad", "SCRIPT_LOAD"].map((f): SinkRow => ({
    call: `${m}:${f}`,
    argument: 0,
    rule: "code-injection",
    what: WHAT,
    mode: "any",
  })),
  { call: `${m}:sendCommand`, rule: "code-injection", effect: genericCommand },
  { call: `${m}:call`, rule: "code-injection", effect: genericCommand },
  { call: `${m}:script`, rule: "code-injection", effect: scriptLoad },
  { call: `${m}:defineCommand`, rule: "code-injection", effect: definedCommand },
]);

// The client objects: new Redis(), new Redis.Cluster(), createClient().
const TYPES: TypeRow[] = [
  ...["ioredis:", "ioredis:default", "ioredis:Redis", "ioredis:Cluster", "ioredis:Redis.Cluster"].map((call): TypeRow => ({ call, returns: "module" })),
  ...["redis:createClient", "redis:createCluster", "@redis/client:createClient"].map((call): TypeRow => ({ call, returns: "module" })),
];

export const model: LibraryModel = {
  id: "redis-clients",
  description: "Redis clients (ioredis, node-redis): Lua scripts passed to EVAL, SCRIPT LOAD and defineCommand.",
  fixtures: ["code-injection/rate-limit-scripts.js"],
  types: TYPES,
  sinks: SINKS,
};
