/**
 * Path traversal fixes: the data in a file path built from a base directory
 * (`fs.readFile(path.join(BASE, name))`, `"/srv/files/" + name`) is reduced to a file name with
 * `path.basename(name)`, so `../` and absolute paths cannot leave the directory while a plain
 * file name still reaches the same file. The file gets a `path` import when it has none, in its
 * own module style. A path that is the data as a whole, or that starts with it, has no base
 * directory to keep it in; a path with more than one computed part does not say which one the
 * attacker controls: neither gets a mechanical fix.
 *
 * The equivalence check reads the path the original and the patched call build, renders both
 * (the base expression as a stand-in directory, `basename` applied as Node applies it) and
 * resolves them with the path prover: with benign input they resolve to the same file, and with
 * each traversal payload the patched path stays inside the base directory.
 */
import { literalString, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { detectContext } from "../simulator/context";
import { createPathProver, PATH_PARSER } from "../simulator/path";
import { BENIGN, payloadsFor } from "../simulator/payloads";
import type { FixCheck } from "../types";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";
import { addModuleImport, addNamedExport, moduleBindings, nameInUse } from "./module-binding";
import type { Edit } from "./patch";
import { constInit, textPieces, type TextPiece } from "./sink-text";

/** Stands in for a base directory the code computes (`__dirname`, `config.root`) in both renderings. */
const BASE_STAND_IN = "/app";

/** How the code builds a path: its parts (each argument of `path.join`/`path.resolve`, or one concatenation). */
interface PathReading {
  parts: TextPiece[][];
  /** `path.resolve` starts again at an absolute part; `path.join` and concatenation do not. */
  how: "join" | "resolve" | "text";
  /** A computed base directory the path starts with (`__dirname`). */
  base: JsNode | null;
  /** The computed parts after the base: the data. */
  data: JsNode[];
}

/** `path.join(…)`, `join(…)` after `import { join } from "path"`: which one, or null. */
function pathCall(node: JsNode, program: JsNode): "join" | "resolve" | null {
  if (node.type !== "CallExpression") return null;
  const callee = unwrap(node.callee);
  const bindings = moduleBindings(program, "path");
  if (callee.type === "Identifier") {
    const named = bindings.find((b) => b.local === callee.name)?.export;
    return named === "join" || named === "resolve" ? named : null;
  }
  if (callee.type !== "MemberExpression" || callee.computed) return null;
  const object = unwrap(callee.object);
  const name = callee.property.name;
  const isPath = object.type === "Identifier" && bindings.some((b) => b.local === object.name && b.export === null);
  return isPath && (name === "join" || name === "resolve") ? name : null;
}

/** Reads the path an argument builds, following a `const` to where it is built. */
function readPath(arg: JsNode, ancestors: readonly JsNode[], program: JsNode): PathReading {
  let node = unwrap(arg);
  if (node.type === "Identifier") node = unwrap(constInit(node, ancestors) ?? node);
  const how = pathCall(node, program);
  const parts: TextPiece[][] = how
    ? (node.arguments as JsNode[]).map((a) => textPieces(a, ancestors) ?? [{ kind: "expr", node: unwrap(a) }])
    : [textPieces(node, ancestors) ?? [{ kind: "expr", node }]];
  const exprs = parts.flat().flatMap((p) => (p.kind === "expr" ? [p.node] : []));
  // A template literal's pieces start with its first (maybe empty) text: `${dir}/x` starts with dir.
  const first = parts[0]?.find((p) => p.kind === "expr" || p.text !== "");
  const base = first?.kind === "expr" ? first.node : null;
  return { parts, how: how ?? "text", base, data: exprs.filter((e) => e !== base) };
}

/**
 * The argument of a sink call that carries data in a path, with its reading: the first built
 * from a base and data (`rename(upload.path, path.join(DIR, name))` → the second), else the
 * first that is computed whole.
 */
function dataArgument(call: JsNode, ancestors: readonly JsNode[], program: JsNode): { index: number; reading: PathReading } | null {
  const readings = ((call.arguments ?? []) as JsNode[]).map((arg, index) => ({ index, reading: readPath(arg, ancestors, program) }));
  return readings.find((r) => r.reading.data.length > 0) ?? readings.find((r) => r.reading.base) ?? null;
}

function pathPatch(sink: SinkSite): Patch {
  const program = sink.ancestors[0];
  if (!program || sink.node.type !== "CallExpression") return { reason: "the file path is not passed to a call the fix can rewrite" };
  const found = dataArgument(sink.node, sink.ancestors, program);
  if (!found) return { reason: "the file path is not built from parts the fix can read" };
  const { reading } = found;
  if (reading.data.length === 0) {
    return {
      reason:
        "the path is the data as a whole or starts with it, so there is no base directory to keep it in: map the input to a file through an allowlist, or join it to a fixed directory",
    };
  }
  if (reading.data.length > 1) return { reason: "more than one part of the path is computed: the fix cannot tell which one the attacker controls" };
  const data = reading.data[0]!;
  if (isBasename(data, program)) return { reason: "the data is already reduced to a file name" };
  if (multiSegment(data))
    return {
      reason: `\`${sink.source.slice(data.start, data.end)}\` reads as a path with directories in it, which \`path.basename\` would drop: resolve it against the base directory and refuse results outside it`,
    };

  const edits: Edit[] = [];
  const bindings = moduleBindings(program, "path");
  const named = bindings.find((b) => b.export === "basename");
  const module = bindings.find((b) => b.export === null);
  let call: string;
  if (named) call = named.local;
  else if (module) call = `${module.local}.basename`;
  else {
    const withNames = bindings.find((b) => b.container);
    if (withNames && !nameInUse(program, "basename")) {
      edits.push(addNamedExport(withNames, "basename")!);
      call = "basename";
    } else {
      if (nameInUse(program, "path"))
        return { reason: "the file has no `path` import and the name `path` is taken; wrap the value in `path.basename` by hand" };
      edits.push(addModuleImport(program, sink.source, "path", "path"));
      call = "path.basename";
    }
  }
  edits.push({ start: data.start, end: data.start, text: `${call}(` }, { start: data.end, end: data.end, text: ")" });
  return {
    edits,
    description: `Reduces \`${sink.source.slice(data.start, data.end)}\` to a file name with \`path.basename\`, so \`../\` or an absolute path can no longer leave the directory; plain file names reach the same file.`,
  };
}

/** Names of values that hold a relative path with directories rather than a file name (wildcard route parameters, archive entries). */
const MULTI_SEGMENT = /^(path|filepath|file_path|relpath|relative_?path|subpath|sub_?dir|dir|directory|folder|prefix|splat|\*|0|entryName)$/i;

/**
 * Whether a value reads as a path with directories (`req.params[0]` of a wildcard route,
 * `req.query.path`, `dir`), where `basename` would change which file a benign request reaches.
 */
function multiSegment(node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "Identifier") return MULTI_SEGMENT.test(n.name);
  if (n.type !== "MemberExpression") return false;
  const key = n.computed ? (literalString(n.property) ?? (n.property.type === "Literal" ? String(n.property.value) : "")) : n.property.name;
  return MULTI_SEGMENT.test(key);
}

