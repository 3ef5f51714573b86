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
import { closingParen, isOp, isWord, statementTokens, type SqlToken } from "../parse/sql-tokens";
import { createRule } from "../rule";

const WRITES = new Set(["INSERT", "UPDATE", "REPLACE", "MERGE", "UPSERT"]);

function nameOf(t: SqlToken): string {
  return t.kind === "quoted" ? t.value : t.text;
}

/** Column names of an INSERT's `(a, b, c)` list, by position, or [] when there is none. */
function insertColumns(tokens: readonly SqlToken[], from: number, to: number): string[] {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isWord(t, "VALUES") || isWord(t, "SELECT") || isWord(t, "SET")) return [];
    if (isOp(t, "(")) {
      const close = closingParen(tokens, i);
      const names: string[] = [];
      for (let k = i + 1; k < close; k++) {
        const c = tokens[k]!;
        if ((c.kind === "word" || c.kind === "quoted") && (isOp(tokens[k + 1], ",") || k + 1 === close)) names.push(nameOf(c));
      }
      return names;
    }
  }
  return [];
}

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
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://cwe.mitre.org/data/definitions/540.html",
      "https://docs.stripe.com/testing",
    ],
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
        let from = 0;
        for (let end = 0; end <= tokens.length; end++) {
          if (end < tokens.length && !isOp(tokens[end], ";")) continue;
          const first = tokens[from];
          if (first?.kind === "word" && WRITES.has(first.value)) {
            const columns = isWord(first, "INSERT") || isWord(first, "REPLACE") ? insertColumns(tokens, from + 1, end) : [];
            // Position inside each open parenthesis, so a VALUES literal knows its column in one pass.
            const positions: number[] = [];
            let inValues = false;
            for (let i = from + 1; i < end; i++) {
              const t = tokens[i]!;
              if (t.kind === "op") {
                if (t.value === "(") positions.push(0);
                else if (t.value === ")") positions.pop();
                else if (t.value === "," && positions.length > 0) positions[positions.length - 1]!++;
                continue;
              }
              if (isWord(t, "VALUES")) inValues = true;
              const literal = t.kind === "string" || t.kind === "number" || (t.kind === "quoted" && t.text.startsWith('"'));
              if (!literal || t.value.length < 12 || t.value.length > 23) continue;
              if (++candidates > ctx.limits.maxDetectorCandidates) {
                exhausted = true;
                ctx.notify("detector-budget", `Stopped checking SQL literals for card numbers after ${ctx.limits.maxDetectorCandidates} candidates.`);
                return;
              }
              const assigned = isOp(tokens[i - 1], "=") ? tokens[i - 2] : undefined;
              const column =
                assigned && (assigned.kind === "word" || assigned.kind === "quoted")
                  ? nameOf(assigned)
                  : inValues && positions.length === 1
                    ? (columns[positions[0]!] ?? "")
                    : "";
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
                  ? `${first.value} writes the published ${brand} test card number ${maskPan(card.digits)}${target}; keep test cards out of production data and migrations.`
                  : `${first.value} writes ${/^[AEIOU]/.test(brand) ? "an" : "a"} ${brand} card number ${maskPan(card.digits)}${target}: the PAN is stored in clear text and kept in the repository (PCI DSS 3.5.1).`,
                severity: card.testCard ? "info" : undefined,
                tags: card.testCard ? ["test-card"] : [],
                fingerprintKey: maskPan(card.digits),
              });
            }
          }
          from = end + 1;
        }
      },
    };
  },
});
