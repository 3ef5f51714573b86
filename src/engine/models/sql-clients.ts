/**
 * SQL clients, query builders and ORMs: mysql/mysql2, pg, better-sqlite3/sqlite3, mssql,
 * oracledb, MariaDB, Postgres.js, Neon, PlanetScale, Vercel Postgres, knex, Sequelize, TypeORM,
 * Prisma, Drizzle, D1. Their query methods take SQL text; their escaping functions make a value
 * safe for SQL only. Code that receives its handle from elsewhere is recognised by the names
 * people give handles (`db`, `pool`, `conn`, `knex`…).
 */
import { unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { SQL } from "../taint/kinds";
import { asText, concat, F_LITERAL_OBJ, partsOf, sanitize, strValue, textValue, UNKNOWN, type Part, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import { calleeReceiverName } from "./receiver-names";
import type { LibraryModel, SinkRow, SummaryRow, TypeRow } from "./rows";
import { constantText, reportCallSink } from "./sink-report";

const SQL_TEXT =
  /^\s*\(?\s*(select|insert|update|delete|replace|merge|with|create|drop|alter|truncate|call|exec|execute|grant|revoke|pragma|upsert|show|describe|explain|set|begin|declare)\b|\b(from|where|values|order\s+by|group\s+by|join|limit)\b/i;
const SQL_CONDITION = /(=|<>|<|>|\blike\b|\bin\s*\(|\bis\s+(not\s+)?null\b|\bbetween\b)/i;

function looksLikeSql(v: Value): boolean {
  return SQL_TEXT.test(constantText(v).slice(0, 2000));
}

/** Receivers named like a SQL client, and prefixes of names that are other kinds of client. */
const DB_NAME =
  /^(db|ds|database|pool|conn|connection|client|knex|sequelize|prisma|sql|tx|trx|transaction|manager|entityManager|em|queryRunner|dataSource|mysql|pg|sqlite|d1|DB|getConnection|getPool|getDb|getDB|getClient|connect|promisePool|dbPool|dbConn|dbClient)$|(Db|DB|Pool|Conn|Connection|Database|Sequelize|Knex|Prisma|Sql|SQL|Tx|db|pool|database|Manager|QueryRunner|DataSource)$/;
const NOT_SQL_CLIENT = /^(http|api|graphql|gql|apollo|redis|es|elastic|mongo|s3|sqs|sns|dynamo|axios|fetch|rest|grpc|ws|socket|cache|kafka|ldap)/i;
const SQL_CLIENT_PREFIX = /^(pg|mysql|sql|db|postgres|sqlite|maria|d1|neon|turso|libsql)/i;
/** Receivers of raw-SQL helpers (`knex.raw`, `sql.unsafe`, `Prisma.raw`), by name or module. */
const RAW_SQL_NAME = /^(knex|sql|Prisma|prisma|db|Sequelize|sequelize|trx|tx)$/;
const RAW_SQL_MODULE = /^(drizzle-orm|knex|sequelize|@prisma\/client)/;

/** Whether a call's receiver is a SQL client: modelled as one, or named like one. */
function sqlReceiver(site: CallSite): boolean {
  if (site.recv?.model?.kind === "db") return true;
  const name = calleeReceiverName(site.callee);
  if (name && DB_NAME.test(name) && !NOT_SQL_CLIENT.test(name)) return true;
  return !!name && /Client$/.test(name) && SQL_CLIENT_PREFIX.test(name);
}

function rawSqlReceiver(site: CallSite): boolean {
  const m = site.recv?.model;
  return m?.kind === "db" || RAW_SQL_NAME.test(calleeReceiverName(site.callee) ?? "") || (m?.kind === "module" && RAW_SQL_MODULE.test(m.module));
}

/** TypeORM's `createQueryBuilder(…).where("…" + x)`: a builder chain, not knex's `where(column, value)`. */
function queryBuilderChain(callee: JsNode): boolean {
  let n = unwrap(callee);
  for (let i = 0; i < 12; i++) {
    if (n.type === "MemberExpression") n = unwrap(n.object);
    else if (n.type === "CallExpression") {
      const c = unwrap(n.callee);
      const name = c.type === "MemberExpression" ? (c.property.name ?? "") : c.type === "Identifier" ? c.name : "";
      if (name === "createQueryBuilder" || name === "getQueryBuilder") return true;
      n = c;
    } else if (n.type === "Identifier") return /^(qb|queryBuilder|builder|query)$/i.test(n.name) || /QueryBuilder$/.test(n.name);
    else return false;
  }
  return false;
}

/** `pool.query(sql)`, `pool.query({ text, values })`: text that looks like SQL, or attacker data of unknown shape. */
function queryText(host: ModelHost, site: CallSite, kind: number): void {
  const a = site.args[0];
  if (!a) return;
  const text = a.props && a.flags & F_LITERAL_OBJ ? (a.props.get("text") ?? a.props.get("sql")) : a;
  if (!text) return;
  if (text.parts || text.str !== null) {
    if (looksLikeSql(text)) reportCallSink(host, site, kind, text, "as SQL text", "text", "high");
  } else reportCallSink(host, site, kind, text, "as SQL text", "any", "medium");
}

/** `db.prepare(sql)`, `db.exec(sql)`: SQL-looking text, or attacker text as a whole. */
function statementText(host: ModelHost, site: CallSite, kind: number): void {
  const a = site.args[0];
  if (a && (looksLikeSql(a) || (!a.parts && a.str === null))) reportCallSink(host, site, kind, a, "as SQL text", "text", a.parts ? "high" : "medium");
}

const firstLooksLikeSql = (_host: ModelHost, site: CallSite): boolean => !!site.args[0] && looksLikeSql(site.args[0]);

/** A condition fragment with SQL operators: `"name = '" + x + "'"`. */
function sqlCondition(_host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  return !!a && (!!a.parts || a.str !== null) && SQL_CONDITION.test(constantText(a));
}

/** The statement an SQL fragment method completes, for the simulator: `whereRaw(x)` → `SELECT * FROM t WHERE x`. */
export const FRAGMENT_PREFIX: Readonly<Record<string, string>> = {
  where: "SELECT * FROM t WHERE ",
  andWhere: "SELECT * FROM t WHERE 1 = 1 AND ",
  orWhere: "SELECT * FROM t WHERE 1 = 0 OR ",
  having: "SELECT id FROM t GROUP BY id HAVING ",
  andHaving: "SELECT id FROM t GROUP BY id HAVING 1 = 1 AND ",
  orHaving: "SELECT id FROM t GROUP BY id HAVING 1 = 0 OR ",
  whereRaw: "SELECT * FROM t WHERE ",
  orWhereRaw: "SELECT * FROM t WHERE 1 = 0 OR ",
  andWhereRaw: "SELECT * FROM t WHERE 1 = 1 AND ",
  orderByRaw: "SELECT * FROM t ORDER BY ",
  havingRaw: "SELECT id FROM t GROUP BY id HAVING ",
  orHavingRaw: "SELECT id FROM t GROUP BY id HAVING 1 = 0 OR ",
  groupByRaw: "SELECT id FROM t GROUP BY ",
  selectRaw: "SELECT ",
  fromRaw: "SELECT * FROM ",
  joinRaw: "SELECT * FROM t ",
  leftJoinRaw: "SELECT * FROM t ",
  onRaw: "SELECT * FROM t JOIN u ON ",
  literal: "SELECT ",
};

/** knex's raw fragment methods. */
const RAW_METHODS = [
  "where",
  "orWhere",
  "andWhere",
  "orderBy",
  "having",
  "orHaving",
  "join",
  "leftJoin",
  "groupBy",
  "select",
  "from",
  "on",
  "update",
  "insert",
].map((m) => m + "Raw");

const SINKS: SinkRow[] = [
  { method: "query", receiver: "sql-client", rule: "sql-injection", effect: queryText },
  { method: "execute", receiver: "sql-client", rule: "sql-injection", effect: queryText },
  { method: "raw", receiver: "raw-sql", argument: 0, rule: "sql-injection", what: "as raw SQL text", mode: "text" },
  { method: "unsafe", receiver: "raw-sql", argument: 0, rule: "sql-injection", what: "as raw SQL text", mode: "text" },
  { method: "literal", receiver: "raw-sql", argument: 0, rule: "sql-injection", what: "as an SQL literal", mode: "text", prefix: FRAGMENT_PREFIX.literal },
  // Prisma's unsafe raw queries take SQL text whatever the receiver is called.
  { method: "$queryRawUnsafe", receiver: "any", argument: 0, rule: "sql-injection", what: "as SQL text", mode: "text" },
  { method: "$executeRawUnsafe", receiver: "any", argument: 0, rule: "sql-injection", what: "as SQL text", mode: "text" },
  { method: "prepare", receiver: "sql-client", rule: "sql-injection", effect: statementText },
  { method: "exec", receiver: "sql-client", rule: "sql-injection", effect: statementText },
  ...["run", "all", "get", "each"].map((method): SinkRow => ({
    method,
    receiver: "sql-client",
    when: firstLooksLikeSql,
    argument: 0,
    rule: "sql-injection",
    what: "as SQL text",
    mode: "text",
  })),
  ...["where", "andWhere", "orWhere", "having", "andHaving", "orHaving"].map((method): SinkRow => ({
    method,
    receiver: "query-builder",
    when: sqlCondition,
    argument: 0,
    rule: "sql-injection",
    what: "as an SQL condition",
    mode: "text",
    prefix: FRAGMENT_PREFIX[method],
  })),
  ...RAW_METHODS.map((method): SinkRow => ({
    method,
    receiver: "any",
    argument: 0,
    rule: "sql-injection",
    what: "as raw SQL text",
    mode: "text",
    prefix: FRAGMENT_PREFIX[method],
  })),
];

/** `pg-format`'s `format("… %L … %I … %s", a, b, c)`: %L and %I are escaped, %s is not. */
function pgFormat(_host: ModelHost, site: CallSite): Value {
  const fmt = site.args[0];
  if (!fmt || fmt.str === null) return sanitize(joinedText(site.args), SQL);
  const parts: Part[] = [];
  let arg = 1;
  let last = 0;
  const re = /%([LIs%])/g;
  for (let m = re.exec(fmt.str); m; m = re.exec(fmt.str)) {
    parts.push(fmt.str.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === "%") {
      parts.push("%");
      continue;
    }
    const v = asText(site.args[arg++] ?? UNKNOWN);
    const safe = m[1] === "s" ? v : sanitize(v, SQL);
    if (m[1] === "L") parts.push("'");
    for (const p of partsOf(safe)) parts.push(p);
    if (m[1] === "L") parts.push("'");
  }
  parts.push(fmt.str.slice(last));
  return textValue(parts);
}

/** The arguments' text, one after the other. */
function joinedText(values: Value[]): Value {
  let acc: Value = strValue("");
  for (const v of values) acc = concat(acc, asText(v));
  return acc;
}

const SUMMARIES: SummaryRow[] = [
  // Literal escapes return the value quoted; identifier escapes return it backquoted or double-quoted, as text.
  ...["sqlstring:escape", "mysql:escape", "mysql2:escape", "pg-format:literal", "sequelize:escape"].map((call): SummaryRow => ({
    call,
    returns: "quoted-text",
    sanitises: ["sql-injection"],
  })),
  ...["sqlstring:escapeId", "mysql:escapeId", "mysql2:escapeId", "pg-format:ident"].map((call): SummaryRow => ({
    call,
    returns: "text",
    sanitises: ["sql-injection"],
  })),
  // `format(sql, values)` escapes the values into the text: the result is the statement's text.
  ...["mysql:format", "mysql2:format", "sqlstring:format"].map((call): SummaryRow => ({ call, returns: "text" })),
  { call: "pg-format:", effect: pgFormat },
  { call: "pg-format:format", effect: pgFormat },
  { object: "db", method: "escape", returns: "quoted-text", sanitises: ["sql-injection"] },
  { object: "db", method: "escapeLiteral", returns: "quoted-text", sanitises: ["sql-injection"] },
  { object: "db", method: "escapeId", returns: "text", sanitises: ["sql-injection"] },
  { object: "db", method: "escapeIdentifier", returns: "text", sanitises: ["sql-injection"] },
  { object: "db", method: "format", returns: "text" },
];

/** Calls whose result is a SQL client, pool, connection, query builder or ORM handle. */
const CLIENT_FACTORIES = [
  "mysql:createPool",
  "mysql:createConnection",
  "mysql:createPoolCluster",
  "mysql2:createPool",
  "mysql2:createConnection",
  "mysql2:createPoolCluster",
  "pg:Pool",
  "pg:Client",
  "pg:native.Pool",
  "pg:native.Client",
  "better-sqlite3:",
  "sqlite3:Database",
  "sqlite:open",
  "knex:",
  "knex:knex",
  "sequelize:",
  "sequelize:Sequelize",
  "@prisma/client:PrismaClient",
  "postgres:",
  "@vercel/postgres:createPool",
  "@vercel/postgres:createClient",
  "mssql:connect",
  "mssql:ConnectionPool",
  "typeorm:DataSource",
  "typeorm:createConnection",
  "typeorm:getConnection",
  "typeorm:getManager",
  "typeorm:getRepository",
  "@neondatabase/serverless:neon",
  "@neondatabase/serverless:Pool",
  "@planetscale/database:connect",
  "oracledb:getConnection",
  "drizzle-orm/node-postgres:drizzle",
  "drizzle-orm/mysql2:drizzle",
  "drizzle-orm/better-sqlite3:drizzle",
  "drizzle-orm/d1:drizzle",
  "drizzle-orm/postgres-js:drizzle",
  "drizzle-orm/neon-http:drizzle",
  "mariadb:createPool",
  "mariadb:createConnection",
];
/** Methods of a client that return a client, connection, builder or repository on the same database. */
const CHAIN_METHODS = [
  "getConnection",
  "connect",
  "promise",
  "acquire",
  "getRepository",
  "createQueryBuilder",
  "createQueryRunner",
  "getManager",
  "manager",
  "table",
  "from",
  "select",
  "where",
  "andWhere",
  "orWhere",
  "leftJoin",
  "innerJoin",
  "orderBy",
  "groupBy",
  "limit",
  "offset",
  "withSchema",
  "into",
  "queryBuilder",
  "startTransaction",
];

const TYPES: TypeRow[] = [
  ...CLIENT_FACTORIES.map((call): TypeRow => ({ call, returns: "db" })),
  { call: "sqlite3:verbose", returns: "module" },
  ...CHAIN_METHODS.map((method): TypeRow => ({ object: "db", method, returns: "self" })),
];

/** Methods that run a callback with a transaction, or with a connection (`(err, conn, release)`). */
const TRANSACTION_METHODS = new Set(["transaction", "begin", "serialize", "tx", "task"]);
const CONNECTION_METHODS = new Set(["getConnection", "connect", "acquire"]);

export const model: LibraryModel = {
  id: "sql-clients",
  description: "SQL drivers, query builders and ORMs: mysql, pg, sqlite, mssql, oracledb, knex, Sequelize, TypeORM, Prisma, Drizzle, D1…",
  fixtures: ["sql-injection/reporting-queries.js", "sql-injection/typeorm-service.ts", "sql-injection/pg-ledger-queries.js", "apps/express/routes/orders.js"],
  aliases: [{ specifier: "mysql2/promise", module: "mysql2" }],
  types: TYPES,
  summaries: SUMMARIES,
  objects: [
    {
      kind: "db",
      // `db.promise`, `pool.native`: the same database.
      property: (_host, obj) => obj,
      method(host, recv, _m, method, site) {
        const cb = site.args.find((a) => a.fn)?.fn;
        if (TRANSACTION_METHODS.has(method)) {
          if (cb) host.callInline(cb, [recv], UNKNOWN, "call");
          return recv;
        }
        if (CONNECTION_METHODS.has(method)) {
          if (cb) host.callInline(cb, [UNKNOWN, recv, UNKNOWN], UNKNOWN, "call");
          return recv;
        }
        return null;
      },
    },
  ],
  sinks: SINKS,
  receivers: [
    { receiver: "sql-client", test: sqlReceiver },
    { receiver: "raw-sql", test: rawSqlReceiver },
    { receiver: "query-builder", test: (site) => queryBuilderChain(site.callee) },
  ],
};
