/**
 * JavaScript/TypeScript parsing with acorn. Plain JS parses without locations (node offsets are
 * enough: SourceFile's line index turns them into positions), which is the cheapest parse acorn
 * offers; TypeScript goes through @sveltejs/acorn-typescript, which needs locations. Modules fall
 * back to scripts, and JS that fails both is retried with JSX before it counts as unparseable.
 */
import { Parser, type Options } from "acorn";
import jsx from "acorn-jsx";
import { tsPlugin } from "@sveltejs/acorn-typescript";
import type { SourceFile } from "../source";

/** An ESTree node as acorn (and its plugins) produce it. */
export interface JsNode {
  type: string;
  start: number;
  end: number;
  // ESTree nodes carry many type-specific fields; rules narrow them by `type`.
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type JsParseResult = { ok: true; program: JsNode; sourceType: "module" | "script" } | { ok: false; message: string; line: number; column: number };

let jsxParser: typeof Parser | undefined;
let tsParser: typeof Parser | undefined;
let tsxParser: typeof Parser | undefined;

function parserFor(kind: "js" | "jsx" | "ts" | "tsx"): typeof Parser {
  switch (kind) {
    case "js":
      return Parser;
    case "jsx":
      return (jsxParser ??= Parser.extend(jsx()));
    case "ts":
      return (tsParser ??= Parser.extend(tsPlugin()));
    case "tsx":
      return (tsxParser ??= Parser.extend(tsPlugin({ jsx: true })));
  }
}

function attempt(parser: typeof Parser, text: string, sourceType: "module" | "script", locations: boolean): JsNode {
  const options: Options = {
    ecmaVersion: "latest",
    sourceType,
    locations,
    allowHashBang: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: sourceType === "module",
    allowImportExportEverywhere: sourceType === "module",
  };
  return parser.parse(text, options);
}

/** Parses a JS/TS file once; every rule walks the result. Never throws. */
export function parseJs(file: SourceFile): JsParseResult {
  const ts = file.language === "typescript";
  const kinds: Array<"js" | "jsx" | "ts" | "tsx"> = ts ? (file.jsx ? ["tsx"] : ["ts", "tsx"]) : file.jsx ? ["jsx"] : ["js", "jsx"];
  let first: unknown;
  for (const kind of kinds) {
    for (const sourceType of ["module", "script"] as const) {
      try {
        return { ok: true, program: attempt(parserFor(kind), file.script ?? file.text, sourceType, ts), sourceType };
      } catch (error) {
        first ??= error;
      }
    }
  }
  return describeFailure(first);
}

function describeFailure(error: unknown): JsParseResult {
  if (error instanceof RangeError) {
    return { ok: false, message: "nesting too deep to parse", line: 1, column: 1 };
  }
  const e = error as { message?: string; loc?: { line: number; column: number } };
  const message = (e.message ?? String(error)).replace(/\s*\(\d+:\d+\)$/, "");
  return { ok: false, message, line: e.loc?.line ?? 1, column: (e.loc?.column ?? 0) + 1 };
}
