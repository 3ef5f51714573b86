import { describe, expect, it } from "vitest";
import { findDynamicSql } from "../../../src/engine/detect/dynamic-sql";
import { tokenizeSql } from "../../../src/engine/parse/sql-tokens";

const find = (sql: string) => findDynamicSql(tokenizeSql(sql), sql);
const params = (sql: string) => find(sql).findings.map((f) => `${f.parameter} via ${f.sink}`);

describe("findDynamicSql", () => {
  it("follows a parameter through variables to the statement that runs them", () => {
    const sql =
      "CREATE PROCEDURE p(IN a VARCHAR(9), IN n INT) BEGIN DECLARE v TEXT; SET v = CONCAT('SELECT * FROM t WHERE a = ', a, ' LIMIT ', n); SET @q = v; PREPARE s FROM @q; EXECUTE s; END";
    const [f] = find(sql).findings;
    expect(f).toMatchObject({ parameter: "a", sink: "PREPARE … FROM", routine: "p" });
    expect(sql.slice(f!.token.start, f!.token.end)).toBe("a");
    expect(sql.slice(f!.token.start - 3, f!.token.end)).toBe("', a");
  });

  it("ignores numeric, date and boolean parameters", () => {
    expect(params("CREATE PROCEDURE p(IN n BIGINT, IN d DATE, IN b BOOLEAN) BEGIN SET @q = CONCAT('SELECT ', n, d, b); PREPARE s FROM @q; END")).toEqual([]);
  });

  it("treats quoting functions and numeric casts as making a value safe", () => {
    for (const expr of [
      "QUOTE(a)",
      "quote_literal(a)",
      "quote_ident(a)",
      "QUOTENAME(a)",
      "CAST(a AS SIGNED)",
      "a::int",
      "LENGTH(a)",
      "REPLACE(a, '''', '''''')",
    ]) {
      expect(params(`CREATE PROCEDURE p(IN a TEXT) BEGIN SET @q = CONCAT('SELECT ', ${expr}); PREPARE s FROM @q; END`)).toEqual([]);
    }
  });

  it("flags format() only for %s placeholders", () => {
    const fn = (fmt: string) => `CREATE FUNCTION f(a text, b text) RETURNS void AS $$ BEGIN EXECUTE format('${fmt}', a, b); END $$ LANGUAGE plpgsql`;
    expect(params(fn("SELECT %I FROM t WHERE x = %L"))).toEqual([]);
    expect(params(fn("SELECT %I FROM t WHERE x = %s"))).toEqual(["b via EXECUTE"]);
    expect(params(fn("SELECT %2$s, %1$I %% x"))).toEqual(["b via EXECUTE"]);
  });

  it("sees CASE results but not CASE conditions, and not arithmetic or comparisons", () => {
    const body = (e: string) => `CREATE PROCEDURE dbo.p @a NVARCHAR(9) AS EXEC('SELECT ' + ${e})`;
    expect(params(body("CASE WHEN @a = 'x' THEN 'a' ELSE 'b' END"))).toEqual([]);
    expect(params(body("CASE WHEN 1 = 1 THEN @a END"))).toEqual(["@a via EXEC(…)"]);
    expect(params(body("LEN(@a) * 2"))).toEqual([]);
  });

  it("does not analyse statements that are not routines, nor execute bound parameters", () => {
    expect(params("SET @q = CONCAT('SELECT ', @a); PREPARE s FROM @q")).toEqual([]);
    expect(params("CREATE TABLE t (a TEXT)")).toEqual([]);
    expect(params("CREATE PROCEDURE dbo.p @a NVARCHAR(9) AS EXEC sp_executesql N'SELECT * FROM t WHERE a = @x', N'@x NVARCHAR(9)', @x = @a")).toEqual([]);
  });

  it("reports each pasted value once, however many statements run it", () => {
    expect(params("CREATE PROCEDURE p(IN a TEXT) BEGIN SET @q = CONCAT('SELECT ', a); PREPARE s FROM @q; PREPARE s2 FROM @q; END")).toEqual([
      "a via PREPARE … FROM",
    ]);
  });

  it("stops at its work budget, or at a long chain of variables, and says so", () => {
    const chain = (n: number) => {
      const sets = Array.from({ length: n }, (_, i) => `SET @v${i + 1} = CONCAT(@v${i}, 'x');`).join(" ");
      return `CREATE PROCEDURE p(IN a TEXT) BEGIN SET @v0 = a; ${sets} PREPARE s FROM @v${n}; END`;
    };
    const short = chain(30);
    expect(findDynamicSql(tokenizeSql(short), short)).toMatchObject({ findings: [{ parameter: "a" }], exhausted: false });
    expect(findDynamicSql(tokenizeSql(short), short, 20).exhausted).toBe(true);
    const long = chain(5000);
    expect(findDynamicSql(tokenizeSql(long), long)).toMatchObject({ findings: [], exhausted: true });
  });

  it("stays linear on deep nesting and long bodies", () => {
    const deep = `CREATE PROCEDURE p(IN a TEXT) BEGIN SET @q = ${"CONCAT(".repeat(20_000)}a${")".repeat(20_000)}; PREPARE s FROM @q; END`;
    expect(find(deep).findings).toEqual([]);
    const long = `CREATE PROCEDURE p(IN a TEXT) BEGIN ${"EXECUTE s; ".repeat(50_000)} END`;
    expect(find(long).findings).toEqual([]);
  });
});
