/**
 * Regular expression denial of service: attacker data matched against a constant regular
 * expression that backtracks exponentially or polynomially. Found by the dataflow engine
 * (src/engine/taint), which follows request data to `re.test(x)`, `x.match(re)`,
 * `x.replace(re, …)`, `x.split(re)`, validator.js `matches`…; at such a sink the pattern is
 * judged by the ReDoS analysis (src/engine/redos), which proves each finding with an attack
 * string and the backtracking steps it costs, measured at two sizes. A vulnerable regex that
 * never sees attacker data is not reported: nobody can exhaust the event loop with it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { REDOS } from "../taint/kinds";

export default createRule({
  id: "redos",
  meta: {
    title: "Regular expression denial of service (catastrophic backtracking on request data)",
    description:
      "Attacker-controlled input is matched against a regular expression whose backtracking grows exponentially or polynomially with the input (nested or overlapping quantifiers such as `(a+)+`, `(\\w|\\d)+$`, `\\s+$`): one crafted request blocks the Node.js event loop for seconds to hours and takes the payment service down for everyone. PCI DSS 6.2.4 requires software to be protected against common attacks, including denial of service through resource exhaustion.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-1333"],
    owasp: ["A05:2021"],
    pci: ["6.2.4"],
    remediation:
      "Rewrite the pattern so that no two paths can read the same text: remove nested quantifiers (`(a+)+` → `a+`), make alternatives disjoint (`(\\w|\\d)+` → `\\w+`), and separate adjacent quantifiers that can read the same characters (`\\s*,\\s*` around a required delimiter, anchor trims as `/^\\s+|\\s+$/` replaced by `trim()`). Bound the input's length before matching, or use a linear-time engine (RE2 via `re2`, or `validator` functions that do not backtrack).",
    references: [
      "https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS",
      "https://cwe.mitre.org/data/definitions/1333.html",
      "https://makenowjust-labs.github.io/recheck/",
    ],
    tags: ["dataflow", "redos"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, REDOS),
});
