/**
 * Single-file components (`.vue`, `.svelte`) hold JavaScript or TypeScript in `<script>` blocks
 * beside markup. The JS parser reads the file with everything outside those blocks blanked to
 * spaces (line breaks kept), so every offset — and every finding's line and column — is the
 * file's own, while card-number and secret detectors still read the whole file's text.
 *
 * The markup's raw-HTML and URL bindings (`v-html="expr"`, `:href="expr"`, `{@html expr}`,
 * `bind:innerHTML={expr}`, `href={expr}`) become calls in the blanked space, the expression left where it stands:
 * `v-html="note"` reads `;$$vh(note)`, after the script's code (markup before a script is
 * wrapped in a function `$$tpl` called after the last block), so the expressions see the
 * component's state. Models name the calls as sinks
 * (models/vue.ts, models/svelte.ts). A tokenizer-level reading, not a template compiler: an
 * expression acorn cannot read on its own, or a binding with no room around it, is left out.
 * Linear in the text; at most MAX_BINDINGS bindings out of MAX_MATCHES candidates.
 */
import { Parser } from "acorn";

export interface ComponentScript {
  /** The file's text with only its script blocks' content (and the template bindings' calls) left. */
  code: string;
  /** A block says `lang="ts"` (or `lang="typescript"`). */
  typescript: boolean;
}

/** The calls bindings become: models/vue.ts and models/svelte.ts make them sinks. */
export const TEMPLATE_SINKS = { vueHtml: "$$vh", vueUrl: "$$vu", svelteHtml: "$$sh", svelteUrl: "$$su" } as const;
const WRAPPER = "$$tpl";
const MAX_BINDINGS = 200;
/** Candidate bindings looked at (each costs up to a few thousand characters of look-behind). */
const MAX_MATCHES = 2000;
const MAX_EXPRESSION = 2000;
/** Elements whose URL attribute a page follows or loads as a document. */
const URL_BINDINGS: ReadonlyMap<string, string> = new Map([
  ["a", "href"],
  ["area", "href"],
  ["iframe", "src"],
  ["form", "action"],
]);

interface Binding {
  /** Where the attribute or tag starts: the call's name goes right before `exprStart`. */
  from: number;
  exprStart: number;
  exprEnd: number;
  sink: string;
}

