/**
 * SQL proofs are parsed in the dialect of the database the sink's client talks to: the module a
 * handle was made with, else the one SQL client the file imports, else the scan's dialect.
 */
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";

async function proofDialects(code: string, dialect?: "mariadb" | "sqlite"): Promise<Array<string | undefined>> {
  const result = await scan({ files: [{ path: "routes.js", content: code }] }, dialect ? { dialect } : {});
  return result.findings.filter((f) => f.ruleId === "sql-injection").map((f) => f.proof?.parser.dialect);
}

const route = (client: string, call: string) => `${client}
app.get("/orders", async (req, res) => {
  res.json(await ${call}("SELECT * FROM orders WHERE status = '" + req.query.status + "'"));
});`;

describe("the dialect of a SQL proof", () => {
  it.each([
    ['const { Pool } = require("pg"); const pool = new Pool();', "pool.query", "postgresql"],
    ['import postgres from "postgres"; const sql = postgres(process.env.DATABASE_URL);', "sql.unsafe", "postgresql"],
    ['import { Pool } from "@neondatabase/serverless"; const pool = new Pool();', "pool.query", "postgresql"],
    ['const Database = require("better-sqlite3"); const db = new Database("shop.db");', "db.prepare", "sqlite"],
    ['const sql = require("mssql"); const pool = await sql.connect(process.env.MSSQL);', "pool.query", "transactsql"],
    ['const mysql = require("mysql2/promise"); const pool = mysql.createPool({});', "pool.query", "mysql"],
  ])("%s %s() → %s", async (client, call, dialect) => {
    expect(await proofDialects(route(client, call))).toEqual([dialect]);
  });

  it.each([
    ['const knex = require("knex")({ client: "pg", connection: process.env.DATABASE_URL });', "knex.raw", "postgresql"],
    ['const { Sequelize } = require("sequelize"); const sequelize = new Sequelize("postgres://u@db/shop");', "sequelize.query", "postgresql"],
    ['const { Sequelize } = require("sequelize"); const sequelize = new Sequelize("shop", "u", "p", { dialect: "mssql" });', "sequelize.query", "transactsql"],
    ['import { DataSource } from "typeorm"; const dataSource = new DataSource({ type: "better-sqlite3", database: "shop.db" });', "dataSource.query", "sqlite"],
  ])("a builder or ORM configured with its driver: %s %s() → %s", async (client, call, dialect) => {
    expect(await proofDialects(route(client, call))).toEqual([dialect]);
  });

  it("reads the file's imports when the handle comes from elsewhere", async () => {
    expect(await proofDialects(route('require("pg"); const db = require("./db");', "db.query"))).toEqual(["postgresql"]);
  });

  it("keeps the scan's dialect when nothing says, or when the imports disagree", async () => {
    expect(await proofDialects(route('const db = require("./db");', "db.query"))).toEqual(["mysql"]);
    expect(await proofDialects(route('const db = require("./db");', "db.query"), "sqlite")).toEqual(["sqlite"]);
    expect(await proofDialects(route('require("pg"); require("mysql2"); const db = require("./db");', "db.query"))).toEqual(["mysql"]);
  });

  it("keeps a MariaDB scan for a MySQL client, and lets a pg pool override it", async () => {
    expect(await proofDialects(route('const mysql = require("mysql"); const pool = mysql.createPool({});', "pool.query"), "mariadb")).toEqual(["mariadb"]);
    expect(await proofDialects(route('const { Pool } = require("pg"); const pool = new Pool();', "pool.query"), "mariadb")).toEqual(["postgresql"]);
  });
});
