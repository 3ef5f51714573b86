/**
 * Cross-site scripting: untrusted data written as HTML. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it. Front-end frameworks' sinks (React, Angular,
 * AngularJS, Vue, Svelte, jQuery) are rows of models/. One configuration is reported without a
 * flow: AngularJS's strict contextual escaping switched off (`$sceProvider.enabled(false)`).
 */
import { composeListeners } from "../js/compose-listeners";
import { unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { createRule, type Report } from "../rule";
import { taintListeners } from "../taint/index";
import { HTML } from "../taint/kinds";

/** `$sceProvider.enabled(false)`: AngularJS then binds every value as it is, trusted or not. */
function sceDisabled(node: JsNode): Report | null {
  const callee = unwrap(node.callee);
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.name !== "enabled") return null;
  const obj = unwrap(callee.object);
  const arg = node.arguments[0] ? unwrap(node.arguments[0]) : null;
  if (obj.type !== "Identifier" || obj.name !== "$sceProvider" || arg?.type !== "Literal" || arg.value !== false) return null;
  return {
    start: node.start,
    end: node.end,
    message:
      "$sceProvider.enabled(false) switches off AngularJS's strict contextual escaping: ng-bind-html and every other binding render values as they are, so attacker text bound anywhere in the application runs as script.",
    severity: "medium",
    tags: ["configuration"],
    fingerprintKey: "$sceProvider.enabled(false)",
  };
}

export default createRule({
  id: "xss",
  meta: {
    title: "Cross-site scripting: untrusted data written as HTML",
    description:
      "Attacker-controlled input is written into HTML without escaping, or used as a URL the page follows: an HTML response built from request data (`res.send`, `ctx.body`, `c.html`), `innerHTML`, `document.write`, `insertAdjacentHTML`, jQuery `.html()`/`$(html)`, React `dangerouslySetInnerHTML`, Angular's `bypassSecurityTrust*`, AngularJS `$sce.trustAs*`/`$compile`, Vue `v-html` and render functions, Svelte `{@html}`, links, frames and navigations whose whole URL (so its `javascript:` scheme) is the attacker's, or a view template the project renders that writes a request value unescaped (`<%- %>`, `!{}`, `{{{ }}}`, `| safe`, or any output once autoescaping is switched off), reported at the view's line. Stored data the page reads back (its API's responses, browser storage) is reported at lower confidence. Script injected this way runs in the victim's session, which on a payment page can skim card data. PCI DSS 6.2.4 names XSS.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-79"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      'Render through a template engine or JSX that escapes by default, escape text with a vetted encoder (escape-html, he) for the context it lands in, sanitize intended HTML with DOMPurify, and use `textContent` instead of `innerHTML`. Send JSON with `res.json`. Never mark attacker data trusted (`bypassSecurityTrust*`, `$sce.trustAs*`), and accept a URL for a link or navigation only after checking its scheme (`new URL(x).protocol === "https:"`) or build it from a fixed prefix and `encodeURIComponent`.',
    references: [
      "https://owasp.org/www-community/attacks/xss/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/79.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript", "text"],
  },
  create(ctx) {
    const dataflow = taintListeners(ctx, HTML);
    if (!ctx.file.text.includes("$sceProvider")) return dataflow;
    const config = {
      CallExpression(node: JsNode) {
        const r = sceDisabled(node);
        if (r) ctx.report(r);
      },
    };
    return { ...dataflow, js: composeListeners(dataflow.js ?? {}, config) };
  },
});
