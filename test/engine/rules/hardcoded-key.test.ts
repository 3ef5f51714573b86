import rule from "../../../src/engine/rules/hardcoded-key";
import { ruleCases } from "./rule-tester";

const jwt = `import jwt from "jsonwebtoken";\n`;

ruleCases(rule, {
  valid: [
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
    { code: `${jwt}import { config } from "./config";\nexport const sign = (id: string) => jwt.sign({ sub: id }, config.jwtSecret);`, files: { "src/config.ts": `export const config = { jwtSecret: process.env.JWT_SECRET };\n` } },
  ],
  invalid: [
    { code: `${jwt}export const sign = (id: string) => jwt.sign({ sub: id }, "keyboard cat");`, errors: [{ line: 2, column: 59, message: /JWT signing key on line 2/ }] },
    { code: `import crypto from "crypto";\nconst KEY = process.env.HMAC_KEY ?? "changeme";\nexport const mac = (b: string) => crypto.createHmac("sha256", KEY).update(b).digest("hex");`, errors: [{ line: 2, column: 37, message: /fallback used as an HMAC key/ }] },
    { code: `import Koa from "koa";\nconst app = new Koa();\napp.keys = ["im a newer secret", "i like turtle"];`, errors: [{ line: 3, column: 13 }, { line: 3, column: 34 }] },
    { code: `import express from "express";\nconst app = express();\napp.post("/admin", (req, res) => {\n  if (req.body.password === "hunter2") res.send("ok");\n});`, errors: [{ line: 4, column: 29 }] },
    {
      // the secret lives in a config module; the finding is at the literal, the use in another file
      code: `import session from "express-session";\nimport cfg from "./config";\nexport const sessions = session({ secret: cfg.session.secret, resave: false });`,
      files: { "src/config.ts": `export default {\n  session: { secret: "shhhhh" },\n};\n` },
      errors: [{ path: "src/config.ts", line: 2, column: 22, message: /session secret in src\/app\.ts:3/ }],
    },
  ],
});
