/**
 * A SQL statement handed to SQL rules, wherever it came from: a .sql file, or a SQL string
 * written in JS/TS code. Holds the parser's AST (or null) and maps text offsets back to the file.
 */
import type { SqlDialect } from "../types";

export interface SqlStatement {
  /** The statement text given to the parser (holes of template literals become placeholders). */
  text: string;
  origin: "sql-file" | "js-string";
  /** Character range of the statement (or of the whole string expression) in the file. */
  start: number;
  end: number;
  /** Dialect that parsed it, or the requested one when nothing did. */
  dialect: SqlDialect;
  /** node-sql-parser's AST list, or null when the statement did not parse in any dialect. */
  // node-sql-parser's AST types are loose unions; rules narrow them by `type`.
  ast: any[] | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** File offset of a character offset inside `text` (exact for .sql files, approximate for code strings). */
  fileOffset(index: number): number;
}

/** The placeholder that stands for each interpolated expression of a SQL string built in code. */
export const SQL_HOLE = "__pca_hole__";
