/**
 * A scan is a project: flows that start in one module and reach a sink in another are found,
 * through every way JS/TS modules import each other and objects are wired, and reported with a
 * flow whose steps name their own files.
 */
import { describe, expect, it } from "vitest";
import { scan, type ScanOptions } from "../../../src/engine/index";

type Files = Record<string, string>;

async function run(files: Files, options: ScanOptions = {}) {
  return scan({ files: Object.entries(files).map(([path, content]) => ({ path, content })) }, options);
}

/** `path:line ruleId` of each injection finding. */
async function injections(files: Files, options: ScanOptions = {}): Promise<string[]> {
  const result = await run(files, options);
  return result.findings.filter((f) => f.tags?.includes("dataflow")).map((f) => `${f.location.path}:${f.location.startLine} ${f.ruleId}`);
}

const POOL = `const mysql = require("mysql2");\nmodule.exports = mysql.createPool({ host: process.env.DB_HOST });\n`;

describe("modules", () => {
  it("follows CommonJS exports, destructured requires and index files from a route to a DAO", async () => {
    const found = await injections({
      "db.js": POOL,
      "dao/index.js": `const pool = require("../db");\nexports.byId = (id) => pool.query("SELECT * FROM users WHERE id = " + id);\nexports.safeById = (id) => pool.query("SELECT * FROM users WHERE id = ?", [id]);\n`,
      "routes.js": `const router = require("express").Router();\nconst { byId, safeById } = require("./dao");\nrouter.get("/u/:id", (req, res) => byId(req.params.id));\nrouter.get("/s/:id", (req, res) => safeById(req.params.id));\nmodule.exports = router;\n`,
    });
    expect(found).toEqual(["dao/index.js:2 sql-injection"]);
  });

  it("follows ES module re-exports, default, namespace and renamed imports", async () => {
    const found = await injections({
      "lib/db.ts": `import { Pool } from "pg";\nexport const pool = new Pool();\n`,
      "lib/users.ts": `import { pool } from "./db.js";\nexport function findUser(name: string) {\n  return pool.query(\`SELECT * FROM users WHERE name = '\${name}'\`);\n}\nexport default function removeUser(id: string) {\n  return pool.query("DELETE FROM users WHERE id = " + id);\n}\n`,
      "lib/orders.ts": `import { pool } from "./db";\nexport const findOrder = (ref: string) => pool.query("SELECT * FROM orders WHERE ref = '" + ref + "'");\n`,
      "lib/index.ts": `export * from "./orders";\nexport { findUser as lookUp } from "./users";\nexport { default as remove } from "./users";\n`,
      "app.ts": `import express from "express";\nimport * as lib from "./lib";\nimport { lookUp, remove } from "./lib/index";\nconst app = express();\napp.get("/a", (req, res) => lookUp(String(req.query.name)));\napp.get("/b", (req, res) => remove(String(req.query.id)));\napp.get("/c", (req, res) => lib.findOrder(String(req.query.ref)));\n`,
    });
    expect(found.sort()).toEqual(["lib/orders.ts:2 sql-injection", "lib/users.ts:3 sql-injection", "lib/users.ts:6 sql-injection"]);
  });

  it("follows TypeScript import = require, export =, and a constant dynamic import", async () => {
    const found = await injections({
      "exec.ts": `import cp = require("child_process");\nfunction run(cmd: string) { return cp.execSync("convert " + cmd); }\nexport = run;\n`,
      "paths.ts": `import fs from "fs";\nexport function readReport(name: string) { return fs.readFileSync("/srv/reports/" + name); }\n`,
      "handler.ts": `import run = require("./exec");\nimport express from "express";\nconst app = express();\napp.post("/img", (req, res) => run(req.body.file));\napp.get("/r", async (req, res) => {\n  const { readReport } = await import("./paths");\n  res.send(readReport(String(req.query.name)));\n});\n`,
    });
    expect(found.sort()).toEqual(["exec.ts:2 command-injection", "paths.ts:2 path-traversal"]);
  });

  it("runs each module once through an import cycle", async () => {
    const found = await injections({
      "a.js": `const b = require("./b");\nexports.query = (db, s) => db.query("SELECT * FROM t WHERE s = '" + s + "'");\nexports.go = (req) => b.forward(req.query.s);\n`,
      "b.js": `const a = require("./a");\nconst pool = require("mysql").createPool({});\nexports.forward = (s) => a.query(pool, s);\n`,
      "server.js": `const app = require("express")();\nconst { go } = require("./a");\napp.get("/x", (req, res) => go(req));\n`,
    });
    expect(found).toEqual(["a.js:2 sql-injection"]);
  });

  it("gives every flow step the file it is in, from the route to the sink", async () => {
    const result = await run({
      "db.js": POOL,
      "dao.js": `const pool = require("./db");\nfunction find(term) {\n  const sql = "SELECT * FROM items WHERE name LIKE '%" + term + "%'";\n  return pool.query(sql);\n}\nmodule.exports = { find };\n`,
      "routes.js": `const app = require("express")();\nconst dao = require("./dao");\napp.get("/search", (req, res) => {\n  const term = req.query.q;\n  res.json(dao.find(term));\n});\n`,
    });
    const finding = result.findings.find((f) => f.ruleId === "sql-injection")!;
    expect(finding.location).toMatchObject({ path: "dao.js", startLine: 4 });
    expect(finding.flow.map((s) => `${s.location.path}:${s.location.startLine}`)).toEqual([
      "routes.js:4",
      "routes.js:4",
      "routes.js:5",
      "dao.js:3",
      "dao.js:4",
    ]);
    expect(finding.proof?.verdict).toBe("proven");
  });

  it("proves a flow through a library function it does not model at medium confidence, saying what it assumed", async () => {
    const result = await run({
      "db.js": POOL,
      "search.js": `const pool = require("./db");\nconst { collapseSpaces } = require("text-tidy");\nexports.search = (q) => pool.query("SELECT * FROM items WHERE name = '" + collapseSpaces(q) + "'");\n`,
      "app.js": `const app = require("express")();\nconst { search } = require("./search");\napp.get("/s", (req, res) => search(req.query.q));\n`,
    });
    const finding = result.findings.find((f) => f.ruleId === "sql-injection")!;
    expect(finding.location).toMatchObject({ path: "search.js", startLine: 3 });
    expect(finding.proof?.verdict).toBe("proven");
    expect(finding.confidence).toBe("medium");
    expect(finding.tags).toContain("assumed-passthrough");
  });

  it("spends at most the scan's dataflow budget, says where it ran out, and keeps what it found before", async () => {
    const app = (n: number) =>
      `const app = require("express")();\nconst pool = require("mysql").createPool({});\napp.get("/${n}", (req, res) => pool.query("SELECT * FROM t${n} WHERE id = " + req.query.id));\n`;
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`app${i}.js`, app(i)]));
    expect(await injections(files)).toHaveLength(5);
    const result = await run(files, { limits: { maxScanDataflowSteps: 90 } });
    const found = result.findings.filter((f) => f.ruleId === "sql-injection");
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(5);
    expect(result.notifications.some((n) => n.code === "detector-budget" && /dataflow budget \(90 steps\)/.test(n.message))).toBe(true);
  });

  it("analyses files that do not import each other apart, and says so when a group is over its budget", async () => {
    const files = {
      "db.js": POOL,
      "dao.js": `const pool = require("./db");\nexports.find = (id) => pool.query("SELECT * FROM t WHERE id = " + id);\n`,
      "routes.js": `const app = require("express")();\nconst dao = require("./dao");\napp.get("/t", (req, res) => dao.find(req.query.id));\n`,
    };
    expect(await injections(files)).toEqual(["dao.js:2 sql-injection"]);
    const small = await run(files, { limits: { maxProjectBytes: 200 } });
    expect(small.findings.filter((f) => f.ruleId === "sql-injection")).toEqual([]);
    expect(small.notifications.filter((n) => n.code === "project-too-large")).toHaveLength(1);
  });
});

