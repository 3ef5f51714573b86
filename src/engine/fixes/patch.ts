/**
 * A fix as edits to one file's text: applied in memory for verification, printed as a unified
 * diff for people and as line/column replacements for SARIF and the CLI. Edits come from a
 * generator that knows the parsed source, never from guessing at text, so they never overlap.
 */
import { LineIndex } from "../source";
import type { FixReplacement } from "../types";

/** Replace [start, end) of the file's text with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Lines of unchanged context around each hunk, as `diff -u` prints. */
const CONTEXT = 3;

/** The text with the edits applied (edits must not overlap). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Where an offset of the original text is after the edits (an offset inside an edit moves to its
 * end). A node's `end` side does not move past text inserted exactly at it: that text follows the node.
 */
export function mapOffset(offset: number, edits: readonly Edit[], side: "start" | "end" = "start"): number {
  let shift = 0;
  for (const e of edits) {
    const before = e.end < offset || (e.end === offset && (side === "start" || e.start < e.end));
    if (before) shift += e.text.length - (e.end - e.start);
    else if (e.start < offset) return e.start + shift + e.text.length;
  }
  return offset + shift;
}

/** The edits as 1-based line/column replacements of the original text (SARIF `replacements`). */
export function replacementsOf(lines: LineIndex, edits: readonly Edit[]): FixReplacement[] {
  return [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const a = lines.position(e.start);
      const b = lines.position(e.end);
      return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column, text: e.text };
    });
}

/**
 * A unified diff of the edits: one hunk per group of edits whose context overlaps.
 *
 * @example unifiedDiff("db.js", "a\nb\n", "a\nc\n", [{ start: 2, end: 3, text: "c" }])
 * // "--- a/db.js\n+++ b/db.js\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
 */
export function unifiedDiff(path: string, before: string, after: string, edits: readonly Edit[]): string {
  const old = new LineIndex(before);
  const now = new LineIndex(after);
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  // Each edit's changed lines, old and new (1-based, inclusive).
  const spans = sorted.map((e) => {
    const newStart = mapOffset(e.end, sorted) - e.text.length;
    return {
      oldFrom: old.lineOf(e.start),
      oldTo: old.lineOf(Math.max(e.start, e.end - 1)),
      newFrom: now.lineOf(newStart),
      newTo: now.lineOf(Math.max(newStart, newStart + e.text.length - 1)),
    };
  });
  const hunks: Array<(typeof spans)[number]> = [];
  for (const s of spans) {
    const last = hunks[hunks.length - 1];
    if (last && s.oldFrom - last.oldTo <= 2 * CONTEXT + 1) {
      last.oldTo = Math.max(last.oldTo, s.oldTo);
      last.newTo = Math.max(last.newTo, s.newTo);
    } else hunks.push({ ...s });
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  // A final line break ends the last line; it does not start another.
  const lastLine = before.endsWith("\n") ? old.lineCount - 1 : old.lineCount;
  for (const h of hunks) {
    const oldFrom = Math.max(1, h.oldFrom - CONTEXT);
    const oldTo = Math.min(lastLine, h.oldTo + CONTEXT);
    const newFrom = h.newFrom - (h.oldFrom - oldFrom);
    const newTo = h.newTo + (oldTo - h.oldTo);
    out += `@@ -${oldFrom},${oldTo - oldFrom + 1} +${newFrom},${newTo - newFrom + 1} @@\n`;
    for (let l = oldFrom; l < h.oldFrom; l++) out += ` ${old.line(l)}\n`;
    for (let l = h.oldFrom; l <= h.oldTo; l++) out += `-${old.line(l)}\n`;
    for (let l = h.newFrom; l <= h.newTo; l++) out += `+${now.line(l)}\n`;
    for (let l = h.oldTo + 1; l <= oldTo; l++) out += ` ${old.line(l)}\n`;
  }
  return out;
}
