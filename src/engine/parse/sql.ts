/**
 * SQL parsing with node-sql-parser, one single-dialect build per dialect, loaded only when a scan
 * first needs it (the full build is ~0.5 MB gzip and slow to start). Parses are cached by
 * (dialect, text) in an LRU bounded by entries and by characters: the same query text in many
 * files costs one parse. Without a chosen dialect, a statement is tried in the dialect its file
 * evidently uses first, then in the others.
 */
import type { SqlDialect } from "../types";
import { SQL_DIALECTS } from "../types";

// node-sql-parser ships CommonJS builds typed with its own loose AST unions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAst = any;
interface SqlParser {
  astify(sql: string, options?: { database?: string }): AnyAst;
}

export type SqlParseResult = { ok: true; ast: AnyAst[]; dialect: SqlDialect } | { ok: false; message: string; line?: number; column?: number };

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
      return await import("node-sql-parser/build/mysql");
    case "postgresql":
      return await import("node-sql-parser/build/postgresql");
    case "sqlite":
      return await import("node-sql-parser/build/sqlite");
    case "mariadb":
      return await import("node-sql-parser/build/mariadb");
    case "transactsql":
      return await import("node-sql-parser/build/transactsql");
    case "bigquery":
      return await import("node-sql-parser/build/bigquery");
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

/**
 * Bounds of the parse cache. An AST retains ~17 bytes per SQL character (measured on a 30 KB
 * INSERT), so the cache is bounded by the characters it holds as well as by entries: at most
 * ~5 MB of ASTs in a 128 MB isolate. The cache lives for the isolate and is shared by scans;
 * cached ASTs are read-only for rules.
 */
export const SQL_CACHE_LIMITS = { entries: 512, chars: 262_144 } as const;

/** Longest statement tried in every dialect when the user did not choose one; longer ones get one try. */
export const SQL_FALLBACK_MAX_CHARS = 4_096;

interface CacheEntry {
  result: SqlParseResult;
  weight: number;
}

const cache = new Map<string, CacheEntry>();
let cachedChars = 0;
let hits = 0;
let misses = 0;

function remember(key: string, result: SqlParseResult, weight: number): void {
  if (weight > SQL_CACHE_LIMITS.chars) return;
  cache.set(key, { result, weight });
  cachedChars += weight;
  while (cache.size > SQL_CACHE_LIMITS.entries || cachedChars > SQL_CACHE_LIMITS.chars) {
    const oldest = cache.keys().next().value!;
    cachedChars -= cache.get(oldest)!.weight;
    cache.delete(oldest);
  }
}

/**
 * node-sql-parser's T-SQL grammar reads any `word word…` text ("hello world", "GRANT ALL ON t
 * TO app") as assignments to variables without `@`, which T-SQL does not have. Such a "parse"
 * would stop the fallback at the wrong dialect and hand rules a meaningless tree.
 */
function isBareWordAssignment(node: AnyAst): boolean {
  const stmt = node?.stmt;
  return stmt?.type === "assign" && stmt.left?.type === "var" && !stmt.left.prefix;
}

/**
 * Parses one statement in one dialect (whose parser must be loaded). Cached unless
 * `{ cache: false }` (one-off texts such as attack renderings would only push useful entries
 * out). Never throws: syntax errors, and the stack overflows very deep nesting causes, come back
 * as `ok: false`.
 */
export function parseSqlIn(text: string, dialect: SqlDialect, options: { cache?: boolean } = {}): SqlParseResult {
  const useCache = options.cache ?? true;
  const key = dialect + "\u0000" + text;
  const hit = useCache ? cache.get(key) : undefined;
  if (hit) {
    hits++;
    cache.delete(key);
    cache.set(key, hit);
    return hit.result;
  }
  misses++;
  const parser = parsers.get(dialect);
  if (!parser) throw new Error(`SQL parser for ${dialect} is not loaded`);
  let result: SqlParseResult;
  try {
    const parsed = parser.astify(text, { database: DATABASE[dialect] });
    const ast: AnyAst[] = Array.isArray(parsed) ? parsed : [parsed];
    result = ast.some(isBareWordAssignment)
      ? { ok: false, message: `Not ${dialect}: bare words were read as variable assignments.` }
      : { ok: true, ast, dialect };
  } catch (error) {
    const e = error as { message?: string; location?: { start?: { line: number; column: number } } };
    result = {
      ok: false,
      message: (e.message ?? String(error)).slice(0, 300),
      line: e.location?.start?.line,
      column: e.location?.start?.column,
    };
  }
  if (useCache) remember(key, result, text.length);
  return result;
}