describe("objects wired across files", () => {
  it("builds instances of constructor functions, with methods from the body and from the prototype", async () => {
    const found = await injections({
      "data/user-dao.js": `function UserDAO(db) {\n  this.db = db;\n  this.byName = function (name) {\n    return db.query("SELECT * FROM users WHERE name = '" + name + "'");\n  };\n}\nUserDAO.prototype.byEmail = function (email) {\n  return this.db.query("SELECT * FROM users WHERE email = '" + email + "'");\n};\nUserDAO.prototype.byIdSafe = function (id) {\n  return this.db.query("SELECT * FROM users WHERE id = ?", [id]);\n};\nmodule.exports = { UserDAO };\n`,
      "routes.js": `const { UserDAO } = require("./data/user-dao");\nconst pool = require("mysql").createPool({});\nconst users = new UserDAO(pool);\nmodule.exports = (app) => {\n  app.get("/n", (req, res) => users.byName(req.query.name));\n  app.get("/e", (req, res) => users.byEmail(req.query.email));\n  app.get("/i", (req, res) => users.byIdSafe(req.query.id));\n};\n`,
    });
    expect(found.sort()).toEqual(["data/user-dao.js:4 sql-injection", "data/user-dao.js:8 sql-injection"]);
  });

  it("injects NestJS services and TypeORM repositories by their declared types", async () => {
    const found = await injections({
      "users/users.service.ts": `import { Injectable } from "@nestjs/common";\nimport { InjectRepository } from "@nestjs/typeorm";\nimport { Repository, DataSource } from "typeorm";\nimport { User } from "./user.entity";\n@Injectable()\nexport class UsersService {\n  constructor(@InjectRepository(User) private readonly repo: Repository<User>, private readonly dataSource: DataSource) {}\n  search(term: string) {\n    return this.repo.query(\`SELECT * FROM users WHERE name LIKE '%\${term}%'\`);\n  }\n  count(status: string) {\n    return this.dataSource.query("SELECT COUNT(*) FROM users WHERE status = $1", [status]);\n  }\n}\n`,
      "users/user.entity.ts": `export class User { id!: number; name!: string; }\n`,
      "users/users.controller.ts": `import { Controller, Get, Query } from "@nestjs/common";\nimport { UsersService } from "./users.service";\n@Controller("users")\nexport class UsersController {\n  constructor(private readonly usersService: UsersService) {}\n  @Get("search")\n  search(@Query("q") q: string) {\n    return this.usersService.search(q);\n  }\n  @Get("count")\n  count(@Query("status") status: string) {\n    return this.usersService.count(status);\n  }\n}\n`,
    });
    expect(found).toEqual(["users/users.service.ts:9 sql-injection"]);
  });

  it("gives GraphQL resolvers the context their server builds, data sources included", async () => {
    const found = await injections({
      "datasources/users.js": `const pool = require("../db");\nclass UsersAPI {\n  find(id) { return pool.query("SELECT * FROM users WHERE id = " + id); }\n  findSafe(id) { return pool.query("SELECT * FROM users WHERE id = ?", [id]); }\n}\nmodule.exports = UsersAPI;\n`,
      "db.js": POOL,
      "resolvers.js": `module.exports = {\n  Query: {\n    user: (_, { id }, { dataSources }) => dataSources.users.find(id),\n    safeUser: (_, { id }, { dataSources }) => dataSources.users.findSafe(id),\n  },\n};\n`,
      "server.js": `const { ApolloServer } = require("apollo-server");\nconst resolvers = require("./resolvers");\nconst UsersAPI = require("./datasources/users");\nconst server = new ApolloServer({ typeDefs: "", resolvers, dataSources: () => ({ users: new UsersAPI() }) });\nserver.listen();\n`,
    });
    expect(found).toEqual(["datasources/users.js:3 sql-injection"]);
  });
});

