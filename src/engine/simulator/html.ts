/**
 * Cross-site scripting prover for HTML built from strings (`innerHTML`, `res.send`, templates).
 * What the consumer receives is text a browser parses, so both renderings are parsed by parse5,
 * a WHATWG-compliant parser (tokenizer and tree construction): comment ends such as `--!>` and
 * `<!-->`, raw-text and RCDATA elements, `<!--` inside `<script>`, foreign content (`<svg><style>`
 * holds markup, not raw text), unquoted attributes and character references in attribute values
 * (`javascript&colon;`, `&#106;avascript:`) all read as a browser reads them. The parse is of a
 * whole document, whose implied html/head/body elements are in both renderings alike (and carry
 * the attributes a stray `<body onload>` merges into them) — except for a table or list piece
 * (`<tr>…`, `<td>…`, `<option>…`), which only means something inside its parent and is parsed
 * as a fragment there, as the page the code inserts it into does. `<template>` contents are
 * inert and not read. The attack is proven when it adds an element, an attribute (above all an on* event
 * handler) or a javascript: URL.
 *
 * parse5 is loaded when the first HTML proof runs (its own bundle chunk). The small tokenizer
 * below only says where a hole sits (htmlEndState), to choose payloads; it never decides a verdict.
 */
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

export interface HtmlElement {
  name: string;
  attributes: Array<{ name: string; value: string }>;
}

export interface HtmlStructure {
  elements: HtmlElement[];
}

/** Where a text ends, for hole-context detection. */
export type HtmlEndState =
  | { state: "text" | "tag" | "comment" | "plaintext" }
  | { state: "rawtext"; tag: string }
  | { state: "attr-value"; attribute: string; quote: "" | "'" | '"'; valueSoFar: string };

/** Attributes whose value is a URL a browser may navigate to or load. */
export const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "codebase", "cite", "srcset"]);

/** Elements whose content is text up to their own end tag (scripting enabled). */
const RAW_TEXT = new Set(["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"]);
/** Elements that may run script on their own. */
const SCRIPT_ELEMENTS = new Set(["script", "iframe", "object", "embed", "base", "meta", "frame"]);

/** The installed parse5 version (a test compares it with node_modules). */
export const HTML_PARSER = { name: "parse5", version: "8.1.1" } as const;

type Parse5 = typeof import("parse5");
let parse5: Promise<Parse5> | undefined;

/** A prover for text a browser parses as HTML (loads parse5 on first use). */
export async function createHtmlProver(): Promise<Prover<HtmlStructure>> {
  const p5 = await (parse5 ??= import("parse5"));
  return { parser: { ...HTML_PARSER }, analyze: (text) => analyzeHtml(p5, text), compare: compareHtml };
}

/** The parent a piece of a table or select needs, by the first tag of the text. */
const FRAGMENT_PARENT: Record<string, string> = {
  td: "tr",
  th: "tr",
  tr: "tbody",
  tbody: "table",
  thead: "table",
  tfoot: "table",
  caption: "table",
  colgroup: "table",
  col: "colgroup",
  option: "select",
  optgroup: "select",
};

const MAX_NODES = 100_000;

// parse5's default tree nodes, read loosely.
interface Parse5Node {
  nodeName: string;
  tagName?: string;
  attrs?: Array<{ name: string; value: string; prefix?: string }>;
  childNodes?: Parse5Node[];
  sourceCodeLocation?: unknown;
}

function analyzeHtml(p5: Parse5, text: string): Analysis<HtmlStructure> {
  let document: Parse5Node;
  try {
    const first = /^\s*<([a-zA-Z]+)/.exec(text.slice(0, 64))?.[1]?.toLowerCase();
    const parent = first !== undefined ? FRAGMENT_PARENT[first] : undefined;
    document = parent
      ? p5.parseFragment(p5.defaultTreeAdapter.createElement(parent, p5.html.NS.HTML, []), text, { sourceCodeLocationInfo: true })
      : p5.parse(text, { sourceCodeLocationInfo: true });
  } catch (error) {
    return { ok: false, message: error instanceof RangeError ? "nesting too deep to parse" : shorten(String((error as Error).message ?? error), 200) };
  }
  const elements: HtmlElement[] = [];
  const written: HtmlElement[] = [];
  // Depth-first, in document order; children of <template> (its content fragment) are not visited.
  const stack: Parse5Node[] = [document];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const node = stack.pop()!;
    if (node.tagName !== undefined) {
      const seen = new Set<string>();
      const attributes: HtmlElement["attributes"] = [];
      for (const a of node.attrs ?? []) {
        const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
        if (!seen.has(name)) attributes.push({ name, value: a.value });
        seen.add(name);
      }
      const element = { name: node.tagName, attributes };
      elements.push(element);
      // An element the parser implied (html, head, body) is shown only when it carries attributes.
      if (node.sourceCodeLocation || attributes.length > 0) written.push(element);
    }
    const children = node.childNodes ?? [];
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]!);
  }
  return { ok: true, structure: { elements }, summary: summarize(written) };
}