/** `path.basename(x)` / `basename(x)` through the file's `path` bindings. */
function isBasename(node: JsNode, program: JsNode): boolean {
  if (node.type !== "CallExpression") return false;
  const callee = unwrap(node.callee);
  const bindings = moduleBindings(program, "path");
  if (callee.type === "Identifier") return bindings.some((b) => b.local === callee.name && b.export === "basename");
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.name !== "basename") return false;
  const object = unwrap(callee.object);
  return object.type === "Identifier" && bindings.some((b) => b.local === object.name && b.export === null);
}

/** Node's `path.posix.basename`. */
function basename(text: string): string {
  const trimmed = text.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * The text a path reading builds with `value` for its data (the base as a stand-in, `basename`
 * applied), and the text before the data, which the prover takes its base directory from.
 */
function renderPath(reading: PathReading, program: JsNode, value: (prefix: string) => string): { text: string; prefix: string | null } {
  let text = "";
  let prefix: string | null = null;
  reading.parts.forEach((part, i) => {
    let rendered = "";
    for (const p of part) {
      if (p.kind === "text") rendered += p.text;
      else if (p.node === reading.base) rendered += BASE_STAND_IN;
      else {
        const before = text + (i > 0 && reading.how !== "text" ? "/" : "") + rendered;
        prefix ??= before;
        const v = value(before);
        rendered += isBasename(p.node, program) ? basename(v) : v;
      }
    }
    if (i === 0 || reading.how === "text") text += rendered;
    else if (reading.how === "resolve" && rendered.startsWith("/")) text = rendered;
    else text += "/" + rendered;
  });
  return { text, prefix };
}

function pathEquivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Equivalence {
  const program = original.ancestors[0];
  const patchedProgram = patched.ancestors[0];
  const found = program ? dataArgument(original.node, original.ancestors, program) : null;
  if (!program || !patchedProgram || !found) return { outcome: "unknown", evidence: "the original file path could not be read back" };
  const arg = patched.node.arguments?.[found.index];
  const after = arg ? readPath(arg, patched.ancestors, patchedProgram) : null;
  if (!after) return { outcome: "different", evidence: "the patched file path could not be read back" };
  const lexical = found.reading.how !== "text";
  const benignOf = (prefix: string) => BENIGN[detectContext("path", prefix).id];
  const before = renderPath(found.reading, program, benignOf);
  const benign = renderPath(after, patchedProgram, benignOf);
  const prover = (prefix: string | null, text: string) => createPathProver({ constantPrefix: prefix ?? text, lexical });
  const a = prover(before.prefix, before.text).analyze(before.text);
  const b = prover(benign.prefix, benign.text).analyze(benign.text);
  if (!a.ok || !b.ok) return { outcome: "unknown", evidence: `the path does not resolve with benign input: ${!a.ok ? a.message : !b.ok ? b.message : ""}` };
  if (a.structure.resolved !== b.structure.resolved)
    return {
      outcome: "different",
      evidence: `with benign input the patched path resolves to ${b.structure.resolved} where the original reached ${a.structure.resolved}`,
    };
  const context = detectContext("path", before.prefix ?? "");
  const payloads = [...new Set([...(payload ? [payload] : []), ...payloadsFor(context)])];
  let shown: { payload: string; text: string; summary: string } | null = null;
  for (const p of payloads) {
    const attack = renderPath(after, patchedProgram, () => p);
    const c = prover(benign.prefix, benign.text).analyze(attack.text);
    if (!c.ok || !c.structure.inside)
      return { outcome: "different", evidence: `with the payload ${JSON.stringify(p)} the patched path ${c.ok ? c.summary : "does not resolve"}` };
    shown ??= { payload: p, text: attack.text, summary: c.summary };
  }
  if (!shown) return { outcome: "unknown", evidence: "no traversal payload applies to the path" };
  const input = benignOf(before.prefix ?? "");
  const check: FixCheck = {
    payload: shown.payload,
    before: { input, rendered: before.text, structure: a.summary },
    benign: { input, rendered: benign.text, structure: b.summary },
    attack: { input: shown.payload, rendered: shown.text, structure: shown.summary },
    parser: { ...PATH_PARSER },
  };
  return {
    outcome: "same",
    evidence: `With benign input the patched path ${b.summary}, as the original did; with ${payloads.length === 1 ? "the payload" : `each of ${payloads.length} traversal payloads, such as`} ${JSON.stringify(shown.payload)}, it ${shown.summary}.`,
    check,
  };
}

export const PATH_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression"]),
  patch: pathPatch,
  equivalence: (original, patched, payload) => Promise.resolve(pathEquivalence(original, patched, payload)),
};
