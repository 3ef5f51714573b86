/**
 * Server-side template engines: ejs, pug/jade, handlebars/hbs/mustache, nunjucks/swig, and the
 * string-template functions of lodash, underscore and doT.
 *
 * A render call (`res.render(view, locals)`, Koa `ctx.render`, Fastify `reply.view`, Hapi
 * `h.view`) is a sink whose effect finds the view among the submitted files, reads the view's
 * output constructs with a small bounded scanner per engine, and reports each local from the
 * request that the view writes unescaped (`<%- x %>`, `!{x}`, `{{{x}}}`, `{{ x | safe }}`) at its
 * line in the view, with the render call as a step of the flow. Escaped output (`<%= %>`,
 * `#{}`, `{{ }}`) is the safe twin, unless the project switches escaping off for the engine
 * (`autoescape: false`, `noEscape: true`, an identity `escape` function): then the setting is
 * reported as well. A nunjucks/swig `escape` filter escapes whatever the setting says. Template *source* from the request is code injection; render options that are
 * a whole request object pick ejs `settings`/`outputFunctionName` (code) or a handlebars `layout`
 * (a file read); a view name from the request is a path.
 */
import type { JsNode } from "../parse/js";
import type { SourceFile } from "../source";
import { F_CONTAINER, F_LITERAL_OBJ, F_NUMERIC, objectValue, partsOf, textValue, UNKNOWN, withStep, type Model, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import { calleeReceiverName } from "./receiver-names";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";
import { reportCallSink } from "./sink-report";

type Engine = "ejs" | "pug" | "handlebars" | "nunjucks" | "html";

/** The engine a view file is written for, by extension. `.html` views are read with every engine's curly and ejs constructs. */
const ENGINE_OF_EXT = new Map<string, Engine>([
  ["ejs", "ejs"],
  ["pug", "pug"],
  ["jade", "pug"],
  ["hbs", "handlebars"],
  ["handlebars", "handlebars"],
  ["mustache", "handlebars"],
  ["njk", "nunjucks"],
  ["nunjucks", "nunjucks"],
  ["swig", "nunjucks"],
  ["html", "html"],
]);

/** How messages name each engine. */
const ENGINE_NAME: Record<Engine, string> = { ejs: "ejs", pug: "pug", handlebars: "Handlebars", nunjucks: "nunjucks", html: "the template engine" };

/** Output constructs read per view: a bound on work and on findings per view. */
const MAX_OUTPUTS = 400;
/** Longest output expression read; longer ones are not simple local paths. */
const MAX_EXPR = 160;
/** Settings occurrences looked at per code file. */
const MAX_SETTINGS = 100;
/** Characters of the view's own line kept on each side of an output, for the HTML proof. */
const CONTEXT_CHARS = 200;

/** One output construct of a view: where it is, the local path it prints, whether the engine escapes it. */
interface Output {
  start: number;
  end: number;
  path: string[];
  escaped: boolean;
  /** Inside `{% autoescape false %}`: unescaped whatever the environment says. */
  forced: boolean;
  /** Escaped by a filter (`{{ x | escape }}`): escaped whatever the environment or a later `safe` says. */
  filtered?: boolean;
}

interface View {
  file: SourceFile;
  engine: Engine;
  ext: string;
  /** The path without its extension: "views/orders/show". */
  stem: string;
  outputs: Output[] | null;
  /** The names of the partials, layouts and includes the view pulls in, as written. */
  includes: string[] | null;
}

/** A project setting that switches escaping off for an engine: where it is written. */
interface Setting {
  file: SourceFile;
  start: number;
  end: number;
}

/** What the project's files say about its views, read once per project. */
interface Catalog {
  byBase: Map<string, View[]>;
  /** Settings that switch escaping off, per engine they apply to. */
  unescaped: Map<Engine, Setting>;
  /** The `view engine` / `extension` the code configures, if any. */
  viewEngine: string | null;
  /** View folders the code configures (`app.set("views", …)`), plus "views". */
  viewDirs: Set<string>;
  /** Outputs render calls may still look at in this project: many calls of one large view cost no more than this. */
  outputsLeft: number;
}

/** Outputs looked at per project, over all its render calls. */
const MAX_OUTPUT_VISITS = 20_000;

const catalogs = new WeakMap<readonly SourceFile[], Catalog>();

function catalogOf(host: ModelHost): Catalog {
  const files = host.projectFiles();
  let cat = catalogs.get(files);
  if (cat) return cat;
  cat = { byBase: new Map(), unescaped: new Map(), viewEngine: null, viewDirs: new Set(["views"]), outputsLeft: MAX_OUTPUT_VISITS };
  for (const f of files) {
    if (f.language === "text") {
      const dot = f.path.lastIndexOf(".");
      const ext = dot > f.path.lastIndexOf("/") ? f.path.slice(dot + 1).toLowerCase() : "";
      const engine = ENGINE_OF_EXT.get(ext);
      if (!engine) continue;
      const stem = f.path.slice(0, dot);
      const base = stem.slice(stem.lastIndexOf("/") + 1);
      const list = cat.byBase.get(base);
      const view: View = { file: f, engine, ext, stem, outputs: null, includes: null };
      if (list) list.push(view);
      else cat.byBase.set(base, [view]);
    } else if (f.language === "javascript" || f.language === "typescript") readSettings(f, cat);
  }
  catalogs.set(files, cat);
  return cat;
}

// ---------------------------------------------------------------- settings in the code

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Calls `visit(at)` for each occurrence of `word` in the text, at most MAX_SETTINGS times. */
function eachOccurrence(text: string, word: string, visit: (at: number) => void): void {
  let n = 0;
  for (let i = text.indexOf(word); i !== -1 && n < MAX_SETTINGS; i = text.indexOf(word, i + word.length), n++) visit(i);
}

/**
 * Reads, from a code file's text, the settings that decide how views are found and escaped:
 * `autoescape: false` (nunjucks, swig), `compilerOptions: { noEscape: true }` (express-handlebars), an identity `escape`
 * function (ejs), the `view engine`/`extension` and the `views` folder. Text, not dataflow: the
 * configuration is usually in app.js and the render calls in route modules that run first.
 */
function readSettings(f: SourceFile, cat: Catalog): void {
  const text = f.text;
  const after = (i: number, n = 120) => text.slice(i, i + n);
  const set = (engines: Engine[], start: number, end: number) => {
    for (const e of engines) if (!cat.unescaped.has(e)) cat.unescaped.set(e, { file: f, start, end });
  };
  eachOccurrence(text, "autoescape", (i) => {
    const m = /^autoescape["']?\s*:\s*false\b/.exec(after(i));
    if (m) set(["nunjucks", "html"], i, i + m[0].length);
  });
  eachOccurrence(text, "noEscape", (i) => {
    // Only the view engine's `compilerOptions` (express-handlebars, hbs) reach the views; `Handlebars.compile(text, { noEscape: true })` is one template (often a plain-text e-mail).
    const m = /^noEscape["']?\s*:\s*true\b/.exec(after(i));
    if (m && text.slice(Math.max(0, i - 80), i).includes("compilerOptions")) set(["handlebars", "html"], i, i + m[0].length);
  });
  // ejs `{ escape: (s) => s }` or `escapeFunction: s => s`: output written as it is. Other libraries
  // take an `escape` function too (i18next), so only in a file that uses ejs or renders views.
  if (text.includes("ejs") || text.includes(".render("))
    eachOccurrence(text, "escape", (i) => {
      const m = /^escape(?:Function)?["']?\s*:\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*=>\s*([A-Za-z_$][\w$]*)\s*[,}\n]/.exec(after(i, 80));
      if (m && m[1] === m[2] && /[{,\s]$/.test(text.slice(Math.max(0, i - 1), i) || " ")) set(["ejs", "html"], i, i + m[0].length - 1);
    });
  eachOccurrence(text, "view engine", (i) => {
    const m = /^view engine["']\s*,\s*["']\.?([\w-]+)["']/.exec(after(i, 60));
    if (m) cat.viewEngine ??= m[1]!.toLowerCase();
  });
  eachOccurrence(text, "extension", (i) => {
    const m = /^extension["']?\s*:\s*["']\.?([\w-]+)["']/.exec(after(i, 60));
    if (m && ENGINE_OF_EXT.has(m[1]!.toLowerCase())) cat.viewEngine ??= m[1]!.toLowerCase();
  });
  eachOccurrence(text, '"views"', (i) => viewDir(text, i + 7, cat));
  eachOccurrence(text, "'views'", (i) => viewDir(text, i + 7, cat));
}

/** `app.set("views", path.join(__dirname, "templates"))`: the last string literal before the closing parenthesis names the folder. */
function viewDir(text: string, from: number, cat: Catalog): void {
  const m = /^\s*,([^)\n]{0,120})\)/.exec(text.slice(from, from + 140));
  if (!m) return;
  const strings = m[1]!.match(/["'`][\w./-]{1,80}["'`]/g);
  const last = strings?.[strings.length - 1]?.slice(1, -1).replace(/^\.?\/+|\/+$/g, "");
  if (last) cat.viewDirs.add(last.slice(last.lastIndexOf("/") + 1));
}

// ---------------------------------------------------------------- finding the view

/** The submitted view a render call names, or null: `orders/show` → views/orders/show.ejs. */
function findView(host: ModelHost, cat: Catalog, name: string, includerExt?: string): View | null {
  let n = name.replace(/\\/g, "/").replace(/^(?:\.\/|\/)+/, "");
  if (n === "" || n.length > 200) return null;
  const dot = n.lastIndexOf(".");
  let ext: string | null = null;
  if (dot > n.lastIndexOf("/") && ENGINE_OF_EXT.has(n.slice(dot + 1).toLowerCase())) {
    ext = n.slice(dot + 1).toLowerCase();
    n = n.slice(0, dot);
  }
  const base = n.slice(n.lastIndexOf("/") + 1);
  const found = (cat.byBase.get(base) ?? []).filter((v) => (v.stem === n || v.stem.endsWith("/" + n)) && (ext === null || v.ext === ext));
  if (found.length === 0) return null;
  const wanted = includerExt ?? cat.viewEngine;
  const preferred = ext === null && wanted !== null ? found.filter((v) => v.ext === wanted) : [];
  const pool = preferred.length > 0 ? preferred : found;
  const dir = host.file.path.slice(0, host.file.path.lastIndexOf("/") + 1);
  const score = (v: View) => {
    const folder = v.stem.slice(0, v.stem.length - n.length);
    const segments = folder.split("/");
    let common = 0;
    while (common < dir.length && common < v.file.path.length && dir[common] === v.file.path[common]) common++;
    return (cat.viewDirs.has(segments[segments.length - 2] ?? "") ? 1000 : 0) + common;
  };
  let best = pool[0]!;
  for (const v of pool) if (score(v) > score(best) || (score(v) === score(best) && v.file.path < best.file.path)) best = v;
  return best;
}

// ---------------------------------------------------------------- reading a view's outputs

/**
 * A local path (`order.note`, `locals.note`, `this.note`, `note || ""`), also as JSON
 * (`JSON.stringify(user)`, which does not escape `</script>`), or null for anything else (a call,
 * an include).
 */
function pathOf(expr: string): string[] | null {
  let e = expr.trim();
  if (e.startsWith("JSON.stringify(") && e.endsWith(")")) e = e.slice(15, -1).trim();
  const or = e.indexOf("||");
  if (or > 0) e = e.slice(0, or).trim();
  if (e.length === 0 || e.length > MAX_EXPR) return null;
  e = e.replace(/^(?:locals\.|this\.|\.\/)/, "");
  const parts = e.split(".");
  for (const p of parts) if (!IDENT.test(p)) return null;
  return parts;
}

function outputsOf(view: View): Output[] {
  if (view.outputs) return view.outputs;
  const out: Output[] = [];
  const text = view.file.text;
  if (view.engine === "pug") scanPug(text, out);
  else {
    if (view.engine === "ejs" || view.engine === "html") scanEjs(text, out);
    if (view.engine !== "ejs") scanCurly(text, view.engine, out);
  }
  view.outputs = out;
  return out;
}

/** Views rendered for one render call: the view and what it includes, transitively. */
const MAX_VIEWS_PER_RENDER = 12;
/** Includes read per view. */
const MAX_INCLUDES = 40;

/** What each engine pulls other templates in with: ejs `include("x")`, pug `include x`/`extends x`, Handlebars `{{> x}}`, nunjucks `{% include "x" %}`. */
const INCLUDE: Record<Engine, RegExp[]> = {
  ejs: [/\binclude\(\s*["'`]([^"'`\n]{1,200})["'`]/g, /<%[-_]?\s*include\s+([\w./-]{1,200})/g],
  pug: [/^[ \t]*(?:include|extends)[ \t]+([\w./-]{1,200})/gm],
  handlebars: [/\{\{>\s*["']?([\w./-]{1,200})/g],
  nunjucks: [/\{%-?\s*(?:include|extends|import|from)\s+["']([^"'\n]{1,200})["']/g],
  html: [],
};
INCLUDE.html = [...INCLUDE.ejs, ...INCLUDE.handlebars, ...INCLUDE.nunjucks];

function includesOf(view: View): string[] {
  if (view.includes) return view.includes;
  const out: string[] = [];
  for (const re of INCLUDE[view.engine]) {
    re.lastIndex = 0;
    for (let m = re.exec(view.file.text); m && out.length < MAX_INCLUDES; m = re.exec(view.file.text)) out.push(m[1]!);
  }
  view.includes = out;
  return out;
}

/** The view and the templates it includes (relative to it first, then as view names), each once, breadth first. */
function viewsRendered(host: ModelHost, cat: Catalog, view: View): View[] {
  const seen = [view];
  for (let i = 0; i < seen.length && seen.length < MAX_VIEWS_PER_RENDER; i++) {
    const from = seen[i]!;
    for (const name of includesOf(from)) {
      const dir = from.file.path.slice(0, from.file.path.lastIndexOf("/") + 1);
      const found = findView(host, cat, normalise(dir + name), from.ext) ?? findView(host, cat, name, from.ext);
      if (found && !seen.includes(found)) seen.push(found);
      if (seen.length >= MAX_VIEWS_PER_RENDER) break;
    }
  }
  return seen;
}

/** `views/orders/../partials/x` → `views/partials/x`. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "..") out.pop();
    else if (seg !== "." && seg !== "") out.push(seg);
  }
  return out.join("/");
}

/** ejs: `<%- x %>` unescaped, `<%= x %>` escaped. */
function scanEjs(text: string, out: Output[]): void {
  for (let i = text.indexOf("<%"); i !== -1 && out.length < MAX_OUTPUTS; i = text.indexOf("<%", i + 2)) {
    const c = text[i + 2];
    if (c !== "-" && c !== "=") continue;
    const close = text.indexOf("%>", i + 3);
    if (close === -1) return;
    const path = pathOf(text.slice(i + 3, close).replace(/[-_]$/, ""));
    if (path) out.push({ start: i, end: close + 2, path, escaped: c === "=", forced: false });
    i = close;
  }
}

/**
 * Handlebars and mustache: `{{{x}}}` and `{{& x}}` unescaped, `{{x}}` escaped. nunjucks and swig:
 * `{{ x | safe }}` unescaped, `{{ x }}` escaped, and everything inside `{% autoescape false %}`.
 */
function scanCurly(text: string, engine: Engine, out: Output[]): void {
  const unescapedRegions: Array<[number, number]> = [];
  if (engine !== "handlebars") {
    let open = -1;
    let n = 0;
    for (let i = text.indexOf("{%"); i !== -1 && n++ < MAX_OUTPUTS; i = text.indexOf("{%", i + 2)) {
      const close = text.indexOf("%}", i + 2);
      if (close === -1) break;
      const tag = text
        .slice(i + 2, Math.min(close, i + 60))
        .replace(/^-|-$/g, "")
        .trim();
      if (/^autoescape\s+false$/.test(tag)) open = close;
      else if (tag === "endautoescape" && open !== -1) {
        unescapedRegions.push([open, i]);
        open = -1;
      }
      i = close;
    }
    if (open !== -1) unescapedRegions.push([open, text.length]);
  }
  for (let i = text.indexOf("{{"); i !== -1 && out.length < MAX_OUTPUTS; i = text.indexOf("{{", i + 2)) {
    const triple = text.startsWith("{{{", i);
    const close = text.indexOf(triple ? "}}}" : "}}", i + (triple ? 3 : 2));
    if (close === -1) return;
    const end = close + (triple ? 3 : 2);
    let inner = text
      .slice(i + (triple ? 3 : 2), close)
      .replace(/^[-~]|[-~]$/g, "")
      .trim();
    let escaped = !triple;
    if (inner.startsWith("&")) {
      inner = inner.slice(1);
      escaped = false;
    } else if (/^[!#/>^]|^else\b/.test(inner)) {
      i = end - 2;
      continue;
    }
    let filtered = false;
    if (engine !== "handlebars" && !triple) {
      const pipes = inner.split("|");
      inner = pipes[0]!;
      const filters = pipes.slice(1).map((f) => f.trim().replace(/\(.*$/, ""));
      if (filters.includes("safe")) escaped = false;
      filtered = filters.some((f) => f === "escape" || f === "e" || f === "forceescape");
    }
    const path = pathOf(inner);
    const forced = unescapedRegions.some(([a, b]) => i > a && i < b);
    if (path) out.push({ start: i, end, path, escaped, forced, ...(filtered ? { filtered } : {}) });
    i = end - 2;
  }
}

/** pug: `!{x}` and `tag!= x` unescaped, `#{x}` and `tag= x` escaped. */
function scanPug(text: string, out: Output[]): void {
  let lineStart = 0;
  while (lineStart < text.length && out.length < MAX_OUTPUTS) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const code = /^\s*[\w.#:-]*(?:\([^)\n]{0,200}\))?(!?=)\s*/.exec(line);
    if (code && code[0].trim() !== "" && !/^\s*(?:\/\/|-)/.test(line)) {
      const path = pathOf(line.slice(code[0].length).replace(/\r$/, ""));
      if (path) out.push({ start: lineStart + code[0].lastIndexOf(code[1]!), end: lineEnd, path, escaped: code[1] === "=", forced: false });
    } else if (!/^\s*\/\//.test(line)) {
      const open = /[!#]\{/g;
      for (let m = open.exec(line); m && out.length < MAX_OUTPUTS; m = open.exec(line)) {
        const close = line.indexOf("}", m.index + 2);
        if (close === -1) break;
        const path = pathOf(line.slice(m.index + 2, close));
        if (path) out.push({ start: lineStart + m.index, end: lineStart + close + 1, path, escaped: line[m.index] === "#", forced: false });
        open.lastIndex = close + 1;
      }
    }
    lineStart = lineEnd + 1;
  }
}

/** Template constructs in a view's own line, made neutral text so the HTML around an output parses. */
const CONSTRUCT = /<%[^%]{0,200}%>|\{\{\{?[^}]{0,200}\}\}\}?|\{%[^%]{0,200}%\}|\{#[^#]{0,200}#\}/g;

/**
 * The view's HTML around an output, whole lines of about CONTEXT_CHARS on each side (so an
 * output in a `<script>` or an attribute is proven there), for the HTML proof; pug is not HTML,
 * so none.
 */
function contextOf(view: View, o: Output): [string, string] {
  if (view.engine === "pug") return ["", ""];
  const text = view.file.text;
  const from = Math.max(0, o.start - CONTEXT_CHARS);
  const start = from === 0 ? 0 : text.lastIndexOf("\n", from) + 1;
  let end = text.indexOf("\n", Math.min(text.length, o.end + CONTEXT_CHARS));
  if (end === -1) end = text.length;
  // A line longer than the window is cut at the window.
  const before = text.slice(Math.max(start, o.start - 2 * CONTEXT_CHARS), o.start).replace(CONSTRUCT, "x");
  const after = text.slice(o.end, Math.min(end, o.end + 2 * CONTEXT_CHARS)).replace(CONSTRUCT, "x");
  return [before, after];
}

// ---------------------------------------------------------------- render calls

/** The local a view's path reads from the render call's locals, or null. */
function localOf(locals: Value, path: string[]): Value | null {
  let v = locals;
  for (const k of path) {
    const known = v.props?.get(k);
    if (known) v = known;
    else if (v.elem && v.elem !== UNKNOWN && v.elem.taint) v = v.elem;
    else if (v.taint && !v.props) return v;
    else return null;
  }
  return v;
}

/** The locals a render call passes: `res.render(view, locals, cb)`, Koa `ctx.render(view, locals)`. */
function localsOf(site: CallSite): Value | undefined {
  const v = site.args[1];
  return v && !v.fn ? v : undefined;
}

/** Express `res.locals` (Fastify `reply.locals`, Koa `ctx.state`) of each response or context a handler was given. */
const responseLocalsOf = new WeakMap<Model, Value>();

/** The `res.locals` object of a response (`ctx.state` of a Koa context): made on first read, kept for the views the handler renders. */
export function responseLocals(m: Model): Value {
  let v = responseLocalsOf.get(m);
  if (!v) responseLocalsOf.set(m, (v = objectValue(new Map())));
  return v;
}

/**
 * `res.render("orders/show", { note: req.query.note })`: each local from the request that the
 * view writes unescaped is reported at the view's output, and a setting that switched escaping
 * off at the setting.
 */
export function renderView(host: ModelHost, site: CallSite, kind: number): void {
  const name = site.args[0]?.str;
  const locals = localsOf(site);
  const m = site.recv?.model;
  const resLocals = m ? responseLocalsOf.get(m) : undefined;
  if (name == null || !(locals?.taint || locals?.props || locals?.elem || resLocals?.taint)) return;
  const cat = catalogOf(host);
  const view = findView(host, cat, name);
  if (!view) return;
  const call = host.text(site.callee) + "()";
  for (const v of viewsRendered(host, cat, view)) renderOutputs(host, site, kind, call, v, cat, locals, resLocals);
}

/** Reports each output of one rendered view that writes a local from the request unescaped. */
function renderOutputs(
  host: ModelHost,
  site: CallSite,
  kind: number,
  call: string,
  view: View,
  cat: Catalog,
  locals: Value | undefined,
  resLocals: Value | undefined,
): void {
  const setting = cat.unescaped.get(view.engine);
  for (const o of outputsOf(view)) {
    if (cat.outputsLeft-- <= 0) return;
    if (o.filtered) continue;
    const raw = !o.escaped || o.forced;
    if (!raw && !setting) continue;
    // Express renders with the call's locals over `res.locals`, koa-views over `ctx.state`.
    const local = (locals && localOf(locals, o.path)) ?? (resLocals ? localOf(resLocals, o.path) : null);
    if (!local?.taint || local.flags & F_NUMERIC) continue;
    const passed = withStep(local, host.file, site.node.start, site.node.end, `passed to ${call} as the local "${o.path.join(".")}" of ${view.file.path}`);
    const [before, after] = contextOf(view, o);
    const value = textValue([before, ...partsOf(passed), after]);
    const label = clip(view.file.text.slice(o.start, o.end));
    const how = raw
      ? `which ${ENGINE_NAME[view.engine]} writes unescaped`
      : `written unescaped because ${setting!.file.path}:${setting!.file.lines.lineOf(setting!.start)} switches ${ENGINE_NAME[view.engine]}'s escaping off`;
    host.sink({ kind, label, what: `in ${view.file.path}, ${how}`, mode: "text", confidence: "high" }, range(o.start, o.end), value, view.file);
    if (!raw) {
      const s = setting!;
      host.sink(
        {
          kind,
          label: clip(s.file.text.slice(s.start, s.end)),
          what: `as the setting that switches off escaping for ${view.file.path}, which writes it with ${label}`,
          mode: "text",
          confidence: "high",
        },
        range(s.start, s.end),
        value,
        s.file,
      );
    }
  }
}

function range(start: number, end: number): JsNode {
  return { type: "TemplateOutput", start, end };
}

function clip(s: string): string {
  const t = s.replace(/\s+/g, " ");
  return t.length <= 40 ? t : t.slice(0, 39) + "…";
}

/** Render options that are a whole object from the request (`req.body`, `{ ...req.query }`, `Object.assign({}, req.body)`), or null. */
function attackerOptions(site: CallSite): Value | null {
  const v = localsOf(site);
  if (!v) return null;
  // An object literal's own keys are the code's; only what it spreads from the request is the attacker's.
  if (v.taint && !v.parts && !(v.flags & F_LITERAL_OBJ) && (v.taint.obj || v.flags & F_CONTAINER)) return v;
  const e = v.elem;
  if (e && e !== UNKNOWN && e.taint && !e.parts && (e.taint.obj || e.flags & F_CONTAINER)) return e;
  return null;
}

/** The engine that renders a call's view: the view found, else the configured view engine; null when unknown. */
function engineOf(host: ModelHost, site: CallSite): Engine | null {
  const cat = catalogOf(host);
  const name = site.args[0]?.str;
  const view = name == null ? null : findView(host, cat, name);
  if (view) return view.engine;
  return cat.viewEngine === null ? null : (ENGINE_OF_EXT.get(cat.viewEngine) ?? (cat.viewEngine === "ejs" ? "ejs" : null));
}

/** Options from the request reach ejs (or an engine the code does not name, which Express defaults to nothing safer). */
function optionsReachEjs(host: ModelHost, site: CallSite): boolean {
  if (!attackerOptions(site)) return false;
  const e = engineOf(host, site);
  return e === null || e === "ejs" || e === "html";
}

/** The render options' `layout` is set from the request (`{ layout: req.query.layout }`). */
function layoutFromRequest(site: CallSite): Value | null {
  const layout = localsOf(site)?.props?.get("layout");
  return layout?.taint ? layout : null;
}

/** Options from the request reach Handlebars (hbs, express-handlebars), whose `layout` option names a file to read. */
function optionsReachHandlebars(host: ModelHost, site: CallSite): boolean {
  return (attackerOptions(site) !== null || layoutFromRequest(site) !== null) && engineOf(host, site) === "handlebars";
}

/** `res.render(view, req.query)` or `res.render(view, { layout: req.query.layout })` with Handlebars. */
function reportLayout(host: ModelHost, site: CallSite, kind: number): void {
  const whole = attackerOptions(site);
  if (whole) reportCallSink(host, site, kind, whole, LAYOUT_OPTION, "any");
  else
    reportCallSink(
      host,
      site,
      kind,
      layoutFromRequest(site) ?? undefined,
      "as the `layout` render option: the name of the layout template file the engine reads and sends",
      "text",
    );
}

function reportOptions(what: string) {
  return (host: ModelHost, site: CallSite, kind: number) => reportCallSink(host, site, kind, attackerOptions(site) ?? undefined, what, "any");
}

const EJS_OPTIONS = "as the render options: ejs reads `settings`, `outputFunctionName`, `escapeFunction` and `client` from them, which run code on the server";
const LAYOUT_OPTION = "as the render options: their `layout` names the template file the engine reads and sends";

/** Render calls: Express `res.render`, Koa `ctx.render` (koa-views), Fastify `reply.view` (@fastify/view), Hapi `h.view`. */
const RENDER_CALLS: Array<{ method: string; receiver: "response" | "context" }> = [
  { method: "render", receiver: "response" },
  { method: "render", receiver: "context" },
  { method: "view", receiver: "response" },
];

/** Functions that compile or render their first argument as template source. */
const TEMPLATE_SOURCE = [
  "pug:compile",
  "pug:render",
  "pug:compileClient",
  "jade:compile",
  "jade:render",
  "ejs:compile",
  "ejs:render",
  "handlebars:compile",
  "handlebars:precompile",
  "hbs:handlebars.compile",
  "nunjucks:renderString",
  "nunjucks:compile",
  "nunjucks:Template",
  "swig:render",
  "swig:compile",
  "lodash:template",
  "underscore:template",
  "dot:template",
  "dot:compile",
  "mustache:render",
  "hogan.js:compile",
  "eta:render",
];

/** Markup a template engine writes as it is: Handlebars `SafeString`, nunjucks `markSafe`. */
const MARKED_SAFE = ["handlebars:SafeString", "hbs:handlebars.SafeString", "nunjucks:runtime.markSafe", "nunjucks:runtime.SafeString"];

/**
 * A render call that names a view: any response's (`res.render`, `reply.view`, `h.view`), but
 * only a Koa context's (`ctx.render`): Hono's `c.render(content)` renders JSX content, not a file.
 */
function namesView(_host: ModelHost, site: CallSite): boolean {
  const m = site.recv?.model;
  if (m?.kind === "context") return m.flavor === "koa";
  return m?.kind === "response" || calleeReceiverName(site.callee) !== "c";
}

const both =
  (a: (host: ModelHost, site: CallSite) => boolean) =>
  (host: ModelHost, site: CallSite): boolean =>
    namesView(host, site) && a(host, site);

const SINKS: SinkRow[] = [
  ...TEMPLATE_SOURCE.map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "code-injection",
    what: "as template source, which the engine compiles to code",
    mode: "any",
  })),
  { method: "renderString", receiver: "any", argument: 0, rule: "code-injection", what: "as template source, which the engine compiles to code", mode: "any" },
  ...MARKED_SAFE.map((call): SinkRow => ({ call, argument: 0, rule: "xss", what: "as markup the template engine writes without escaping", mode: "text" })),
  ...RENDER_CALLS.flatMap(({ method, receiver }): SinkRow[] => [
    { method, receiver, when: namesView, rule: "xss", effect: renderView, passThrough: true },
    {
      method,
      receiver,
      when: namesView,
      argument: 0,
      rule: "path-traversal",
      what: "as the name of the view template to render (a file path)",
      mode: "text",
      passThrough: true,
    },
    { method, receiver, when: both(optionsReachEjs), rule: "code-injection", effect: reportOptions(EJS_OPTIONS), passThrough: true },
    { method, receiver, when: both(optionsReachHandlebars), rule: "path-traversal", effect: reportLayout, passThrough: true },
  ]),
];

/**
 * What rendering a template string gives: the template's own text (source from the request makes
 * attacker markup); the data is escaped by the engine, so data alone does not taint the result.
 */
const SUMMARIES: SummaryRow[] = ["pug:render", "jade:render", "ejs:render", "nunjucks:renderString", "swig:render", "mustache:render", "eta:render"].map(
  (call): SummaryRow => ({ call, returns: "text" }),
);

export const model: LibraryModel = {
  id: "template-engines",
  description:
    "Server-side template engines: ejs, pug/jade, Handlebars/hbs/mustache, nunjucks/swig, lodash/underscore/doT templates; Express, Koa, Fastify and Hapi render calls and the views they render.",
  // The views a render call reads are exercised by test/fixtures/projects/{express-ejs-views,express-hbs-views,fastify-pug-views,hapi-vision-views,koa-nunjucks-views}.
  fixtures: ["code-injection/report-templates.js", "code-injection/order-notes-preview.js", "path-traversal/themed-pages.js", "xss/template-helpers.js"],
  sinks: SINKS,
  summaries: SUMMARIES,
};
