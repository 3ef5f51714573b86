/**
 * XSS fixes: HTML a page or a response builds from data gets each piece of data escaped, and a
 * value written whole into markup goes to the text API instead (`el.innerHTML = x` →
 * `el.textContent = x`, jQuery `.html(x)` → `.text(x)`, `insertAdjacentHTML` →
 * `insertAdjacentText`). Escaping uses one small `escapeHtml` helper the patch adds after the
 * file's imports (the five characters HTML gives meaning to, as OWASP's encoder does), so the
 * markup the code writes stays as it was and only the data becomes text.
 *
 * The equivalence check reads the patched sink back, renders it as the browser receives it with
 * benign input and with the attack (the helper applied where the patched code calls it), and
 * parses both with the HTML prover next to the original: the same elements and attributes, and
 * the payload only text.
 */
import type { JsNode } from "../parse/js";
import { detectContext, type HoleContext } from "../simulator/context";
import { createHtmlProver, URL_ATTRIBUTES, type HtmlStructure } from "../simulator/html";
import { BENIGN, payloadsFor } from "../simulator/payloads";
import type { Edit } from "./patch";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";
import { sinkText, type TextPiece } from "./sink-text";

const HELPER = "escapeHtml";

/** The helper the patch adds: `&`, `<`, `>`, `"` and `'` as character references. */
function helperSource(typescript: boolean): string {
  return `const ${HELPER} = (text${typescript ? ": unknown" : ""}) =>\n  String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");\n`;
}

/** What the helper does (and every template engine's escaping output), to render the patched code's output. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Sinks that take markup, the argument that holds it, and the text API that takes the same value as text. */
const CALL_SINKS: ReadonlyMap<string, { argument: number; text?: string }> = new Map([
  ["html", { argument: 0, text: "text" }],
  ["insertAdjacentHTML", { argument: 1, text: "insertAdjacentText" }],
  ["send", { argument: 0 }],
  ["end", { argument: 0 }],
  ["write", { argument: 0 }],
  ["writeln", { argument: 0 }],
]);
const PROPERTY_SINKS: ReadonlyMap<string, string | undefined> = new Map([
  ["innerHTML", "textContent"],
  ["outerHTML", undefined],
  ["body", undefined],
]);

/** Sinks that are not a write of markup the fix can escape, and what to do instead. */
const OTHER_SINKS: Readonly<Record<string, string>> = {
  JSXAttribute: "React's `dangerouslySetInnerHTML`: render the value as a child (`{value}`), which React escapes, or sanitise it with DOMPurify first",
  NewExpression: "the data is marked as safe markup (`SafeString`, `Markup`): escape it before marking it, or do not mark it",
  Property: "the template engine's escaping is switched off: switch it back on (`autoescape: true`, no `noEscape`)",
};

const TEXT_APIS = new Set(["textContent", "innerText", "text", "insertAdjacentText"]);

/** The markup a sink receives: the node, and the text API a whole value could go to instead. */
function markupOf(node: JsNode): { value: JsNode; textApi?: string; rename?: JsNode } | null {
  if (node.type === "AssignmentExpression" && node.operator === "=" && node.left.type === "MemberExpression" && !node.left.computed) {
    const name: string = node.left.property.name;
    if (!PROPERTY_SINKS.has(name)) return null;
    const textApi = PROPERTY_SINKS.get(name);
    return { value: node.right, ...(textApi ? { textApi, rename: node.left.property } : {}) };
  }
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression" || node.callee.computed) return null;
  const row = CALL_SINKS.get(node.callee.property.name);
  const value: JsNode | undefined = row ? node.arguments[row.argument] : undefined;
  if (!row || !value) return null;
  return { value, ...(row.text ? { textApi: row.text, rename: node.callee.property } : {}) };
}

