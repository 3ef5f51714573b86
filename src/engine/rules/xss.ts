/**
 * Cross-site scripting: untrusted data written as HTML. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { HTML } from "../taint/kinds";

export default createRule({
  id: "xss",
  meta: {
    title: "Cross-site scripting: untrusted data written as HTML",
    description:
      "Attacker-controlled input is written into HTML without escaping: an HTML response built from request data (`res.send`, `ctx.body`, `c.html`), `innerHTML`, `document.write`, `insertAdjacentHTML`, jQuery `.html()` or React `dangerouslySetInnerHTML`, or a view template the project renders that writes a request value unescaped (`<%- %>`, `!{}`, `{{{ }}}`, `| safe`, or any output once autoescaping is switched off), reported at the view's line. Script injected this way runs in the victim's session, which on a payment page can skim card data. PCI DSS 6.2.4 names XSS.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-79"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Render through a template engine or JSX that escapes by default, escape text with a vetted encoder (escape-html, he) for the context it lands in, sanitize intended HTML with DOMPurify, and use `textContent` instead of `innerHTML`. Send JSON with `res.json`.",
    references: [
      "https://owasp.org/www-community/attacks/xss/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/79.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript", "text"],
  },
  create: (ctx) => taintListeners(ctx, HTML),
});
