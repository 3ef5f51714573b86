/**
 * Node.js built-in modules and globals: the file system, paths, child processes, `vm`, HTTP
 * clients and servers, `util`, `querystring`, `url`, and the process's own input. Command-line
 * arguments are a source of their own kind: the operator's input, which matters only where it
 * becomes code or a query.
 */
import { HTML, kindsOf, URL_KINDS, type TaintRuleId } from "../taint/kinds";
import {
  asText,
  concat,
  F_ARRAY,
  F_LITERAL_OBJ,
  F_NORMALIZED,
  partsOf,
  sanitize,
  strValue,
  taintedValue,
  textValue,
  UNKNOWN,
  type Alphabet,
  type Part,
  type Value,
} from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, MethodRow, SinkRow, SummaryEffect, SummaryRow } from "./rows";

/** `fs` (and fs-extra) functions whose first argument is a path: reading, writing, deleting, listing… */
const FS_PATH_FUNCTIONS = [
  "readFile",
  "readFileSync",
  "writeFile",
  "writeFileSync",
  "appendFile",
  "appendFileSync",
  "createReadStream",
  "createWriteStream",
  "unlink",
  "unlinkSync",
  "rm",
  "rmSync",
  "rmdir",
  "rmdirSync",
  "readdir",
  "readdirSync",
  "stat",
  "statSync",
  "lstat",
  "lstatSync",
  "access",
  "accessSync",
  "exists",
  "existsSync",
  "open",
  "openSync",
  "mkdir",
  "mkdirSync",
  "rename",
  "renameSync",
  "copyFile",
  "copyFileSync",
  "cp",
  "cpSync",
  "readlink",
  "readlinkSync",
  "realpath",
  "realpathSync",
  "chmod",
  "chmodSync",
  "chown",
  "truncate",
  "utimes",
  "symlink",
  "symlinkSync",
  "link",
  "linkSync",
  "opendir",
  "opendirSync",
  "watch",
  "watchFile",
  "outputFile",
  "outputFileSync",
  "readJson",
  "readJSON",
  "readJsonSync",
  "writeJson",
  "writeJSON",
  "writeJsonSync",
  "remove",
  "removeSync",
  "pathExists",
  "pathExistsSync",
  "ensureDir",
  "ensureFile",
  "move",
  "moveSync",
  "copy",
  "copySync",
  "emptyDir",
  "outputJson",
];
/** Those whose second argument is a path too (source and destination). */
const FS_TWO_PATHS = new Set([
  "rename",
  "renameSync",
  "copyFile",
  "copyFileSync",
  "cp",
  "cpSync",
  "symlink",
  "symlinkSync",
  "link",
  "linkSync",
  "move",
  "moveSync",
  "copy",
  "copySync",
]);

/** `path.join(a, b)` / `path.resolve(a, b)` as text: the pieces joined with "/", resolved from the server's directory. */
function joinPaths(site: CallSite, resolve: boolean): Value {
  const parts: Part[] = [];
  let first = true;
  let anything = false;
  for (const a of site.args) {
    const v = asText(a);
    if (resolve && v.str !== null && v.str.startsWith("/")) {
      parts.length = 0;
      first = true;
    }
    if (!first) parts.push("/");
    for (const p of partsOf(v)) parts.push(p);
    first = false;
    anything = anything || !!v.taint || v.str !== null || !!v.parts;
  }
  if (!anything) return UNKNOWN;
  if (resolve && !(typeof parts[0] === "string" && parts[0].startsWith("/"))) parts.unshift("/srv/app/");
  const out = textValue(parts);
  out.flags |= F_NORMALIZED;
  return out;
}

/**
 * What text in a binary-to-text encoding is safe for, whatever bytes the attacker encoded: its
 * alphabet is fixed (decoding, by contrast, gives the attacker's text back).
 * - hex, [0-9a-f]: no quote, markup, space, "/", "." or metacharacter of any language. Not a URL's
 *   host: after "https://" a run of digits is an IPv4 address in decimal (2130706433 is 127.0.0.1).
 * - base64, [A-Za-z0-9+/] then "=" padding: no quote, "<", space, "." (so no ".."), shell
 *   metacharacter, call or assignment; unquoted in SQL at most one number or identifier, never an
 *   operator or a second condition. Still unsafe: in a pattern "+" is a quantifier, and in a URL
 *   "//2130706433" is a host. In a path it can add directories under the one before it but never
 *   climb out; only a path that is the base64 text alone could be absolute ("/etc//passwd"),
 *   which file names are never built as.
 * - base64url, [A-Za-z0-9_-]: as base64, and no "/" or "+": safe in patterns too.
 */
