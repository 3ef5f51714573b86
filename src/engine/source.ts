/**
 * A submitted file as the engine sees it: its language (from the file name), its text, and a
 * line index that turns character offsets into the 1-based positions findings carry.
 */
import { languageOf } from "./languages";
import { componentScript } from "./parse/component-script";
import type { Language, Location } from "./types";

export { languageOf };

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf("\n");
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based line and 1-based column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line - 1]! + 1 };
  }

  /** Text of a 1-based line without its line break. */
  line(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Character offset of a 1-based line and 0-based column (acorn's convention). */
  offset(line: number, column0: number): number {
    return (this.starts[line - 1] ?? this.text.length) + column0;
  }
}

export interface SourceFile {
  path: string;
  text: string;
  language: Language;
  jsx: boolean;
  lines: LineIndex;
  /** A single-file component's (.vue, .svelte) text as the JS parser reads it: only its script blocks, at their own offsets. */
  script?: string;
}

/** Single-file components: JavaScript or TypeScript in `<script>` blocks, markup around them. */
const COMPONENT = /\.(?:vue|svelte)$/i;

export function createSourceFile(path: string, text: string): SourceFile {
  const { language, jsx } = languageOf(path);
  const file: SourceFile = { path, text, language, jsx, lines: new LineIndex(text) };
  const script = COMPONENT.test(path) ? componentScript(text, path) : null;
  if (script) {
    file.language = script.typescript ? "typescript" : "javascript";
    file.script = script.code;
  }
  return file;
}

/** The Location of the character range [start, end) in a file. */
export function locationOf(file: SourceFile, start: number, end: number): Location {
  const a = file.lines.position(start);
  const b = file.lines.position(Math.max(start, end));
  return { path: file.path, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
}

export type Decoded = { ok: true; text: string } | { ok: false; reason: "binary-file" | "invalid-encoding" };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Text of a submitted file, or why it is not text. Bytes must be valid UTF-8; text that holds
 * NUL characters is binary, and text with U+FFFD was already decoded lossily upstream.
 */
export function decodeContent(content: string | Uint8Array): Decoded {
  let text: string;
  if (typeof content === "string") {
    text = content;
  } else {
    try {
      text = utf8.decode(content);
    } catch {
      return content.indexOf(0) !== -1 ? { ok: false, reason: "binary-file" } : { ok: false, reason: "invalid-encoding" };
    }
  }
  if (text.indexOf("\u0000") !== -1) return { ok: false, reason: "binary-file" };
  if (text.indexOf("\uFFFD") !== -1) return { ok: false, reason: "invalid-encoding" };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

/** Runs of characters that take more than one UTF-8 byte. */
const NON_ASCII = /[^\x00-\x7f]+/g;

/**
 * UTF-8 byte length without encoding the text: one byte per character, plus the extra bytes of
 * each non-ASCII run (a regex finds the runs, so mostly-ASCII code costs one native scan). A
 * surrogate pair is 4 bytes, a lone surrogate 3 (it encodes as U+FFFD).
 */
export function byteLength(content: string | Uint8Array): number {
  if (typeof content !== "string") return content.byteLength;
  let bytes = content.length;
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(content); m !== null; m = NON_ASCII.exec(content)) {
    const end = m.index + m[0].length;
    for (let i = m.index; i < end; i++) {
      const c = content.charCodeAt(i);
      if (c < 0x800) bytes += 1;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (content.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 2;
        i++;
      } else bytes += 2;
    }
  }
  return bytes;
}
