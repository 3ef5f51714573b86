/**
 * A file's language from its name: which parser the engine gives it. Its own module, free of
 * imports, so the widget (src/widget/client/) can name a file's language without bundling a parser.
 */
import type { Language } from "./types";

const LANGUAGES: Record<string, { language: Language; jsx: boolean }> = {
  js: { language: "javascript", jsx: false },
  mjs: { language: "javascript", jsx: false },
  cjs: { language: "javascript", jsx: false },
  jsx: { language: "javascript", jsx: true },
  ts: { language: "typescript", jsx: false },
  mts: { language: "typescript", jsx: false },
  cts: { language: "typescript", jsx: false },
  tsx: { language: "typescript", jsx: true },
  sql: { language: "sql", jsx: false },
};

/** Language and JSX flag from a file name; every other text file is "text" (card data and secrets only). */
export function languageOf(path: string): { language: Language; jsx: boolean } {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (base.endsWith(".d.ts")) return { language: "typescript", jsx: false };
  const dot = base.lastIndexOf(".");
  const ext = dot >= 0 ? base.slice(dot + 1) : "";
  return LANGUAGES[ext] ?? { language: "text", jsx: false };
}
