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
    title: "Code injection: untrusted data evaluated as JavaScript",
    description:
      "Attacker-controlled input is run as JavaScript by `eval`, `new Function`, the `vm` module or a string passed to `setTimeout`/`setInterval`, or compiled as template source (`pug.compile`, `ejs.render`, `Handlebars.compile`, `_.template`, `nunjucks.renderString`: server-side template injection), or chooses ejs render options (`res.render(view, req.body)`), giving the attacker code execution in the server or the page. PCI DSS 6.2.4 requires preventing injection.",
    severity: "critical",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-94",  "CWE-95"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Do not evaluate input. Parse data with `JSON.parse`, dispatch on an allowlist of functions, and pass functions (not strings) to timers. The `vm` module is not a security boundary.",
    references: [
      "https://owasp.org/www-community/attacks/Code_Injection",
      "https://cwe.mitre.org/data/definitions/95.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, CODE),
});
