#!/usr/bin/env node
/**
 * Generates a deterministic tree of small web "apps" for the scale benchmarks (bench/tree.mjs,
 * bench/worker-max.mjs): each app is 25 files — routes that read the request, services, DAOs or
 * repositories that run SQL, a db pool, a config module, an auth route, helpers — in two styles
 * (CommonJS Express over mysql2, ESM TypeScript Express over pg). A few flows per app are
 * vulnerable across files (request in a route → service → string-built SQL in a DAO; a config
 * secret with a literal fallback used by jwt.sign in the auth route; card data logged by a
 * payment service), the rest are their safe twins (placeholders, allowlists, env secrets,
 * last-4 only). Every tenth app also imports a large real library file copied from node_modules
 * (lib/…). Same options → byte-identical tree, and a manifest of what was planted where.
 *
 *   node bench/gen-tree.mjs DIR [--apps 200] [--functions 4] [--lib-every 10] [--seed 1]
 *
 * writes DIR/<app>/… and, beside DIR (so a scan of DIR does not read it), DIR.manifest.json.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Real library files the "library-like" files are copied from (pinned by package-lock.json). */
const LIBRARIES = [
  "node_modules/acorn/dist/acorn.js",
  "node_modules/zod/v3/types.js",
  "node_modules/esquery/dist/esquery.js",
  "node_modules/zod/v4/core/schemas.js",
  "node_modules/undici/lib/web/fetch/index.js",
  "node_modules/zod/v4/core/compile.js",
];

const ENTITIES = ["users", "orders", "products", "invoices", "customers", "carts", "shipments", "reviews", "coupons", "accounts", "tickets", "refunds"];
const COLUMNS = {
  users: ["name", "email"],
  orders: ["status", "reference"],
  products: ["title", "sku"],
  invoices: ["customer_ref", "status"],
  customers: ["name", "email"],
  carts: ["label", "owner"],
  shipments: ["carrier", "tracking"],
  reviews: ["title", "body"],
  coupons: ["code", "label"],
  accounts: ["login", "email"],
  tickets: ["subject", "status"],
  refunds: ["reason", "status"],
};
const PLANT = "\u0000PLANT:";

/** mulberry32: a small seeded PRNG, so the tree is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const singular = (e) => (e.endsWith("ies") ? e.slice(0, -3) + "y" : e.replace(/s$/, ""));

/**
 * The files of one app, `{ path, text }`, and what was planted (`{ rule, path, line, crossFile }`).
 * `functions` is how many extra (safe) endpoints each route/service/DAO module has: it sets the
 * files' size (~1.5 KB at 0, ~+0.6 KB per function).
 */
function app(index, { functions, libEvery, random }) {
  const ts = index % 2 === 1;
  const name = `${ts ? "svc" : "api"}-${String(index).padStart(3, "0")}`;
  const pool = [...ENTITIES];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const entities = pool.slice(0, 6);
  // Half the apps (both styles) take card payments.
  if (index % 4 < 2) entities[5] = "payments";
  // Three string-built queries per app: which entity, and whether in search() or update().
  const vulnerable = new Set();
  while (vulnerable.size < 3) vulnerable.add(`${entities[Math.floor(random() * 6)]}:${random() < 0.6 ? "search" : "update"}`);
  const secretFallback = index % 4 === 0;
  // Apps 0, 11, 20, 31, …: alternately CommonJS and TypeScript.
  const library =
    libEvery > 0 && index % libEvery === Math.floor(index / libEvery) % 2 ? LIBRARIES[Math.floor(index / libEvery) % LIBRARIES.length] : undefined;
  const files = ts
    ? tsApp(name, entities, vulnerable, secretFallback, library, functions)
    : cjsApp(name, entities, vulnerable, secretFallback, library, functions);
  const planted = [];
  for (const f of files) {
    const lines = f.text.split("\n");
    lines.forEach((l, i) => {
      const at = l.indexOf(PLANT);
      if (at < 0) return;
      const [rule, cross] = l.slice(at + PLANT.length).split(":");
      planted.push({ rule, path: `${name}/${f.path}`, line: i + 1, crossFile: cross === "cross" });
      lines[i] = l.slice(0, at).trimEnd();
    });
    f.path = `${name}/${f.path}`;
    f.text = lines.join("\n");
  }
  return { files, planted };
}

