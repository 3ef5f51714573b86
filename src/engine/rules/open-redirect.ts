/**
 * Open redirect: untrusted redirect target. Found by the dataflow engine (src/engine/taint):
 * attacker data is followed from where it enters (request objects, browser URL and messages,
 * socket and queue payloads) through variables, calls and string building to the sink; sanitizers
 * that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { REDIRECT } from "../taint/kinds";

export default createRule({
  id: "open-redirect",
  meta: {
    title: "Open redirect: untrusted redirect target",
    description:
      "A redirect's target (`res.redirect`, `ctx.redirect`, a `Location` header, `location.href`) comes from the request, so a link on the trusted domain can send users to a look-alike payment or login page. PCI DSS 6.2.4 covers attacks on business logic and access control.",
    severity: "medium",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-601"],
    owasp: ["A01:2021"],
    pci: ["6.2.4"],
    remediation:
      "Redirect only to relative paths you validated (starting with a single `/` and not `//` or `/\\`), or map a key to a fixed list of destinations; compare `new URL(target).origin` with your own origin before redirecting.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/601.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, REDIRECT),
});
