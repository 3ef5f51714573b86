/**
 * Node.js built-in modules and globals: the file system, paths, child processes, `vm`, HTTP
 * clients and servers, `util`, `querystring`, `url`, and the process's own input. Command-line
 * arguments are a source of their own kind: the operator's input, which matters only where it
 * becomes code or a query.
 */
import type { LibraryModel } from "./rows";

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
};
