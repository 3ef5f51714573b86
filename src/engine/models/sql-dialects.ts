/**
 * Which SQL dialect a sink's database speaks, read from the client library: the module the
 * receiver's handle was made with (`new Pool()` from `pg`) or, for query builders and ORMs, the
 * driver its configuration names (`knex({ client: "pg" })`, `new Sequelize("postgres://…")`,
 * `new DataSource({ type: "postgres" })`), else the one SQL client the sink's file imports. The attack simulator parses the sink's SQL in that dialect, so a PostgreSQL
 * query is proven with PostgreSQL's grammar (`$$` quoting, `pg_sleep`) rather than MySQL's.
 * Oracle has no grammar in the parser, so oracledb sinks keep the scan's dialect.
 */
import type { SourceFile } from "../source";
import type { SqlDialect } from "../types";
import type { Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";

/** Client modules (as imported) and the dialect their server speaks. */
const CLIENT_DIALECTS: ReadonlyMap<string, SqlDialect> = new Map<string, SqlDialect>([
  ...[
    "pg",
    "pg-pool",
    "pg-promise",
    "postgres",
    "@neondatabase/serverless",
    "@vercel/postgres",
    "slonik",
    "@databases/pg",
    "drizzle-orm/node-postgres",
    "drizzle-orm/postgres-js",
    "drizzle-orm/neon-http",
    "drizzle-orm/neon-serverless",
    "drizzle-orm/vercel-postgres",
    "@mikro-orm/postgresql",
  ].map((m): [string, SqlDialect] => [m, "postgresql"]),
  ...["mysql", "mysql2", "@planetscale/database", "drizzle-orm/mysql2", "drizzle-orm/planetscale-serverless", "@mikro-orm/mysql"].map(
    (m): [string, SqlDialect] => [m, "mysql"],
  ),
  ["mariadb", "mariadb"],
  ...[
    "better-sqlite3",
    "sqlite3",
    "sqlite",
    "@libsql/client",
    "drizzle-orm/better-sqlite3",
    "drizzle-orm/d1",
    "drizzle-orm/libsql",
    "node:sqlite",
    "bun:sqlite",
  ].map((m): [string, SqlDialect] => [m, "sqlite"]),
  ...["mssql", "tedious"].map((m): [string, SqlDialect] => [m, "transactsql"]),
]);

/** Driver names in builder and ORM configuration (knex `client`, Sequelize `dialect`, TypeORM `type`) and URL schemes. */
const DRIVER_DIALECTS: ReadonlyMap<string, SqlDialect> = new Map<string, SqlDialect>([
  ...["pg", "postgres", "postgresql", "pg-native", "cockroachdb", "neon"].map((m): [string, SqlDialect] => [m, "postgresql"]),
  ...["mysql", "mysql2"].map((m): [string, SqlDialect] => [m, "mysql"]),
  ["mariadb", "mariadb"],
  ...["sqlite", "sqlite3", "better-sqlite3", "libsql"].map((m): [string, SqlDialect] => [m, "sqlite"]),
  ...["mssql", "tedious"].map((m): [string, SqlDialect] => [m, "transactsql"]),
]);

/** The dialect of the database a SQL sink's client talks to, or undefined when nothing says. */
export function sqlDialectOf(host: ModelHost, site: CallSite): SqlDialect | undefined {
  const model = site.recv?.model;
  if (model?.kind === "db") {
    const known = model.client !== undefined ? CLIENT_DIALECTS.get(model.client) : undefined;
    const dialect = known ?? configuredDialect(model.config ?? []);
    if (dialect) return dialect;
  }
  return importedDialect(host.file);
}

/** The driver a factory's arguments name: a `client`/`dialect`/`type` option, or a connection URL's scheme. */
function configuredDialect(args: readonly Value[]): SqlDialect | undefined {
  for (const a of args.slice(0, 4)) {
    const scheme = a.str !== null ? /^([a-z][a-z0-9+]*):\/\//i.exec(a.str)?.[1] : undefined;
    const name = scheme ?? (a.props?.get("client") ?? a.props?.get("dialect") ?? a.props?.get("type"))?.str ?? undefined;
    const dialect = name ? DRIVER_DIALECTS.get(name.toLowerCase()) : undefined;
    if (dialect) return dialect;
  }
  return undefined;
}

const byFile = new WeakMap<SourceFile, SqlDialect | null>();
/** `from "pg"`, `require('pg')`, `import("pg")`: the module specifier. */
const SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"'\n]{1,80})["']/gm;

/** The dialect of the SQL clients a file imports, when they all agree (memoised per file). */
function importedDialect(file: SourceFile): SqlDialect | undefined {
  let dialect = byFile.get(file);
  if (dialect === undefined) {
    dialect = null;
    let ambiguous = false;
    for (const m of file.text.matchAll(SPECIFIER)) {
      const found = CLIENT_DIALECTS.get(m[1]!);
      if (!found) continue;
      if (dialect !== null && dialect !== found) ambiguous = true;
      dialect = found;
    }
    if (ambiguous) dialect = null;
    byFile.set(file, dialect);
  }
  return dialect ?? undefined;
}
