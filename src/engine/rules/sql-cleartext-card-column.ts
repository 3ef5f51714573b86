/**
 * sql-cleartext-card-column: a table column made to hold full card numbers as readable text.
 * PCI DSS 3.5.1 requires stored PANs to be unreadable; a `card_number VARCHAR(19)` column is
 * the schema-level evidence that they are not. Columns whose names show a token, a hash, an
 * encrypted value or a truncation (last four, BIN), binary columns (ciphertext), columns too
 * short for a PAN (`CHAR(4)`) and SQL Server Always Encrypted columns are left alone.
 */
import { panColumnConfidence } from "../detect/card-columns";
import { columnDefinitions, type ColumnDefinition } from "../parse/sql-columns";
import { createRule } from "../rule";

/** Type names that hold bytes, i.e. ciphertext or a hash, never a readable PAN. */
const BINARY = /^(?:BYTEA|BINARY|VARBINARY|BLOB|TINYBLOB|MEDIUMBLOB|LONGBLOB|IMAGE|BYTES|RAW|LONG RAW)\b/;
/** Exact numeric types wide enough for 12–19 digits. */
const WIDE_NUMBER = /^(?:BIGINT|INT8|INT64|DECIMAL|NUMERIC|NUMBER|BIGNUMERIC|DEC)\b/;
/** Shortest PAN (12-digit Maestro); anything narrower is a truncation such as last four or BIN. */
const MIN_PAN_LENGTH = 12;

/** Whether a column of this type could hold a full card number as readable characters or digits. */
export function canHoldReadablePan(column: Pick<ColumnDefinition, "dataType" | "length">): boolean {
  const type = column.dataType;
  if (type === "") return true; // SQLite columns without a type hold anything
  if (BINARY.test(type)) return false;
  const wideEnough = column.length === null || column.length >= MIN_PAN_LENGTH;
  // SQLite's affinity rule, which also covers VARCHAR2, NVARCHAR, CITEXT, CHARACTER VARYING…
  if (/CHAR|TEXT|CLOB|STRING/.test(type)) return wideEnough;
  if (WIDE_NUMBER.test(type)) return wideEnough;
  return false;
}

export default createRule({
  id: "sql-cleartext-card-column",
  meta: {
    title: "Card number stored in a plain-text database column",
    description:
      "A CREATE TABLE or ALTER TABLE defines a column for full card numbers (PAN) as readable text or digits. PCI DSS 3.5.1 requires every stored PAN to be rendered unreadable: tokenised, truncated, one-way hashed with a key, or strongly encrypted.",
    severity: "high",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-311", "CWE-312"],
    owasp: ["A04:2021"],
    pci: ["3.5.1"],
    remediation:
      "Do not keep the full PAN at all if you can avoid it: store the processor's token and, for display, the last four digits (`card_last4 CHAR(4)`). If the PAN must be stored, store ciphertext from an application- or database-level cipher with managed keys (e.g. `pan_encrypted BYTEA`, SQL Server Always Encrypted) and, for lookups, a keyed hash (HMAC) of the PAN in a separate column.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
    ],
    tags: ["pci-dss", "card-data", "schema"],
    languages: ["sql", "javascript", "typescript"],
  },
  create(ctx) {
    return {
      sql(statement) {
        for (const column of columnDefinitions(statement)) {
          const confidence = panColumnConfidence(column.name);
          if (!confidence || column.encrypted || !canHoldReadablePan(column)) continue;
          const where = column.table ? `${column.table}.${column.name}` : column.name;
          const type = column.typeText ? ` (${column.typeText})` : "";
          ctx.report({
            start: statement.fileOffset(column.start),
            end: statement.fileOffset(column.end),
            message: `Column ${where}${type} holds card numbers as readable ${column.dataType && WIDE_NUMBER.test(column.dataType) ? "digits" : "text"}. Store a token, a truncation or ciphertext instead (PCI DSS 3.5.1).`,
            confidence,
            fingerprintKey: where.toLowerCase(),
          });
        }
      },
    };
  },
});
