/**
 * XPath injection: request text in an XPath expression. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { XPATH } from "../taint/kinds";

export default createRule({
  id: "xpath-injection",
  meta: {
    title: "XPath injection: request text in an XPath expression",
    description:
      "Attacker-controlled text is spliced into an XPath expression (`xpath.select`, `select1`, `evaluate`, `parse`, `document.evaluate`), where it can close a string literal and add conditions (`' or '1'='1`, a login bypass) or select other parts of the document (`| //*`). PCI DSS 6.2.4 requires preventing injection.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-643"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      'Keep the expression constant and pass values as XPath variables (`xpath.parse("//user[@name=$name]").select({ node, variables: { name } })`), or check the value against an allowlist before it reaches the expression.',
    references: ["https://owasp.org/www-community/attacks/XPATH_Injection", "https://cwe.mitre.org/data/definitions/643.html"],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, XPATH),
});
