/**
 * Command injection: untrusted data in a shell command. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { SHELL } from "../taint/kinds";

export default createRule({
  id: "command-injection",
  meta: {
    title: "Command injection: untrusted data in a shell command",
    description:
      "Attacker-controlled input reaches a shell command (`child_process.exec`, `spawn` with `shell: true`, `sh -c`), where quotes, `;`, `|` or `$( )` start new commands on the server. PCI DSS 6.2.4 requires preventing command injection.",
    severity: "critical",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-78"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Run programs without a shell: `execFile`/`spawn` with the program and an argument array, and validate arguments against an allowlist. If a shell is unavoidable, quote each argument with a vetted library (shell-quote) and reject input that starts with `-`.",
    references: [
      "https://owasp.org/www-community/attacks/Command_Injection",
      "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/78.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, SHELL),
});
