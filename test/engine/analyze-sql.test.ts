/**
 * The SQL part of per-file analysis: which statements reach `sql` listeners, in which dialect,
 * with which notifications, and where offsets inside them land in the file.
 */
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze-file";
import { DEFAULT_LIMITS } from "../../src/engine/limits";
import { clearSqlCache, SQL_PARSE_BUDGET_CHARS, sqlCacheStats } from "../../src/engine/parse/sql";
import type { SqlStatement } from "../../src/engine/parse/sql-statement";
import { createRule } from "../../src/engine/rule";
import { createSourceFile } from "../../src/engine/source";
import type { ScanLimits, SqlDialect } from "../../src/engine/types";

async function statementsOf(path: string, text: string, options: { dialect?: SqlDialect; limits?: Partial<ScanLimits> } = {}) {
  const seen: SqlStatement[] = [];
  const probe = createRule({
    id: "sql-probe",
    meta: {
      title: "probe",
      description: "Records SQL statements.",
      severity: "info",
      confidence: "high",
      category: "sql-audit",
      cwe: ["CWE-89"],
      owasp: ["A03:2021"],
      pci: ["6.2.4"],
      remediation: "none",
      references: ["https://example.com"],
      languages: ["sql", "javascript", "typescript"],
    },
    create: () => ({ sql: (s) => void seen.push(s) }),
  });
  const outcome = await analyzeFile(createSourceFile(path, text), [{ rule: probe, severity: "info" }], {
    dialect: options.dialect ?? "mysql",
    dialectFallback: options.dialect === undefined,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  });
  return { seen, notifications: outcome.notifications };
}

describe("SQL statements handed to rules", () => {
  it("splits .sql files, parses each statement in the first dialect that accepts it, and notes the ones none does", async () => {
    const text = "SELECT 1;\nSELECT a FROM t WHERE b ~* 'x';\nNOT SQL AT ALL;";
    const { seen, notifications } = await statementsOf("db/q.sql", text);
    expect(seen.map((s) => [s.text, s.dialect, s.ast !== null])).toEqual([
      ["SELECT 1", "mysql", true],
      ["SELECT a FROM t WHERE b ~* 'x'", "postgresql", true],
      ["NOT SQL AT ALL", "mysql", false],
    ]);
    expect(notifications.map((n) => [n.code, n.line, n.column])).toEqual([["sql-parse-error", 3, 1]]);
    expect(seen[1]!.fileOffset(seen[1]!.text.indexOf("~*"))).toBe(text.indexOf("~*"));
  });

  it("starts with the dialect the file evidently uses when none was chosen", async () => {
    clearSqlCache();
    const text = "CREATE TABLE a (id BIGSERIAL PRIMARY KEY, doc JSONB);\nSELECT doc->>'k' FROM a WHERE doc::text ILIKE '%x%';";
    const { seen } = await statementsOf("db/pg.sql", text);
    expect(seen.map((s) => s.dialect)).toEqual(["postgresql", "postgresql"]);
    // One parse per statement: nothing was tried in MySQL first.
    expect(sqlCacheStats().misses).toBe(2);
  });

  it("uses only the chosen dialect when the user picked one", async () => {
    const { seen, notifications } = await statementsOf("db/q.sql", "SELECT a FROM t WHERE b ILIKE 'x%'", { dialect: "mysql" });
    expect(seen[0]!.ast).toBeNull();
    expect(notifications[0]!.message).toMatch(/did not parse as mysql/);
  });

  it("hands over statements longer than maxSqlLength unparsed, with a notice", async () => {
    const { seen, notifications } = await statementsOf("db/q.sql", "SELECT 1;\nSELECT 'long long long';", { limits: { maxSqlLength: 12 } });
    expect(seen.map((s) => [s.text, s.ast !== null])).toEqual([
      ["SELECT 1", true],
      ["SELECT 'long long long'", false],
    ]);
    expect(notifications.map((n) => [n.code, n.line])).toEqual([["sql-too-long", 2]]);
  });

  it("stops parsing once the file's parse budget is spent, with one notice", async () => {
    const statement = `SELECT '${"x".repeat(60_000)}'`;
    const count = Math.ceil(SQL_PARSE_BUDGET_CHARS / statement.length) + 2;
    const text = Array.from({ length: count }, () => statement).join(";\n");
    const { seen, notifications } = await statementsOf("db/big.sql", text, { dialect: "mysql", limits: { maxSqlLength: 100_000 } });
    const parsed = seen.filter((s) => s.ast !== null).length;
    expect(parsed).toBe(Math.floor(SQL_PARSE_BUDGET_CHARS / statement.length));
    expect(seen.length).toBe(count);
    expect(notifications.map((n) => [n.code, n.line])).toEqual([["detector-budget", parsed + 1]]);
  });

  it("finds SQL strings in code, and lets $1 placeholders choose PostgreSQL when no dialect was chosen", async () => {
    const code = 'db.query("SELECT id FROM users WHERE email ILIKE $1", [e]);\ndb.query(`UPDATE users SET plan = ${plan}`);';
    const { seen, notifications } = await statementsOf("src/users.js", code);
    expect(seen.map((s) => [s.origin, s.dialect, s.ast !== null])).toEqual([
      ["js-string", "postgresql", true],
      ["js-string", "mysql", true],
    ]);
    expect(notifications).toEqual([]);
    expect(seen[1]!.fileOffset(seen[1]!.text.indexOf("plan ="))).toBe(code.indexOf("plan ="));
  });
});
