/**
 * The SQL part of per-file analysis: which statements reach `sql` listeners, in which dialect,
 * with which notifications, and where offsets inside them land in the file.
 */
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze-file";
import { DEFAULT_LIMITS } from "../../src/engine/limits";
import { clearSqlCache, fallbackOrder, sqlCacheStats, sqlParseWork } from "../../src/engine/parse/sql";
import type { SqlStatement } from "../../src/engine/parse/sql-statement";
import { createRule } from "../../src/engine/rule";
import { createSourceFile } from "../../src/engine/source";
import type { ScanLimits, SqlDialect } from "../../src/engine/types";

async function statementsOf(path: string, text: string, options: { dialect?: SqlDialect; limits?: Partial<ScanLimits> | ScanLimits } = {}) {
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
    // A whole ScanLimits object is passed as is: the files of one scan share it, and their budget.
    limits: isWhole(options.limits) ? options.limits : { ...DEFAULT_LIMITS, ...options.limits },
  });
  return { seen, notifications: outcome.notifications };
}

function isWhole(limits: Partial<ScanLimits> | ScanLimits | undefined): limits is ScanLimits {
  return limits !== undefined && Object.keys(DEFAULT_LIMITS).every((k) => k in limits);
}

/** `count` distinct statements that no dialect parses, each `length` characters long, one per line. */
function unparseable(count: number, length = 40): string[] {
  return Array.from({ length: count }, (_, i) => `SELECT c${i} FROM WHERE x =`.padEnd(length - 1, " ") + "-");
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

  it("stops parsing once the file's parse work is spent, counting each dialect tried, with one notice and its count", async () => {
    clearSqlCache();
    const lines = unparseable(200);
    const work = sqlParseWork(lines[0]!.length);
    const calls = 50; // the budget pays for 50 parser calls on these statements
    const { seen, notifications } = await statementsOf("db/dump.sql", lines.join(";\n"), { limits: { maxFileSqlParseWork: calls * work + work - 1 } });
    expect(sqlCacheStats().misses).toBe(calls);
    // Each statement was tried in every dialect, so the budget ran out inside statement 9.
    const tried = Math.ceil(calls / fallbackOrder("mysql").length);
    expect(seen.length).toBe(lines.length);
    expect(notifications.filter((n) => n.code === "sql-parse-error").length).toBe(tried);
    expect(notifications.filter((n) => n.code === "detector-budget").map((n) => [n.line, n.message.split(" SQL")[0]])).toEqual([
      [tried + 1, String(lines.length - tried)],
    ]);
  });

  it("hands at most maxFileSqlStatements statements to the SQL rules, with one notice and its count", async () => {
    const { seen, notifications } = await statementsOf("db/q.sql", "SELECT 1;\nSELECT 2;\nSELECT 3;\nSELECT 4;\nSELECT 5;", {
      limits: { maxFileSqlStatements: 3 },
    });
    expect(seen.map((s) => s.text)).toEqual(["SELECT 1", "SELECT 2", "SELECT 3"]);
    expect(notifications.map((n) => [n.code, n.line, n.message.split(" SQL")[0]])).toEqual([["detector-budget", 4, "2"]]);
  });

  it("shares the scan's statement and parse budgets among its files", async () => {
    clearSqlCache();
    const limits: ScanLimits = { ...DEFAULT_LIMITS, maxScanSqlStatements: 150, maxScanSqlParseWork: 40 * sqlParseWork(40) };
    const first = await statementsOf("db/a.sql", unparseable(100).join(";\n"), { dialect: "mysql", limits });
    const second = await statementsOf("db/b.sql", unparseable(100).join(";\n"), { dialect: "mysql", limits });
    expect(sqlCacheStats().misses).toBe(40);
    expect([first.seen.length, second.seen.length]).toEqual([100, 50]);
    expect(first.notifications.filter((n) => n.code === "detector-budget").map((n) => [n.line, n.message.split(" SQL")[0]])).toEqual([[41, "60"]]);
    expect(second.notifications.filter((n) => n.code === "detector-budget").map((n) => [n.line, n.message.split(" SQL")[0]])).toEqual([
      [51, "50"],
      [1, "50"],
    ]);
  });

  it("bounds the parse work of SQL strings in code as well", async () => {
    clearSqlCache();
    const code = unparseable(500, 30)
      .map((q) => `q("${q}");`)
      .join("\n");
    const limits = { maxFileSqlParseWork: 100 * sqlParseWork(30) };
    const { seen, notifications } = await statementsOf("src/q.js", code, { limits });
    expect(seen.length).toBe(500);
    // One dialect per string in code: one call each.
    expect(sqlCacheStats().misses).toBe(100);
    expect(notifications.map((n) => [n.code, n.line, n.message.split(" SQL")[0]])).toEqual([["detector-budget", 101, "400"]]);
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