function cjsApp(name, entities, vulnerable, secretFallback, library, functions) {
  const files = [];
  const add = (p, lines) => files.push({ path: p, text: lines.flat(Infinity).join("\n") + "\n" });
  add("app.js", [
    `// ${name}: Express 4 over one MySQL pool. Requests go routes → services → DAOs.`,
    `const express = require("express");`,
    `const helmet = require("helmet");`,
    `const config = require("./config");`,
    ``,
    `const app = express();`,
    `app.use(helmet());`,
    `app.use(express.json({ limit: "100kb" }));`,
    `app.use("/auth", require("./routes/auth"));`,
    entities.map((e) => `app.use("/${e}", require("./routes/${e}"));`),
    ``,
    `app.use((err, req, res, next) => {`,
    `  console.error(err.stack);`,
    `  res.status(500).json({ error: "internal error" });`,
    `});`,
    ``,
    `app.listen(config.port);`,
  ]);
  add("db.js", [
    `// The process-wide MySQL pool; every DAO requires this module.`,
    `const mysql = require("mysql2");`,
    ``,
    `module.exports = mysql.createPool({`,
    `  host: process.env.DB_HOST,`,
    `  user: process.env.DB_USER,`,
    `  password: process.env.DB_PASSWORD,`,
    `  database: process.env.DB_NAME,`,
    `  connectionLimit: 10,`,
    `});`,
  ]);
  add("config.js", [
    `// Settings of ${name}; production values come from the environment.`,
    `module.exports = {`,
    `  port: Number(process.env.PORT) || 3000,`,
    secretFallback ? `  jwtSecret: process.env.JWT_SECRET || "${name}-dev-secret",${PLANT}hardcoded-key:cross` : `  jwtSecret: process.env.JWT_SECRET,`,
    `  pageSize: 20,`,
    `};`,
  ]);
  add("routes/auth.js", [
    `// /auth: password login, answers with a short-lived JWT.`,
    `const express = require("express");`,
    `const bcrypt = require("bcrypt");`,
    `const jwt = require("jsonwebtoken");`,
    `const config = require("../config");`,
    `const pool = require("../db");`,
    ``,
    `const router = express.Router();`,
    ``,
    `router.post("/login", async (req, res, next) => {`,
    `  try {`,
    `    const [rows] = await pool.promise().execute("SELECT id, role, password_hash FROM accounts WHERE email = ?", [req.body.email]);`,
    `    if (rows.length === 0 || !(await bcrypt.compare(String(req.body.password), rows[0].password_hash))) return res.sendStatus(401);`,
    `    res.json({ token: jwt.sign({ sub: rows[0].id, role: rows[0].role }, config.jwtSecret, { expiresIn: "15m" }) });`,
    `  } catch (err) {`,
    `    next(err);`,
    `  }`,
    `});`,
    ``,
    `module.exports = router;`,
  ]);
  for (const e of entities) {
    const E = cap(e);
    const [c1, c2] = COLUMNS[e] ?? ["label", "status"];
    const payments = e === "payments";
    add(`routes/${e}.js`, [
      `// /${e}: reads the request here and hands plain values to the ${e} service.`,
      `const express = require("express");`,
      `const service = require("../services/${e}");`,
      ``,
      `const router = express.Router();`,
      ``,
      `router.get("/", async (req, res, next) => {`,
      `  try {`,
      `    res.json(await service.list${E}(req.query.sort, req.query.page));`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `router.get("/search", async (req, res, next) => {`,
      `  try {`,
      `    res.json(await service.search${E}(req.query.q));`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `router.get("/:id", async (req, res, next) => {`,
      `  try {`,
      `    const item = await service.get${E}(req.params.id);`,
      `    return item ? res.json(item) : res.sendStatus(404);`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `router.put("/:id", async (req, res, next) => {`,
      `  try {`,
      `    await service.update${E}(req.params.id, req.body);`,
      `    res.sendStatus(204);`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      payments
        ? [
            ``,
            `router.post("/charge", async (req, res, next) => {`,
            `  try {`,
            `    res.status(201).json(await service.charge(req.body));`,
            `  } catch (err) {`,
            `    next(err);`,
            `  }`,
            `});`,
          ]
        : [],
      Array.from({ length: functions }, (_, k) => [
        ``,
        `router.get("/:id/extra-${k}", async (req, res, next) => {`,
        `  try {`,
        `    res.json(await service.extra${k}(req.params.id, req.query.limit));`,
        `  } catch (err) {`,
        `    next(err);`,
        `  }`,
        `});`,
      ]),
      ``,
      `module.exports = router;`,
    ]);
    add(`services/${e}.js`, [
      `// ${E} service: business rules between the routes and the ${e} DAO.`,
      `const dao = require("../dao");`,
      `const { clampPage, logger } = require("../utils");`,
      ``,
      `exports.list${E} = async function (sort, page) {`,
      `  return dao.${e}.list(sort, clampPage(page));`,
      `};`,
      ``,
      `exports.search${E} = async function (q) {`,
      `  logger.debug("search ${e}", { length: String(q ?? "").length });`,
      `  return dao.${e}.search(q);`,
      `};`,
      ``,
      `exports.get${E} = async function (id) {`,
      `  const row = await dao.${e}.findById(id);`,
      `  return row ? { id: row.id, ${c1}: row.${c1}, ${c2}: row.${c2} } : null;`,
      `};`,
      ``,
      `exports.update${E} = async function (id, body) {`,
      `  if (!body || typeof body !== "object") throw new Error("bad request");`,
      `  return dao.${e}.update(id, body.${c1}, body.${c2});`,
      `};`,
      payments
        ? [
            ``,
            `exports.charge = async function (payment) {`,
            `  const { cardNumber, amount, currency } = payment;`,
            `  console.info("charging card", { cardNumber, amount, currency });${PLANT}card-data-in-log:local`,
            `  const last4 = String(cardNumber).slice(-4);`,
            `  logger.info("charge requested", { amount, currency, last4 });`,
            `  return { status: "authorised", last4 };`,
            `};`,
          ]
        : [],
      Array.from({ length: functions }, (_, k) => [
        ``,
        `exports.extra${k} = async function (id, limit) {`,
        `  const n = Math.min(Math.max(Number.parseInt(limit, 10) || 10, 1), 100);`,
        `  const rows = await dao.${e}.extra${k}(id, n);`,
        `  return rows.map((r) => ({ id: r.id, ${c1}: r.${c1} }));`,
        `};`,
      ]),
    ]);
    const search = vulnerable.has(`${e}:search`);
    const update = vulnerable.has(`${e}:update`);
    add(`dao/${e}.js`, [
      `// ${E} DAO: SQL against the shared pool.`,
      `const pool = require("../db");`,
      ``,
      `const SORT_COLUMNS = ["created_at", "${c1}", "id"];`,
      ``,
      `exports.list = async function (sort, page) {`,
      `  const column = SORT_COLUMNS.includes(sort) ? sort : "created_at";`,
      `  const [rows] = await pool.promise().query(\`SELECT id, ${c1}, ${c2} FROM ${e} ORDER BY \${column} DESC LIMIT 20 OFFSET ?\`, [(page - 1) * 20]);`,
      `  return rows;`,
      `};`,
      ``,
      `exports.search = async function (q) {`,
      search
        ? `  const [rows] = await pool.promise().query("SELECT id, ${c1} FROM ${e} WHERE ${c1} LIKE '%" + q + "%'");${PLANT}sql-injection:cross`
        : `  const [rows] = await pool.promise().query("SELECT id, ${c1} FROM ${e} WHERE ${c1} LIKE ?", [\`%\${q}%\`]);`,
      `  return rows;`,
      `};`,
      ``,
      `exports.findById = async function (id) {`,
      `  const [rows] = await pool.promise().execute("SELECT id, ${c1}, ${c2} FROM ${e} WHERE id = ?", [id]);`,
      `  return rows[0];`,
      `};`,
      ``,
      `exports.update = function (id, ${camel(c1)}, ${camel(c2)}) {`,
      update
        ? `  return pool.promise().query(\`UPDATE ${e} SET ${c1} = '\${${camel(c1)}}', ${c2} = '\${${camel(c2)}}' WHERE id = \${id}\`);${PLANT}sql-injection:cross`
        : `  return pool.promise().execute("UPDATE ${e} SET ${c1} = ?, ${c2} = ? WHERE id = ?", [${camel(c1)}, ${camel(c2)}, id]);`,
      `};`,
      Array.from({ length: functions }, (_, k) => [
        ``,
        `exports.extra${k} = async function (id, limit) {`,
        `  const [rows] = await pool.promise().execute("SELECT id, ${c1} FROM ${e}_history_${k} WHERE ${singular(e)}_id = ? ORDER BY created_at DESC LIMIT ?", [id, limit]);`,
        `  return rows;`,
        `};`,
      ]),
    ]);
  }
  add("dao/index.js", [
    `// require("./dao") lands here: one object with a DAO per table.`,
    `module.exports = {`,
    entities.map((e) => `  ${e}: require("./${e}"),`),
    `};`,
  ]);
  add("utils/index.js", [
    `// Small helpers shared by the services.`,
    library ? `const vendored = require("../lib/${path.basename(library)}");` : ``,
    ``,
    `exports.clampPage = function (page) {`,
    `  const n = Number.parseInt(page, 10);`,
    `  return Number.isFinite(n) && n > 0 ? Math.min(n, 1000) : 1;`,
    `};`,
    ``,
    `exports.logger = {`,
    `  debug: (msg, data) => process.env.DEBUG && console.debug(msg, JSON.stringify(data)),`,
    `  info: (msg, data) => console.info(msg, JSON.stringify(data)),`,
    `};`,
    library ? [``, `exports.vendored = vendored;`] : [],
  ]);
  if (library) add(`lib/${path.basename(library)}`, [readFileSync(path.join(root, library), "utf8").replace(/\n$/, "")]);
  else
    add("middleware/auth.js", [
      `// Bearer-token check for the routes that need a signed-in user.`,
      `const jwt = require("jsonwebtoken");`,
      `const config = require("../config");`,
      ``,
      `module.exports = function requireUser(req, res, next) {`,
      `  const header = req.get("authorization") || "";`,
      `  try {`,
      `    req.user = jwt.verify(header.replace(/^Bearer /, ""), config.jwtSecret, { algorithms: ["HS256"] });`,
      `    next();`,
      `  } catch {`,
      `    res.sendStatus(401);`,
      `  }`,
      `};`,
    ]);
  return files;
}

