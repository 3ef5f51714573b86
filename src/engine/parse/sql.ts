/**
 * SQL parsing with node-sql-parser, one single-dialect build per dialect, loaded only when a scan
 * first needs it (the full build is ~0.5 MB gzip and slow to start). Parses are cached by
 * (dialect, text) in a bounded LRU: the same query text in many files costs one parse.
 */
import type { SqlDialect } from "../types";
import { SQL_DIALECTS } from "../types";

// node-sql-parser ships CommonJS builds typed with its own loose AST unions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAst = any;
interface SqlParser {
  astify(sql: string, options?: { database?: string; parseOptions?: { includeLocations?: boolean } }): AnyAst;
}

export type SqlParseResult =
  | { ok: true; ast: AnyAst[]; dialect: SqlDialect }
  | { ok: false; message: string; line?: number; column?: number };

/** node-sql-parser's name for each dialect ("database" option). */
const DATABASE: Record<SqlDialect, string> = {
  mysql: "MySQL",
  postgresql: "PostgreSQL",
  sqlite: "Sqlite",
  mariadb: "MariaDB",
  transactsql: "TransactSQL",
  bigquery: "BigQuery",
};

const parsers = new Map<SqlDialect, SqlParser>();

async function importBuild(dialect: SqlDialect): Promise<{ Parser: new () => SqlParser }> {
  // Literal specifiers so bundlers (wrangler, esbuild) can see every build.
  switch (dialect) {
    case "mysql":
      return (await import("node-sql-parser/build/mysql")) as never;
    case "postgresql":
      return (await import("node-sql-parser/build/postgresql")) as never;
    case "sqlite":
      return (await import("node-sql-parser/build/sqlite")) as never;
    case "mariadb":
      return (await import("node-sql-parser/build/mariadb")) as never;
    case "transactsql":
      return (await import("node-sql-parser/build/transactsql")) as never;
    case "bigquery":
      return (await import("node-sql-parser/build/bigquery")) as never;
  }
}

/** Loads the parser for a dialect (once per isolate/process). */
export async function loadSqlParser(dialect: SqlDialect): Promise<void> {
  if (parsers.has(dialect)) return;
  const mod = await importBuild(dialect);
  const Ctor = mod.Parser ?? (mod as unknown as { default: { Parser: new () => SqlParser } }).default.Parser;
  parsers.set(dialect, new Ctor());
}

/** Dialects tried, in order, when the requested one does not parse a statement. */
export function fallbackOrder(preferred: SqlDialect): SqlDialect[] {
  return [preferred, ...SQL_DIALECTS.filter((d) => d !== preferred)];
}

const CACHE_LIMIT = 512;
const cache = new Map<string, SqlParseResult>();

/**
 * Parses one statement in one dialect (whose parser must be loaded). Cached, never throws.
 */
export function parseSqlIn(text: string, dialect: SqlDialect): SqlParseResult {
  const key = dialect + "\u0000" + text;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const parser = parsers.get(dialect);
  if (!parser) throw new Error(`SQL parser for ${dialect} is not loaded`);
  let result: SqlParseResult;
  try {
    const ast = parser.astify(text, { database: DATABASE[dialect] });
    result = { ok: true, ast: Array.isArray(ast) ? ast : [ast], dialect };
  } catch (error) {
    const e = error as { message?: string; location?: { start?: { line: number; column: number } } };
    result = {
      ok: false,
      message: (e.message ?? String(error)).slice(0, 300),
      line: e.location?.start?.line,
      column: e.location?.start?.column,
    };
  }
  cache.set(key, result);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return result;
}

/**
 * Parses with the preferred dialect, then the others in order (loading them on demand).
 * Returns the first success, or the preferred dialect's error.
 */
export async function parseSql(text: string, preferred: SqlDialect, fallback: boolean): Promise<SqlParseResult> {
  let firstError: SqlParseResult | undefined;
  for (const dialect of fallback ? fallbackOrder(preferred) : [preferred]) {
    await loadSqlParser(dialect);
    const result = parseSqlIn(text, dialect);
    if (result.ok) return result;
    firstError ??= result;
  }
  return firstError!;
}

/** Number of cached parses (for tests and metrics). */
export function sqlCacheSize(): number {
  return cache.size;
}
