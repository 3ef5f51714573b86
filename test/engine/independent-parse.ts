/**
 * Parses independent of the engine's, for tests that re-check what the engine claims (proofs,
 * fixes): node-sql-parser's full build with every literal value blanked, so two statements
 * compare equal when they differ only in their data.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Parser as SqlParser } from "node-sql-parser";

/** Every file under a folder, recursively. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

// SQL: node-sql-parser's full build; the statement shapes with every literal value blanked.
const sqlParser = new SqlParser();
const SQL_DATABASE: Record<string, string> = {
  mysql: "MySQL",
  mariadb: "MariaDB",
  postgresql: "PostgresQL",
  sqlite: "Sqlite",
  transactsql: "TransactSQL",
  bigquery: "BigQuery",
};

/** The parse with literal values blanked; with `types: false`, their types too (a bound value's type is the driver's, not the text's). */
function blankLiterals(node: unknown, types: boolean, depth = 0): unknown {
  if (depth > 200 || node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((n) => blankLiterals(n, types, depth + 1));
  const o = node as Record<string, unknown>;
  const literal = typeof o.type === "string" && /string|number|bool|null/.test(o.type) && "value" in o;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = literal && k === "value" ? "?" : literal && k === "type" && !types ? "literal" : k === "loc" ? undefined : blankLiterals(v, types, depth + 1);
  }
  return out;
}

export function sqlShape(text: string, dialect: string, options: { literalTypes?: boolean } = {}): string {
  return JSON.stringify(blankLiterals(sqlParser.astify(text, { database: SQL_DATABASE[dialect] ?? "MySQL" }), options.literalTypes ?? true));
}
