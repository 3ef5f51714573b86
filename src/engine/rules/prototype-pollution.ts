/**
 * Prototype pollution: attacker-chosen keys written into objects. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { PROTO } from "../taint/kinds";

export default createRule({
  id: "prototype-pollution",
  meta: {
    title: "Prototype pollution: attacker-chosen keys written into objects",
    description:
      "Attacker-controlled keys or objects reach an object write or a deep merge/set (`obj[a][b] = v`, a recursive merge, `_.set`, `dot-prop`), so a key such as `__proto__` changes Object.prototype for the whole process: a path to authentication bypass or code execution. PCI DSS 6.2.4 covers attacks on data structures.",
    severity: "high",
    confidence: "medium",
    category: "injection",
    cwe: ["CWE-1321", "CWE-915"],
    owasp: ["A08:2021"],
    pci: ["6.2.4"],
    remediation:
      "Reject the keys `__proto__`, `constructor` and `prototype` before writing, use `Object.create(null)` or a `Map` for attacker-keyed data, check `Object.hasOwn`, and keep merge libraries current (lodash 4.17.21 or later).",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Prototype_Pollution_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/1321.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, PROTO),
});
