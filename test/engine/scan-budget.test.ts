/**
 * Hostile input at scale: however many distinct statements no dialect parses, however many
 * injection sinks, a scan's SQL parsing and attack simulation stop at their budgets, and what
 * they skipped is told with counts that add up. Work is counted in parser calls, never timed.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, scan } from "../../src/engine/index";
import { clearSqlCache, sqlCacheStats, sqlParseWork } from "../../src/engine/parse/sql";
import type { Notification } from "../../src/engine/types";

/** Distinct statements no dialect parses, all `length` characters long. */
function unparseable(prefix: string, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `SELECT ${prefix}${i} FROM WHERE x =`.padEnd(length - 1, " ") + "-");
}

/** The count a notification's message starts with ("1,234 SQL statements…", "…and 1,234 more"). */
function counted(n: Notification): number {
  const m = /^(?:…and )?([\d,]+) /.exec(n.message);
  return m ? Number(m[1]!.replace(/,/g, "")) : 1;
}

const sum = (notes: Notification[]) => notes.reduce((total, n) => total + counted(n), 0);

describe("a scan of hostile SQL at the largest allowed size", () => {
  it("parses until the scan's budget is spent, in .sql files without a chosen dialect, and accounts for every statement", { timeout: 60_000 }, async () => {
    const length = 40;
    const perFile = Math.floor(DEFAULT_LIMITS.maxFileBytes / (length + 2));
    const files = Array.from({ length: DEFAULT_LIMITS.maxScanBytes / DEFAULT_LIMITS.maxFileBytes }, (_, f) => ({
      path: `db/dump-${f}.sql`,
      content: unparseable(`c${f}_`, perFile, length).join(";\n"),
    }));
    clearSqlCache();
    const result = await scan({ files });
    expect(result.stats.filesScanned).toBe(files.length);

    // Every dialect tried is one parser call, paid for from the scan's budget, which ran out.
    const work = sqlCacheStats().misses * sqlParseWork(length);
    expect(work).toBeLessThanOrEqual(DEFAULT_LIMITS.maxScanSqlParseWork);
    expect(work).toBeGreaterThan(DEFAULT_LIMITS.maxScanSqlParseWork - 2 * sqlParseWork(length));

    const budget = result.notifications.filter((n) => n.code === "detector-budget");
    const unchecked = budget.filter((n) => n.message.includes("were not checked by the SQL rules"));
    const unparsed = budget.filter((n) => n.message.includes("were checked from their tokens only"));
    const failed = result.notifications.filter((n) => n.code === "sql-parse-error");
    expect(sum(unchecked)).toBe(files.length * perFile - DEFAULT_LIMITS.maxScanSqlStatements);
    expect(sum(unparsed) + sum(failed)).toBe(DEFAULT_LIMITS.maxScanSqlStatements);
    expect(budget.length).toBe(unchecked.length + unparsed.length);
    expect(result.notifications.length).toBeLessThan(60);
  });

  it("parses SQL strings in code until the file's budget is spent, one call per string", { timeout: 60_000 }, async () => {
    const length = 30;
    const strings = unparseable("s", Math.floor(DEFAULT_LIMITS.maxFileBytes / (length + 7)), length);
    clearSqlCache();
    const result = await scan(
      { files: [{ path: "src/queries.js", content: strings.map((q) => `q("${q}");`).join("\n") }] },
      { rules: { "sql-injection": "off" } },
    );
    const calls = sqlCacheStats().misses;
    expect(calls).toBe(Math.floor(DEFAULT_LIMITS.maxFileSqlParseWork / sqlParseWork(length)));
    const budget = result.notifications.filter((n) => n.code === "detector-budget");
    expect(budget.map((n) => [n.line, counted(n)])).toEqual([
      [DEFAULT_LIMITS.maxFileSqlStatements + 1, strings.length - DEFAULT_LIMITS.maxFileSqlStatements],
      [calls + 1, DEFAULT_LIMITS.maxFileSqlStatements - calls],
    ]);
  });
});

describe("attack simulation over a scan", () => {
  const sinks = (n: number) =>
    `app.get("/x", (req, res) => {\n${Array.from({ length: n }, (_, i) => `  db.query("SELECT * FROM t${i} WHERE name = '" + req.query.n + "'");`).join("\n")}\n});\n`;

  it("stops simulating when the scan's budget is spent, and counts every sink it left unproven", async () => {
    const files = [0, 1, 2].map((f) => ({ path: `src/routes-${f}.js`, content: sinks(10) }));
    const budget = 8 * sqlParseWork(60);
    const result = await scan(
      { files },
      { rules: Object.fromEntries(["card-number-in-source", "sql-write-without-where"].map((id) => [id, "off"])), limits: { maxScanSimulationWork: budget } },
    );
    const findings = result.findings.filter((f) => f.ruleId === "sql-injection");
    expect(findings).toHaveLength(30);
    const simulated = findings.filter((f) => f.proof).length;
    expect(simulated).toBeGreaterThan(0);
    expect(simulated).toBeLessThan(10);
    const skipped = result.notifications.filter((n) => n.code === "proof-budget");
    expect(skipped.map((n) => n.path)).toEqual(["src/routes-0.js", "src/routes-1.js", "src/routes-2.js"]);
    expect(sum(skipped)).toBe(30 - simulated);
  });
});

describe("findings over a scan", () => {
  const wipes = (f: number) => ({ path: `db/wipe-${f}.sql`, content: Array.from({ length: 5 }, (_, i) => `DELETE FROM t${i};`).join("\n") });

  it("stops listing findings of a severity at maxScanFindingsPerSeverity and counts, per file, the ones it did not list", async () => {
    const files = [0, 1, 2].map(wipes);
    const all = await scan({ files });
    expect(all.findings.map((f) => f.severity)).toEqual(Array(15).fill("low"));
    const capped = await scan({ files }, { limits: { maxScanFindingsPerSeverity: 7 } });
    expect(capped.findings.map((f) => f.location.path)).toEqual([...Array(5).fill("db/wipe-0.sql"), ...Array(2).fill("db/wipe-1.sql")]);
    const notes = capped.notifications.filter((n) => n.code === "finding-cap");
    expect(notes.map((n) => [n.path, counted(n)])).toEqual([
      ["db/wipe-1.sql", 3],
      ["db/wipe-2.sql", 5],
    ]);
  });

  it("never lets findings of one severity crowd out another's", async () => {
    const files = [wipes(0), wipes(1), { path: "db/grant.sql", content: "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';" }];
    const capped = await scan({ files }, { limits: { maxScanFindingsPerSeverity: 7 } });
    expect(capped.findings.filter((f) => f.severity === "low")).toHaveLength(7);
    expect(capped.findings.filter((f) => f.ruleId === "sql-overbroad-grant")).toHaveLength(1);
  });
});