/** The tokenizer state at the end of `text` (the text before a hole). */
export function htmlEndState(text: string): HtmlEndState {
  return tokenizeHtml(text).end;
}

function compareHtml(benign: HtmlStructure, attack: HtmlStructure): Change[] {
  const changes: Change[] = [];
  const names = (s: HtmlStructure): string[] => s.elements.map((e) => e.name);
  const newNames = added(names(benign), names(attack));
  // The new elements: of each name, the ones past the benign count, richest in handlers first.
  const fresh: HtmlElement[] = [];
  for (const name of new Set(newNames)) {
    const count = newNames.filter((n) => n === name).length;
    const candidates = attack.elements.filter((e) => e.name === name).sort((a, b) => handlers(b).length - handlers(a).length);
    fresh.push(...candidates.slice(0, count));
  }
  for (const element of fresh) {
    const on = handlers(element);
    const active = on.length > 0 || SCRIPT_ELEMENTS.has(element.name) || hasJavascriptUrl(element);
    const with_ = on.length === 0 ? "" : on.length === 1 ? ` with an ${on[0]} handler` : ` with ${on.join(", ")} handlers`;
    changes.push({ rank: active ? 3 : 2, words: `a new <${element.name}> element${with_}` });
  }
  const pairs = (elements: HtmlElement[]): string[] => elements.flatMap((e) => e.attributes.map((a) => `${e.name} ${a.name}`));
  const newAttributes = added([...pairs(benign.elements), ...pairs(fresh)], pairs(attack.elements));
  for (const pair of newAttributes) {
    const [element, attribute] = pair.split(" ") as [string, string];
    changes.push(
      attribute.startsWith("on")
        ? { rank: 3, words: `a new ${attribute} event handler on <${element}>` }
        : { rank: 2, words: `a new ${attribute} attribute on <${element}>` },
    );
  }
  const jsUrls = (s: HtmlStructure): string[] => s.elements.flatMap((e) => e.attributes.filter(isJavascriptUrl).map((a) => `${e.name} ${a.name}`));
  for (const pair of added(jsUrls(benign), jsUrls(attack))) {
    const [element, attribute] = pair.split(" ") as [string, string];
    if (!fresh.some((e) => e.name === element)) changes.push({ rank: 3, words: `the ${attribute} attribute of <${element}> became a javascript: URL` });
  }
  return changes;
}

function handlers(element: HtmlElement): string[] {
  return element.attributes.filter((a) => a.name.startsWith("on")).map((a) => a.name);
}

function hasJavascriptUrl(element: HtmlElement): boolean {
  return element.attributes.some(isJavascriptUrl);
}

function isJavascriptUrl(attribute: { name: string; value: string }): boolean {
  if (!URL_ATTRIBUTES.has(attribute.name)) return false;
  // URL parsing drops leading C0 controls and spaces, and every tab and newline.

  const url = attribute.value
    .slice(0, 200)
    .replace(/[\t\n\r]/g, "")
    .replace(/^[\u0000-\u0020]+/, "");
  return /^javascript:/i.test(url);
}

function summarize(elements: HtmlElement[]): string {
  const n = elements.length;
  const list = elements.slice(0, 12).map((e) => `<${[e.name, ...e.attributes.map((a) => a.name)].join(" ")}>`);
  return `${n} element${n === 1 ? "" : "s"}${n > 0 ? ": " + shorten(list.join(" "), 400) : ""}${n > 12 ? " …" : ""}`;
}

const WHITESPACE = /[\t\n\f\r ]/;