const BASE64_SAFE: readonly TaintRuleId[] = [
  "sql-injection",
  "nosql-injection",
  "command-injection",
  "code-injection",
  "xss",
  "path-traversal",
  "prototype-pollution",
  "insecure-deserialization",
  "xxe",
];
/** Hex and base64url: as base64, and no "+" or "/", so safe in patterns too. */
const HEX_SAFE: readonly TaintRuleId[] = [...BASE64_SAFE, "regex-injection"];

const ENCODED_SAFE = new Map<string, number>([
  ["hex", kindsOf(HEX_SAFE)],
  ["base64", kindsOf(BASE64_SAFE)],
  ["base64url", kindsOf(HEX_SAFE)],
]);

/**
 * A value encoded into an alphabet: none of the text written around the data survives as it was,
 * so it is one piece of attacker data, safe where the alphabet is and marked with it (the attack
 * simulator tries only payloads the alphabet can spell).
 */
export function encoded(v: Value, alphabet: Alphabet): Value {
  const t = asText(v).taint;
  return t ? sanitize(taintedValue(t.with({ alphabet })), ENCODED_SAFE.get(alphabet)!) : UNKNOWN;
}

/** A library function that encodes its first argument into an alphabet (`btoa`, `base64url.encode`). */
export const encoder =
  (alphabet: Alphabet): SummaryEffect =>
  (_host, site) =>
    encoded(site.args[0] ?? UNKNOWN, alphabet);
/** Encodings that give text back as it is (a byte per character or UTF-8/16). */
const TEXT_ENCODINGS = new Set(["utf8", "utf-8", "latin1", "binary", "ascii", "ucs2", "ucs-2", "utf16le", "utf-16le"]);

/** `buf.toString(encoding)` (ecmascript's `toString` asks): the bytes' text, or, in hex or base64, text of a fixed alphabet. */
export function encodedText(recv: Value, name: string): Value | null {
  const encoding = name.toLowerCase();
  if (ENCODED_SAFE.has(encoding)) return encoded(recv, encoding as Alphabet);
  return TEXT_ENCODINGS.has(encoding) ? asText(recv) : null;
}

/** `Buffer.concat([a, b])`: the buffers' bytes, in order. */
function concatBuffers(host: ModelHost, site: CallSite): Value {
  const list = site.args[0];
  if (!list) return UNKNOWN;
  if (list.props && list.flags & F_ARRAY && list.props.size <= 16) {
    let out = strValue("");
    for (const v of list.props.values()) out = concat(out, asText(v));
    return list.elem?.taint ? concat(out, asText(list.elem)) : out;
  }
  const e = host.elementOf(list);
  return e.taint ? asText(e) : UNKNOWN;
}

/**
 * `url.format({ protocol, host, pathname, query })`: the URL text as Node writes it. With a host
 * the pathname always starts a path ("/" is added), and a `query` object's values are encoded.
 */
function formatUrl(_host: ModelHost, site: CallSite): Value {
  const a = site.args[0];
  if (!a?.props || !(a.flags & F_LITERAL_OBJ)) return asText(a ?? UNKNOWN);
  const get = (key: string) => a.props!.get(key);
  const parts: Part[] = [];
  const add = (v: Value) => {
    for (const p of partsOf(asText(v))) parts.push(p);
  };
  const protocol = get("protocol");
  if (protocol) {
    add(protocol);
    if (protocol.str !== null && !protocol.str.endsWith(":")) parts.push(":");
  }
  const host = get("host") ?? get("hostname");
  if (host) {
    parts.push("//");
    const auth = get("auth");
    if (auth) {
      add(auth);
      parts.push("@");
    }
    add(host);
    const port = get("host") ? undefined : get("port");
    if (port) {
      parts.push(":");
      add(port);
    }
  }
  const pathname = get("pathname");
  if (pathname) {
    if (host && !pathname.str?.startsWith("/")) parts.push("/");
    add(pathname);
  }
  const search = get("search");
  const query = get("query");
  if (search) add(search);
  else if (query) {
    parts.push("?");
    add(query.props ? sanitize(query, URL_KINDS | HTML) : query);
  }
  const hash = get("hash");
  if (hash) add(hash);
  return parts.length > 0 ? textValue(parts) : UNKNOWN;
}

