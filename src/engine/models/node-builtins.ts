/**
 * Node.js built-in modules and globals: the file system, paths, child processes, `vm`, HTTP
 * clients and servers, `util`, `querystring`, `url`, and the process's own input. Command-line
 * arguments are a source of their own kind: the operator's input, which matters only where it
 * becomes code or a query.
 */
import { asText, F_NORMALIZED, partsOf, textValue, UNKNOWN, type Part, type Value } from "../taint/value";
import type { CallSite } from "./host";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";

/** `fs` (and fs-extra) functions whose first argument is a path: reading, writing, deleting, listing… */
const FS_PATH_FUNCTIONS = [
  "readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync", "createReadStream", "createWriteStream",
  "unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "readdir", "readdirSync", "stat", "statSync", "lstat", "lstatSync",
  "access", "accessSync", "exists", "existsSync", "open", "openSync", "mkdir", "mkdirSync", "rename", "renameSync", "copyFile",
  "copyFileSync", "cp", "cpSync", "readlink", "readlinkSync", "realpath", "realpathSync", "chmod", "chmodSync", "chown", "truncate",
  "utimes", "symlink", "symlinkSync", "link", "linkSync", "opendir", "opendirSync", "watch", "watchFile", "outputFile", "outputFileSync",
  "readJson", "readJSON", "readJsonSync", "writeJson", "writeJSON", "writeJsonSync", "remove", "removeSync", "pathExists", "pathExistsSync",
  "ensureDir", "ensureFile", "move", "moveSync", "copy", "copySync", "emptyDir", "outputJson",
];
/** Those whose second argument is a path too (source and destination). */
const FS_TWO_PATHS = new Set(["rename", "renameSync", "copyFile", "copyFileSync", "cp", "cpSync", "symlink", "symlinkSync", "link", "linkSync", "move", "moveSync", "copy", "copySync"]);

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

const SUMMARIES: SummaryRow[] = [
  { call: "util:promisify", returns: "argument" },
  ...["global:Buffer.from", "buffer:Buffer.from", "util:inspect", "path:dirname", "path:extname", "path:relative", "url:format", "url:resolve"].map(
    (call): SummaryRow => ({ call, returns: "text" }),
  ),
  { call: "path:normalize", returns: "normalised-path" },
  { call: "querystring:parse", returns: "parsed" },
  { call: "url:parse", returns: "parsed" },
  { call: "util:format", returns: "formatted" },
  { call: "path:join", effect: (_host, site) => joinPaths(site, false) },
  { call: "path:resolve", effect: (_host, site) => joinPaths(site, true) },
  // The last segment of a path has no "/" (and so no "..") left.
  { call: "path:basename", returns: "text", sanitises: ["path-traversal"] },
  { call: "querystring:escape", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
  { call: "querystring:stringify", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
];

const SINKS: SinkRow[] = [
  ...FS_PATH_FUNCTIONS.flatMap((f): SinkRow[] => {
    const first: SinkRow = { call: `fs:${f}`, argument: 0, rule: "path-traversal", what: "as a file path", mode: "text" };
    return FS_TWO_PATHS.has(f) ? [first, { ...first, argument: 1 }] : [first];
  }),
  ...["runInNewContext", "runInThisContext", "runInContext", "compileFunction", "Script", "SourceTextModule"].map(
    (f): SinkRow => ({ call: `vm:${f}`, argument: 0, rule: "code-injection", what: "as JavaScript code", mode: "text" }),
  ),
  ...["http:get", "http:request", "https:get", "https:request"].map((call): SinkRow => ({ call, argument: 0, url: true, rule: "ssrf", what: "as the URL of a server-side request", mode: "url" })),
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
  sinks: SINKS,
  // EventEmitter: `emitter.on(event, handler)`.
  entryPoints: ["on", "once", "addListener", "prependListener", "prependOnceListener"].map((listenerMethod) => ({ listenerMethod })),
};
