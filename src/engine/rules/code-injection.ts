/**
 * Code injection: untrusted data evaluated as JavaScript. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { CODE } from "../taint/kinds";

export default createRule({
  id: "code-injection",
  meta: {
    title: "Code injection: untrusted data evaluated as code",
    description:
      "Attacker-controlled input is run as code: JavaScript by `eval`, `new Function`, the `vm` module, vm2, safe-eval or a string passed to `setTimeout`/`setInterval`; an expression by math.js or static-eval; a Lua script by Redis `EVAL`; a Painless script by Elasticsearch; template source compiled by `pug.compile`, `ejs.render`, `Handlebars.compile`, `_.template` or `nunjucks.renderString` (server-side template injection); or ejs render options chosen by the request (`res.render(view, req.body)`). The attacker gets code execution in the server, the page or the database. PCI DSS 6.2.4 requires preventing injection.",
    severity: "critical",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-94", "CWE-95"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Do not evaluate input. Parse data with `JSON.parse`, dispatch on an allowlist of functions, and pass functions (not strings) to timers. The `vm` module and vm2 are not security boundaries. Keep Lua and Painless scripts constant and pass values as `KEYS`/`ARGV` or script `params`.",
    references: [
      "https://owasp.org/www-community/attacks/Code_Injection",
      "https://cwe.mitre.org/data/definitions/95.html",
      "https://redis.io/docs/latest/develop/interact/programmability/eval-intro/",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, CODE),
});
