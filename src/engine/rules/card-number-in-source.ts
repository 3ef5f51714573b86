/**
 * card-number-in-source: a payment card number (PAN) written in a file: code, config, fixtures,
 * SQL or logs, plain, grouped or hidden behind base64/hex/URL/HTML/JS escapes. A real PAN in
 * a repository is stored cardholder data in clear text (PCI DSS 3.5.1) that every clone and
 * log of the repository copies again.
 *
 * Severity: high; critical where the number is evidently data rather than an example: in a
 * log file (a leak that already happened) or inside a statement of a .sql file that writes
 * rows (INSERT/UPDATE/REPLACE/MERGE/COPY: a dump or seed loading real cards; this also covers
 * statements too long for the SQL parser, where sql-card-number-literal cannot look).
 * Published test card numbers (Stripe, PayPal, Adyen, Braintree/Cybersource) are reported as
 * `info`, tagged `test-card`. Every number found is masked in snippets, test cards included.
 */
import { cardDataOf, isLogPath } from "../detect/file-card-data";
import { CARD_BRAND_NAMES, ENCODING_LABELS, type CardNumberMatch } from "../detect/pan";
import { maskPan } from "../mask";
import { splitSqlStatements } from "../parse/sql-split";
import { createRule } from "../rule";

/** First words of statements that write rows. */
const WRITES_ROWS = new Set(["INSERT", "UPDATE", "REPLACE", "MERGE", "UPSERT", "COPY"]);

/** "Visa card number 411111******1111", with "base64-encoded " in front when it was hidden. */
function describeCard(card: CardNumberMatch): string {
  const encoding = ENCODING_LABELS[card.encoding];
  return `${encoding ? encoding + " " : ""}${CARD_BRAND_NAMES[card.brand]} card number ${maskPan(card.digits)}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export default createRule({
  id: "card-number-in-source",
  meta: {
    title: "Payment card number in source",
    description:
      "A payment card number (PAN) that passes the Luhn check and matches a card brand's prefix and length is written in the file, plainly, in digit groups or encoded (base64, hex, URL, HTML or JS escapes). Stored PAN must be unreadable (PCI DSS 3.5.1).",
    severity: "high",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-540", "CWE-312"],
    owasp: ["A01:2021", "A04:2021"],
    pci: ["3.5.1", "3.4.1"],
    remediation:
      "Remove the card number from the file and from the repository history (rewrite history or treat the number as compromised and have it reissued). For tests, use your payment provider's published test card numbers; for real payments, keep only a processor token or the masked number (first six and last four digits at most).",
    references: [
      "https://cwe.mitre.org/data/definitions/540.html",
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
      "https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0_1.pdf",
    ],
    tags: ["pci-dss", "card-data", "pan"],
    languages: ["javascript", "typescript", "sql", "text"],
  },
  create(ctx) {
    return {
      text() {
        const cards = cardDataOf(ctx).cards;
        for (const card of cards) ctx.redact({ start: card.start, end: card.end, kind: "pan" });
        if (cards.length === 0) return;
        const inLog = isLogPath(ctx.file.path);
        const writeStatements: Array<{ start: number; end: number }> = [];
        if (ctx.file.language === "sql" && cards.some((c) => !c.testCard)) {
          for (const span of splitSqlStatements(ctx.file.text)) {
            const first = /^[A-Za-z]+/.exec(ctx.file.text.slice(span.start, span.start + 8))?.[0]?.toUpperCase();
            if (first && WRITES_ROWS.has(first)) writeStatements.push(span);
          }
        }
        for (const card of cards) {
          const what = describeCard(card);
          const tags = card.encoding === "plain" ? [] : [card.encoding];
          if (card.testCard) {
            ctx.report({
              start: card.start,
              end: card.end,
              severity: "info",
              confidence: "high",
              tags: [...tags, "test-card"],
              message: `${capitalize(what)} is a published test card (${card.testCardProviders.join(", ")}), not cardholder data; listed for information only.`,
              fingerprintKey: maskPan(card.digits),
            });
            continue;
          }
          const inWrite = writeStatements.some((s) => card.start >= s.start && card.end <= s.end);
          const where = inLog ? " in a log file" : inWrite ? " in a SQL statement that writes rows" : "";
          ctx.report({
            start: card.start,
            end: card.end,
            ...(inLog || inWrite ? { severity: "critical" as const } : {}),
            confidence: card.weak ? "medium" : "high",
            tags: [...tags, ...(inLog ? ["log"] : []), ...(inWrite ? ["sql-data"] : [])],
            message: `${capitalize(what)} is stored in clear text${where}. Stored card numbers must be unreadable (PCI DSS 3.5.1).`,
            fingerprintKey: maskPan(card.digits),
          });
        }
      },
    };
  },
});
