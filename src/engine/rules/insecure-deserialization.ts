/**
 * Insecure deserialization: untrusted data to a code-running deserializer. Found by the dataflow
 * engine (src/engine/taint): attacker data is followed from where it enters (request objects,
 * browser URL and messages, socket and queue payloads) through variables, calls and string
 * building to the sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { DESER } from "../taint/kinds";

export default createRule({
  id: "insecure-deserialization",
  meta: {
    title: "Insecure deserialization: untrusted data to a code-running deserializer",
    description:
      "Attacker-controlled input is deserialized by a library that can create functions or run code while parsing (node-serialize `unserialize`, js-yaml 3 `load`, funcster, cryo, BSON with evalFunctions): remote code execution. PCI DSS 6.2.4 requires preventing injection and attacks on data structures.",
    severity: "critical",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-502"],
    owasp: ["A08:2021"],
    pci: ["6.2.4"],
    remediation:
      "Parse untrusted data with `JSON.parse` or a data-only parser (js-yaml 4 `load` or `safeLoad` in js-yaml 3), validate the result with a schema, and remove node-serialize and similar libraries.",
    references: ["https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html", "https://cwe.mitre.org/data/definitions/502.html"],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, DESER),
});