const SUMMARIES: SummaryRow[] = [
  { call: "util:promisify", returns: "argument" },
  { call: "url:format", effect: formatUrl },
  // Decoding (`Buffer.from(x, "base64")`) gives back whatever text the attacker encoded.
  ...["global:Buffer.concat", "buffer:Buffer.concat"].map((call): SummaryRow => ({ call, effect: concatBuffers })),
  ...["global:Uint8Array.from", "global:Uint8Array"].map((call): SummaryRow => ({ call, returns: "argument" })),
  // `new util.TextEncoder()`: its `encode(x)` is x's bytes (web-platform has the globals).
  ...["util:TextEncoder", "util:TextDecoder"].map((call): SummaryRow => ({ call, effect: (_host, site) => site.fn })),
  ...["util:TextEncoder.encode", "util:TextDecoder.decode"].map((call): SummaryRow => ({ call, returns: "text" })),
  ...["global:Buffer.from", "buffer:Buffer.from", "util:inspect", "path:dirname", "path:relative", "url:resolve"].map((call): SummaryRow => ({
    call,
    returns: "text",
  })),
  { call: "path:normalize", returns: "normalised-path" },
  { call: "querystring:parse", returns: "parsed" },
  { call: "url:parse", returns: "parsed" },
  { call: "util:format", returns: "formatted" },
  { call: "path:join", effect: (_host, site) => joinPaths(site, false) },
  { call: "path:resolve", effect: (_host, site) => joinPaths(site, true) },
  // The last segment of a path has no "/" (and so no "..") left.
  { call: "path:basename", returns: "text", sanitises: ["path-traversal"] },
  // An extension is taken from the last segment too: ".pdf", never "/".
  { call: "path:extname", returns: "text", sanitises: ["path-traversal"] },
  { call: "querystring:escape", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
  { call: "querystring:stringify", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
];

const SINKS: SinkRow[] = [
  ...FS_PATH_FUNCTIONS.flatMap((f): SinkRow[] => {
    const first: SinkRow = { call: `fs:${f}`, argument: 0, rule: "path-traversal", what: "as a file path", mode: "text" };
    return FS_TWO_PATHS.has(f) ? [first, { ...first, argument: 1 }] : [first];
  }),
  ...["runInNewContext", "runInThisContext", "runInContext", "compileFunction", "Script", "SourceTextModule"].map((f): SinkRow => ({
    call: `vm:${f}`,
    argument: 0,
    rule: "code-injection",
    what: "as JavaScript code",
    mode: "text",
  })),
  ...["http:get", "http:request", "https:get", "https:request"].map((call): SinkRow => ({
    call,
    argument: 0,
    url: true,
    rule: "ssrf",
    what: "as the URL of a server-side request",
    mode: "url",
  })),
];

export const model: LibraryModel = {
  id: "node-builtins",
  description: "Node.js built-ins: fs, path, child_process, vm, http/https, util, querystring, url, buffer, process.",
  fixtures: ["path-traversal/document-store.js", "code-injection/pricing-rules.js", "apps/nextjs/pages/api/export.ts"],
  aliases: [
    ...["fs/promises", "fs-extra", "fs-extra/esm", "graceful-fs"].map((specifier) => ({ specifier, module: "fs" })),
    ...["path/posix", "path/win32", "pathe"].map((specifier) => ({ specifier, module: "path" })),
    { member: "fs:promises", module: "fs" },
    { member: "path:posix", module: "path" },
    { member: "path:default", module: "path" },
  ],
  globals: [{ global: "process.env", untainted: true }],
  exits: [{ exit: "exit", receiver: "process" }],
  constants: [
    // Paths of the server's own files: constant text, so a path built on them keeps its prefix.
    { read: "global:__dirname", text: "/srv/app" },
    { read: "global:__filename", text: "/srv/app/index.js" },
    { read: "path:sep", text: "/" },
  ],
  sources: [{ global: "process.argv", what: "command-line arguments", local: true, container: true }],
  summaries: SUMMARIES,
  methods: [
    // Streams: `src.pipe(dest)` returns `dest`, so `req.pipe(parser).on("entry", …)` listens on the parser. Only a
    // destination the engine knows something about counts: RxJS's `source.pipe(map(f))` is not a stream pipe.
    { method: "pipe", effect: (_host, _recv, site) => (site.args.length === 1 && (site.args[0]!.taint || site.args[0]!.model) ? site.args[0]! : null) },
  ] satisfies MethodRow[],
  sinks: SINKS,
  // EventEmitter: `emitter.on(event, handler)`.
  entryPoints: ["on", "once", "addListener", "prependListener", "prependOnceListener"].map((listenerMethod) => ({ listenerMethod })),
};
