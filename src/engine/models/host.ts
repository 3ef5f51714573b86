/**
 * The small interface through which library models ask the taint interpreter for what only it
 * knows: the text of a node, a tainted value for a source, a callback run in place, a value that
 * reached a sink. The interpreter implements it (taint/interpreter.ts); models never import the
 * interpreter, so the dataflow core and the library knowledge stay apart and a model is tested
 * through the fixtures that exercise it.
 */
import type { JsNode } from "../parse/js";
import type { SourceFile } from "../source";
import type { Confidence, Proof, SqlDialect } from "../types";
import type { FnRef, Value } from "../taint/value";

/** What a sink does with a tainted value, and how to read the value there. */
export type SinkMode =
  /** Text the sink interprets (SQL, a shell command, a path…). */
  | "text"
  /** A URL fetched by the server: dangerous when the attacker reaches the scheme or host. */
  | "url"
  /** A URL the browser is sent to: also dangerous as "//host" after a lone "/". */
  | "redirect"
  /** A URL a page follows or loads as a document (a link, a frame, a navigation): dangerous when the attacker writes its scheme (`javascript:`). */
  | "script-url"
  /** A MongoDB-style query document. */
  | "nosql"
  /** A Koa `ctx.body`, jQuery's `$(text)`: HTML only when the text starts with "<". */
  | "koa-body"
  /** Any attacker data in the value, text or object (a program name, a merge source…). */
  | "any";

export interface SinkSpec {
  kind: number;
  /** The sink as written: "pool.query()", "element.innerHTML". */
  label: string;
  /** How the sink uses the value, completing "<source> flows into <label> …": "as SQL text". */
  what: string;
  mode: SinkMode;
  confidence: Confidence;
  /** Constant text the sink puts before the value (a condition fragment becomes `SELECT … WHERE <fragment>`). */
  prefix?: string;
  /** For SQL sinks: the dialect of the database the sink's client talks to (`pg` → postgresql), when known. */
  dialect?: SqlDialect;
  /** A proof the sink already has (a regular expression's measured backtracking): the finding carries it as it is. */
  proof?: Proof;
}

export interface CallSite {
  node: JsNode;
  /** The callee without TypeScript and optional-chain wrappers. */
  callee: JsNode;
  /** The receiver of a method call. */
  recv: Value | null;
  /** The method's static name. */
  method: string | null;
  /** The callee's value. */
  fn: Value;
  args: Value[];
  isNew: boolean;
}

/** How a source's value is shaped (see Interpreter.source). */
export interface SourceOptions {
  /** The value may be an object the attacker shapes, not only text. */
  obj?: boolean;
  /** Value flags (value.ts F_*): a whole container, the server's own URL… */
  flags?: number;
  /** Injection kinds the value is already safe for. */
  safe?: number;
  /** The operator's own input (command-line arguments) rather than a remote attacker's. */
  local?: boolean;
  /** Read back from the application's own database (second-order injection, stored XSS). */
  stored?: boolean;
  /** The source as written, when not the node's text. */
  label?: string;
  /** How sure the model is that the data is an attacker's (an archive read from a path the code does not show): findings from it are no surer. */
  confidence?: Confidence;
}

/** How a function is analysed when a model runs it in place: with given arguments, or as an entry point. */
export type InlineMode = "call" | "entry" | "route" | "event";

/** What models may ask of the interpreter. */
export interface ModelHost {
  /** The file being analysed. */
  readonly file: SourceFile;
  /** The file is a server-actions module (`"use server"` at the top). */
  readonly useServer: boolean;
  /** Source text of a node, collapsed and clipped for messages. */
  text(node: JsNode): string;
  /** A tainted value for a source expression. */
  source(node: JsNode, what: string, options?: SourceOptions): Value;
  /** The result of an unmodelled method called on attacker data: attacker text. */
  deriveCall(base: Value, method: string, node: JsNode): Value;
  /** The value a getter returns. */
  getter(ref: FnRef): Value;
  /** The model value of a global name (`fetch`, `location`), even when shadowed. */
  global(name: string): Value;
  /** Runs a function in place (a callback, a handler) and gives what it returns. */
  callInline(ref: FnRef, args: Value[], thisValue: Value, mode: InlineMode, what?: string): Value;
  /** A value reached a sink: at `node` in the file being analysed, or in `file` (a view template the call renders). */
  sink(spec: SinkSpec, node: JsNode, value: Value, file?: SourceFile): void;
  /** The files analysed with this project: its modules, then the scan's other text files (view templates a model reads). */
  projectFiles(): readonly SourceFile[];
  /** The value a variable holds here. */
  valueOf(name: string): Value | null;
  /** Any element or property of a value. */
  anyProp(obj: Value): Value;
  /** The values a `for…of` or spread of a value yields. */
  elementOf(v: Value): Value;
  /** The keys a `for…in` over a value yields. */
  keyOf(v: Value): Value;
  /** The result of a call to something that is not a function of the code: a library function, from its model. */
  callLibrary(site: CallSite): Value;
}
