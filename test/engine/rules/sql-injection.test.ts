import rule from "../../../src/engine/rules/sql-injection";
import { ruleCases } from "./rule-tester";

const DAO = {
  "src/db.js": `module.exports = require("mysql2").createPool({});\n`,
  "src/users-dao.js": `const pool = require("./db");\nexports.byName = (name) => pool.query("SELECT * FROM users WHERE name = '" + name + "'");\nexports.byId = (id) => pool.query("SELECT * FROM users WHERE id = ?", [id]);\n`,
};

ruleCases(rule, {
  valid: [
    // Across files: the DAO binds the value.
    { path: "src/routes.js", code: `const dao = require("./users-dao");\napp.get("/u", (req, res) => dao.byId(req.query.id));`, files: DAO },
    // Bound parameters: the value never becomes SQL text.
    `app.get("/u", (req, res) => pool.query("SELECT * FROM users WHERE id = ?", [req.query.id]));`,
    `app.get("/u", (req, res) => client.query({ text: "SELECT * FROM users WHERE id = $1", values: [req.params.id] }));`,
    // Numeric conversion.
    `app.get("/u", (req, res) => db.query("SELECT * FROM users LIMIT " + Number(req.query.n)));`,
    // Allowlisted identifier.
    `const COLUMNS = ["name", "email"];
app.get("/u", (req, res) => {
  const col = req.query.sort;
  if (!COLUMNS.includes(col)) return res.sendStatus(400);
  db.query("SELECT * FROM users ORDER BY " + col);
});`,
    // Driver escaping.
    `app.get("/u", (req, res) => connection.query("SELECT * FROM users WHERE name = " + connection.escape(req.query.name)));`,
    // Tagged templates parameterise.
    `export async function GET(request) { const q = new URL(request.url).searchParams.get("q"); return sql\`SELECT * FROM t WHERE name = \${q}\`; }`,
    {
      path: "src/db.ts",
      code: `export async function GET(request: Request) { const q = new URL(request.url).searchParams.get("q"); return prisma.$queryRaw\`SELECT * FROM t WHERE name = \${q}\`; }`,
    },
    // Not attacker data: configuration and constants.
    `const table = process.env.TABLE; db.query("SELECT * FROM " + table);`,
    // Not SQL text on a db-looking receiver.
    `app.get("/u", (req, res) => client.get("users:" + req.query.id));`,
  ],
  invalid: [
    // Across files: the route's data reaches the DAO's concatenated query; the finding is at the sink.
    {
      path: "src/routes.js",
      code: `const dao = require("./users-dao");\napp.get("/u", (req, res) => dao.byName(req.query.name));`,
      files: DAO,
      errors: [{ path: "src/users-dao.js", line: 2, column: 28 }],
    },
    {
      code: `app.get("/u", (req, res) => {
  pool.query("SELECT * FROM users WHERE id = '" + req.query.id + "'");
});`,
      errors: [{ line: 2, column: 3, message: /req\.query\.id \(query string\) flows into pool\.query\(\) as SQL text/ }],
    },
    {
      code: `const mysql = require("mysql2/promise");
const conn = mysql.createPool({});
router.post("/search", async (req, res) => {
  const { name } = req.body;
  const [rows] = await conn.execute(\`SELECT * FROM t WHERE name = '\${name}'\`);
});`,
      errors: [{ line: 5, column: 24 }],
    },
    {
      code: `function byEmail(email) {
  return knex.raw("SELECT * FROM users WHERE email = '" + email + "'");
}
app.get("/u", (req, res) => byEmail(req.query.email));`,
      errors: [{ line: 2, column: 10, message: /req\.query\.email/ }],
    },
    {
      code: `router.get("/x", async (ctx) => {
  await ctx.db.query(\`DELETE FROM carts WHERE id = \${ctx.params.id}\`);
});`,
      errors: [{ line: 2, column: 9 }],
    },
    {
      path: "src/orders.ts",
      code: `export async function POST(request: Request) {
  const body = await request.json();
  return prisma.$executeRawUnsafe("UPDATE orders SET note = '" + body.note + "'");
}`,
      errors: [{ line: 3, column: 10 }],
    },
    {
      code: `app.get("/r", (req, res) => knex("t").whereRaw("name = '" + req.query.n + "'").select());`,
      errors: [{ line: 1, column: 29 }],
    },
  ],
});
