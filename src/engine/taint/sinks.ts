/**
 * Where tainted data does harm, per injection class: the calls, assignments and JSX attributes
 * that interpret a value as SQL, a query document, a shell command, code, HTML, a file path, a
 * URL to fetch or to redirect to, an object key path, a regular expression, serialized objects
 * or XML with entities. Each check picks the argument that matters (the SQL text, not the bound
 * values; the URL, not the request body) and hands it to the interpreter, which reports it when
 * attacker data reaches the part of it that matters for that class (findTaint).
 *
 * Receivers are recognised by what the interpreter knows (a value created by
 * `mysql.createPool()`, the `child_process` module, an Express response) and, for code that gets
 * its database handle from elsewhere, by conventional names (`db`, `pool`, `conn`, `knex`…).
 */
import type { JsNode } from "../parse/js";
import type { Confidence } from "../types";
import { unwrap } from "../js/node-values";
import type { CallSite, SinkMode, SinkSpec } from "../models/host";
import type { Interpreter } from "./interpreter";
import { CODE, DESER, HTML, NOSQL, PATH, PROTO, REDIRECT, REGEX, SHELL, SQL, SSRF, XXE } from "./kinds";
import { identityOf, isJqueryCall, receiverName } from "./library-models";
import {
  F_CONTAINER,
  F_LITERAL_OBJ,
  F_NUMERIC,
  F_OWN_URL,
  Hole,
  modelValue,
  Unknown,
  partsOf,
  taintedValue,
  textValue,
  TRUE,
  UNKNOWN,
  type FnRef,
  type Taint,
  type Value,
} from "./value";

// ---------------------------------------------------------------- deciding whether a value is a hit

/**
 * The attacker data in `v` that matters to a sink of this mode and kind, or null. With
 * `concreteOnly`, parameter (symbolic) taints are skipped.
 */
export function findTaint(mode: SinkMode, v: Value, kind: number, concreteOnly = false): Taint | null {
  const ok = (t: Taint | null): t is Taint => t !== null && (t.safe & kind) === 0 && (!concreteOnly || t.origin.param < 0);
  switch (mode) {
    case "text":
    case "koa-body": {
      if (v.flags & F_NUMERIC) return null;
      const parts = v.parts;
      if (mode === "koa-body") {
        const first = parts ? parts[0] : v.str ?? (v.taint ? new Hole(v.taint) : null);
        const startsTainted = first instanceof Hole;
        const startsTag = typeof first === "string" && /^\s*</.test(first);
        if (!startsTainted && !startsTag) return null;
      }
      if (parts) {
        for (const p of parts) if (p instanceof Hole && ok(p.taint)) return p.taint;
        return null;
      }
      return ok(v.taint) ? v.taint : null;
    }
    case "any":
      if (v.parts) {
        for (const p of v.parts) if (p instanceof Hole && ok(p.taint)) return p.taint;
      }
      return ok(v.taint) ? v.taint : null;
    case "url":
    case "redirect":
      return urlTaint(v, mode, ok);
    case "nosql":
      return nosqlTaint(v, kind, ok, 0);
  }
}

