import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createSqlProver, type SqlStructure } from "../../../src/engine/simulator/sql";
import type { Prover } from "../../../src/engine/simulator/prover";

const hole = (label = "req.query.id") => ({ hole: label });

async function changes(benign: string, attack: string, prover?: Prover<SqlStructure>) {
  const p = prover ?? (await createSqlProver("mysql"));
  const b = p.analyze(benign);
  const a = p.analyze(attack);
  if (!b.ok || !a.ok) throw new Error("fixture does not parse");
  return p.compare(b.structure, a.structure);
}

describe("SQL prover through prove()", () => {
  it("proves a tautology through a quoted string", async () => {
    const proof = await prove("sql", templateOf("SELECT * FROM users WHERE name = '", hole("req.query.name"), "'"));
    expect(proof).toMatchObject({
      kind: "sql",
      verdict: "proven",
      payload: "' OR '1'='1",
      benign: {
        input: "alice",
        rendered: "SELECT * FROM users WHERE name = 'alice'",
        structure: "1 statement: SELECT * FROM users WHERE (name = <value>)",
      },
      attack: {
        input: "' OR '1'='1",
        rendered: "SELECT * FROM users WHERE name = '' OR '1'='1'",
        structure: "1 statement: SELECT * FROM users WHERE ((name = <value>) OR (<value> = <value>))",
      },
      parser: { name: "node-sql-parser", version: "5.4.0", dialect: "mysql" },
    });
    expect(proof!.evidence).toContain("The WHERE condition is now always true: ((name = '') OR ('1' = '1'))");
    expect(proof!.evidence).toContain("req.query.name, inside a single-quoted SQL string");
  });

  it("prefers the payload that makes a login query always true and cuts off the password check", async () => {
    const proof = await prove("sql", templateOf("SELECT id FROM users WHERE email = '", hole("req.body.email"), "' AND password_hash = '", hole("hash"), "'"));
    expect(proof!.verdict).toBe("proven");
    // "' OR '1'='1" alone would leave "AND password_hash = ..." in force; the comment form does not.
    expect(proof!.payload).toBe("' OR 1=1-- ");
    expect(proof!.evidence).toContain("always true");
    expect(proof!.evidence).toContain("the condition (password_hash = <value>) was cut off");
    expect(proof!.benign.structure).not.toBe(proof!.attack.structure);
  });

  it("proves a stacked statement through ORDER BY", async () => {
    const proof = await prove("sql", templateOf("SELECT * FROM orders ORDER BY ", hole("req.query.sort"), " LIMIT 10"));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe("id; DROP TABLE users-- ");
    expect(proof!.evidence).toMatch(/^The payload stacked a new statement: DROP TABLE users \(payload in req\.query\.sort, in ORDER BY\)\.$/);
    expect(proof!.benign.structure).toBe("1 statement: SELECT * FROM orders ORDER BY id LIMIT <value>");
    expect(proof!.attack.structure).toBe("2 statements: SELECT * FROM orders ORDER BY id; DROP TABLE users");
  });

  it("proves a numeric hole", async () => {
    const proof = await prove("sql", templateOf("DELETE FROM sessions WHERE user_id = ", hole()));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe("1 OR 1=1");
    expect(proof!.attack.rendered).toBe("DELETE FROM sessions WHERE user_id = 1 OR 1=1");
    expect(proof!.evidence).toContain("The WHERE condition is now always true");
  });

  it("closes an IN list before injecting", async () => {
    const proof = await prove("sql", templateOf("SELECT * FROM items WHERE id IN (", hole(), ")"));
    expect(proof!.payload).toBe("1) OR 1=1-- ");
    expect(proof!.verdict).toBe("proven");
  });

  it("parses in the requested dialect", async () => {
    const proof = await prove("sql", templateOf('SELECT * FROM "accounts" WHERE email = \'', hole(), "'"), { dialect: "postgresql" });
    expect(proof!.parser).toEqual({ name: "node-sql-parser", version: "5.4.0", dialect: "postgresql" });
    expect(proof!.verdict).toBe("proven");
  });

  it("proves a stacked statement when the whole query comes from the request", async () => {
    const proof = await prove("sql", templateOf(hole("req.body.query")));
    expect(proof!.benign.rendered).toBe("SELECT 1");
    expect(proof!.attack.structure).toBe("2 statements: SELECT <value>; DROP TABLE users");
    expect(proof!.verdict).toBe("proven");
  });

  it("is not proven when the benign rendering does not parse", async () => {
    const proof = await prove("sql", templateOf("Hello ", hole("user.name"), ", welcome back"));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toMatch(/^benign rendering does not parse: /);
    expect(proof!.benign.structure).toMatch(/^does not parse: /);
  });

  it("is not proven when every breakout from a block comment fails to parse", async () => {
    const proof = await prove("sql", templateOf("SELECT /* trace ", hole("req.headers.traceid"), " */ id, name FROM users WHERE id = 1"));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("No payload changed the parsed structure (2 payloads on 1 hole). Every attack rendering failed to parse.");
    expect(proof!.attack.structure).toMatch(/^does not parse: /);
  });
});

