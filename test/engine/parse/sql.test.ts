/**
 * node-sql-parser behind the engine: dialect builds loaded on demand, fallback across dialects,
 * errors as values, and the bounded parse cache. Also prints (does not assert) parse timings.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearSqlCache,
  fallbackOrder,
  guessSqlDialect,
  parseSql,
  parseSqlIn,
  loadSqlParser,
  SQL_CACHE_LIMITS,
  SQL_FALLBACK_MAX_CHARS,
  sqlCacheSize,
  sqlCacheStats,
  sqlParseWork,
} from "../../../src/engine/parse/sql";

beforeEach(() => clearSqlCache());

describe("parseSql", () => {
  it("parses in the preferred dialect", async () => {
    const r = (await parseSql("SELECT id FROM users WHERE email = 'a@b.c'", "mysql", false))!;
    expect(r.ok && r.dialect).toBe("mysql");
    expect(r.ok && r.ast[0].type).toBe("select");
  });

  it("falls back to the dialect that parses when allowed", async () => {
    // ILIKE is PostgreSQL's; MySQL rejects it.
    const sql = "SELECT id FROM users WHERE email ILIKE 'a%'";
    const strict = (await parseSql(sql, "mysql", false))!;
    expect(strict.ok).toBe(false);
    const loose = (await parseSql(sql, "mysql", true))!;
    expect(loose.ok && loose.dialect).toBe("postgresql");
  });

  it("reports the preferred dialect's error when nothing parses, without throwing", async () => {
    const r = (await parseSql("SELEC broken (", "postgresql", true))!;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.length).toBeGreaterThan(0);
      expect(r.line).toBe(1);
    }
  });

  it("does not take T-SQL's reading of bare words as variable assignments for a parse", async () => {
    const r = (await parseSql("hello world", "transactsql", false))!;
    expect(r.ok).toBe(false);
    const grant = (await parseSql("GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'", "mysql", true))!;
    expect(grant.ok).toBe(false);
  });

  it("survives nesting deep enough to overflow the parser's stack", async () => {
    const sql = "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000);
    const r = (await parseSql(sql, "mysql", false))!;
    expect(r.ok).toBe(false);
  });

  it("tries only the preferred dialect for statements longer than the fallback limit", async () => {
    const sql = "SELEC " + "x ".repeat(SQL_FALLBACK_MAX_CHARS);
    await parseSql(sql, "mysql", true);
    expect(sqlCacheStats().misses).toBe(1);
    clearSqlCache();
    await parseSql("SELEC x", "mysql", true);
    expect(sqlCacheStats().misses).toBe(fallbackOrder("mysql").length);
  });

  it("pays for each dialect it tries, and stops the fallback at the first call it cannot pay for", async () => {
    const paid: number[] = [];
    const payTwice = (work: number) => paid.length < 2 && paid.push(work) > 0;
    const r = await parseSql("SELEC x", "mysql", true, payTwice);
    expect(r?.ok).toBe(false);
    expect(paid).toEqual([sqlParseWork(7), sqlParseWork(7)]);
    expect(sqlCacheStats().misses).toBe(2);
    expect(await parseSql("SELECT 1", "mysql", true, () => false)).toBeNull();
    expect(sqlCacheStats().misses).toBe(2);
  });

  it("orders the fallback with the preferred dialect first and each dialect once", () => {
    expect(fallbackOrder("postgresql")).toEqual(["postgresql", "mysql", "sqlite", "mariadb", "transactsql", "bigquery"]);
  });
});

describe("guessSqlDialect", () => {
  it.each([
    ["CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", "postgresql"],
    ["CREATE TABLE t (id BIGSERIAL, doc JSONB)", "postgresql"],
    ["CREATE TABLE t (id INT IDENTITY(1,1), name NVARCHAR(50))\nGO", "transactsql"],
    ["CREATE TABLE t (id INT AUTO_INCREMENT) ENGINE=InnoDB", "mysql"],
    ["DELIMITER //\nCREATE PROCEDURE p() BEGIN END//", "mysql"],
    ["CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)", "sqlite"],
    ["CREATE TABLE `proj.ds.t` (n INT64)", "bigquery"],
    ["SELECT 1", null],
    ["CREATE TABLE a (id BYTEA); CREATE TABLE b (id INT AUTO_INCREMENT)", null],
  ] as const)("%j → %s", (text, dialect) => {
    expect(guessSqlDialect(text)).toBe(dialect);
  });

  it("is quick on adversarial text", () => {
    expect(guessSqlDialect(" ".repeat(1_000_000) + "x")).toBeNull();
    expect(guessSqlDialect("$".repeat(1_000_000))).toBe("postgresql");
    expect(guessSqlDialect("`a.".repeat(300_000))).toBeNull();
  });
});

describe("parse cache", () => {
  it("answers the same (dialect, text) from the cache with the same result", async () => {
    await loadSqlParser("mysql");
    await loadSqlParser("sqlite");
    const a = parseSqlIn("SELECT 1", "mysql");
    const b = parseSqlIn("SELECT 1", "mysql");
    expect(b).toBe(a);
    expect(sqlCacheStats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
    const c = parseSqlIn("SELECT 1", "sqlite");
    expect(c).not.toBe(a);
    expect(sqlCacheStats()).toMatchObject({ entries: 2, hits: 1, misses: 2 });
  });

  it("caches failures too", async () => {
    await loadSqlParser("mysql");
    const a = parseSqlIn("NOT SQL AT ALL", "mysql");
    expect(parseSqlIn("NOT SQL AT ALL", "mysql")).toBe(a);
    expect(sqlCacheStats().hits).toBe(1);
  });

  it("keeps at most SQL_CACHE_LIMITS.entries entries, evicting the least recently used", async () => {
    await loadSqlParser("mysql");
    const first = parseSqlIn("SELECT 0", "mysql");
    for (let i = 1; i < SQL_CACHE_LIMITS.entries; i++) parseSqlIn(`SELECT ${i}`, "mysql");
    expect(sqlCacheSize()).toBe(SQL_CACHE_LIMITS.entries);
    // Touch the oldest entry, then add one more: the second oldest goes instead.
    expect(parseSqlIn("SELECT 0", "mysql")).toBe(first);
    parseSqlIn("SELECT 'one more'", "mysql");
    expect(sqlCacheSize()).toBe(SQL_CACHE_LIMITS.entries);
    expect(parseSqlIn("SELECT 0", "mysql")).toBe(first);
    const missesBefore = sqlCacheStats().misses;
    parseSqlIn("SELECT 1", "mysql");
    expect(sqlCacheStats().misses).toBe(missesBefore + 1);
  });

  it("keeps the characters it holds under SQL_CACHE_LIMITS.chars and skips statements larger than that", async () => {
    await loadSqlParser("mysql");
    const big = (i: number) => `SELECT '${String(i).padStart(4, "0")}${"x".repeat(20_000)}'`;
    for (let i = 0; i < 20; i++) parseSqlIn(big(i), "mysql");
    const stats = sqlCacheStats();
    expect(stats.chars).toBeLessThanOrEqual(SQL_CACHE_LIMITS.chars);
    expect(stats.entries).toBe(Math.floor(SQL_CACHE_LIMITS.chars / big(0).length));
    clearSqlCache();
    parseSqlIn(`SELECT '${"y".repeat(SQL_CACHE_LIMITS.chars)}'`, "mysql");
    expect(sqlCacheStats().entries).toBe(0);
  });

  it("times typical statements, cold and cached (printed, not asserted)", async () => {
    const statements = {
      select: "SELECT id, name FROM users WHERE email = 'a@b.c' AND active = 1",
      join: "SELECT u.id, o.total FROM users u JOIN orders o ON o.user_id = u.id LEFT JOIN payments p ON p.order_id = o.id WHERE u.id = 5 ORDER BY o.created_at DESC LIMIT 10",
      createTable:
        "CREATE TABLE payments (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, card_token VARCHAR(64) NOT NULL, card_last4 CHAR(4) NOT NULL, amount DECIMAL(12,2) NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
      update: "UPDATE users SET active = 0 WHERE id = 7",
    };
    const lines: string[] = [];
    for (const dialect of ["mysql", "postgresql"] as const) {
      await loadSqlParser(dialect);
      for (const [name, sql] of Object.entries(statements)) {
        parseSqlIn(sql + " ", dialect); // warm the JIT on a different text
        const runs = 200;
        let t0 = performance.now();
        for (let i = 0; i < runs; i++) parseSqlIn(`${sql} /* ${i} */`, dialect);
        const cold = (performance.now() - t0) / runs;
        t0 = performance.now();
        for (let i = 0; i < runs; i++) parseSqlIn(`${sql} /* ${i} */`, dialect);
        const cached = (performance.now() - t0) / runs;
        lines.push(`${dialect.padEnd(10)} ${name.padEnd(11)} parse ${cold.toFixed(3)} ms, cached ${(cached * 1000).toFixed(1)} µs`);
      }
    }
    console.log(lines.join("\n"));
    expect(lines.length).toBe(8);
  });
});