export const HTML_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression", "AssignmentExpression", "JSXAttribute", "NewExpression", "Property"]),

  patch(sink: SinkSite): Patch {
    const other = OTHER_SINKS[sink.node.type];
    if (other) return { reason: other };
    const markup = markupOf(sink.node);
    if (!markup) return { reason: "no mechanical fix for this HTML sink: write the data with a text API or escape it where the markup is built" };
    const src = (n: JsNode) => sink.source.slice(n.start, n.end);
    const built = sinkText(markup.value, sink.ancestors, sink.source);
    const pieces = "reason" in built ? null : built.pieces;
    const holes = pieces?.filter((p): p is TextPiece & { kind: "expr" } => p.kind === "expr") ?? [];
    // A value written whole: the text API takes it as it is.
    if (!pieces || pieces.every((p) => p.kind === "expr")) {
      if (markup.textApi && markup.rename) {
        return {
          edits: [{ start: markup.rename.start, end: markup.rename.end, text: markup.textApi }],
          description: `Writes the value with \`${markup.textApi}\`, which the browser shows as text, instead of parsing it as HTML.`,
        };
      }
    }
    const unsafe = pieces ? unescapable(pieces) : null;
    if (unsafe)
      return { reason: `the data is used ${unsafe}, where HTML escaping does not make it safe; check it against an allowlist (a URL's scheme, a known value)` };
    const helper = helperEdit(sink);
    if ("reason" in helper) return helper;
    const targets = pieces && holes.length > 0 ? holes.map((h) => h.node) : [markup.value];
    const edits: Edit[] = targets.map((n) => ({ start: n.start, end: n.end, text: `${HELPER}(${src(n)})` }));
    if (helper.edit) edits.push(helper.edit);
    const what = targets.length === 1 ? "the data" : `each of the ${targets.length} pieces of data`;
    return {
      edits,
      description: `Escapes ${what} with an \`${HELPER}\` helper before it goes into the HTML, so it is shown as text and the markup around it stays as written.`,
    };
  },

  async equivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Promise<Equivalence> {
    const before = markupOf(original.node);
    const after = markupOf(patched.node);
    const textApi = !after && textApiOf(patched.node);
    if (!before || (!after && !textApi)) return { outcome: "unknown", evidence: "the sinks could not be read back" };
    const prover = await createHtmlProver();
    const beforeText = render(before.value, original, () => null);
    const firstContext = beforeText.contexts[0] ?? detectContext("html", "");
    const attack = payload && payload.includes("<") ? payload : (payloadsFor(firstContext)[0] ?? "<script>alert(1)</script>");
    // The patched sink with a value in the first hole (and benign ones elsewhere), as the browser receives it.
    const patchedWith = (value: string): string => (textApi ? escapeHtml(value) : render(after!.value, patched, (hole) => (hole === 0 ? value : null)).text);
    const benignText = patchedWith(beforeText.values[0] ?? BENIGN["html-text"]);
    const attackText = patchedWith(attack);
    const a = prover.analyze(beforeText.text);
    const b = prover.analyze(benignText);
    const c = prover.analyze(attackText);
    if (!a.ok || !b.ok) return { outcome: "unknown", evidence: `a rendering does not parse as HTML: ${!a.ok ? a.message : !b.ok ? b.message : ""}` };
    if (markupShape(a.structure) !== markupShape(b.structure)) {
      return { outcome: "different", evidence: `with benign input the patched code writes other markup: ${b.summary} where the original wrote ${a.summary}` };
    }
    if (!c.ok || markupShape(c.structure) !== markupShape(b.structure))
      return { outcome: "different", evidence: "the attack payload still changes the patched markup" };
    const rendering = (input: string, rendered: string, structure: string) => ({ input, rendered, structure });
    return {
      outcome: "same",
      evidence: `With benign input the patched code writes the original's markup (${b.summary}), and the payload ${JSON.stringify(attack)} arrives as text.`,
      check: {
        payload: attack,
        before: rendering(beforeText.values[0] ?? "", beforeText.text, a.summary),
        benign: rendering(beforeText.values[0] ?? "", benignText, b.summary),
        attack: rendering(attack, attackText, c.summary),
        parser: prover.parser,
      },
    };
  },
};

/**
 * Where HTML escaping is not enough, described, for the first hole that is there (null when every
 * hole is in text or an ordinary quoted attribute): a URL attribute's start (`javascript:` needs
 * no markup), an event handler or style attribute (the browser decodes the references before it
 * runs the script), an unquoted attribute (a space ends it), a script or style element, a comment
 * or the inside of a tag.
 */
function unescapable(pieces: readonly TextPiece[]): string | null {
  let text = "";
  for (const p of pieces) {
    if (p.kind === "text") {
      text += p.text;
      continue;
    }
    const context = detectContext("html", text);
    if (!escapingSuffices(context)) return context.description;
    text += BENIGN[context.id];
  }
  return null;
}

/**
 * The elements and attributes a page gets, without the attributes' values (data, as text is),
 * except the scheme of a URL attribute's value, which decides whether it runs script.
 */