/**
 * Work units of one parser call on `chars` characters, a deterministic stand-in for its CPU time
 * (the engine has no clock): node-sql-parser spends ~0.2–1 ms on a call whatever its length
 * (rejecting a short statement costs as much as accepting it) plus ~2–5 µs per character, so a
 * unit is ~2–5 µs. Charged whether or not the parse cache answers, so budgets and results never
 * depend on what the isolate parsed before.
 */
export function sqlParseWork(chars: number): number {
  return SQL_PARSE_CALL_WORK + chars;
}

const SQL_PARSE_CALL_WORK = 250;

/**
 * Pays for one parser call of the given work; false, with nothing paid, when the budget cannot.
 * Each dialect a statement is tried in is one call.
 */
export type SqlParseCharge = (work: number) => boolean;

/**
 * Parses with the preferred dialect, then (with `fallback`) the others in order, loading them on
 * demand, paying `charge` for each call; statements over SQL_FALLBACK_MAX_CHARS get the
 * preferred dialect only, since a long statement that fails costs tens of milliseconds per
 * dialect. Returns the first success, the preferred dialect's error, or null when not even the
 * first call was paid for.
 */
export async function parseSql(text: string, preferred: SqlDialect, fallback: boolean, charge: SqlParseCharge = () => true): Promise<SqlParseResult | null> {
  let firstError: SqlParseResult | null = null;
  const dialects = fallback && text.length <= SQL_FALLBACK_MAX_CHARS ? fallbackOrder(preferred) : [preferred];
  for (const dialect of dialects) {
    if (!charge(sqlParseWork(text.length))) break;
    await loadSqlParser(dialect);
    const result = parseSqlIn(text, dialect);
    if (result.ok) return result;
    firstError ??= result;
  }
  return firstError;
}

/** Number of cached parses (for tests and metrics). */
export function sqlCacheSize(): number {
  return cache.size;
}

/** Cache counters since the isolate started (or the last clearSqlCache): for tests and benchmarks. */
export function sqlCacheStats(): { entries: number; chars: number; hits: number; misses: number } {
  return { entries: cache.size, chars: cachedChars, hits, misses };
}

/** Empties the parse cache and resets its counters. */
export function clearSqlCache(): void {
  cache.clear();
  cachedChars = hits = misses = 0;
}

/** Constructs only one dialect writes, checked when the user did not name the dialect. */
const DIALECT_SIGNS: ReadonlyArray<[SqlDialect, RegExp]> = [
  ["postgresql", /\$\$|\$[A-Za-z_][A-Za-z0-9_]*\$|\b(?:BIGSERIAL|BYTEA|JSONB|TIMESTAMPTZ|plpgsql|ILIKE)\b|\bSERIAL\s+PRIMARY\b/i],
  ["transactsql", /^[ \t]*GO[ \t]*\r?$|\b(?:NVARCHAR|UNIQUEIDENTIFIER|sp_executesql)\b|\[dbo\]|\bIDENTITY\s*\(/im],
  ["mysql", /\b(?:AUTO_INCREMENT|ENGINE\s*=\s*InnoDB)\b|^DELIMITER[ \t]/im],
  ["sqlite", /\b(?:AUTOINCREMENT|PRAGMA)\b/i],
  ["bigquery", /\b(?:INT64|FLOAT64|STRUCT<|ARRAY<)|`[\w-]+\.[\w-]+\.[\w-]+`/i],
];

/**
 * The dialect a SQL file is evidently written in, from constructs only that dialect uses
 * (`$$` bodies and BYTEA for PostgreSQL, GO lines and NVARCHAR for T-SQL, AUTO_INCREMENT for
 * MySQL…), or null when there is no such sign or signs of several dialects. Used as the first
 * dialect to try, so a PostgreSQL migration does not fail in MySQL first, statement by statement.
 *
 * @example
 *   guessSqlDialect("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, data JSONB)") // "postgresql"
 */
export function guessSqlDialect(text: string): SqlDialect | null {
  const found = DIALECT_SIGNS.filter(([, sign]) => sign.test(text)).map(([dialect]) => dialect);
  return found.length === 1 ? found[0]! : null;
}
