import { Parser } from "acorn";
import { describe, expect, it } from "vitest";
import type { JsNode } from "../../src/engine/parse/js";
import { SQL_HOLE } from "../../src/engine/parse/sql-statement";
import { candidateFileOffset, looksLikeSql, sqlCandidate } from "../../src/engine/sql-in-code";

/** The candidate for the first expression statement of `code`. */
function candidateOf(code: string) {
  const program = Parser.parse(code, { ecmaVersion: "latest" }) as unknown as JsNode;
  return sqlCandidate(program.body[0].expression.arguments[0], new Set());
}

describe("looksLikeSql", () => {
  it.each([
    "SELECT * FROM t",
    "  insert into t values (1)",
    "UPDATE users SET a = 1",
    "-- note\nCREATE TABLE t (a int)",
    "/* x */ GRANT ALL ON *.* TO u",
    "CREATE OR REPLACE FUNCTION f()",
    "ALTER ROLE app SUPERUSER",
  ])("%j is SQL", (text) => expect(looksLikeSql(text)).toBe(true));
  it.each(["Selected items", "Updated your settings", "short", "-- only a comment", "/* unclosed SELECT 1"])("%j is not", (text) =>
    expect(looksLikeSql(text)).toBe(false),
  );
  it("handles 1 MB of comment openers quickly", () => {
    expect(looksLikeSql("-- x\n".repeat(200_000))).toBe(false);
    expect(looksLikeSql("/**/".repeat(250_000))).toBe(false);
  });
});

describe("sqlCandidate offsets", () => {
  it("maps a plain string literal verbatim", () => {
    const code = 'q("SELECT card_number FROM t")';
    const c = candidateOf(code)!;
    const at = c.text.indexOf("card_number");
    expect(code.slice(candidateFileOffset(c, at), candidateFileOffset(c, at) + 11)).toBe("card_number");
  });

  it("maps across JS escapes and line continuations", () => {
    const code = 'q("SELECT \\x41,\\n\\u{1F600} \\\n card_number FROM t")';
    const c = candidateOf(code)!;
    expect(c.text).toBe("SELECT A,\n\u{1F600}  card_number FROM t");
    const at = c.text.indexOf("card_number");
    expect(code.slice(candidateFileOffset(c, at), candidateFileOffset(c, at) + 11)).toBe("card_number");
  });

  it("maps template literals around interpolations, and holes to their expression", () => {
    const code = "q(`UPDATE ${table} SET pan = ${value} WHERE id = 1`)";
    const c = candidateOf(code)!;
    expect(c.text).toBe(`UPDATE ${SQL_HOLE} SET pan = ${SQL_HOLE} WHERE id = 1`);
    expect(candidateFileOffset(c, c.text.indexOf("pan"))).toBe(code.indexOf("pan"));
    expect(candidateFileOffset(c, c.text.indexOf("WHERE"))).toBe(code.indexOf("WHERE"));
    expect(candidateFileOffset(c, c.text.indexOf(SQL_HOLE) + 3)).toBe(code.indexOf("table"));
  });

  it("maps + chains of literals and expressions", () => {
    const code = "q('DELETE FROM ' + name + \" WHERE id = ?\")";
    const c = candidateOf(code)!;
    expect(c.text).toBe(`DELETE FROM ${SQL_HOLE} WHERE id = ?`);
    expect(candidateFileOffset(c, c.text.indexOf("WHERE"))).toBe(code.indexOf("WHERE"));
  });

  it("ignores strings that do not start like SQL", () => {
    expect(candidateOf('q("Selecting a card")')).toBeNull();
    expect(candidateOf("q(x + 'SELECT 1 FROM t')")).toBeNull();
  });
});
