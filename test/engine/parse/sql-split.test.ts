/**
 * Statement splitting: terminators inside quotes, comments and bodies never split; MySQL
 * DELIMITER, T-SQL GO and BEGIN … END blocks are honoured; adversarial input stays linear.
 */
import { describe, expect, it } from "vitest";
import { splitSqlStatements, type SplitOptions } from "../../../src/engine/parse/sql-split";

const split = (text: string, options?: SplitOptions) => splitSqlStatements(text, options).map((s) => text.slice(s.start, s.end));

describe("splitSqlStatements", () => {
  it("splits at top-level semicolons and drops empty and comment-only statements", () => {
    expect(split("SELECT 1; SELECT 2;;\n;  -- only a comment\n/* and another */;")).toEqual(["SELECT 1", "SELECT 2"]);
  });

  it("gives spans from the first token to the last, without leading comments or the terminator", () => {
    const text = "-- header\n  /* c */ SELECT 1 -- trailing\n;";
    expect(splitSqlStatements(text)).toEqual([{ start: 20, end: 28 }]);
  });

  it("does not split inside quotes, including doubled and backslash-escaped quotes", () => {
    expect(split("SELECT 'a;b', 'it''s;', \"c;d\", `e;f`; SELECT 2")).toEqual(["SELECT 'a;b', 'it''s;', \"c;d\", `e;f`", "SELECT 2"]);
    expect(split("SELECT 'it\\'s; fine'; SELECT 2", { dialect: "mysql" })).toEqual(["SELECT 'it\\'s; fine'", "SELECT 2"]);
  });

  it("treats backslashes as ordinary characters in PostgreSQL standard strings, but not in E'' strings", () => {
    expect(split("SELECT 'C:\\'; SELECT 2", { dialect: "postgresql" })).toEqual(["SELECT 'C:\\'", "SELECT 2"]);
    expect(split("SELECT E'\\';'; SELECT 2", { dialect: "postgresql" })).toEqual(["SELECT E'\\';'", "SELECT 2"]);
  });

  it("does not split inside comments of any kind", () => {
    expect(split("SELECT 1 -- a; b\n+ 1; SELECT /* ; */ 2 # c; d\n; SELECT 3", { dialect: "mysql" })).toEqual([
      "SELECT 1 -- a; b\n+ 1",
      "SELECT /* ; */ 2",
      "SELECT 3",
    ]);
  });

  it("nests PostgreSQL block comments", () => {
    expect(split("SELECT /* a /* b; */ still; */ 1; SELECT 2", { dialect: "postgresql" })).toEqual(["SELECT /* a /* b; */ still; */ 1", "SELECT 2"]);
  });

  it("reads T-SQL #temp tables as names, not comments", () => {
    expect(split("SELECT * INTO #t FROM a; DROP TABLE #t; SELECT 1", { dialect: "transactsql" })).toEqual([
      "SELECT * INTO #t FROM a",
      "DROP TABLE #t",
      "SELECT 1",
    ]);
    expect(split("SELECT * INTO #t FROM a; DROP TABLE #t;\n# mysql comment; here\nSELECT 1")).toEqual(["SELECT * INTO #t FROM a", "DROP TABLE #t", "SELECT 1"]);
  });

  it("keeps PostgreSQL dollar-quoted bodies whole, with or without a tag", () => {
    const fn = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql";
    const tagged = "CREATE FUNCTION g() RETURNS text AS $body$ SELECT '$$;'; $body$ LANGUAGE sql";
    expect(split(`${fn};\n${tagged};\nSELECT $1, a$b FROM t; SELECT 2`)).toEqual([fn, tagged, "SELECT $1, a$b FROM t", "SELECT 2"]);
  });

  it("follows the MySQL client's DELIMITER directive", () => {
    const text =
      "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 3;\ndelimiter $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END $$\nDELIMITER ;";
    expect(split(text)).toEqual([
      "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END",
      "SELECT 3",
      "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END",
    ]);
  });

  it("keeps BEGIN … END blocks of routines written without DELIMITER together", () => {
    const proc = "CREATE PROCEDURE p()\nBEGIN\n  IF a THEN SELECT 1; END IF;\n  WHILE b DO SET b = b - 1; END WHILE;\n  SELECT CASE WHEN c THEN 1 END;\nEND";
    expect(split(`${proc};\nSELECT 4;`)).toEqual([proc, "SELECT 4"]);
  });

  it("keeps T-SQL TRY/CATCH and IF … BEGIN … END blocks together", () => {
    const block =
      "IF OBJECT_ID('t') IS NULL\nBEGIN\n  CREATE TABLE t (a INT);\n  BEGIN TRY\n    INSERT INTO t VALUES (1);\n  END TRY\n  BEGIN CATCH\n    SELECT 1;\n  END CATCH\nEND";
    expect(split(`${block};\nSELECT 2;`, { dialect: "transactsql" })).toEqual([block, "SELECT 2"]);
  });

  it("does not take transaction BEGINs or columns named begin for blocks", () => {
    expect(split("BEGIN;\nUPDATE t SET a = 1 WHERE id = 2;\nCOMMIT;\nBEGIN TRANSACTION;\nSELECT begin, x FROM t;\nSELECT 2;")).toEqual([
      "BEGIN",
      "UPDATE t SET a = 1 WHERE id = 2",
      "COMMIT",
      "BEGIN TRANSACTION",
      "SELECT begin, x FROM t",
      "SELECT 2",
    ]);
  });

  it("ends statements at T-SQL GO lines and runs a procedure body to its GO", () => {
    const text = "CREATE PROCEDURE dbo.p @a INT AS\nSELECT 1;\nSELECT 2;\nGO\nSELECT 3\ngo 2\nSELECT go_live FROM t -- GO\nGO -- end";
    expect(split(text)).toEqual(["CREATE PROCEDURE dbo.p @a INT AS\nSELECT 1;\nSELECT 2;", "SELECT 3", "SELECT go_live FROM t"]);
  });

  it("does not treat GO lines as separators when the user chose another dialect", () => {
    expect(split("SELECT 1\nGO\nSELECT 2", { dialect: "postgresql" })).toEqual(["SELECT 1\nGO\nSELECT 2"]);
  });

  it("runs an unterminated quote, comment or dollar body to the end of the file", () => {
    expect(split("SELECT 1; SELECT 'oops; SELECT 2;")).toEqual(["SELECT 1", "SELECT 'oops; SELECT 2;"]);
    expect(split("SELECT 1; /* never closed; SELECT 2;")).toEqual(["SELECT 1"]);
    expect(split("SELECT 1; SELECT $$ never closed; SELECT 2;")).toEqual(["SELECT 1", "SELECT $$ never closed; SELECT 2;"]);
  });

  describe("adversarial input finishes with sane results", () => {
    const MB = 1_000_000;
    it.each([
      ["1 MB of '", "'".repeat(MB), 1],
      ["1 MB of $", "$".repeat(MB), 1],
      ["1 MB of --", "--".repeat(MB / 2), 0],
      // "/*/" opens and closes a comment, so this is comments and "*" operators.
      ["1 MB of /*", "/*".repeat(MB / 2), 1],
      ["1 MB of '/* '", "/* ".repeat(MB / 3), 0],
      ["1 MB of ;", ";".repeat(MB), 0],
      ["1 MB of [ (auto)", "[".repeat(MB), 1],
      ["1 MB of \\", "\\".repeat(MB), 1],
      ["1 MB of 'a\\", "'a\\".repeat(MB / 3), 1],
      ["1 MB of $a$", "$a$".repeat(MB / 3), 1],
      ["1 MB of BEGIN", "BEGIN x ".repeat(MB / 8), 1],
      ["1 MB of CASE", "CASE ".repeat(MB / 5), 1],
      ["1 MB of GO lines", "GO\n".repeat(MB / 3), 0],
      ["1 MB of DELIMITER lines", "DELIMITER ;;\n".repeat(MB / 13), 0],
      ["1 MB of x;", "x;".repeat(MB / 2), MB / 2],
    ] as const)("%s", (_name, text, count) => {
      expect(splitSqlStatements(text).length).toBe(count);
    });

    it("a 1 MB line of spaces after GO", () => {
      expect(splitSqlStatements("SELECT 1\nGO" + " ".repeat(1_000_000) + "x\nSELECT 2").length).toBe(1);
    });
  });
});
