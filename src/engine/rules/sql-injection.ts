/**
 * SQL injection: untrusted data in SQL text. Found by the dataflow engine (src/engine/taint):
 * attacker data is followed from where it enters (request objects, browser URL and messages,
 * socket and queue payloads) through variables, calls and string building to the sink; sanitizers
 * that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { SQL } from "../taint/kinds";

export default createRule({
  id: "sql-injection",
  meta: {
    title: "SQL injection: untrusted data in SQL text",
    description:
      "Request data (or other attacker-controlled input) is pasted into the text of an SQL query instead of being bound as a parameter, so it can change the query: read or change card data, bypass logins. PCI DSS 6.2.4 requires software to prevent injection attacks.",
    severity: "critical",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-89"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Pass values as bound parameters: `pool.query('SELECT … WHERE id = ?', [id])`, pg `query({ text, values })`, knex/Sequelize bindings, or tagged `sql` templates that parameterise. Never build SQL text with `+` or template literals from request data; for identifiers (column, direction) map the input through a fixed allowlist.",
    references: [
      "https://owasp.org/www-community/attacks/SQL_Injection",
      "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/89.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, SQL),
});
