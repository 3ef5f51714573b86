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

/** Old and new line ranges (1-based, inclusive) that change together. */
interface Span {
  oldFrom: number;
  oldTo: number;
  newFrom: number;
  newTo: number;
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
  // Each edit's lines, old and new (1-based, inclusive); edits on a shared line are one span.
  let shift = 0;
  const spans: Span[] = [];
  for (const e of sorted) {
    const newStart = e.start + shift;
    shift += e.text.length - (e.end - e.start);
    const line = old.lineOf(e.start);
    // Whole lines inserted at a line's start change no old line.
    const inserted = e.start === e.end && e.text.endsWith("\n") && old.starts[line - 1] === e.start;
    const span = {
      oldFrom: line,
      oldTo: inserted ? line - 1 : old.lineOf(Math.max(e.start, e.end - 1)),
      newFrom: now.lineOf(newStart),
      newTo: now.lineOf(Math.max(newStart, newStart + e.text.length - 1)),
    };
    const last = spans[spans.length - 1];
    if (last && span.oldFrom <= last.oldTo) {
      last.oldTo = Math.max(last.oldTo, span.oldTo);
      last.newTo = Math.max(last.newTo, span.newTo);
    } else spans.push(span);
  }
  // An edit that rewrites a multi-line expression leaves most of its lines as they were: those are
  // context, not changes. Where a span keeps its line count, lines pair up one to one.
  const same = (a: number, b: number) => old.line(a) === now.line(b);
  const blocks: Span[] = [];
  for (const span of spans) {
    if (span.oldTo - span.oldFrom === span.newTo - span.newFrom) {
      for (let k = 0; k <= span.oldTo - span.oldFrom; k++) {
        if (same(span.oldFrom + k, span.newFrom + k)) continue;
        const last = blocks[blocks.length - 1];
        if (last && last.oldTo === span.oldFrom + k - 1 && last.newTo === span.newFrom + k - 1) {
          last.oldTo++;
          last.newTo++;
        } else blocks.push({ oldFrom: span.oldFrom + k, oldTo: span.oldFrom + k, newFrom: span.newFrom + k, newTo: span.newFrom + k });
      }
      continue;
    }
    while (span.oldFrom < span.oldTo && span.newFrom < span.newTo && same(span.oldFrom, span.newFrom)) {
      span.oldFrom++;
      span.newFrom++;
    }
    while (span.oldTo > span.oldFrom && span.newTo > span.newFrom && same(span.oldTo, span.newTo)) {
      span.oldTo--;
      span.newTo--;
    }
    blocks.push(span);
  }
  // Spans whose context would touch share a hunk, with the unchanged lines between them as context.
  const hunks: Span[][] = [];
  for (const s of blocks) {
    const last = hunks[hunks.length - 1];
    if (last && s.oldFrom - last[last.length - 1]!.oldTo <= 2 * CONTEXT + 1) last.push(s);
    else hunks.push([s]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  // A final line break ends the last line; it does not start another.
  const lastLine = before.endsWith("\n") ? old.lineCount - 1 : old.lineCount;
  for (const hunk of hunks) {
    const first = hunk[0]!;
    const final = hunk[hunk.length - 1]!;
    const oldFrom = Math.max(1, first.oldFrom - CONTEXT);
    const oldTo = Math.min(lastLine, final.oldTo + CONTEXT);
    const newFrom = first.newFrom - (first.oldFrom - oldFrom);
    const newTo = final.newTo + (oldTo - final.oldTo);
    out += `@@ -${oldFrom},${oldTo - oldFrom + 1} +${newFrom},${newTo - newFrom + 1} @@\n`;
    let at = oldFrom;
    for (const s of hunk) {
      for (; at < s.oldFrom; at++) out += line(" ", old, at);
      for (let l = s.oldFrom; l <= s.oldTo; l++) out += line("-", old, l);
      for (let l = s.newFrom; l <= s.newTo; l++) out += line("+", now, l);
      at = s.oldTo + 1;
    }
    for (; at <= oldTo; at++) out += line(" ", old, at);
  }
  return out;
}

/** A diff line; the last line of a text without a final line break says so, as `diff` does. */
function line(mark: string, text: LineIndex, n: number): string {
  const last = n === text.lineCount && !text.text.endsWith("\n");
  return `${mark}${text.line(n)}\n${last ? "\\ No newline at end of file\n" : ""}`;
}
