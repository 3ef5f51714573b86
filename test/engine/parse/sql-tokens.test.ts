import { describe, expect, it } from "vitest";
import { closingParen, tokenizeSql } from "../../../src/engine/parse/sql-tokens";

const kinds = (text: string, dialect?: Parameters<typeof tokenizeSql>[1]) => tokenizeSql(text, dialect).map((t) => `${t.kind}:${t.value}`);

describe("tokenizeSql", () => {
  it("upper-cases words, unquotes names and strings, and drops comments", () => {
    expect(kinds("select `Card No`, \"Pan\", [Cvv] -- x\nfrom t /* y */ where a = 'it''s'", "auto")).toEqual([
      "word:SELECT",
      "quoted:Card No",
      "op:,",
      "quoted:Pan",
      "op:,",
      "quoted:Cvv",
      "word:FROM",
      "word:T",
      "word:WHERE",
      "word:A",
      "op:=",
      "string:it's",
    ]);
  });

  it("keeps string prefixes with their string and resolves escapes by dialect", () => {
    expect(kinds("N'x', E'a\\'b', X'0F'", "postgresql")).toEqual(["string:x", "op:,", "string:a'b", "op:,", "string:0F"]);
    expect(kinds("'a\\'b'", "mysql")).toEqual(["string:a'b"]);
    expect(kinds("'C:\\' x", "postgresql")).toEqual(["string:C:\\", "word:X"]);
  });

  it("reads double quotes as strings in MySQL and BigQuery, as names elsewhere", () => {
    expect(kinds('"a"', "mysql")).toEqual(["string:a"]);
    expect(kinds('"a"', "bigquery")).toEqual(["string:a"]);
    expect(kinds('"a"', "postgresql")).toEqual(["quoted:a"]);
  });

  it("reads dollar-quoted bodies as one string, and $1 as a parameter", () => {
    const [body, , p1, , name] = tokenizeSql("$fn$ SELECT ';' $fn$, $1, a$b", "postgresql");
    expect(body).toMatchObject({ kind: "string", value: " SELECT ';' ", dollar: true, innerStart: 4, innerEnd: 16 });
    expect(p1).toMatchObject({ kind: "param", value: "$1" });
    expect(name).toMatchObject({ kind: "word", value: "A$B" });
  });

  it("reads variables, temp tables and multi-character operators", () => {
    expect(kinds("@v := @@x || #t :: int <> ?", "transactsql")).toEqual([
      "word:@V",
      "op::=",
      "word:@@X",
      "op:||",
      "word:#T",
      "op:::",
      "word:INT",
      "op:<>",
      "param:?",
    ]);
  });

  it("reads BigQuery triple-quoted strings", () => {
    expect(kinds("'''it's''' x", "bigquery")).toEqual(["string:it's", "word:X"]);
  });

  it("records offsets of each token and of a string's content", () => {
    const [, s] = tokenizeSql("x  'ab'");
    expect(s).toMatchObject({ start: 3, end: 7, innerStart: 4, innerEnd: 6, text: "'ab'" });
  });

  it("finds the matching parenthesis, or the end when there is none", () => {
    const t = tokenizeSql("f(a, (b), c) d");
    expect(closingParen(t, 1)).toBe(9);
    expect(closingParen(tokenizeSql("(("), 0)).toBe(2);
  });

  it("is linear on adversarial input", () => {
    expect(tokenizeSql("'".repeat(1_000_001)).length).toBe(1);
    expect(tokenizeSql("[".repeat(1_000_000)).length).toBe(1_000_000);
    expect(tokenizeSql("$".repeat(1_000_000), "postgresql").length).toBe(250_000);
    // "1e1" is a number; the rest, "e1e1…", one word.
    expect(tokenizeSql("1e".repeat(500_000)).length).toBe(2);
  });
});