function tsApp(name, entities, vulnerable, secretFallback, library, functions) {
  const files = [];
  const add = (p, lines) => files.push({ path: p, text: lines.flat(Infinity).join("\n") + "\n" });
  add("src/app.ts", [
    `// ${name}: Express in TypeScript over PostgreSQL; routes → services → repositories.`,
    `import express from "express";`,
    `import { config } from "./config.js";`,
    `import { authRouter } from "./routes/auth.js";`,
    entities.map((e) => `import { ${e}Router } from "./routes/${e}.js";`),
    ``,
    `const app = express();`,
    `app.use(express.json({ limit: "100kb" }));`,
    `app.use("/auth", authRouter);`,
    entities.map((e) => `app.use("/${e}", ${e}Router);`),
    `app.listen(config.port);`,
  ]);
  add("src/db.ts", [
    `// One pg pool for the process.`,
    `import { Pool } from "pg";`,
    ``,
    `export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });`,
  ]);
  add("src/config.ts", [
    `// Settings of ${name}; production values come from the environment.`,
    `export const config = {`,
    `  port: Number(process.env.PORT ?? 3000),`,
    secretFallback
      ? `  jwtSecret: process.env.JWT_SECRET ?? "${name}-dev-secret",${PLANT}hardcoded-key:cross`
      : `  jwtSecret: process.env.JWT_SECRET as string,`,
    `  pageSize: 20,`,
    `};`,
  ]);
  add("src/routes/auth.ts", [
    `// /auth: password login, answers with a short-lived JWT.`,
    `import { Router, type Request, type Response } from "express";`,
    `import bcrypt from "bcrypt";`,
    `import jwt from "jsonwebtoken";`,
    `import { config } from "../config.js";`,
    `import { pool } from "../db.js";`,
    ``,
    `export const authRouter = Router();`,
    ``,
    `authRouter.post("/login", async (req: Request, res: Response) => {`,
    `  const { rows } = await pool.query("SELECT id, role, password_hash FROM accounts WHERE email = $1", [req.body.email]);`,
    `  if (rows.length === 0 || !(await bcrypt.compare(String(req.body.password), rows[0].password_hash))) return res.sendStatus(401);`,
    `  res.json({ token: jwt.sign({ sub: rows[0].id, role: rows[0].role }, config.jwtSecret, { expiresIn: "15m" }) });`,
    `});`,
  ]);
  const types = [`// Shapes shared by routes, services and repositories.`];
  for (const e of entities) {
    const E = cap(e);
    const S = cap(singular(e));
    const [c1, c2] = COLUMNS[e] ?? ["label", "status"];
    const payments = e === "payments";
    types.push(``, `export interface ${S} {`, `  id: string;`, `  ${camel(c1)}: string;`, `  ${camel(c2)}: string;`, `}`);
    if (payments)
      types.push(
        ``,
        `export interface ChargeRequest {`,
        `  orderId: string;`,
        `  amount: number;`,
        `  currency: string;`,
        `  cardNumber: string;`,
        `  cvv: string;`,
        `}`,
      );
    add(`src/routes/${e}.ts`, [
      `// /${e}: reads the request and hands plain values to the ${e} service.`,
      `import { Router, type NextFunction, type Request, type Response } from "express";`,
      `import * as service from "../services/${e}.js";`,
      ``,
      `export const ${e}Router = Router();`,
      ``,
      `${e}Router.get("/", async (req: Request, res: Response, next: NextFunction) => {`,
      `  try {`,
      `    res.json(await service.list${E}(String(req.query.sort ?? ""), Number(req.query.page ?? 1)));`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `${e}Router.get("/search", async (req: Request, res: Response, next: NextFunction) => {`,
      `  try {`,
      `    res.json(await service.search${E}(req.query.q as string));`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `${e}Router.get("/:id", async (req: Request, res: Response, next: NextFunction) => {`,
      `  try {`,
      `    const item = await service.get${S}(req.params.id);`,
      `    return item ? res.json(item) : res.sendStatus(404);`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      ``,
      `${e}Router.put("/:id", async (req: Request, res: Response, next: NextFunction) => {`,
      `  try {`,
      `    await service.update${S}(req.params.id, req.body);`,
      `    res.sendStatus(204);`,
      `  } catch (err) {`,
      `    next(err);`,
      `  }`,
      `});`,
      payments
        ? [
            ``,
            `${e}Router.post("/charge", async (req: Request, res: Response, next: NextFunction) => {`,
            `  try {`,
            `    res.status(201).json(await service.charge(req.body));`,
            `  } catch (err) {`,
            `    next(err);`,
            `  }`,
            `});`,
          ]
        : [],
      Array.from({ length: functions }, (_, k) => [
        ``,
        `${e}Router.get("/:id/extra-${k}", async (req: Request, res: Response, next: NextFunction) => {`,
        `  try {`,
        `    res.json(await service.extra${k}(req.params.id, Number(req.query.limit ?? 10)));`,
        `  } catch (err) {`,
        `    next(err);`,
        `  }`,
        `});`,
      ]),
    ]);
    add(`src/services/${e}.ts`, [
      `// ${E} service: business rules between the routes and the ${e} repository.`,
      `import * as repo from "../repositories/${e}.js";`,
      `import { clampPage, logger } from "../utils.js";`,
      `import type { ${S}${payments ? ", ChargeRequest" : ""} } from "../types.js";`,
      ``,
      `export async function list${E}(sort: string, page: number): Promise<${S}[]> {`,
      `  return repo.list(sort, clampPage(page));`,
      `}`,
      ``,
      `export async function search${E}(q: string): Promise<${S}[]> {`,
      `  logger.debug("search ${e}", { length: String(q ?? "").length });`,
      `  return repo.search(q);`,
      `}`,
      ``,
      `export async function get${S}(id: string): Promise<${S} | null> {`,
      `  return (await repo.findById(id)) ?? null;`,
      `}`,
      ``,
      `export async function update${S}(id: string, body: Partial<${S}>): Promise<void> {`,
      `  if (!body || typeof body !== "object") throw new Error("bad request");`,
      `  await repo.update(id, body.${camel(c1)} ?? "", body.${camel(c2)} ?? "");`,
      `}`,
      payments
        ? [
            ``,
            `export async function charge(request: ChargeRequest) {`,
            `  logger.info("charge requested", request);${PLANT}card-data-in-log:cross`,
            `  const last4 = request.cardNumber.slice(-4);`,
            `  return { orderId: request.orderId, status: "authorised", last4 };`,
            `}`,
          ]
        : [],
      Array.from({ length: functions }, (_, k) => [
        ``,
        `export async function extra${k}(id: string, limit: number) {`,
        `  const n = Math.min(Math.max(Math.trunc(limit) || 10, 1), 100);`,
        `  const rows = await repo.extra${k}(id, n);`,
        `  return rows.map((r) => ({ id: r.id, ${camel(c1)}: r.${camel(c1)} }));`,
        `}`,
      ]),
    ]);
    const search = vulnerable.has(`${e}:search`);
    const update = vulnerable.has(`${e}:update`);
    add(`src/repositories/${e}.ts`, [
      `// ${E} repository: SQL against the shared pool.`,
      `import { pool } from "../db.js";`,
      `import type { ${S} } from "../types.js";`,
      ``,
      `const SORT_COLUMNS = new Set(["created_at", "${c1}", "id"]);`,
      ``,
      `export async function list(sort: string, page: number): Promise<${S}[]> {`,
      `  const column = SORT_COLUMNS.has(sort) ? sort : "created_at";`,
      `  const { rows } = await pool.query(\`SELECT id, ${c1} AS "${camel(c1)}", ${c2} AS "${camel(c2)}" FROM ${e} ORDER BY \${column} DESC LIMIT 20 OFFSET $1\`, [(page - 1) * 20]);`,
      `  return rows;`,
      `}`,
      ``,
      `export async function search(q: string): Promise<${S}[]> {`,
      search
        ? `  const { rows } = await pool.query(\`SELECT id, ${c1} AS "${camel(c1)}" FROM ${e} WHERE ${c1} ILIKE '%\${q}%'\`);${PLANT}sql-injection:cross`
        : `  const { rows } = await pool.query(\`SELECT id, ${c1} AS "${camel(c1)}" FROM ${e} WHERE ${c1} ILIKE $1\`, [\`%\${q}%\`]);`,
      `  return rows;`,
      `}`,
      ``,
      `export async function findById(id: string): Promise<${S} | undefined> {`,
      `  const { rows } = await pool.query("SELECT id, ${c1}, ${c2} FROM ${e} WHERE id = $1", [id]);`,
      `  return rows[0];`,
      `}`,
      ``,
      `export async function update(id: string, ${camel(c1)}: string, ${camel(c2)}: string): Promise<void> {`,
      update
        ? `  await pool.query("UPDATE ${e} SET ${c1} = '" + ${camel(c1)} + "', ${c2} = '" + ${camel(c2)} + "' WHERE id = " + id);${PLANT}sql-injection:cross`
        : `  await pool.query("UPDATE ${e} SET ${c1} = $1, ${c2} = $2 WHERE id = $3", [${camel(c1)}, ${camel(c2)}, id]);`,
      `}`,
      Array.from({ length: functions }, (_, k) => [
        ``,
        `export async function extra${k}(id: string, limit: number): Promise<${S}[]> {`,
        `  const { rows } = await pool.query("SELECT id, ${c1} FROM ${e}_history_${k} WHERE ${singular(e)}_id = $1 ORDER BY created_at DESC LIMIT $2", [id, limit]);`,
        `  return rows;`,
        `}`,
      ]),
    ]);
  }
  add("src/types.ts", types);
  add("src/utils.ts", [
    `// Small helpers shared by the services.`,
    library ? `import * as vendored from "./lib/${path.basename(library)}";` : ``,
    ``,
    `export function clampPage(page: number): number {`,
    `  return Number.isFinite(page) && page > 0 ? Math.min(Math.trunc(page), 1000) : 1;`,
    `}`,
    ``,
    `export const logger = {`,
    `  debug: (msg: string, data: unknown) => process.env.DEBUG && console.debug(msg, JSON.stringify(data)),`,
    `  info: (msg: string, data: unknown) => console.info(msg, JSON.stringify(data)),`,
    `};`,
    library ? [``, `export { vendored };`] : [],
  ]);
  if (library) add(`src/lib/${path.basename(library)}`, [readFileSync(path.join(root, library), "utf8").replace(/\n$/, "")]);
  else
    add("src/middleware/auth.ts", [
      `// Bearer-token check for the routes that need a signed-in user.`,
      `import type { NextFunction, Request, Response } from "express";`,
      `import jwt from "jsonwebtoken";`,
      `import { config } from "../config.js";`,
      ``,
      `export function requireUser(req: Request, res: Response, next: NextFunction) {`,
      `  const header = req.get("authorization") ?? "";`,
      `  try {`,
      `    (req as Request & { user?: unknown }).user = jwt.verify(header.replace(/^Bearer /, ""), config.jwtSecret, { algorithms: ["HS256"] });`,
      `    next();`,
      `  } catch {`,
      `    res.sendStatus(401);`,
      `  }`,
      `}`,
    ]);
  return files;
}