describe("card data followed through the code", () => {
  /** `path:line ruleId` of each card-data finding. */
  async function cardFindings(files: Files): Promise<string[]> {
    const result = await run(files);
    return result.findings
      .filter((f) => f.category === "card-data" || f.category === "logging")
      .map((f) => `${f.location.path}:${f.location.startLine} ${f.ruleId}`)
      .sort();
  }

  const TYPES = `export interface CardDetails { number: string; cvc: string; expMonth: number; }\nexport interface Checkout { orderId: string; amount: number; card: CardDetails; }\nexport interface PaymentForm { orderId: string; cardNumber: string; cvv: string; }\n`;

  it("to loggers, responses and database writes in other files, by the type it is declared with and the fields it is read from", async () => {
    const found = await cardFindings({
      "types.ts": TYPES,
      "log.ts": `import pino from "pino";\nexport const logger = pino();\n`,
      "store.ts": `import knex from "knex";\nconst db = knex({ client: "pg" });\nexport async function save(row: Record<string, unknown>) {\n  await db("payments").insert(row);\n}\n`,
      "service.ts": `import { logger } from "./log";\nimport { save } from "./store";\nimport type { PaymentForm, Checkout } from "./types";\nexport async function pay(form: PaymentForm) {\n  logger.info({ event: "pay", form });\n  await save({ ...form, status: "ok" });\n  return { orderId: form.orderId, shown: form.cardNumber };\n}\nexport function audit(input: unknown) {\n  const checkout = input as Checkout;\n  logger.warn(checkout);\n}\n`,
      "routes.ts": `import { Router } from "express";\nimport { pay } from "./service";\nexport const router = Router();\nrouter.post("/pay", async (req, res) => {\n  const receipt = await pay(req.body);\n  res.json(receipt);\n});\n`,
    });
    expect(found).toEqual([
      "routes.ts:6 card-number-in-response",
      "service.ts:11 card-data-in-log",
      "service.ts:5 card-data-in-log",
      "store.ts:4 sensitive-auth-data-stored",
    ]);
  });

  it("not once it is masked, truncated or tokenised, nor a card number alone as sensitive authentication data", async () => {
    const found = await cardFindings({
      "types.ts": TYPES,
      "tokens.ts": `import { createHmac } from "crypto";\nexport function tokenize(pan: string): string {\n  return "tok_" + createHmac("sha256", process.env.TOKEN_KEY!).update(pan).digest("hex");\n}\n`,
      "store.ts": `import knex from "knex";\nconst db = knex({ client: "pg" });\nexport async function saveToken(row: { orderId: string; token: string; last4: string }) {\n  await db("payments").insert(row);\n}\n`,
      "service.ts": `import { saveToken } from "./store";\nimport { tokenize } from "./tokens";\nimport type { PaymentForm } from "./types";\nexport async function pay(form: PaymentForm, log: { info(x: unknown): void }) {\n  const last4 = form.cardNumber.slice(-4);\n  console.log({ orderId: form.orderId, last4 });\n  await saveToken({ orderId: form.orderId, token: tokenize(form.cardNumber), last4 });\n  return { orderId: form.orderId, shown: "**** " + last4 };\n}\n`,
      "routes.ts": `import { Router } from "express";\nimport { pay } from "./service";\nexport const router = Router();\nrouter.post("/pay", async (req, res) => {\n  res.json(await pay(req.body, console));\n});\n`,
    });
    expect(found).toEqual([]);
  });
});

