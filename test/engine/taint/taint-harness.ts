/**
 * Runs the taint analysis alone on a snippet and returns its hits as plain records (rule id,
 * line, column, message, flow lines, simulator template), for the interpreter's unit tests.
 */
import { expect } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { parseJs } from "../../../src/engine/parse/js";
import { createSourceFile } from "../../../src/engine/source";
import { analyzeTaint, reportOf } from "../../../src/engine/taint/index";
import { KIND_INFO } from "../../../src/engine/taint/kinds";
import type { SinkTemplate } from "../../../src/engine/simulator/template";
import type { ScanLimits } from "../../../src/engine/types";

export interface HitRecord {
  rule: string;
  line: number;
  column: number;
  message: string;
  confidence: string | undefined;
  /** "line:column message" for each flow step, source first. */
  flow: string[];
  template: SinkTemplate | undefined;
}

export function taintHits(code: string, path = "src/app.js", limits: ScanLimits = { ...DEFAULT_LIMITS }): { hits: HitRecord[]; notices: string[] } {
  const file = createSourceFile(path, code);
  const parsed = parseJs(file);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return { hits: [], notices: [] };
  const analysis = analyzeTaint(parsed.program, file, limits);
  const hits = analysis.hits
    .map((h) => {
      const r = reportOf(h);
      const pos = file.lines.position(h.start);
      return {
        rule: KIND_INFO.get(h.kind)!.rule,
        line: pos.line,
        column: pos.column,
        message: r.message,
        confidence: r.confidence,
        flow: (r.flow ?? []).map((s) => `${s.location.startLine}:${s.location.startColumn} ${s.message}`),
        template: r.simulate?.template,
      };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return { hits, notices: analysis.notices };
}

/** "rule@line:column" for each hit. */
export function where(code: string, path?: string): string[] {
  return taintHits(code, path).hits.map((h) => `${h.rule}@${h.line}:${h.column}`);
}