const AUTHORITY_PREFIX = /^\s*(?:[a-z][a-z0-9+.-]*:(?:\/\/?)?[^/?#\\]*)?$/i;
const REDIRECT_PREFIX = /^\s*(?:[/\\]|[a-z][a-z0-9+.-]*:(?:\/\/?)?[^/?#\\]*)?$/i;

/** Attacker data that reaches a URL's scheme or host (or, for redirects, the start of a path). */
function urlTaint(v: Value, mode: "url" | "redirect", ok: (t: Taint | null) => t is Taint): Taint | null {
  if (v.flags & F_OWN_URL) return null;
  if (!v.parts) return ok(v.taint) ? v.taint : null;
  let prefix = "";
  for (const p of v.parts) {
    if (typeof p === "string") prefix += p;
    else if (p instanceof Unknown) {
      if (prefix === "") return null; // an unknown base URL, e.g. from configuration
      prefix += "x";
    } else {
      if (ok(p.taint) && (mode === "url" ? AUTHORITY_PREFIX : REDIRECT_PREFIX).test(prefix)) return p.taint;
      prefix += "x";
    }
    if (prefix.length > 300) return null;
  }
  return null;
}

const LOGICAL_OPERATORS = new Set(["$and", "$or", "$nor"]);
const CODE_OPERATORS = new Set(["$where", "$function", "$accumulator"]);
const ORM_OPTION_KEYS = new Set(["where", "include", "attributes", "relations", "select", "order", "orderBy", "take", "skip", "limit", "offset", "data"]);

/**
 * Attacker data that can change a query document's meaning: a whole document, a field value
 * that may be an object (`{ "$ne": null }`), or text inside `$where`.
 */
function nosqlTaint(v: Value, kind: number, ok: (t: Taint | null) => t is Taint, depth: number): Taint | null {
  if (depth > 4) return null;
  if (v.props && v.flags & F_LITERAL_OBJ) {
    for (const k of v.props.keys()) if (ORM_OPTION_KEYS.has(k) && depth === 0) return null;
    for (const [k, pv] of v.props) {
      if (CODE_OPERATORS.has(k)) {
        const t = findTaint("text", pv, kind);
        if (ok(t)) return t;
        continue;
      }
      if (LOGICAL_OPERATORS.has(k)) {
        const docs = pv.props ? [...pv.props.values()] : pv.elem ? [pv.elem] : [pv];
        for (const d of docs) {
          const t = nosqlTaint(d, kind, ok, depth + 1);
          if (t) return t;
        }
        continue;
      }
      if (k.startsWith("$") || pv.props || pv.parts || pv.flags & F_NUMERIC) continue;
      if (pv.taint && (pv.taint.obj || pv.flags & F_CONTAINER) && ok(pv.taint)) return pv.taint;
    }
    const e = v.elem;
    if (e && e !== UNKNOWN && e.taint && (e.taint.obj || e.flags & F_CONTAINER) && !e.props && ok(e.taint)) return e.taint;
    return null;
  }
  if (v.parts || v.str !== null) return null;
  if (v.taint && (v.taint.obj || v.flags & F_CONTAINER) && ok(v.taint)) return v.taint;
  return null;
}

// ---------------------------------------------------------------- helpers

function spec(kind: number, label: string, what: string, mode: SinkMode, confidence: Confidence = "high"): SinkSpec {
  return { kind, label, what, mode, confidence };
}

function calleeLabel(I: Interpreter, site: CallSite): string {
  const t = I.text(site.callee);
  const short = t.length <= 40 ? t : site.method !== null ? `….${site.method}` : t.slice(0, 39) + "…";
  return (site.isNew ? "new " : "") + short + "()";
}

function hit(I: Interpreter, site: CallSite, kind: number, value: Value | undefined, what: string, mode: SinkMode, confidence: Confidence = "high", prefix?: string): void {
  if (!value || !value.taint) return;
  const s = spec(kind, calleeLabel(I, site), what, mode, confidence);
  if (prefix) s.prefix = prefix;
  I.sink(s, sinkRange(I, site), value);
}

/** The statement an SQL fragment method completes, for the simulator: `whereRaw(x)` → `SELECT * FROM t WHERE x`. */
const FRAGMENT_PREFIX: Record<string, string> = {
  where: "SELECT * FROM t WHERE ",
  andWhere: "SELECT * FROM t WHERE 1 = 1 AND ",
  orWhere: "SELECT * FROM t WHERE 1 = 0 OR ",
  having: "SELECT id FROM t GROUP BY id HAVING ",
  andHaving: "SELECT id FROM t GROUP BY id HAVING 1 = 1 AND ",
  orHaving: "SELECT id FROM t GROUP BY id HAVING 1 = 0 OR ",
  whereRaw: "SELECT * FROM t WHERE ",
  orWhereRaw: "SELECT * FROM t WHERE 1 = 0 OR ",
  andWhereRaw: "SELECT * FROM t WHERE 1 = 1 AND ",
  orderByRaw: "SELECT * FROM t ORDER BY ",
  havingRaw: "SELECT id FROM t GROUP BY id HAVING ",
  orHavingRaw: "SELECT id FROM t GROUP BY id HAVING 1 = 0 OR ",
  groupByRaw: "SELECT id FROM t GROUP BY ",
  selectRaw: "SELECT ",
  fromRaw: "SELECT * FROM ",
  joinRaw: "SELECT * FROM t ",
  leftJoinRaw: "SELECT * FROM t ",
  onRaw: "SELECT * FROM t JOIN u ON ",
  literal: "SELECT ",
};

/**
 * Where a call sink is reported: the call, or from the method name on when a chain spans lines
 * (`repo\n  .createQueryBuilder()\n  .where(…)` is reported at `.where`).
 */
function sinkRange(I: Interpreter, site: CallSite): JsNode {
  const callee = site.callee;
  if (callee.type !== "MemberExpression") return site.node;
  const from = callee.property.start;
  if (I.file.text.lastIndexOf("\n", from) < site.node.start) return site.node;
  return { type: "SinkRange", start: from, end: site.node.end };
}

/** Text a value holds in its constant pieces (for "does this look like SQL / HTML"). */
function constantText(v: Value): string {
  if (v.str !== null) return v.str;
  if (!v.parts) return "";
  let s = "";
  for (const p of v.parts) if (typeof p === "string") s += p + " ";
  return s;
}

const SQL_TEXT = /^\s*\(?\s*(select|insert|update|delete|replace|merge|with|create|drop|alter|truncate|call|exec|execute|grant|revoke|pragma|upsert|show|describe|explain|set|begin|declare)\b|\b(from|where|values|order\s+by|group\s+by|join|limit)\b/i;
const SQL_CONDITION = /(=|<>|<|>|\blike\b|\bin\s*\(|\bis\s+(not\s+)?null\b|\bbetween\b)/i;

function looksLikeSql(v: Value): boolean {
  return SQL_TEXT.test(constantText(v).slice(0, 2000));
}

const DB_NAME = /^(db|ds|database|pool|conn|connection|client|knex|sequelize|prisma|sql|tx|trx|transaction|manager|entityManager|em|queryRunner|dataSource|mysql|pg|sqlite|d1|DB|getConnection|getPool|getDb|getDB|getClient|connect|promisePool|dbPool|dbConn|dbClient)$|(Db|DB|Pool|Conn|Connection|Database|Sequelize|Knex|Prisma|Sql|SQL|Tx|db|pool|database|Manager|QueryRunner|DataSource)$/;
const NOT_SQL_CLIENT = /^(http|api|graphql|gql|apollo|redis|es|elastic|mongo|s3|sqs|sns|dynamo|axios|fetch|rest|grpc|ws|socket|cache|kafka|ldap)/i;

/** Whether a call's receiver is a SQL client: modelled as one, or named like one. */
function sqlReceiver(site: CallSite): boolean {
  if (site.recv?.model?.kind === "db") return true;
  const name = receiverName(unwrap(site.callee).object);
  if (name && DB_NAME.test(name) && !NOT_SQL_CLIENT.test(name)) return true;
  return !!name && /Client$/.test(name) && /^(pg|mysql|sql|db|postgres|sqlite|maria|d1|neon|turso|libsql)/i.test(name);
}

// ---------------------------------------------------------------- calls

const FS_METHODS = new Set([
  "readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync", "createReadStream", "createWriteStream",
  "unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "readdir", "readdirSync", "stat", "statSync", "lstat", "lstatSync",
  "access", "accessSync", "exists", "existsSync", "open", "openSync", "mkdir", "mkdirSync", "rename", "renameSync", "copyFile",
  "copyFileSync", "cp", "cpSync", "readlink", "readlinkSync", "realpath", "realpathSync", "chmod", "chmodSync", "chown", "truncate",
  "utimes", "symlink", "symlinkSync", "link", "linkSync", "opendir", "opendirSync", "watch", "watchFile", "outputFile", "outputFileSync",
  "readJson", "readJSON", "readJsonSync", "writeJson", "writeJSON", "writeJsonSync", "remove", "removeSync", "pathExists", "pathExistsSync",
  "ensureDir", "ensureFile", "move", "moveSync", "copy", "copySync", "emptyDir", "outputJson",
]);
const FS_TWO_PATHS = new Set(["rename", "renameSync", "copyFile", "copyFileSync", "cp", "cpSync", "symlink", "symlinkSync", "link", "linkSync", "move", "moveSync", "copy", "copySync"]);
const HTTP_CLIENT_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "head", "options", "request", "stream", "getUri", "fetch"]);
const HTTP_CLIENT_MODULES = new Set(["axios", "got", "node-fetch", "cross-fetch", "isomorphic-fetch", "undici", "ky", "ofetch", "superagent", "request", "request-promise", "request-promise-native", "needle", "phin", "bent", "wretch", "make-fetch-happen", "axios-retry"]);
const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;
const LODASH_POLLUTERS = new Set(["merge", "mergeWith", "defaultsDeep", "set", "setWith", "zipObjectDeep", "update"]);
const DEEP_MERGE_MODULES = new Set(["merge-deep", "mixin-deep", "defaults-deep", "deep-extend", "assign-deep", "merge-recursive", "deep-assign", "extend"]);
const PATH_SETTERS = new Set(["dot-prop:setProperty", "dot-prop:set", "object-path:set", "set-value:", "dset:", "dset:dset", "lodash.set:", "setvalue:"]);
const NOSQL_METHODS = new Set([
  "find", "findOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndRemove", "findOneAndReplace", "updateOne", "updateMany",
  "update", "deleteOne", "deleteMany", "remove", "countDocuments", "count", "exists", "distinct", "where", "replaceOne", "aggregate",
]);
// Receivers whose find/update/remove are not MongoDB's: utility libraries, collections, and
// crypto objects (`createHash(…).update(x)` feeds a digest, not a query).
const NOT_MONGO = /^(_|lodash|R|ramda|knex|sequelize|prisma|repo|[a-z]*Repository|[a-z]*Repo|Array|Object|Promise|document|window|\$|jQuery|cheerio|arr|array|list|items|rows|results|elements|values|keys|entries|create(Hash|Hmac|Cipher|Cipheriv|Decipher|Decipheriv|Sign|Verify)|hash|hasher|hmac|cipher|decipher|digest|signer|verifier|sha\d*|md5)$/;
const JQUERY_HTML = new Set(["html", "append", "prepend", "after", "before", "replaceWith", "wrap", "wrapAll", "wrapInner", "insertAfter", "insertBefore"]);

/** Checks a call against every sink; `mergeRef` is set when the callee is a same-file deep-merge function. */
export function checkCallSinks(I: Interpreter, site: CallSite, mergeRef?: FnRef): void {
  if (mergeRef) {
    const src = site.args[1];
    if (src?.taint && (src.taint.obj || src.flags & F_CONTAINER)) hit(I, site, PROTO, src, "as the source of a recursive merge that copies __proto__", "any", "medium");
    return;
  }
  const id = identityOf(site.fn);
  if (id !== null) identitySinks(I, id, site);
  if (site.method !== null && site.recv) methodSinks(I, site.method, site.recv, site);
}

function urlOf(v: Value | undefined): Value | undefined {
  if (!v) return undefined;
  if (v.props && v.flags & F_LITERAL_OBJ) {
    const u = v.props.get("url") ?? v.props.get("uri") ?? v.props.get("baseURL") ?? v.props.get("href");
    if (u) return u;
    const host = v.props.get("hostname") ?? v.props.get("host");
    if (host?.taint) return textValue(["http://", ...partsOf(host), "/"]);
    return undefined;
  }
  return v;
}

function identitySinks(I: Interpreter, id: string, site: CallSite): void {
  const args = site.args;
  const colon = id.indexOf(":");
  const module = id.slice(0, colon);
  const path = id.slice(colon + 1);
  switch (id) {
    case "child_process:exec":
    case "child_process:execSync":
    case "shelljs:exec":
    case "execa:execaCommand":
    case "execa:execaCommandSync":
    case "execa:command":
    case "execa:commandSync":
    case "child-process-promise:exec":
      hit(I, site, SHELL, args[0], "as a shell command", "text");
      return;
    case "child_process:spawn":
    case "child_process:spawnSync":
    case "child_process:execFile":
    case "child_process:execFileSync":
    case "execa:":
    case "execa:execa":
    case "execa:execaSync":
    case "cross-spawn:":
      spawnSink(I, site);
      return;
    case "vm:runInNewContext":
    case "vm:runInThisContext":
    case "vm:runInContext":
    case "vm:compileFunction":
    case "vm:Script":
    case "vm:SourceTextModule":
    case "global:eval":
      hit(I, site, CODE, args[0], "as JavaScript code", "text");
      return;
    case "global:Function": {
      const body = args[args.length - 1];
      hit(I, site, CODE, body?.taint ? body : args.find((a) => a.taint), "as JavaScript code", "text");
      return;
    }
    case "global:setTimeout":
    case "global:setInterval":
    case "global:execScript":
      if (args[0] && !args[0].fn && (args[0].str !== null || args[0].parts || (args[0].taint && !args[0].props))) hit(I, site, CODE, args[0], "as JavaScript code (a string timer callback)", "text");
      return;
    case "global:RegExp":
      hit(I, site, REGEX, args[0], "as a regular expression pattern", "text");
      return;
    case "global:fetch":
      hit(I, site, SSRF, urlOf(args[0]), "as the URL of a server-side request", "url");
      return;
    case "global:document.write":
    case "global:document.writeln":
      hit(I, site, HTML, args[0], "as HTML written into the page", "text");
      return;
    case "global:location.assign":
    case "global:location.replace":
    case "global:open":
    case "global:Response.redirect":
    case "next/server:NextResponse.redirect":
    case "next/navigation:redirect":
    case "next/navigation:permanentRedirect":
      hit(I, site, REDIRECT, args[0], "as the target of a redirect", "redirect");
      return;
    case "next/server:NextResponse.rewrite":
      hit(I, site, SSRF, args[0], "as the URL a rewrite proxies to", "url");
      return;
    case "global:Response":
    case "next/server:NextResponse":
      if (site.isNew && htmlHeaders(args[1])) hit(I, site, HTML, args[0], "in an HTML response", "text");
      return;
    case "http:get":
    case "http:request":
    case "https:get":
    case "https:request":
      hit(I, site, SSRF, urlOf(args[0]), "as the URL of a server-side request", "url");
      return;
    case "node-serialize:unserialize":
    case "serialize-to-js:deserialize":
    case "funcster:deepDeserialize":
    case "cryo:parse":
      hit(I, site, DESER, args[0], "to a deserializer that can run code", "any");
      return;
    case "js-yaml:load":
    case "js-yaml:loadAll":
      if (yamlUnsafe(I, args[1])) hit(I, site, DESER, args[0], "to js-yaml with the JavaScript types schema", "any");
      return;
    case "bson:deserialize":
      if (truthyOption(args[1], ["evalFunctions"])) hit(I, site, DESER, args[0], "to BSON deserialization with evalFunctions", "any");
      return;
    case "libxmljs:parseXml":
    case "libxmljs:parseXmlString":
    case "libxmljs:parseXmlAsync":
    case "libxmljs2:parseXml":
    case "libxmljs2:parseXmlString":
    case "libxmljs2:parseXmlAsync":
      if (truthyOption(args[1], ["noent", "replaceEntities", "dtdload"])) hit(I, site, XXE, args[0], "to an XML parser that expands external entities", "any");
      return;
    case "jquery:extend":
      if (args[0] === TRUE) for (const a of args.slice(2)) if (a.taint?.obj || (a.taint && a.flags & F_CONTAINER)) return hit(I, site, PROTO, a, "to a deep jQuery.extend that copies __proto__", "any", "medium");
      return;
    default:
      break;
  }
  if (module === "fs" && FS_METHODS.has(path)) {
    hit(I, site, PATH, args[0], "as a file path", "text");
    if (FS_TWO_PATHS.has(path)) hit(I, site, PATH, args[1], "as a file path", "text");
    return;
  }
  if (HTTP_CLIENT_MODULES.has(module)) {
    if (path === "" || HTTP_CLIENT_METHODS.has(path)) {
      const urlArg = module === "needle" && (path === "" || path === "request") ? args[1] : args[0];
      hit(I, site, SSRF, urlOf(urlArg), "as the URL of a server-side request", "url");
    }
    return;
  }
  if (module === "lodash" && LODASH_POLLUTERS.has(path)) {
    const attacker = path.startsWith("set") || path === "update" || path === "zipObjectDeep" ? args[1] : args.slice(1).find((a) => a.taint);
    hit(I, site, PROTO, attacker, `to lodash ${path} (safe only from lodash 4.17.21)`, "any", "low");
    return;
  }
  if (PATH_SETTERS.has(id)) {
    hit(I, site, PROTO, args[1], "as a property path (\"__proto__.x\" reaches Object.prototype)", "any", "medium");
    return;
  }
  if (DEEP_MERGE_MODULES.has(module) && path === "") {
    const src = args.slice(1).find((a) => a.taint);
    if (src && (src.taint!.obj || src.flags & F_CONTAINER)) hit(I, site, PROTO, src, `to ${module}, which copies __proto__ keys`, "any", "medium");
  }
}

function htmlHeaders(init: Value | undefined): boolean {
  const headers = init?.props?.get("headers");
  if (!headers?.props) return false;
  for (const [k, v] of headers.props) if (k.toLowerCase() === "content-type" && v.str && /html/i.test(v.str)) return true;
  return false;
}

function truthyOption(opts: Value | undefined, names: string[]): boolean {
  if (!opts?.props) return false;
  return names.some((n) => {
    const v = opts.props!.get(n);
    return v === TRUE;
  });
}

/** js-yaml's `load` runs code only with js-yaml 3 (or an explicit full schema). */
function yamlUnsafe(I: Interpreter, opts: Value | undefined): boolean {
  const schema = opts?.props?.get("schema");
  if (schema) {
    const m = schema.model;
    const name = m?.kind === "module" ? m.path.join(".") : m?.kind === "global" ? m.name : "";
    return /DEFAULT_FULL_SCHEMA|JS_TYPES|jsTypes/i.test(name);
  }
  return I.facts.yamlV3;
}

/** `spawn`/`execFile`: a shell only with `shell: true` or an explicit `sh -c …`; otherwise a tainted program name. */
function spawnSink(I: Interpreter, site: CallSite): void {
  const [cmd, second, third] = site.args;
  if (!cmd) return;
  const argv = second && second.flags & F_LITERAL_OBJ && !second.props?.has("shell") ? second : null;
  const opts = argv ? third : second;
  const shell = opts?.props?.get("shell");
  if (shell && (shell.str !== null || shell === TRUE)) {
    const parts = [...partsOf(cmd)];
    if (argv?.props) for (const a of argv.props.values()) parts.push(" ", ...partsOf(a));
    else if (argv?.elem?.taint) parts.push(" ", ...partsOf(argv.elem));
    hit(I, site, SHELL, textValue(parts), "as a shell command (shell: true)", "text");
    return;
  }
  if (cmd.str !== null && SHELLS.test(cmd.str) && argv?.props) {
    const list = [...argv.props.values()];
    const c = list.findIndex((a) => a.str === "-c" || a.str === "/c" || a.str === "-Command");
    if (c >= 0 && list[c + 1]) {
      hit(I, site, SHELL, list[c + 1], `as a shell command (${cmd.str} ${list[c]!.str})`, "text");
      return;
    }
  }
  if (cmd.taint && !cmd.parts) hit(I, site, SHELL, taintedValue(cmd.taint), "as the program to run", "any", "medium");
}

function methodSinks(I: Interpreter, method: string, recv: Value, site: CallSite): void {
  const args = site.args;
  const m = recv.model;
  switch (method) {
    case "query":
    case "execute": {
      if (!sqlReceiver(site)) break;
      const a = args[0];
      if (!a) return;
      const text = a.props && a.flags & F_LITERAL_OBJ ? (a.props.get("text") ?? a.props.get("sql")) : a;
      if (!text) return;
      if (text.parts || text.str !== null) {
        if (looksLikeSql(text)) hit(I, site, SQL, text, "as SQL text", "text", "high");
      } else hit(I, site, SQL, text, "as SQL text", "any", "medium");
      return;
    }
    case "raw":
    case "unsafe":
    case "literal": {
      const name = receiverName(unwrap(site.callee).object) ?? "";
      if (m?.kind === "db" || /^(knex|sql|Prisma|prisma|db|Sequelize|sequelize|trx|tx)$/.test(name) || (m?.kind === "module" && /^(drizzle-orm|knex|sequelize|@prisma\/client)/.test(m.module))) {
        hit(I, site, SQL, args[0], method === "literal" ? "as an SQL literal" : "as raw SQL text", "text", "high", method === "literal" ? FRAGMENT_PREFIX.literal : undefined);
      }
      return;
    }
    case "$queryRawUnsafe":
    case "$executeRawUnsafe":
      hit(I, site, SQL, args[0], "as SQL text", "text");
      return;
    case "prepare":
    case "exec": {
      if (!sqlReceiver(site)) break;
      const a = args[0];
      if (a && (looksLikeSql(a) || (!a.parts && a.str === null))) hit(I, site, SQL, a, "as SQL text", "text", a.parts ? "high" : "medium");
      return;
    }
    case "run":
    case "all":
    case "get":
    case "each":
      if (sqlReceiver(site) && args[0] && looksLikeSql(args[0])) hit(I, site, SQL, args[0], "as SQL text", "text");
      break;
    case "where":
    case "andWhere":
    case "orWhere":
    case "having":
    case "andHaving":
    case "orHaving":
      if (args[0] && (args[0].parts || args[0].str !== null) && SQL_CONDITION.test(constantText(args[0])) && queryBuilderChain(site.callee)) {
        hit(I, site, SQL, args[0], "as an SQL condition", "text", "high", FRAGMENT_PREFIX[method]);
        return;
      }
      break;
    case "insertAdjacentHTML":
      hit(I, site, HTML, args[1], "as HTML inserted into the page", "text");
      return;
    case "createContextualFragment":
    case "bypassSecurityTrustHtml":
    case "bypassSecurityTrustScript":
    case "bypassSecurityTrustResourceUrl":
      hit(I, site, HTML, args[0], method.startsWith("bypass") ? "past Angular's sanitizer" : "as HTML parsed into the page", "text");
      return;
    case "match":
    case "matchAll":
    case "search": {
      const a = args[0];
      if (a && !(a.flags & F_LITERAL_OBJ) && a.taint && !a.regex && !recv.taint) hit(I, site, REGEX, a, "as a regular expression pattern", "text", "medium");
      return;
    }
    default:
      break;
  }
  if (method.endsWith("Raw") && method.length > 3 && /^(where|orWhere|andWhere|orderBy|having|orHaving|join|leftJoin|groupBy|select|from|on|update|insert)Raw$/.test(method)) {
    hit(I, site, SQL, args[0], "as raw SQL text", "text", "high", FRAGMENT_PREFIX[method]);
    return;
  }
  if (NOSQL_METHODS.has(method)) nosqlSink(I, method, recv, site);
  if (JQUERY_HTML.has(method) && isJqueryCall(unwrap(site.callee).object)) {
    const a = args[0];
    if (a && !a.fn && !(a.flags & F_LITERAL_OBJ)) hit(I, site, HTML, a, "as HTML (jQuery)", "text");
    return;
  }
  const name = receiverName(unwrap(site.callee).object) ?? "";
  if (m?.kind === "response" || (!m && /^(res|response|reply|h)$/.test(name))) responseSinks(I, method, m?.kind === "response" ? m : null, site, name);
  else if (m?.kind === "context" || (!m && /^(ctx|c|context)$/.test(name))) contextSinks(I, method, site);
}

/** TypeORM's `createQueryBuilder(…).where("…" + x)`: a builder chain, not knex's `where(column, value)`. */
function queryBuilderChain(callee: JsNode): boolean {
  let n = unwrap(callee);
  for (let i = 0; i < 12; i++) {
    if (n.type === "MemberExpression") n = unwrap(n.object);
    else if (n.type === "CallExpression") {
      const c = unwrap(n.callee);
      const name = c.type === "MemberExpression" ? (c.property.name ?? "") : c.type === "Identifier" ? c.name : "";
      if (name === "createQueryBuilder" || name === "getQueryBuilder") return true;
      n = c;
    } else if (n.type === "Identifier") return /^(qb|queryBuilder|builder|query)$/i.test(n.name) || /QueryBuilder$/.test(n.name);
    else return false;
  }
  return false;
}

function nosqlSink(I: Interpreter, method: string, recv: Value, site: CallSite): void {
  if (I.facts.mongoSanitized) return;
  if (recv.taint || recv.model?.kind === "db" || recv.model?.kind === "request" || recv.model?.kind === "response" || recv.model?.kind === "context") return;
  if (recv.flags & F_LITERAL_OBJ && !recv.model) return;
  const name = receiverName(unwrap(site.callee).object) ?? "";
  if (NOT_MONGO.test(name)) return;
  const args = site.args;
  if (method === "aggregate") {
    const pipeline = args[0];
    if (!pipeline?.props) return;
    for (const stage of pipeline.props.values()) {
      const match = stage.props?.get("$match");
      if (match) hit(I, site, NOSQL, match, "as a query document ($match)", "nosql");
    }
    return;
  }
  const selector = method === "distinct" ? args[1] : args[0];
  if (!selector || selector.fn) return;
  if (!(selector.flags & F_LITERAL_OBJ) && !(selector.flags & F_CONTAINER) && !selector.taint?.obj) return;
  hit(I, site, NOSQL, selector, "as a query document", "nosql", selector.flags & F_LITERAL_OBJ ? "high" : "medium");
}

function responseSinks(I: Interpreter, method: string, m: { htmlDefault: boolean; contentType: "html" | "other" | null } | null, site: CallSite, name: string): void {
  const args = site.args;
  switch (method) {
    case "send":
    case "write":
    case "end": {
      const body = method === "send" && args.length > 1 && args[0]!.flags & F_NUMERIC ? args[1] : args[0];
      if (!body || body.flags & (F_CONTAINER | F_LITERAL_OBJ | F_NUMERIC) || body.fn) return;
      if (m?.contentType === "other") return;
      const html = m?.contentType === "html" || (method === "send" ? (m ? m.htmlDefault : name === "res") : /<[a-z!/]/i.test(constantText(body)));
      if (html) hit(I, site, HTML, body, "in an HTML response", "text");
      return;
    }
    case "redirect": {
      const target = [...args].reverse().find((a) => !(a.flags & F_NUMERIC));
      hit(I, site, REDIRECT, target, "as the target of a redirect", "redirect");
      return;
    }
    case "location":
      hit(I, site, REDIRECT, args[0], "as the Location of a redirect", "redirect");
      return;
    case "setHeader":
    case "set":
    case "header":
    case "append":
      if (args[0]?.str?.toLowerCase() === "location") hit(I, site, REDIRECT, args[1], "as the Location header", "redirect");
      else if (args[0]?.props) locationHeader(I, site, args[0]);
      return;
    case "writeHead":
      if (args[1]?.props) locationHeader(I, site, args[1]);
      return;
    case "sendFile":
    case "download": {
      const opts = args.slice(1).find((a) => a.props && a.flags & F_LITERAL_OBJ);
      if (opts?.props?.has("root")) return;
      hit(I, site, PATH, args[0], "as a file path sent to the client", "text");
      return;
    }
    default:
      return;
  }
}

function locationHeader(I: Interpreter, site: CallSite, headers: Value): void {
  for (const [k, v] of headers.props!) if (k.toLowerCase() === "location") hit(I, site, REDIRECT, v, "as the Location header", "redirect");
}

function contextSinks(I: Interpreter, method: string, site: CallSite): void {
  const args = site.args;
  switch (method) {
    case "html":
      hit(I, site, HTML, args[0], "in an HTML response", "text");
      return;
    case "redirect":
      hit(I, site, REDIRECT, args[0], "as the target of a redirect", "redirect");
      return;
    case "set":
    case "header":
      if (args[0]?.str?.toLowerCase() === "location") hit(I, site, REDIRECT, args[1], "as the Location header", "redirect");
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------- assignments, JSX

export interface Assignment {
  node: JsNode;
  target: JsNode;
  obj: Value;
  key: string | null;
  keyValue: Value | null;
  value: Value;
}

const HTML_PROPERTIES = new Set(["innerHTML", "outerHTML", "srcdoc"]);

/** Checks `target.key = value`: HTML properties, navigation, Koa bodies, attacker-keyed writes. Also binds `onmessage` handlers. */
export function checkAssignSinks(I: Interpreter, a: Assignment): void {
  const { obj, key, value, node } = a;
  const m = obj.model;
  if (obj.protoKey) {
    const keyValue = taintedValue(obj.protoKey);
    const confidence: Confidence = value.taint || a.keyValue?.taint ? "high" : "medium";
    I.sink(spec(PROTO, I.text(a.target), "as a key of an object read with an attacker-chosen key (may be Object.prototype)", "any", confidence), node, keyValue);
  }
  if (key === null) return;
  if (value.fn && key === "onmessage" && m?.kind === "global") {
    I.callInline(value.fn, [modelValue({ kind: "message-event" })], UNKNOWN, "call");
    return;
  }
  if (m?.kind === "context") {
    if (key === "type") {
      if (value.str !== null) m.contentType = /html/i.test(value.str) ? "html" : "other";
      return;
    }
    if (key === "body" && m.flavor === "koa" && value.taint && !(value.flags & (F_CONTAINER | F_LITERAL_OBJ)) && m.contentType !== "other") {
      I.sink(spec(HTML, I.text(a.target), "as the response body (sent as HTML when it starts with \"<\")", m.contentType === "html" ? "text" : "koa-body"), node, value);
    }
    return;
  }
  if (!value.taint) return;
  if (HTML_PROPERTIES.has(key)) {
    I.sink(spec(HTML, I.text(a.target), "as HTML", "text"), node, value);
    return;
  }
  if (m?.kind === "global") {
    const navigates = (m.name === "location" && key === "href") || ((m.name === "window" || m.name === "document" || m.name === "self" || m.name === "top") && key === "location");
    if (navigates) I.sink(spec(REDIRECT, I.text(a.target), "as the page to navigate to", "redirect"), node, value);
  }
}

/** `dangerouslySetInnerHTML={{ __html: x }}` and `srcDoc={x}`. */
export function checkJsxAttribute(I: Interpreter, attr: JsNode, v: Value): void {
  const name = attr.name?.type === "JSXIdentifier" ? attr.name.name : null;
  if (name === "dangerouslySetInnerHTML") {
    const html = v.props?.get("__html");
    if (html?.taint) I.sink(spec(HTML, "dangerouslySetInnerHTML", "as HTML (dangerouslySetInnerHTML)", "text"), attr, html);
  } else if (name === "srcDoc") {
    I.sink(spec(HTML, "srcDoc", "as an iframe document", "text"), attr, v);
  }
}

// ---------------------------------------------------------------- recursive merge functions

const mergeCache = new WeakMap<JsNode, boolean>();

/**
 * A same-file function shaped like a naive deep merge: `(target, source)` that loops over the
 * source's keys, assigns `target[key]`, and calls itself on `target[key]`, with no check for
 * `__proto__`/`constructor` keys.
 */
export function looksLikeUnsafeMerge(ref: FnRef): boolean {
  const node = ref.node;
  const cached = mergeCache.get(node);
  if (cached !== undefined) return cached;
  let result = false;
  const [p0, p1] = (node.params ?? []) as JsNode[];
  if (p0?.type === "Identifier" && p1?.type === "Identifier" && ref.name) {
    const target = p0.name;
    let loops = false;
    let assigns = false;
    let recurses = false;
    let guarded = false;
    const stack: JsNode[] = [node.body];
    let seen = 0;
    while (stack.length > 0 && seen++ < 5000) {
      const n = stack.pop()!;
      if (!n || typeof n.type !== "string") continue;
      if (n.type === "ForInStatement" || (n.type === "CallExpression" && /^(keys|entries|forEach)$/.test(unwrap(n.callee).property?.name ?? ""))) loops = true;
      if (n.type === "Literal" && (n.value === "__proto__" || n.value === "constructor" || n.value === "prototype")) guarded = true;
      if (n.type === "Identifier" && (n.name === "hasOwn" || n.name === "isSafeKey" || n.name === "isPrototypePolluted")) guarded = true;
      if (n.type === "AssignmentExpression" && n.left.type === "MemberExpression" && n.left.computed && unwrap(n.left.object).type === "Identifier" && unwrap(n.left.object).name === target) assigns = true;
      if (n.type === "CallExpression" && unwrap(n.callee).type === "Identifier" && unwrap(n.callee).name === ref.name) recurses = true;
      for (const k in n) {
        if (k === "type" || k === "start" || k === "end" || k === "loc") continue;
        const c = n[k];
        if (Array.isArray(c)) for (const x of c) x && typeof x.type === "string" && stack.push(x);
        else if (c && typeof c.type === "string") stack.push(c);
      }
    }
    result = loops && assigns && recurses && !guarded;
  }
  mergeCache.set(node, result);
  return result;
}
