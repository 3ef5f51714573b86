/**
 * sql-write-without-where: an UPDATE or DELETE with no WHERE clause (and no LIMIT/TOP or join
 * condition) changes or removes every row of its table. In application code that is almost
 * always a bug or a missing filter built elsewhere; against cardholder-data tables it destroys
 * the integrity the rest of the controls protect. Intentional whole-table writes are left
 * alone where they are recognisable: a backfill of a table the same file creates or alters (a
 * migration), a DELETE followed by re-inserting the table's rows (a seed reload), and database
 * resets in test files. Strings in code whose holes could carry the WHERE clause are skipped.
 */
import { isOp, isWord, statementRanges, statementTokens, type SqlToken } from "../parse/sql-tokens";
import { SQL_HOLE, type SqlStatement } from "../parse/sql-statement";
import { createRule } from "../rule";

const HOLE = SQL_HOLE.toUpperCase();
/** Depth-0 words that bound the rows a write touches. */
const BOUNDING = new Set(["WHERE", "LIMIT", "TOP", "JOIN", "FETCH"]);
/** Tokens after which an interpolated hole is a value, not a clause. */
const VALUE_BEFORE = new Set([
  "=",
  ",",
  "(",
  "+",
  "-",
  "*",
  "/",
  "||",
  "<",
  ">",
  "<=",
  ">=",
  "<>",
  "!=",
  "AND",
  "OR",
  "LIKE",
  "IN",
  "IS",
  "NOT",
  "THEN",
  "ELSE",
  "WHEN",
  "BETWEEN",
]);
const TEST_PATH = /(?:^|\/)(?:test|tests|__tests__|spec|specs|e2e)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/i;

interface Write {
  kind: "UPDATE" | "DELETE";
  keyword: SqlToken;
  table: string;
  statement: SqlStatement;
  confidence: "high" | "medium";
  order: number;
}

/** Last part of the (possibly qualified) table name at i, lower-case, or "". */
function tableAt(tokens: readonly SqlToken[], i: number): string {
  while (tokens[i]?.kind === "word" && ["ONLY", "LOW_PRIORITY", "IGNORE", "QUICK", "FROM", "INTO", "TABLE", "IF", "NOT", "EXISTS"].includes(tokens[i]!.value))
    i++;
  let j = i;
  while (isOp(tokens[j + 1], ".") && tokens[j + 2]) j += 2;
  const t = tokens[j];
  return t && (t.kind === "word" || t.kind === "quoted") ? t.value.toLowerCase().split(".").pop()! : "";
}

/** The UPDATE/DELETE keyword of a statement (after any WITH … AS (…) prefix), or -1. */
function dmlKeyword(tokens: readonly SqlToken[], from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")")) depth--;
    else if (depth === 0 && (isWord(t, "UPDATE") || isWord(t, "DELETE"))) return i === from || isWord(tokens[from], "WITH") ? i : -1;
    else if (i === from && !isWord(t, "WITH")) return -1;
  }
  return -1;
}

/** Whether the write in tokens[at, to) is bounded, or cannot be judged (a hole might hold the clause). */
function boundedOrUnknown(tokens: readonly SqlToken[], at: number, to: number): boolean {
  let depth = 0;
  for (let i = at + 1; i < to; i++) {
    const t = tokens[i]!;
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")")) depth--;
    else if (t.kind === "word" && t.value === HOLE) {
      const before = tokens[i - 1];
      if (!before || !VALUE_BEFORE.has(before.value)) return true;
    } else if (depth === 0 && t.kind === "word" && BOUNDING.has(t.value)) return true;
  }
  return false;
}

/** UI text such as "Delete from cart" is not SQL: keywords written in code are all upper or all lower case. */
function writtenLikeSql(keyword: SqlToken): boolean {
  return keyword.text === keyword.text.toUpperCase() || keyword.text === keyword.text.toLowerCase();
}

export default createRule({
  id: "sql-write-without-where",
  meta: {
    title: "UPDATE or DELETE without a WHERE clause",
    description:
      "An UPDATE or DELETE has no WHERE clause, LIMIT or join condition, so it rewrites or removes every row of its table. In application code this is usually a missing filter; on cardholder-data tables it is an integrity failure that no other control undoes.",
    severity: "low",
    confidence: "high",
    category: "sql-audit",
    cwe: ["CWE-840"],
    owasp: ["A04:2021"],
    pci: ["6.2.4"],
    remediation:
      "Add the WHERE clause that selects the intended rows (and a test that checks how many rows change). If every row really must change, say so: use TRUNCATE, or an explicit `WHERE true`/`WHERE 1 = 1` with a comment, in a reviewed migration rather than application code.",
    references: [
      "https://cwe.mitre.org/data/definitions/840.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://dev.mysql.com/doc/refman/8.0/en/mysql-tips.html#safe-updates",
    ],
    tags: ["data-integrity"],
    languages: ["sql", "javascript", "typescript"],
  },
  create(ctx) {
    if (ctx.file.language !== "sql" && TEST_PATH.test(ctx.file.path)) return {};
    const changedTables = new Set<string>();
    const insertedAfter = new Map<string, number>();
    const writes: Write[] = [];
    let order = 0;
    return {
      sql(statement) {
        const tokens = statementTokens(statement);
        for (const [from, to] of statementRanges(tokens)) {
          order++;
          const first = tokens[from]!;
          if (isWord(first, "CREATE") || isWord(first, "ALTER")) {
            const t = tokens.slice(from, Math.min(to, from + 8)).findIndex((x) => isWord(x, "TABLE"));
            if (t !== -1) changedTables.add(tableAt(tokens, from + t + 1));
            continue;
          }
          if (isWord(first, "INSERT") || isWord(first, "REPLACE") || isWord(first, "COPY")) {
            insertedAfter.set(tableAt(tokens, from + 1), order);
            continue;
          }
          const at = dmlKeyword(tokens, from, to);
          if (at === -1) continue;
          const keyword = tokens[at]!;
          if (statement.origin === "js-string" && (!statement.ast || !writtenLikeSql(keyword))) continue;
          if (boundedOrUnknown(tokens, at, to)) continue;
          const kind = keyword.value as Write["kind"];
          const table = tableAt(tokens, at + 1);
          // A backfill right after the migration that created or altered the table.
          if (kind === "UPDATE" && changedTables.has(table)) continue;
          writes.push({ kind, keyword, table, statement, confidence: statement.ast ? "high" : "medium", order });
        }
      },
      end() {
        for (const w of writes) {
          // DELETE then INSERT of the same table: a seed or reference-data reload.
          if (w.kind === "DELETE" && (insertedAfter.get(w.table) ?? 0) > w.order) continue;
          const name = w.table || "the table";
          ctx.report({
            start: w.statement.fileOffset(w.keyword.start),
            end: w.statement.fileOffset(w.keyword.end),
            message:
              w.kind === "UPDATE"
                ? `UPDATE of ${name} has no WHERE clause: it rewrites every row.`
                : `DELETE from ${name} has no WHERE clause: it removes every row.`,
            confidence: w.confidence,
            fingerprintKey: `${w.kind}:${w.table}`,
          });
        }
      },
    };
  },
});
