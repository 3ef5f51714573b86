/**
 * SQL injection fixes: each client's placeholders and bound values, written from the parsed
 * source and proven by re-attacking the patched project; patches that change what the query
 * does are rejected; data used where no placeholder can go gets no mechanical fix, with the
 * reason. Every project is a route file and the module that runs the query.
 */
import { describe, expect, it } from "vitest";
import { scan, verifyFix, type Finding, type ScanInput } from "../../../src/engine/index";
import { MAX_FIXES_PER_SCAN } from "../../../src/engine/fixes/index";

type Files = Record<string, string>;

const input = (files: Files): ScanInput => ({ files: Object.entries(files).map(([path, content]) => ({ path, content })) });

async function sqlFindings(files: Files): Promise<Finding[]> {
  const result = await scan(input(files));
  return result.findings.filter((f) => f.ruleId === "sql-injection");
}

/** The lines a diff adds, without the "+" (headers excluded). */
function added(diff: string): string[] {
  return diff
    .split("\n")
    .filter((l) => l.startsWith("+") && !l.startsWith("+++"))
    .map((l) => l.slice(1));
}

async function onlyFix(files: Files) {
  const [finding, ...rest] = await sqlFindings(files);
  expect(rest).toEqual([]);
  expect(finding).toBeDefined();
  return finding!;
}

const ROUTE = (call: string) =>
  `const express = require("express");\nconst dao = require("./dao");\nconst app = express();\napp.get("/x", async (req, res) => res.json(await ${call}));\n`;

describe("proven fixes, per client", () => {
  it("mysql2: a quoted value becomes ? with a values array, in the DAO the route calls", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.cardsOf(req.query.owner)"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({ host: process.env.DB_HOST });\nexports.cardsOf = (owner) => pool.query("SELECT last4 FROM cards WHERE owner = '" + owner + "' AND active = 1");\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(f.fix?.origin).toBe("mechanical");
    expect(added(f.fix!.diff)).toEqual([`exports.cardsOf = (owner) => pool.query("SELECT last4 FROM cards WHERE owner = ? AND active = 1", [owner]);`]);
    expect(f.fix?.check?.benign.structure).toBe(f.fix?.check?.before.structure);
    expect(f.fix?.check?.attack.structure).toBe(f.fix?.check?.benign.structure);
  });

  it("mysql: the values go before a callback, and a LIKE pattern moves into the bound value", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("new Promise((ok) => dao.search(req.query.q, ok))"),
      "dao.js": `const mysql = require("mysql");\nconst db = mysql.createConnection({});\nexports.search = (q, done) => db.query("SELECT id FROM orders WHERE note LIKE '%" + q + "%'", done);\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`exports.search = (q, done) => db.query("SELECT id FROM orders WHERE note LIKE ?", ["%" + q + "%"], done);`]);
  });

  it("pg: a template literal gets numbered placeholders after the ones it already has, and LIMIT binds a number", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.page(req.query.merchant, req.query.size)"),
      "dao.js": `const { Pool } = require("pg");\nconst pool = new Pool();\nexports.page = (merchant, size) => pool.query(\`SELECT id FROM payouts WHERE status = $1 AND merchant_id = '\${merchant}' LIMIT \${size}\`, ["paid"]);\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([
      'exports.page = (merchant, size) => pool.query(`SELECT id FROM payouts WHERE status = $1 AND merchant_id = $2 LIMIT $3`, ["paid", merchant, Number(size)]);',
    ]);
  });

  it("a query built once in a variable: the declaration becomes constant and the call binds the values", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.byRef(req.params.ref)"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.byRef = async (ref) => {\n  const sql = "SELECT * FROM orders WHERE ref = '" + ref + "'";\n  const [rows] = await pool.execute(sql);\n  return rows;\n};\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`  const sql = "SELECT * FROM orders WHERE ref = ?";`, `  const [rows] = await pool.execute(sql, [ref]);`]);
  });

  it("a query written over several lines keeps its lines: only the ones holding a value change", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.orders(req.query.owner, req.query.limit)"),
      "dao.js": [
        `const mysql = require("mysql2/promise");`,
        `const pool = mysql.createPool({});`,
        `exports.orders = async (owner, limit) => {`,
        `  const sql = "SELECT id, total " +`,
        `    "FROM orders " +`,
        `    "WHERE owner = '" + owner + "' " +`,
        `    "ORDER BY id " +`,
        `    "LIMIT " + limit;`,
        `  return (await pool.query(sql))[0];`,
        `};`,
        ``,
      ].join("\n"),
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`    "WHERE owner = ? " +`, `    "LIMIT ?";`, `  return (await pool.query(sql, [owner, Number(limit)]))[0];`]);
  });

  it("an ORDER BY column and direction from the request are mapped through an allowlist of the selected columns and ASC/DESC", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.list(req.query.merchant, req.query.sort, req.query.dir)"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.list = (merchant, sort, dir) =>\n  pool.query("SELECT id, total, created_at AS created FROM payments WHERE merchant = '" + merchant + "' ORDER BY " + sort + " " + dir);\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([
      `  pool.query("SELECT id, total, created_at AS created FROM payments WHERE merchant = ? ORDER BY " + (["id", "total", "created"].includes(sort) ? sort : "id") + " " + (String(dir).toUpperCase() === "DESC" ? "DESC" : "ASC"), [merchant]);`,
    ]);
  });

  it("better-sqlite3: a prepared statement takes the values in its run call", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.label(req.query.carrier)"),
      "dao.js": `const Database = require("better-sqlite3");\nconst db = new Database("labels.db");\nexports.label = (carrier) => db.prepare(\`SELECT * FROM labels WHERE carrier = '\${carrier}'\`).get();\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual(["exports.label = (carrier) => db.prepare(`SELECT * FROM labels WHERE carrier = ?`).get(carrier);"]);
  });

  it("Cloudflare D1: the values are bound with .bind() before the statement runs", async () => {
    const f = await onlyFix({
      "worker.ts": `export default {\n  async fetch(request: Request, env: { DB: D1Database }) {\n    const id = new URL(request.url).searchParams.get("id");\n    return Response.json(await env.DB.prepare("SELECT status FROM orders WHERE id = '" + id + "'").first());\n  },\n};\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`    return Response.json(await env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(id).first());`]);
  });

  it("a D1 database handed to a repository under another name still gets .bind(), the only way D1 takes values", async () => {
    const f = await onlyFix({
      "src/index.ts": `import { Hono } from "hono";\nimport { findProducts } from "./repo";\nconst app = new Hono<{ Bindings: { DB: D1Database } }>();\napp.get("/p", async (c) => c.json(await findProducts(c.env.DB, c.req.query("q") ?? "")));\nexport default app;\n`,
      "src/repo.ts": `export async function findProducts(db: D1Database, q: string) {\n  return (await db.prepare("SELECT * FROM products WHERE name = '" + q + "'").all()).results;\n}\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`  return (await db.prepare("SELECT * FROM products WHERE name = ?").bind(q).all()).results;`]);
  });

  it("Sequelize: the values become replacements", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.find(req.query.email)"),
      "dao.js": `const { Sequelize } = require("sequelize");\nconst sequelize = new Sequelize("mysql://localhost/shop");\nexports.find = (email) => sequelize.query("SELECT id FROM users WHERE email = '" + email + "'");\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`exports.find = (email) => sequelize.query("SELECT id FROM users WHERE email = ?", { replacements: [email] });`]);
  });

  it("knex: a raw condition gets bindings", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.open(req.query.owner)"),
      "dao.js": `const knex = require("knex")({ client: "mysql2" });\nexports.open = (owner) => knex("cards").whereRaw("owner = '" + owner + "'");\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual([`exports.open = (owner) => knex("cards").whereRaw("owner = ?", [owner]);`]);
  });

  it("Prisma: $queryRawUnsafe becomes the $queryRaw tagged template, whose substitutions are parameters", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.orders(req.query.status)"),
      "dao.js": `const { PrismaClient } = require("@prisma/client");\nconst prisma = new PrismaClient();\nexports.orders = (status) => prisma.$queryRawUnsafe("SELECT id FROM orders WHERE status = '" + status + "'");\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(added(f.fix!.diff)).toEqual(["exports.orders = (status) => prisma.$queryRaw`SELECT id FROM orders WHERE status = ${status}`;"]);
  });
});

