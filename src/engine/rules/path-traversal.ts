/**
 * Path traversal: untrusted data in a file path. Found by the dataflow engine (src/engine/taint):
 * attacker data is followed from where it enters (request objects, browser URL and messages,
 * socket and queue payloads) through variables, calls and string building to the sink; sanitizers
 * that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { PATH } from "../taint/kinds";

export default createRule({
  id: "path-traversal",
  meta: {
    title: "Path traversal: untrusted data in a file path",
    description:
      "Attacker-controlled input becomes part of a file path given to `fs`, `res.sendFile`/`res.download` or a render call as the view name (or a Handlebars `layout` in render options from the request), so `../` sequences or an absolute path reach files outside the intended directory (keys, configuration, other customers' data). PCI DSS 6.2.4 covers attacks on access control.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-22"],
    owasp: ["A01:2021"],
    pci: ["6.2.4"],
    remediation:
      "Reduce the input to a file name with `path.basename`, or resolve it against the base directory with `path.resolve` and reject results that do not start with the base directory plus a separator; better, map ids to files through a lookup. `res.sendFile` with the `root` option also confines paths.",
    references: ["https://owasp.org/www-community/attacks/Path_Traversal", "https://cwe.mitre.org/data/definitions/22.html"],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, PATH),
});