function camel(column) {
  return column.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

/** The whole tree in memory: `{ files: [{ path, text }], planted }`, apps in order. */
export function generateTree({ apps = 200, functions = 4, libEvery = 10, seed = 1 } = {}) {
  const random = rng(seed);
  const files = [];
  const planted = [];
  for (let i = 0; i < apps; i++) {
    const a = app(i, { functions, libEvery, random });
    files.push(...a.files);
    planted.push(...a.planted);
  }
  return { files, planted };
}

/** Writes the tree under `dir` (emptied first) and returns what generateTree() returned. */
export function writeTree(dir, options) {
  const tree = generateTree(options);
  rmSync(dir, { recursive: true, force: true });
  for (const f of tree.files) {
    const abs = path.join(dir, f.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, f.text);
  }
  return tree;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (!dir) {
    console.error("usage: node bench/gen-tree.mjs DIR [--apps 200] [--functions 4] [--lib-every 10] [--seed 1]");
    process.exit(2);
  }
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const tree = writeTree(path.resolve(dir), { apps: opt("apps", 200), functions: opt("functions", 4), libEvery: opt("lib-every", 10), seed: opt("seed", 1) });
  writeFileSync(path.join(path.resolve(dir), "..", `${path.basename(dir)}.manifest.json`), JSON.stringify(tree.planted, null, 1));
  const bytes = tree.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  console.log(
    `${tree.files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${tree.planted.length} planted flows → ${dir} (manifest ${path.basename(dir)}.manifest.json beside it)`,
  );
}
