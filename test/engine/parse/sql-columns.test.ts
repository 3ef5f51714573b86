import { describe, expect, it } from "vitest";
import { columnDefinitions } from "../../../src/engine/parse/sql-columns";
import { parseSql } from "../../../src/engine/parse/sql";
import type { SqlStatement } from "../../../src/engine/parse/sql-statement";
import type { SqlDialect } from "../../../src/engine/types";

async function statement(text: string, dialect: SqlDialect, parse = true): Promise<SqlStatement> {
  const r = parse ? await parseSql(text, dialect, false) : null;
  return { text, origin: "sql-file", start: 0, end: text.length, dialect, ast: r?.ok ? r.ast : null, fileOffset: (i) => i };
}

const brief = (defs: ReturnType<typeof columnDefinitions>) =>
  defs.map((d) => `${d.table}.${d.name} ${d.dataType}${d.length === null ? "" : `(${d.length})`}${d.encrypted ? " encrypted" : ""}`);

describe("columnDefinitions", () => {
  it("reads CREATE TABLE columns with types and lengths, skipping keys and constraints", async () => {
    const text = "CREATE TABLE `shop`.`cards` (id INT NOT NULL, pan VARCHAR(19), PRIMARY KEY (id), KEY k (pan), CONSTRAINT c CHECK (id > 0), note TEXT)";
    for (const parse of [true, false]) {
      const defs = columnDefinitions(await statement(text, "mysql", parse));
      expect(brief(defs)).toEqual(["cards.id INT", "cards.pan VARCHAR(19)", "cards.note TEXT"]);
      expect(text.slice(defs[1]!.start, defs[1]!.end)).toBe("pan");
    }
  });

  it("reads ALTER TABLE ADD / MODIFY / CHANGE / ALTER COLUMN … TYPE", async () => {
    const text = "ALTER TABLE t ADD COLUMN a TEXT, ADD b CHAR(4), MODIFY COLUMN c VARCHAR(20), CHANGE d e BIGINT, ADD INDEX i (a), DROP COLUMN f";
    expect(brief(columnDefinitions(await statement(text, "mysql")))).toEqual(["t.a TEXT", "t.b CHAR(4)", "t.c VARCHAR(20)", "t.e BIGINT"]);
    expect(brief(columnDefinitions(await statement("ALTER TABLE ONLY s.t ALTER COLUMN x SET DATA TYPE character varying(30)", "postgresql", false)))).toEqual([
      "t.x CHARACTER VARYING(30)",
    ]);
  });

  it("reads T-SQL lists of columns after one ADD, bracketed names and Always Encrypted", async () => {
    const defs = columnDefinitions(
      await statement("ALTER TABLE dbo.C ADD [A] NVARCHAR(19) NULL, B CHAR(4) ENCRYPTED WITH (ENCRYPTION_TYPE = RANDOMIZED)", "transactsql", false),
    );
    expect(brief(defs)).toEqual(["C.A NVARCHAR(19)", "C.B CHAR(4) encrypted"]);
  });

  it("finds tables created inside a T-SQL IF … BEGIN block and several statements in one text", async () => {
    const text = "IF OBJECT_ID('x') IS NULL BEGIN CREATE TABLE x (a INT) END; CREATE TABLE y (\"B\" text)";
    expect(brief(columnDefinitions(await statement(text, "transactsql", false)))).toEqual(["x.a INT", "y.B TEXT"]);
  });

  it("returns nothing for statements that define no columns", async () => {
    for (const text of ["CREATE TABLE a AS SELECT * FROM b", "CREATE INDEX i ON t (pan)", "SELECT pan FROM cards", "GRANT CREATE TABLE TO app"]) {
      expect(columnDefinitions(await statement(text, "mysql", false))).toEqual([]);
    }
  });
});
