/**
 * sql-card-number-literal: an INSERT, UPDATE, REPLACE or MERGE that writes a card number
 * literal: seed data, fixtures or a one-off fix that puts a PAN into the database, and keeps a
 * copy of it in the repository. Each string or number literal of the statement is tested as a
 * whole value (detect/pan.ts: Luhn, brand and length, with the column name as context), and
 * the finding names the column it goes to. Published test card numbers are reported at "info".
 * More specific than the generic card-number-in-source finding at the same place.
 */
import { CARD_BRAND_NAMES, isCardNumber } from "../detect/pan";
import { maskPan } from "../mask";
import { statementTokens, writtenLiterals } from "../parse/sql-tokens";
import { createRule } from "../rule";

export default createRule({
  id: "sql-card-number-literal",
  meta: {
    title: "Card number written by a SQL statement",
    description:
      "An INSERT, UPDATE, REPLACE or MERGE writes a literal card number (PAN): the number is stored in the database in clear text and kept in the repository with the SQL. PCI DSS 3.5.1 requires stored PANs to be unreadable wherever they are stored.",
    severity: "critical",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-312", "CWE-540"],
    owasp: ["A04:2021", "A01:2021"],
    pci: ["3.5.1"],
    remediation:
      "Remove the card number from the SQL and from the repository history, and treat it as exposed (have the card replaced if it is real). Seed and test data should use tokens, or the payment provider's published test card numbers in a sandbox only; real card numbers enter the system only through the payment flow, tokenised.",
    references: ["https://cwe.mitre.org/data/definitions/312.html", "https://cwe.mitre.org/data/definitions/540.html", "https://docs.stripe.com/testing"],
    tags: ["pci-dss", "card-data", "pan"],
    languages: ["sql", "javascript", "typescript"],
    supersedes: ["card-number-in-source"],
  },
  create(ctx) {
    let candidates = 0;
    let exhausted = false;
    return {
      sql(statement) {
        if (exhausted || !/[0-9]{4}/.test(statement.text)) return;
        const tokens = statementTokens(statement);
        for (const { verb, token: t, column } of writtenLiterals(tokens, (t) => t.value.length >= 12 && t.value.length <= 23)) {
          if (++candidates > ctx.limits.maxDetectorCandidates) {
            exhausted = true;
            ctx.notify("detector-budget", `Stopped checking SQL literals for card numbers after ${ctx.limits.maxDetectorCandidates} candidates.`);
            return;
          }
          const card = isCardNumber(t.value, column || undefined);
          if (!card) continue;
          const start = statement.fileOffset(t.kind === "number" ? t.start : t.innerStart);
          const stop = statement.fileOffset(t.kind === "number" ? t.end : t.innerEnd);
          ctx.redact({ start, end: stop, kind: "pan" });
          const brand = CARD_BRAND_NAMES[card.brand];
          const target = column ? ` into column ${column}` : "";
          ctx.report({
            start,
            end: stop,
            message: card.testCard
              ? `${verb} writes the published ${brand} test card number ${maskPan(card.digits)}${target}; keep test cards out of production data and migrations.`
              : `${verb} writes ${/^[AEIOU]/.test(brand) ? "an" : "a"} ${brand} card number ${maskPan(card.digits)}${target}: the PAN is stored in clear text and kept in the repository (PCI DSS 3.5.1).`,
            severity: card.testCard ? "info" : undefined,
            tags: card.testCard ? ["test-card"] : [],
            fingerprintKey: maskPan(card.digits),
          });
        }
      },
    };
  },
});