/** The script blocks of a component file (and its template's sink bindings), or null when it has none. */
export function componentScript(text: string, path: string): ComponentScript | null {
  const lower = text.toLowerCase();
  /** The parser's text, as UTF-16 code units: markup blanked, script kept, synthetic calls written in. */
  const out = new Uint16Array(text.length);
  /** Whether a position was blanked (markup), so synthetic code may be written there. */
  const free = new Uint8Array(text.length);
  let kept = 0;
  let typescript = false;
  /** The script blocks' content, [start, end). */
  const blocks: Array<[number, number]> = [];
  let at = lower.indexOf("<script", 0);
  const markup = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) out[i] = c;
      else {
        out[i] = 32;
        free[i] = 1;
      }
    }
  };
  while (at >= 0) {
    const tagEnd = lower.indexOf(">", at);
    if (tagEnd < 0) break;
    const attributes = lower.slice(at + 7, tagEnd);
    // `<scripts>` or `<script-x>` is another element.
    if (/^[\s/]|^$/.test(attributes)) {
      if (/\blang\s*=\s*["']?(?:ts|typescript)\b/.test(attributes)) typescript = true;
      const start = tagEnd + 1;
      const close = lower.indexOf("</script", start);
      const end = close < 0 ? text.length : close;
      markup(kept, start);
      for (let i = start; i < end; i++) out[i] = text.charCodeAt(i);
      kept = end;
      blocks.push([start, end]);
    }
    at = lower.indexOf("<script", Math.max(kept, tagEnd + 1));
  }
  if (blocks.length === 0) return null;
  markup(kept, text.length);
  const bindings = path.toLowerCase().endsWith(".svelte") ? svelteBindings(text, free) : vueBindings(text, free);
  if (bindings.length > 0) writeTemplate(text, out, free, bindings, blocks);
  return { code: decode(out), typescript };
}

/** `v-html="expr"`, `:innerHTML="expr"`, and `:href="expr"` on links and frames. */
function vueBindings(text: string, free: Uint8Array): Binding[] {
  const found: Binding[] = [];
  const attribute = /(?:v-html|(?:v-bind)?:(?:innerHTML|href|src|action))[ \t]*=[ \t]*(["'])/g;
  for (let m = attribute.exec(text), seen = 0; m && found.length < MAX_BINDINGS && seen++ < MAX_MATCHES; m = attribute.exec(text)) {
    if (!free[m.index] || inComment(text, m.index)) continue;
    const exprStart = m.index + m[0].length;
    const quote = text.slice(exprStart, exprStart + MAX_EXPRESSION + 1).indexOf(m[1]!);
    if (quote < 0) continue;
    const exprEnd = exprStart + quote;
    const name = m[0].slice(m[0].indexOf(":") + 1).replace(/[ \t]*=.*$/, "");
    const html = m[0].startsWith("v-html") || name === "innerHTML";
    if (!html && URL_BINDINGS.get(elementBefore(text, m.index)) !== name) continue;
    found.push({ from: m.index, exprStart, exprEnd, sink: html ? TEMPLATE_SINKS.vueHtml : TEMPLATE_SINKS.vueUrl });
    attribute.lastIndex = exprEnd + 1;
  }
  return found;
}

/** `{@html expr}`, `bind:innerHTML={expr}` (a contenteditable element's markup), and `href={expr}` on links and frames. */
function svelteBindings(text: string, free: Uint8Array): Binding[] {
  const found: Binding[] = [];
  const tag = /\{@html\s|\bbind:innerHTML=\{|\b(href|src|action)=\{/g;
  for (let m = tag.exec(text), seen = 0; m && found.length < MAX_BINDINGS && seen++ < MAX_MATCHES; m = tag.exec(text)) {
    if (!free[m.index] || inComment(text, m.index)) continue;
    if (m[1] && URL_BINDINGS.get(elementBefore(text, m.index)) !== m[1]) continue;
    const exprStart = m.index + m[0].length;
    const exprEnd = closingBrace(text, exprStart);
    if (exprEnd < 0) continue;
    found.push({ from: m.index, exprStart, exprEnd, sink: m[1] ? TEMPLATE_SINKS.svelteUrl : TEMPLATE_SINKS.svelteHtml });
    tag.lastIndex = exprEnd + 1;
  }
  return found;
}

/** The `}` that ends a Svelte expression (nested braces counted), or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  const limit = Math.min(text.length, from + MAX_EXPRESSION);
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && depth-- === 0) return i;
  }
  return -1;
}

/** Position `at` is inside an HTML comment (commented-out markup binds nothing); looked for within 2,000 characters. */
function inComment(text: string, at: number): boolean {
  const from = Math.max(0, at - 2000);
  const before = text.slice(from, at);
  return before.lastIndexOf("<!--") > before.lastIndexOf("-->");
}

/** The name of the element whose start tag holds position `at`: `a` in `<a class="x" :href=…`. */
function elementBefore(text: string, at: number): string {
  const from = Math.max(0, at - 2000);
  const lt = text.slice(from, at).lastIndexOf("<");
  if (lt < 0) return "";
  return /^<([A-Za-z][\w-]*)/.exec(text.slice(from + lt, from + lt + 40))?.[1]?.toLowerCase() ?? "";
}

/**
 * Writes `function $$tpl() { …calls… }` into the markup's blanked space — between two script
 * blocks, around the bindings of that stretch of markup — and `;$$tpl()` after the last block.
 */
function writeTemplate(text: string, out: Uint16Array, free: Uint8Array, bindings: Binding[], blocks: Array<[number, number]>): void {
  // The stretch of markup holding the first binding, between the blocks around it.
  const first = bindings[0]!.from;
  const before = blocks.filter(([, end]) => end <= first).reduce((m, [, end]) => Math.max(m, end), 0);
  const after = blocks.find(([start]) => start > first)?.[0] ?? text.length;
  const usable = bindings.filter((b) => {
    if (b.exprEnd >= after) return false;
    const call = ";" + b.sink + "(";
    if (b.exprStart - b.from < call.length || !free[b.exprEnd]) return false;
    for (let i = b.exprStart - call.length; i < b.exprStart; i++) if (!free[i]) return false;
    return readsAsExpression(text, b);
  });
  if (usable.length === 0) return;
  const last = usable[usable.length - 1]!.exprEnd;
  // Nothing is written over the usable bindings' own text.
  for (const b of usable) free.fill(0, b.exprStart - (b.sink.length + 2), b.exprEnd + 1);
  const lastScriptEnd = blocks[blocks.length - 1]![1];
  // Markup after every script (Svelte's usual order) runs after the script as it is; markup before
  // a script (Vue's) runs in a wrapper the code calls after the last script.
  if (first < lastScriptEnd) {
    const firstCall = usable[0]!.exprStart - (usable[0]!.sink.length + 2);
    const header = place(free, ["function", WRAPPER, "(", ")", "{"], before, firstCall);
    const close = header ? place(free, ["}"], last + 1, after) : null;
    const call = close ? place(free, [";" + WRAPPER + "()"], Math.max(lastScriptEnd, close[0]! + 1), free.length) : null;
    if (!header || !close || !call) return;
    for (const [token, pos] of [...zip(["function", WRAPPER, "(", ")", "{"], header), ["}", close[0]!] as const, [";" + WRAPPER + "()", call[0]!] as const])
      write(out, token, pos);
  }
  for (const b of usable) {
    const name = ";" + b.sink + "(";
    write(out, name, b.exprStart - name.length);
    for (let i = b.exprStart; i < b.exprEnd; i++) out[i] = text.charCodeAt(i);
    out[b.exprEnd] = 41; // ")"
  }
}

function* zip(tokens: string[], positions: number[]): Generator<readonly [string, number]> {
  for (let i = 0; i < tokens.length; i++) yield [tokens[i]!, positions[i]!] as const;
}

function write(out: Uint16Array, token: string, pos: number): void {
  for (let i = 0; i < token.length; i++) out[pos + i] = token.charCodeAt(i);
}

/** The text of UTF-16 code units, a chunk at a time (argument lists have a length limit). */
function decode(units: Uint16Array): string {
  let s = "";
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode(...units.subarray(i, i + 8192));
  return s;
}

/**
 * Places tokens in order in runs of free positions within [from, to) — a word followed by a free
 * space, so words never join — and marks them used. Their positions, or null when there is no room.
 */
function place(free: Uint8Array, tokens: string[], from: number, to: number): number[] | null {
  const positions: number[] = [];
  let i = from;
  for (const token of tokens) {
    const room = token.length + (/\w$/.test(token) ? 1 : 0);
    let run = 0;
    for (; i < to && run < room; i++) run = free[i] ? run + 1 : 0;
    if (run < room) return null;
    const pos = i - run;
    positions.push(pos);
    free.fill(0, pos, pos + room);
  }
  return positions;
}

/** The binding's expression parses on its own as one JavaScript expression (no HTML entities, no template-only syntax). */
function readsAsExpression(text: string, b: Binding): boolean {
  const expr = text.slice(b.exprStart, b.exprEnd);
  if (expr.trim() === "") return false;
  try {
    const node = Parser.parseExpressionAt(expr, 0, { ecmaVersion: "latest" });
    return expr.slice(node.end).trim() === "";
  } catch {
    return false;
  }
}