describe("patches that change what the query does are not proven", () => {
  const files: Files = {
    "routes.js": ROUTE("dao.byName(req.query.name)"),
    "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.byName = (name) => pool.query("SELECT id FROM users WHERE name = '" + name + "'");\n`,
  };
  const line = files["dao.js"]!.split("\n")[2]!;
  const from = line.indexOf('"SELECT') + 1;
  const to = line.lastIndexOf(")") + 1;
  const replace = (text: string) => ({ startLine: 3, startColumn: from, endLine: 3, endColumn: to, text });

  it("a placeholder left inside the quotes binds nothing: the query now compares with the text '?'", async () => {
    const [finding] = await sqlFindings(files);
    const fix = await verifyFix(input(files), finding!, {
      description: "quoted placeholder",
      replacements: [replace(`"SELECT id FROM users WHERE name = '?'", [name]`)],
    });
    expect(fix?.verdict).toBe("rejected");
  });

  it("dropping the condition makes the attack moot but the query no longer does its job", async () => {
    const [finding] = await sqlFindings(files);
    const fix = await verifyFix(input(files), finding!, { description: "no condition", replacements: [replace(`"SELECT id FROM users"`)] });
    expect(fix?.verdict).toBe("rejected");
    expect(fix?.evidence).toMatch(/no longer uses the input/);
  });

  it("a patch that leaves the concatenation in place is rejected by the re-run attack", async () => {
    const [finding] = await sqlFindings(files);
    const fix = await verifyFix(input(files), finding!, {
      description: "cosmetic",
      replacements: [replace(`"SELECT id FROM users WHERE name = '" + name.trim() + "'"`)],
    });
    expect(fix?.verdict).toBe("rejected");
    expect(fix?.evidence).toMatch(/still succeeds/);
  });

  it("a patch that does not parse is rejected", async () => {
    const [finding] = await sqlFindings(files);
    const fix = await verifyFix(input(files), finding!, { description: "broken", replacements: [replace(`"SELECT id FROM users WHERE name = ?", [name`)] });
    expect(fix?.verdict).toBe("rejected");
    expect(fix?.evidence).toMatch(/does not parse/);
  });

  it("with SELECT * there is no mechanical allowlist, and one written by hand for the ORDER BY column is proven", async () => {
    const sorted: Files = {
      "routes.js": ROUTE("dao.sorted(req.query.sort)"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.sorted = (sort) => pool.query("SELECT * FROM orders ORDER BY " + sort);\n`,
    };
    const [finding] = await sqlFindings(sorted);
    expect(finding?.fix).toBeUndefined();
    expect(finding?.fixUnavailable).toMatch(/ORDER BY.*does not name the columns.*allowlist/);
    const l = sorted["dao.js"]!.split("\n")[2]!;
    const fix = await verifyFix(input(sorted), finding!, {
      description: "allowlist",
      replacements: [
        {
          startLine: 3,
          startColumn: l.indexOf('"SELECT') + 1,
          endLine: 3,
          endColumn: l.lastIndexOf(")") + 1,
          text: `"SELECT * FROM orders ORDER BY " + (["id", "total"].includes(sort) ? sort : "id")`,
        },
      ],
    });
    expect(fix?.origin).toBe("ai");
    expect(fix?.verdict).toBe("proven");
  });
});

describe("no mechanical fix, with the reason", () => {
  it("a list joined into quoted text cannot become one placeholder", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.some(String(req.query.ids).split(','))"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.some = (ids) => pool.query("SELECT * FROM cards WHERE ref IN ('" + ids.join("','") + "')");\n`,
    });
    expect(f.fix).toBeUndefined();
    expect(f.fixUnavailable).toMatch(/list/);
  });

  it("a table name from the request has no placeholder", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.dump(req.query.table)"),
      "dao.js": `const { Pool } = require("pg");\nconst pool = new Pool();\nexports.dump = (table) => pool.query("SELECT * FROM " + table);\n`,
    });
    expect(f.fix).toBeUndefined();
    expect(f.fixUnavailable).toMatch(/table name/);
  });

  it("a client whose placeholder style is unknown gets none rather than a guess", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.find(req.query.id)"),
      "dao.js": `const db = require("./connection");\nexports.find = (id) => db.query("SELECT * FROM cards WHERE id = " + id);\n`,
    });
    expect(f.fix).toBeUndefined();
    expect(f.fixUnavailable).toMatch(/placeholder style/);
  });

  it("past the scan's fix budget a finding says so, and the scan notes it once", async () => {
    const n = MAX_FIXES_PER_SCAN + 2;
    const dao = Array.from({ length: n }, (_, i) => `exports.q${i} = (v) => pool.query("SELECT * FROM t${i} WHERE id = " + v);`).join("\n");
    const routes = Array.from({ length: n }, (_, i) => `app.get("/${i}", (req) => dao.q${i}(req.query.v));`).join("\n");
    const result = await scan(
      input({
        "dao.js": `const { Pool } = require("pg");\nconst pool = new Pool();\n${dao}\n`,
        "routes.js": `const app = require("express")();\nconst dao = require("./dao");\n${routes}\n`,
      }),
    );
    const sql = result.findings.filter((f) => f.ruleId === "sql-injection");
    expect(sql).toHaveLength(n);
    expect(sql.filter((f) => f.fix?.verdict === "proven")).toHaveLength(MAX_FIXES_PER_SCAN);
    expect(sql.filter((f) => f.fixUnavailable?.includes("fix budget"))).toHaveLength(2);
    expect(result.notifications.filter((x) => x.code === "fix-budget")).toHaveLength(1);
  });

  it("fixes can be switched off", async () => {
    const result = await scan(
      input({
        "routes.js": ROUTE("dao.find(req.query.id)"),
        "dao.js": `const { Pool } = require("pg");\nconst pool = new Pool();\nexports.find = (id) => pool.query("SELECT * FROM cards WHERE id = " + id);\n`,
      }),
      { fixes: false },
    );
    const f = result.findings.find((x) => x.ruleId === "sql-injection");
    expect(f?.fix).toBeUndefined();
    expect(f?.fixUnavailable).toBeUndefined();
  });
});

describe("what a fix may show", () => {
  it("masks a card number in the query text it rewrites, in the diff, the replacements and the renderings", async () => {
    const f = await onlyFix({
      "routes.js": ROUTE("dao.test(req.query.id)"),
      "dao.js": `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.test = (id) => pool.query("SELECT * FROM cards WHERE pan <> '4111111111111111' AND id = " + id);\n`,
    });
    expect(f.fix?.verdict).toBe("proven");
    expect(JSON.stringify(f.fix)).not.toContain("4111111111111111");
    expect(f.fix?.diff).toContain("411111******1111");
  });
});