describe("data read back from the database", () => {
  it("is a source of its own kind where text is built from it: stored XSS and second-order SQL injection, medium severity and stated as such", async () => {
    const result = await run({
      "db.js": POOL,
      "comments.js": `const pool = require("./db");\nexports.latest = async () => {\n  const [rows] = await pool.query("SELECT author, body FROM comments ORDER BY id DESC LIMIT 1");\n  return rows[0];\n};\n`,
      "routes.js": `const app = require("express")();\nconst pool = require("./db");\nconst comments = require("./comments");\napp.get("/latest", async (req, res) => {\n  const c = await comments.latest();\n  res.send("<p>" + c.body + "</p>");\n});\napp.get("/by-author", async (req, res) => {\n  const c = await comments.latest();\n  res.json(await pool.query("SELECT * FROM comments WHERE author = '" + c.author + "'"));\n});\napp.get("/raw", async (req, res) => {\n  res.json(await comments.latest());\n});\n`,
    });
    const found = result.findings.filter((f) => f.tags?.includes("dataflow"));
    expect(found.map((f) => `${f.location.path}:${f.location.startLine} ${f.ruleId} ${f.severity}`).sort()).toEqual([
      "routes.js:10 sql-injection medium",
      "routes.js:6 xss medium",
    ]);
    for (const f of found) {
      expect(f.tags).toContain("stored-data");
      expect(f.confidence).not.toBe("high");
      expect(f.flow[0]!.location.path).toBe("comments.js");
    }
  });
});
