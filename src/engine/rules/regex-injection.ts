/**
 * Regular expression injection: untrusted data as a pattern. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { REGEX } from "../taint/kinds";

export default createRule({
  id: "regex-injection",
  meta: {
    title: "Regular expression injection: untrusted data as a pattern",
    description:
      "Attacker-controlled input is compiled as a regular expression (`new RegExp(input)`, `str.match(input)`): a crafted pattern can backtrack catastrophically and block the event loop (ReDoS), or match far more than intended. PCI DSS 6.2.4 requires preventing injection.",
    severity: "medium",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-1333", "CWE-625"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Escape input before it becomes part of a pattern (`_.escapeRegExp`, escape-string-regexp, or replace `[.*+?^${}()|[\\]\\\\]` with `\\\\$&`), or search with `includes`/`indexOf`; bound input length.",
    references: ["https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS", "https://cwe.mitre.org/data/definitions/1333.html"],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, REGEX),
});
