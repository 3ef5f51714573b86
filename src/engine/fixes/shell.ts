/**
 * Command injection fixes: a command line built from text and run by a shell
 * (`exec("convert " + file + " out.png", cb)`, `` execSync(`ls ${dir}`) ``) becomes the program
 * and an argument list run without one (`execFile("convert", [file, "out.png"], cb)`,
 * `execFileSync("ls", [dir])`), so no character of the data is shell syntax. The constant text
 * is split into words the way the shell would; a value inside a word with constant text around it
 * becomes one argument built by concatenation. Only plain words are split: a command line that
 * uses the shell (pipes, redirections, `;`, `&&`, `$VAR`, `$( )`, backticks, globs, `~`,
 * backslashes) would do something else without it, and gets no mechanical fix.
 *
 * The equivalence check reads the patched call's program and arguments back from its parse and
 * compares them, with benign input, to the command the shell prover reads from the original's
 * rendering (same program, same arguments); with the attack payload the list keeps its length
 * and the payload stays inside one argument.
 */
import { literalString, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import type { FixCheck } from "../types";
import { detectContext } from "../simulator/context";
import { BENIGN } from "../simulator/payloads";
import { createShellProver, SHELL_PARSER } from "../simulator/shell";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";
import { addNamedExport, moduleBindings, nameInUse, references, type ModuleBinding } from "./module-binding";
import type { Edit } from "./patch";
import { constInit, sinkText, textPieces, type TextPiece } from "./sink-text";

/** The shell-running call and the one that runs a program directly with the same options and callback. */
const DIRECT: Record<string, string> = { exec: "execFile", execSync: "execFileSync" };

/** The attack tried when the finding's proof gave none. */
const DEFAULT_PAYLOAD = "; id";

/** Characters that are plain text in an unquoted shell word. */
const PLAIN = /[A-Za-z0-9_\-.,/:=+@%^]/;

/** Shell syntax the fix cannot keep without a shell, in words. */
const SYNTAX: Array<[RegExp, string]> = [
  [/[|]/, "a pipe `|`"],
  [/[;&\n]/, "a command separator (`;`, `&`, `&&` or a newline)"],
  [/[<>]/, "a redirection (`<` or `>`)"],
  [/[$]/, "a `$` expansion (a variable or `$( )`)"],
  [/[`]/, "a backtick command substitution"],
  [/[*?[\]]/, "a glob pattern (`*`, `?` or `[…]`)"],
  [/[~]/, "a `~` home-directory expansion"],
  [/[#]/, "a `#` comment"],
  [/[\\]/, "a backslash escape"],
  [/[(){}]/, "a subshell or brace expansion (`( )` or `{ }`)"],
];

/** Constant text, data the code computes, or a named constant (`BACKUP_DIR`) kept as a reference. */
type WordPart = { text: string } | { node: JsNode } | { named: JsNode; text: string };

/**
 * Splits a command line's pieces into words (see the module header); a reason when the constant
 * text uses shell syntax.
 */
function shellWords(pieces: readonly TextPiece[]): WordPart[][] | { reason: string } {
  const words: WordPart[][] = [];
  let word: WordPart[] | null = null;
  let quote: "" | "'" | '"' = "";
  const add = (part: WordPart): void => {
    word ??= [];
    const last = word[word.length - 1];
    if ("text" in part && !("named" in part) && last && "text" in last && !("named" in last)) last.text += part.text;
    else word.push(part);
  };
  const end = (): void => {
    if (word) words.push(word);
    word = null;
  };
  for (const piece of pieces) {
    if (piece.kind === "expr") {
      add({ node: piece.node });
      continue;
    }
    // A named constant of plain characters (`BACKUP_DIR`) stays a reference, inside the word it is part of.
    if (piece.named && piece.text !== "" && [...piece.text].every((ch) => PLAIN.test(ch))) {
      add({ named: piece.named, text: piece.text });
      continue;
    }
    for (const ch of piece.text) {
      if (quote === "'") {
        if (ch === "'") quote = "";
        else add({ text: ch });
      } else if (quote === '"') {
        if (ch === '"') quote = "";
        else if (ch === "$" || ch === "`" || ch === "\\")
          return { reason: `the command line uses ${describe(ch)} inside double quotes, which only a shell expands` };
        else add({ text: ch });
      } else if (ch === " " || ch === "\t") end();
      else if (ch === "'" || ch === '"') {
        quote = ch;
        add({ text: "" });
      } else if (PLAIN.test(ch)) add({ text: ch });
      else return { reason: `the command line uses ${describe(ch)}, which needs a shell: run each program with \`execFile\` and connect them in code` };
    }
  }
  if (quote) return { reason: "a quote in the command line is not closed in its constant text" };
  end();
  return words;
}

function describe(ch: string): string {
  return SYNTAX.find(([re]) => re.test(ch))?.[1] ?? `the character ${JSON.stringify(ch)}`;
}

/**
 * How the file names a child_process function: imported by name (`exec` after
 * `const { exec } = require("child_process")`), as a member of the module (`cp.exec`,
 * `require("child_process").exec`), or wrapped once by `promisify` (`const run = promisify(exec)`).
 */
type ExecRef =
  | { via: "named"; method: string; binding: ModuleBinding }
  | { via: "member"; method: string; node: JsNode }
  | { via: "promisified"; method: string; declarator: JsNode; statement: JsNode; inner: Exclude<ExecRef, { via: "promisified" }> };

function execRef(node: JsNode, program: JsNode, wrapped = false): ExecRef | null {
  const n = unwrap(node);
  const bindings = moduleBindings(program, "child_process");
  if (n.type === "Identifier") {
    const named = bindings.find((b) => b.local === n.name && b.export !== null);
    if (named) return { via: "named", method: named.export!, binding: named };
    if (wrapped) return null;
    for (const statement of program.body as JsNode[]) {
      if (statement.type !== "VariableDeclaration" || statement.kind !== "const") continue;
      const declarator = (statement.declarations as JsNode[]).find((d) => d.id.type === "Identifier" && d.id.name === n.name);
      const init = declarator?.init ? unwrap(declarator.init) : null;
      if (!declarator || !init || init.type !== "CallExpression" || init.arguments.length !== 1 || !/(^|\.)promisify$/.test(calleeName(init.callee))) continue;
      const inner = execRef(init.arguments[0], program, true);
      if (inner && inner.via !== "promisified") return { via: "promisified", method: inner.method, declarator, statement, inner };
    }
    return null;
  }
  if (n.type !== "MemberExpression" || n.computed || n.property.type !== "Identifier") return null;
  const object = unwrap(n.object);
  const moduleObject =
    (object.type === "Identifier" && bindings.some((b) => b.local === object.name && b.export === null)) ||
    (object.type === "CallExpression" &&
      unwrap(object.callee).name === "require" &&
      literalString(object.arguments[0])?.replace(/^node:/, "") === "child_process");
  return moduleObject ? { via: "member", method: n.property.name, node: n } : null;
}

/** `promisify`, `util.promisify` → the name as written. */
function calleeName(node: JsNode): string {
  const n = unwrap(node);
  if (n.type === "Identifier") return n.name;
  return n.type === "MemberExpression" && !n.computed ? `${calleeName(n.object)}.${n.property.name}` : "";
}

/**
 * Options and callback after the command: kept as they are, unless they could turn a shell on
 * again. Options are read where they are written: in the call, or a `const` object before it.
 */
function keptArguments(args: readonly JsNode[], ancestors: readonly JsNode[]): { reason: string } | null {
  for (const arg of args.map(unwrap)) {
    if (arg.type === "ArrowFunctionExpression" || arg.type === "FunctionExpression") continue;
    if (arg.type === "Identifier" && /^(cb|callback|done|next|handler)$|^on[A-Z]|Callback$/.test(arg.name)) continue;
    const init = arg.type === "Identifier" ? constInit(arg, ancestors) : null;
    const a = init ? unwrap(init) : arg;
    if (a.type === "ObjectExpression") {
      const shell = a.properties.some((p: JsNode) => p.type !== "Property" || p.computed || (p.key.name ?? p.key.value) === "shell");
      if (!shell) continue;
      return { reason: "the call's options set `shell` (or spread other options): `execFile` would hand the arguments to a shell again" };
    }
    return {
      reason: "the call's options are not written in the call or a `const` before it: `execFile` runs a shell when they set `shell`, which the fix cannot see",
    };
  }
  return null;
}

/** Node types that need no parentheses as an operand of `+`. */
const ATOMIC = new Set(["Identifier", "MemberExpression", "CallExpression", "Literal", "TemplateLiteral", "ThisExpression", "NewExpression"]);

function stringLiteral(text: string, quote: string): string {
  return quote === "'" ? `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'` : JSON.stringify(text);
}

/** One argument as JavaScript: a string, an expression, or their concatenation. */
function argumentSource(word: readonly WordPart[], src: (n: JsNode) => string, quote: string): string {
  const print = (p: WordPart): string =>
    "named" in p ? src(p.named) : "text" in p ? stringLiteral(p.text, quote) : ATOMIC.has(p.node.type) ? src(p.node) : `(${src(p.node)})`;
  if (word.length === 1) {
    const only = word[0]!;
    return "node" in only ? src(only.node) : print(only);
  }
  const printed = word.map(print);
  // Two expressions first would add before concatenating: make the first one text.
  const literal = (p: WordPart) => "text" in p && !("named" in p);
  if (!literal(word[0]!) && !literal(word[1]!)) printed[0] = `String(${printed[0]})`;
  return printed.join(" + ");
}

function shellPatch(sink: SinkSite): Patch {
  const program = sink.ancestors[0];
  const callee = sink.node.type === "CallExpression" ? unwrap(sink.node.callee) : null;
  if (!program || !callee) return { reason: "the shell command is not run by a call the fix can rewrite" };
  const ref = execRef(callee, program);
  if (!ref || !(ref.method in DIRECT) || (ref.via === "promisified" && ref.method !== "exec")) {
    return callee.type === "Identifier"
      ? { reason: `\`${callee.name}\` is not child_process's \`exec\` or \`execSync\` (imported by name, or wrapped by \`promisify\`) in this file` }
      : { reason: "the call is not child_process's `exec` or `execSync` (a library's own exec takes no argument list)" };
  }
  const [command, ...rest] = sink.node.arguments as JsNode[];
  if (!command) return { reason: "the call has no command argument" };
  const built = sinkText(command, sink.ancestors, sink.source);
  if ("reason" in built) return { reason: built.reason.replace("query text", "command line") };
  let declaration: Edit | null = null;
  if (built.node !== unwrap(command)) {
    declaration = removableDeclaration(built.node, sink);
    if (!declaration)
      return { reason: "the command line is built in a variable away from the call; pass the program and an argument list to `execFile` where it is built" };
  }
  const words = shellWords(built.pieces);
  if ("reason" in words) return words;
  const [first, ...args] = words;
  if (!first || first.some((p) => "node" in p)) return { reason: "the data chooses the program to run: map it through an allowlist of programs" };
  const programName = first.map((p) => ("text" in p ? p.text : "")).join("");
  const src = (n: JsNode) => sink.source.slice(n.start, n.end);
  if (programName === "" || programName.includes("=")) return { reason: "the command line starts with a variable assignment, which needs a shell" };
  const kept = keptArguments(rest, sink.ancestors);
  if (kept) return kept;

  const direct = DIRECT[ref.method]!;
  const edits: Edit[] = [];
  let calleeText: string;
  if (ref.via === "promisified") {
    // The wrapper is used only here: it wraps execFile from now on, under a name that says so; else a second wrapper joins it.
    const local: string = ref.declarator.id.name;
    const replacing = references(program, local) === 2;
    const name = /exec/i.test(local) ? local.replace(/exec/i, (m) => m + "File") : `${local}File`;
    if (nameInUse(program, name)) return { reason: `the name \`${name}\` is already used in this file` };
    const inner = directReference(ref.inner, program, direct, replacing, src);
    if ("reason" in inner) return inner;
    edits.push(...inner.edits);
    const wrapper = unwrap(ref.declarator.init);
    if (replacing) {
      edits.push({ start: ref.declarator.id.start, end: ref.declarator.id.end, text: name });
      edits.push({ start: wrapper.arguments[0].start, end: wrapper.arguments[0].end, text: inner.text });
    } else {
      const indent = /[ \t]*$/.exec(sink.source.slice(0, ref.statement.start))![0];
      edits.push({ start: ref.statement.end, end: ref.statement.end, text: `\n${indent}const ${name} = ${src(wrapper.callee)}(${inner.text});` });
    }
    calleeText = name;
  } else {
    const reference = directReference(ref, program, direct, ref.via === "named" && references(program, ref.binding.local) === 2, src);
    if ("reason" in reference) return reference;
    edits.push(...reference.edits);
    calleeText = reference.text;
  }
  edits.push(narrowed({ start: callee.start, end: callee.end, text: calleeText }, sink.source));
  const list = args.map((w) => argumentSource(w, src, built.quote)).join(", ");
  edits.push({ start: command.start, end: command.end, text: `${argumentSource(first, src, built.quote)}, [${list}]` });
  if (declaration) edits.push(declaration);
  return {
    edits,
    description: `Runs \`${programName}\` with \`${direct}\` and an argument list instead of a shell command line, so the data is passed as ${args.length === 1 ? "an argument" : "arguments"} and never read as shell syntax.`,
  };
}

/**
 * An edit cut down to the characters that change (`exec` → `execFile` inserts `File`), so a
 * renamed callee reads as the same call in the replacements and the call keeps its start.
 */
function narrowed(edit: Edit, source: string): Edit {
  const old = source.slice(edit.start, edit.end);
  let head = 0;
  while (head < old.length && head < edit.text.length && old[head] === edit.text[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < edit.text.length - head && old[old.length - 1 - tail] === edit.text[edit.text.length - 1 - tail]) tail++;
  return { start: edit.start + head, end: edit.end - tail, text: edit.text.slice(head, edit.text.length - tail) };
}

/**
 * The edit that deletes `const cmd = …;` when it is the statement right before the sink's, alone
 * on its lines: the command moves into the call, where it is built in the same order.
 */
function removableDeclaration(init: JsNode, sink: SinkSite): Edit | null {
  const path = [...sink.ancestors, sink.node];
  for (let i = path.length - 2; i >= 0; i--) {
    const block = path[i]!;
    if (block.type !== "BlockStatement" && block.type !== "Program") continue;
    const body = block.body as JsNode[];
    const at = body.indexOf(path[i + 1]!);
    const previous = at > 0 ? body[at - 1]! : null;
    const declarator = previous?.type === "VariableDeclaration" && previous.declarations.length === 1 ? previous.declarations[0] : null;
    if (!previous || !declarator?.init || unwrap(declarator.init) !== init) return null;
    // From the line break before it, so the diff shows the line removed, not the next one moved.
    const lineBreak = sink.source.lastIndexOf("\n", previous.start - 1);
    const lineEnd = sink.source.indexOf("\n", previous.end);
    if (lineBreak < 0 || sink.source.slice(lineBreak, previous.start).trim() !== "") return null;
    if (sink.source.slice(previous.end, lineEnd < 0 ? sink.source.length : lineEnd).trim() !== "") return null;
    return { start: lineBreak, end: previous.end, text: "" };
  }
  return null;
}

/**
 * How to name `direct` (execFile…) where the file names `ref`: `cp.execFile`, or a name bound
 * next to the imported `exec` — in its place when the one use of `exec` is the one being replaced.
 */
function directReference(
  ref: Exclude<ExecRef, { via: "promisified" }>,
  program: JsNode,
  direct: string,
  replacing: boolean,
  src: (n: JsNode) => string,
): { text: string; edits: Edit[] } | { reason: string } {
  if (ref.via === "member") return { text: `${src(ref.node.object)}.${direct}`, edits: [] };
  const bound = moduleBindings(program, "child_process").find((b) => b.export === direct);
  if (bound) return { text: bound.local, edits: [] };
  if (nameInUse(program, direct)) return { reason: `the name \`${direct}\` is already used in this file for something else` };
  const binder = ref.binding.binder!;
  const edit = replacing ? { start: binder.start, end: binder.end, text: direct } : addNamedExport(ref.binding, direct);
  if (!edit) return { reason: `\`${ref.binding.local}\` is bound in a way the fix cannot add \`${direct}\` next to` };
  return { text: direct, edits: [edit] };
}

/** The patched call read back: the program and each argument's pieces; a reason when it is not an `execFile` call with a constant program. */
function readDirect(call: JsNode, ancestors: readonly JsNode[]): { program: string; args: TextPiece[][] } | { reason: string } {
  const method = call.type === "CallExpression" && ancestors[0] ? execRef(call.callee, ancestors[0])?.method : undefined;
  if (!method || !Object.values(DIRECT).includes(method)) return { reason: "the patched sink is not child_process's `execFile` or `execFileSync`" };
  const [file, list, ...rest] = call.arguments as JsNode[];
  const programPieces = file ? textPieces(file, ancestors) : null;
  if (!programPieces?.every((p) => p.kind === "text")) return { reason: "the patched call's program is not a constant" };
  const program = programPieces.map((p) => (p.kind === "text" ? p.text : "")).join("");
  const array = list ? unwrap(list) : null;
  if (array?.type !== "ArrayExpression") return { reason: "the patched call passes no argument list" };
  if (keptArguments(rest, ancestors)) return { reason: "the patched call's options may run a shell" };
  const args: TextPiece[][] = [];
  for (const element of array.elements as Array<JsNode | null>) {
    if (!element || element.type === "SpreadElement") return { reason: "the patched argument list has spreads or holes, so its length depends on the data" };
    args.push(textPieces(element, ancestors) ?? [{ kind: "expr", node: unwrap(element) }]);
  }
  return { program, args };
}

function shellEquivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Equivalence {
  const command = original.node.arguments?.[0];
  const built = command ? sinkText(command, original.ancestors, original.source) : null;
  if (!built || "reason" in built) return { outcome: "unknown", evidence: "the original command line could not be read back" };
  let rendered = "";
  for (const p of built.pieces) rendered += p.kind === "text" ? p.text : BENIGN[detectContext("shell", rendered).id];
  const analysis = createShellProver().analyze(rendered);
  if (!analysis.ok) return { outcome: "unknown", evidence: `the original command line does not parse with benign input: ${analysis.message}` };
  const commands = analysis.structure.commands;
  if (commands.length !== 1 || analysis.structure.substitutions > 0)
    return { outcome: "unknown", evidence: `with benign input the original runs ${analysis.summary}, not one program` };
  const direct = readDirect(patched.node, patched.ancestors);
  if ("reason" in direct) return { outcome: "different", evidence: direct.reason };
  const benignValue = BENIGN["shell-unquoted"];
  const attack = payload || DEFAULT_PAYLOAD;
  const argv = (value: string) => [direct.program, ...direct.args.map((pieces) => pieces.map((p) => (p.kind === "text" ? p.text : value)).join(""))];
  const before = commands[0]!.argv;
  const benign = argv(benignValue);
  if (JSON.stringify(before) !== JSON.stringify(benign)) {
    return {
      outcome: "different",
      evidence: `with benign input the patched call runs ${JSON.stringify(benign)} where the original's shell ran ${JSON.stringify(before)}`,
    };
  }
  const attacked = argv(attack);
  const carrying = direct.args.filter((pieces) => pieces.some((p) => p.kind === "expr")).length;
  if (carrying === 0)
    return { outcome: "same", ...sameResult(rendered, analysis.summary, benign, attacked, attack, benignValue, "no longer reaches the command") };
  return { outcome: "same", ...sameResult(rendered, analysis.summary, benign, attacked, attack, benignValue, "stays inside one argument") };
}

function sameResult(
  rendered: string,
  summary: string,
  benign: string[],
  attacked: string[],
  payload: string,
  benignValue: string,
  where: string,
): { evidence: string; check: FixCheck } {
  const structure = (argv: string[]) => `runs ${argv[0]} with ${argv.length - 1} argument${argv.length === 2 ? "" : "s"}, no shell`;
  return {
    evidence: `With benign input the patched call runs ${JSON.stringify(benign)}, the program and arguments the original's shell command gave (${summary}); the payload ${JSON.stringify(payload)} ${where}, and no shell reads it.`,
    check: {
      payload,
      before: { input: benignValue, rendered, structure: summary },
      benign: { input: benignValue, rendered: JSON.stringify(benign), structure: structure(benign) },
      attack: { input: payload, rendered: JSON.stringify(attacked), structure: structure(attacked) },
      parser: { ...SHELL_PARSER },
    },
  };
}

export const SHELL_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression"]),
  patch: shellPatch,
  equivalence: (original, patched, payload) => Promise.resolve(shellEquivalence(original, patched, payload)),
};