/** Tokenizes HTML into start tags (end tags, text and comments are skipped). Linear time. */
export function tokenizeHtml(text: string): { elements: HtmlElement[]; end: HtmlEndState } {
  const elements: HtmlElement[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) return { elements, end: { state: "text" } };
    i = lt;
    const next = text[i + 1] ?? "";
    if (/[A-Za-z]/.test(next)) {
      const tag = readStartTag(text, i);
      if (!("element" in tag)) return { elements, end: tag.end };
      elements.push(tag.element);
      i = tag.next;
      const name = tag.element.name;
      if (name === "plaintext") return { elements, end: { state: "plaintext" } };
      if (RAW_TEXT.has(name)) {
        const close = new RegExp(`</${name}[\\t\\n\\f\\r />]`, "gi");
        close.lastIndex = i;
        const m = close.exec(text);
        if (!m) return { elements, end: { state: "rawtext", tag: name } };
        i = m.index;
      }
    } else if (text.startsWith("<!--", i)) {
      // `<!-->` and `<!--->` are whole (empty) comments; `--!>` ends one as `-->` does.
      if (text[i + 4] === ">" || text.startsWith("->", i + 4)) {
        i += text[i + 4] === ">" ? 5 : 6;
        continue;
      }
      const dashes = text.indexOf("-->", i + 4);
      const bang = text.indexOf("--!>", i + 4);
      if (dashes < 0 && bang < 0) return { elements, end: { state: "comment" } };
      i = bang >= 0 && (dashes < 0 || bang < dashes) ? bang + 4 : dashes + 3;
    } else if (next === "!" || next === "?" || (next === "/" && !/[A-Za-z]/.test(text[i + 2] ?? "") && i + 2 < n)) {
      const end = text.indexOf(">", i + 2);
      if (end < 0) return { elements, end: { state: "comment" } };
      i = end + 1;
    } else if (next === "/") {
      const end = text.indexOf(">", i + 2);
      if (end < 0) return { elements, end: { state: i + 2 < n ? "tag" : "text" } };
      i = end + 1;
    } else {
      i++;
    }
  }
}

/** Reads a start tag at `<`; an end state instead when the text ends inside it. */
function readStartTag(text: string, start: number): { element: HtmlElement; next: number } | { end: HtmlEndState } {
  const n = text.length;
  let j = start + 1;
  while (j < n && !WHITESPACE.test(text[j]!) && text[j] !== "/" && text[j] !== ">") j++;
  const element: HtmlElement = { name: text.slice(start + 1, j).toLowerCase(), attributes: [] };
  const seen = new Set<string>();
  for (;;) {
    while (j < n && (WHITESPACE.test(text[j]!) || text[j] === "/")) j++;
    if (j >= n) return { end: { state: "tag" } };
    if (text[j] === ">") return { element, next: j + 1 };
    const nameStart = j;
    j++; // The first character may be "=".
    while (j < n && !WHITESPACE.test(text[j]!) && text[j] !== "/" && text[j] !== ">" && text[j] !== "=") j++;
    const name = text.slice(nameStart, j).toLowerCase();
    let k = j;
    while (k < n && WHITESPACE.test(text[k]!)) k++;
    let value = "";
    if (text[k] === "=") {
      j = k + 1;
      while (j < n && WHITESPACE.test(text[j]!)) j++;
      if (j >= n) return { end: { state: "attr-value", attribute: name, quote: "", valueSoFar: "" } };
      const q = text[j];
      if (q === '"' || q === "'") {
        const close = text.indexOf(q, j + 1);
        if (close < 0) return { end: { state: "attr-value", attribute: name, quote: q, valueSoFar: text.slice(j + 1) } };
        value = text.slice(j + 1, close);
        j = close + 1;
      } else {
        const valueStart = j;
        while (j < n && !WHITESPACE.test(text[j]!) && text[j] !== ">") j++;
        if (j >= n) return { end: { state: "attr-value", attribute: name, quote: "", valueSoFar: text.slice(valueStart) } };
        value = text.slice(valueStart, j);
      }
    } else if (k >= n) {
      return { end: { state: "tag" } };
    }
    // A repeated attribute is dropped: the first one wins.
    if (!seen.has(name)) {
      seen.add(name);
      element.attributes.push({ name, value });
    }
  }
}