export function markupShape(structure: HtmlStructure): string {
  return structure.elements
    .map(
      (e) =>
        `${e.name}[${e.attributes.map((a) => (URL_ATTRIBUTES.has(a.name) ? `${a.name}=${/^\s*([a-z][a-z0-9+.-]*):/i.exec(a.value)?.[1]?.toLowerCase() ?? ""}` : a.name)).join(",")}]`,
    )
    .join(" ");
}

/** Whether HTML escaping makes data safe in a hole's context: in text, or in a quoted attribute that is not an event handler or a style. */
export function escapingSuffices(context: HoleContext): boolean {
  return context.id === "html-text" || (context.id === "html-attr" && !/^on|^style$/i.test(context.attribute ?? ""));
}

/** A call or assignment that writes text, not markup: `el.textContent = x`, `$(el).text(x)`, `insertAdjacentText`. */
function textApiOf(node: JsNode): boolean {
  const member = node.type === "AssignmentExpression" ? node.left : node.type === "CallExpression" ? node.callee : null;
  return member?.type === "MemberExpression" && !member.computed && TEXT_APIS.has(member.property.name);
}

/**
 * The markup a value builds with benign input in each hole (the hole's HTML context decides), or
 * with `override(i)` in hole i; a call of the helper escapes what its hole gets.
 */
function render(
  value: JsNode,
  site: SinkSite,
  override: (hole: number) => string | null,
): { text: string; values: string[]; contexts: ReturnType<typeof detectContext>[] } {
  const built = sinkText(value, site.ancestors, site.source);
  const pieces: TextPiece[] = "reason" in built ? [{ kind: "expr", node: value }] : built.pieces;
  let text = "";
  const values: string[] = [];
  const contexts: ReturnType<typeof detectContext>[] = [];
  for (const p of pieces) {
    if (p.kind === "text") {
      text += p.text;
      continue;
    }
    const context = detectContext("html", text);
    const raw = override(values.length) ?? BENIGN[context.id];
    values.push(raw);
    contexts.push(context);
    text += escapes(p.node) ? escapeHtml(raw) : raw;
  }
  return { text, values, contexts };
}

/** Whether an expression is a call of the helper (the value it gets is escaped). */
function escapes(node: JsNode): boolean {
  return node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === HELPER;
}

/** Whether a top-level statement binds the helper's name: a function, a variable, an import or a destructured require. */
function bindsHelper(statement: JsNode): boolean {
  const s = statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
  if (s.type === "FunctionDeclaration") return s.id?.name === HELPER;
  if (s.type === "ImportDeclaration") return s.specifiers.some((x: JsNode) => x.local?.name === HELPER);
  if (s.type !== "VariableDeclaration") return false;
  return s.declarations.some(
    (d: JsNode) =>
      (d.id.type === "Identifier" && d.id.name === HELPER) ||
      (d.id.type === "ObjectPattern" && d.id.properties.some((p: JsNode) => p.value?.type === "Identifier" && p.value.name === HELPER)),
  );
}

/** The edit that adds the helper after the file's imports, none when the file has it, or why it cannot. */
function helperEdit(sink: SinkSite): { edit: Edit | null } | { reason: string } {
  const program = sink.ancestors[0];
  if (!program || program.type !== "Program") return { reason: "the sink is not in a module the fix can add a helper to" };
  const source = sink.source;
  // The file's own escapeHtml (declared or imported at its top level) is used as it is: the re-run dataflow judges it.
  if ((program.body as JsNode[]).some(bindsHelper)) return { edit: null };
  if (new RegExp(`\\b${HELPER}\\b`).test(source)) return { reason: `the file uses the name \`${HELPER}\` for something else` };
  // After a `#!` line, else at the top.
  let at = source.startsWith("#!") ? source.indexOf("\n") + 1 : 0;
  for (const statement of program.body as JsNode[]) {
    const isImport =
      statement.type === "ImportDeclaration" ||
      (statement.type === "ExpressionStatement" && statement.directive !== undefined) ||
      (statement.type === "VariableDeclaration" &&
        statement.declarations.every((d: JsNode) => d.init && /^require\(|^await import\(/.test(source.slice(d.init.start, d.init.end))));
    if (!isImport) break;
    // The helper goes on the line after the last import, as lines of its own.
    const lineEnd = source.indexOf("\n", statement.end);
    at = lineEnd < 0 ? source.length : lineEnd + 1;
  }
  const text = helperSource(sink.typescript);
  return { edit: { start: at, end: at, text: at === source.length && !source.endsWith("\n") ? "\n" + text : text } };
}
