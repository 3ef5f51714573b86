import rule from "../../../src/engine/rules/hardcoded-key";
import { ruleCases } from "./rule-tester";

const jwt = `import jwt from "jsonwebtoken";\n`;

ruleCases(rule, {
  valid: [
    `import mongoose from "mongoose";\nawait mongoose.connect(process.env.MONGO_URL!, { pass: process.env.MONGO_PASSWORD });`,
    `import knex from "knex";\nexport const db = knex({ client: "pg", connection: { host: "pg.internal", password: "\${DB_PASSWORD}" } });`,
    `${jwt}export const sign = (id: string) => jwt.sign({ sub: id }, process.env.JWT_SECRET!);`,
    `${jwt}const key = process.env.JWT_SECRET;\nif (!key) throw new Error("JWT_SECRET is required");\nexport const sign = (id: string) => jwt.sign({ sub: id }, key);`,
    // placeholders are not secrets
    `${jwt}export const sign = (id: string) => jwt.sign({ sub: id }, "\${JWT_SECRET}");`,
    `import session from "express-session";\nexport const s = session({ secret: "<your session secret>" });`,
    // a literal that is not used as a key
    `${jwt}const issuer = "payments-api";\nexport const sign = (id: string) => jwt.sign({ sub: id, iss: issuer }, process.env.JWT_SECRET!);`,
    // comparing request data with a literal that names no credential
    `import express from "express";\nconst app = express();\napp.get("/x", (req, res) => res.send(req.query.mode === "dark" ? "d" : "l"));`,
    // tests may sign with fixed keys
    { path: "test/auth.test.ts", code: `${jwt}export const token = jwt.sign({ sub: "u1" }, "test-secret");` },
    // a config value the environment provides, read in another file
    {
      code: `${jwt}import { config } from "./config";\nexport const sign = (id: string) => jwt.sign({ sub: id }, config.jwtSecret);`,
      files: { "src/config.ts": `export const config = { jwtSecret: process.env.JWT_SECRET };\n` },
    },
  ],
  invalid: [
    // positional and option passwords of database and broker clients, dictionary words included
    {
      code: `import { Sequelize } from "sequelize";\nexport const db = new Sequelize("ledger", "ledger", "tangerine", { dialect: "mysql" });`,
      errors: [{ line: 2, column: 53, message: /the database password on line 2/ }],
    },
    {
      code: `import mongoose from "mongoose";\nawait mongoose.connect("mongodb://mongo.internal/ledger", { pass: "marmalade" });`,
      errors: [{ line: 2, column: 67, message: /the MongoDB password/ }],
    },
    {
      code: `import knex from "knex";\nexport const db = knex({ client: "pg", connection: { host: "pg.internal", password: "settle" } });`,
      errors: [{ line: 2, column: 85 }],
    },
    {
      code: `import neo4j from "neo4j-driver";\nexport const d = neo4j.driver("bolt://g.internal", neo4j.auth.basic("neo4j", "neo4jadmin"));`,
      errors: [{ line: 2, column: 78 }],
    },
    {
      code: `${jwt}export const sign = (id: string) => jwt.sign({ sub: id }, "keyboard cat");`,
      errors: [{ line: 2, column: 59, message: /JWT signing key on line 2/ }],
    },
    {
      code: `import crypto from "crypto";\nconst KEY = process.env.HMAC_KEY ?? "changeme";\nexport const mac = (b: string) => crypto.createHmac("sha256", KEY).update(b).digest("hex");`,
      errors: [{ line: 2, column: 37, message: /fallback used as an HMAC key/ }],
    },
    {
      code: `import Koa from "koa";\nconst app = new Koa();\napp.keys = ["im a newer secret", "i like turtle"];`,
      errors: [
        { line: 3, column: 13 },
        { line: 3, column: 34 },
      ],
    },
    {
      code: `import express from "express";\nconst app = express();\napp.post("/admin", (req, res) => {\n  if (req.body.password === "hunter2") res.send("ok");\n});`,
      errors: [{ line: 4, column: 29 }],
    },
    {
      // the secret lives in a config module; the finding is at the literal, the use in another file
      code: `import session from "express-session";\nimport cfg from "./config";\nexport const sessions = session({ secret: cfg.session.secret, resave: false });`,
      files: { "src/config.ts": `export default {\n  session: { secret: "shhhhh" },\n};\n` },
      errors: [{ path: "src/config.ts", line: 2, column: 22, message: /session secret in src\/app\.ts:3/ }],
    },
  ],
});
