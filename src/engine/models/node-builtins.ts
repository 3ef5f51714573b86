/**
 * Node.js built-in modules and globals: the file system, paths, child processes, `vm`, HTTP
 * clients and servers, `util`, `querystring`, `url`, and the process's own input. Command-line
 * arguments are a source of their own kind: the operator's input, which matters only where it
 * becomes code or a query.
 */
import type { LibraryModel, SinkRow } from "./rows";

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
  fixtures: [],
  globals: [{ global: "process.env", untainted: true }],
  constants: [
    // Paths of the server's own files: constant text, so a path built on them keeps its prefix.
    { read: "global:__dirname", text: "/srv/app" },
    { read: "global:__filename", text: "/srv/app/index.js" },
    { read: "path:sep", text: "/" },
  ],
  sources: [{ global: "process.argv", what: "command-line arguments", local: true, container: true }],
  sinks: SINKS,
};