describe("SQL structure comparison", () => {
  it("sees a UNION branch", async () => {
    const found = await changes("SELECT name FROM users WHERE id = 1", "SELECT name FROM users WHERE id = 1 UNION SELECT password FROM admins-- ");
    expect(found).toContainEqual({ rank: 3, words: "a UNION SELECT branch was added" });
    expect(found).toContainEqual({ rank: 2, words: "the query now reads table admins" });
  });

  it("does not call an OR always true when an AND still depends on data", async () => {
    const found = await changes("SELECT * FROM users WHERE name = 'a' AND pw = 'b'", "SELECT * FROM users WHERE name = '' OR '1'='1' AND pw = 'b'");
    expect(found.map((c) => c.rank)).toEqual([1]);
    expect(found[0]!.words).toMatch(/^the query changed beyond the value: /);
  });

  it("reports an expression injected into ORDER BY as a structural change", async () => {
    const found = await changes("SELECT * FROM t ORDER BY id", "SELECT * FROM t ORDER BY (CASE WHEN 1=1 THEN id ELSE name END)");
    expect(found).toEqual([
      {
        rank: 1,
        words:
          "the query changed beyond the value: SELECT * FROM t ORDER BY id became SELECT * FROM t ORDER BY CASE WHEN (<value> = <value>) THEN id ELSE name END",
      },
    ]);
  });

  it("finds nothing when only a literal's value differs", async () => {
    expect(await changes("SELECT * FROM t WHERE a = 'x' OR b = 2", "SELECT * FROM t WHERE a = 'O''Brien; DROP' OR b = 3")).toEqual([]);
  });

  it("evaluates constant conditions the way MySQL compares them", async () => {
    const tautologies: Array<[string, boolean]> = [
      ["1=1", true],
      ["'a'='a'", true],
      ["'1'=1", true],
      ["2>1", true],
      ["NOT 0", true],
      ["1", true],
      ["'x' LIKE '%'", true],
      ["1=2", false],
      ["'a'='b'", false],
      ["NULL=NULL", false],
      ["id=id", false],
    ];
    const prover = await createSqlProver("mysql");
    for (const [condition, expected] of tautologies) {
      const found = await changes("SELECT * FROM t WHERE id = 5", `SELECT * FROM t WHERE id = 5 OR ${condition}`, prover);
      expect(
        found.some((c) => c.rank === 3),
        condition,
      ).toBe(expected);
    }
  });
});

describe("PostgreSQL proofs (the dialect of a pg, postgres or Neon client)", () => {
  it("parses PostgreSQL-only syntax that MySQL's grammar rejects", async () => {
    const template = templateOf("SELECT id, amount::numeric(12,2) FROM ledger WHERE memo ILIKE '%", { hole: "req.query.q" }, "%'");
    expect((await prove("sql", template, { dialect: "mysql" }))!.evidence).toMatch(/^benign rendering does not parse/);
    const proof = await prove("sql", template, { dialect: "postgresql" });
    expect(proof!.verdict).toBe("proven");
    expect(proof!.parser).toMatchObject({ dialect: "postgresql" });
  });

  it("stacks a pg_sleep query where no condition can be made true", async () => {
    const proof = await prove("sql", templateOf("INSERT INTO audit (note) VALUES ('", { hole: "req.body.note" }, "') RETURNING id"), { dialect: "postgresql" });
    expect(proof!.payload).toBe("'); SELECT pg_sleep(5)-- ");
    expect(proof!.attack.rendered).toBe("INSERT INTO audit (note) VALUES (''); SELECT pg_sleep(5)-- ') RETURNING id");
    expect(proof!.verdict).toBe("proven");
  });

  it("closes a dollar-quoted string with its own tag", async () => {
    const proof = await prove("sql", templateOf("SELECT * FROM notes WHERE body = $body$", { hole: "req.body.text" }, "$body$ AND owner = 7"), {
      dialect: "postgresql",
    });
    // `… OR '1'='1' AND owner = 7` is no tautology (AND binds tighter); the comment form is.
    expect(proof!.payload).toBe("$body$ OR 1=1-- ");
    expect(proof!.verdict).toBe("proven");
  });

  it("never tries PostgreSQL's functions on MySQL", async () => {
    const proof = await prove("sql", templateOf("INSERT INTO audit (note) VALUES ('", { hole: "req.body.note" }, "')"), { dialect: "mysql" });
    expect(proof!.payload).not.toMatch(/pg_sleep/);
  });
});
