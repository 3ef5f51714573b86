/**
 * sql-sensitive-auth-data-column: a table column for card verification codes (CVV/CVC/CID),
 * PINs or PIN blocks, or magnetic-stripe track data. PCI DSS 3.3.1 forbids keeping sensitive
 * authentication data after authorisation at all, encrypted or not, so the column itself is
 * the defect: a name that says "encrypted" or "hash" does not excuse it. Columns that record
 * a check's outcome (`cvc_check`, `cvv_result CHAR(1)`) or a flag are left alone.
 */
import { sensitiveAuthColumn, type SensitiveAuthKind } from "../detect/card-columns";
import { columnDefinitions, type ColumnDefinition } from "../parse/sql-columns";
import { createRule } from "../rule";

const WHAT: Record<SensitiveAuthKind, { label: string; requirement: string }> = {
  cvv: { label: "card verification codes (CVV/CVC/CID)", requirement: "3.3.1.2" },
  pin: { label: "PINs or PIN blocks", requirement: "3.3.1.3" },
  track: { label: "magnetic-stripe track data", requirement: "3.3.1.1" },
};

/** Types that hold a flag or a one- or two-character result code, not the secret itself. */
function holdsOnlyAFlag(column: ColumnDefinition, kind: SensitiveAuthKind): boolean {
  if (/^(?:BOOLEAN|BOOL|BIT|ENUM)\b/.test(column.dataType)) return true;
  if (column.dataType === "TINYINT" && column.length === 1) return true;
  const shortest = kind === "cvv" ? 3 : kind === "pin" ? 4 : 8;
  return /CHAR|TEXT|STRING/.test(column.dataType) && column.length !== null && column.length < shortest;
}

export default createRule({
  id: "sql-sensitive-auth-data-column",
  meta: {
    title: "Database column for CVV, PIN or track data",
    description:
      "A CREATE TABLE or ALTER TABLE defines a column for sensitive authentication data: card verification codes, PINs or PIN blocks, or magnetic-stripe track data. PCI DSS 3.3.1 forbids storing these after authorisation, even encrypted.",
    severity: "critical",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-312"],
    owasp: ["A04:2021"],
    pci: ["3.3.1", "3.3.1.1", "3.3.1.2", "3.3.1.3"],
    remediation:
      "Drop the column and the data in it. Pass the CVV, PIN block or track data straight to the payment processor during authorisation and never write it to a database, cache, queue or log. Keep only the processor's verification result (for example `cvc_check`), which is not sensitive.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://www.pcisecuritystandards.org/document_library/",
    ],
    tags: ["pci-dss", "card-data", "sensitive-authentication-data", "schema"],
    languages: ["sql", "javascript", "typescript"],
  },
  create(ctx) {
    return {
      sql(statement) {
        for (const column of columnDefinitions(statement)) {
          const kind = sensitiveAuthColumn(column.name, column.table);
          if (!kind || holdsOnlyAFlag(column, kind)) continue;
          const where = column.table ? `${column.table}.${column.name}` : column.name;
          const { label, requirement } = WHAT[kind];
          ctx.report({
            start: statement.fileOffset(column.start),
            end: statement.fileOffset(column.end),
            message: `Column ${where} stores ${label}, which must not be kept after authorisation, even encrypted (PCI DSS ${requirement}).`,
            tags: [kind],
            fingerprintKey: where.toLowerCase(),
          });
        }
      },
    };
  },
});
