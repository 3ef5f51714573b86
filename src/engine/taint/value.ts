/**
 * The abstract values the taint interpreter computes. A value says whether attacker data is in
 * it (its taint: where it came from, the steps it took, what it was already made safe for),
 * what text it holds when that matters (constant text with tainted holes, so a sink can hand the
 * attack simulator what it receives), the shape of objects and arrays built in the code, and
 * which known API object it is (an HTTP request, a database pool, the `child_process` module…).
 *
 * Most expressions evaluate to the shared UNKNOWN value, so untainted code allocates little.
 * Taints of function parameters are symbolic: a function is analysed once with them, and each
 * call substitutes the caller's arguments into the summary (see interpreter.ts).
 */
import type { JsNode } from "../parse/js";
import type { SourceFile } from "../source";

/** Where attacker data enters (or, when `param >= 0`, the parameter a summary stands for). */
export interface Origin {
  /** The file the source (or the summarised function's parameter) is in. */
  file: SourceFile;
  start: number;
  end: number;
  /** What the source is, in words: "HTTP query parameter". */
  what: string;
  /** The source expression as written. */
  label: string;
  /** -1 for a real source; the parameter index for a symbolic one. */
  param: number;
  /** The function analysis a symbolic origin belongs to. */
  frame: object | null;
  /** The operator's own input (command-line arguments) rather than a remote attacker's. */
  local: boolean;
  /** Data read back from the application's own database: attacker-controlled only if someone stored it so (second-order). */
  stored?: boolean;
  /** Less than "high" when the source may not be an attacker's (an archive opened from a path the code does not show). */
  confidence?: "medium" | "low";
}

/** One step of a flow, newest first. */
export interface Step {
  file: SourceFile;
  start: number;
  end: number;
  message: string;
  prev: Step | null;
  count: number;
  /** This step, or one dropped before it, passed the data through a call the engine assumed keeps it (an unmodelled library function). */
  assumed: boolean;
}

/** Steps kept per flow: the first few and the most recent ones. */
export const MAX_STEPS = 12;

export class Taint {
  constructor(
    readonly origin: Origin,
    /** The tainted expression as written or rebuilt: "req.query.id", "user.email". */
    readonly label: string,
    /** For a symbolic taint, the property path from the parameter: "", ".id", ".items[]". */
    readonly path: string,
    /** Kinds (bits from kinds.ts) this value was made safe for. */
    readonly safe: number,
    /** The value may be an object or array (JSON bodies, `qs` query strings), not only a string. */
    readonly obj: boolean,
    readonly steps: Step | null,
    /** The data was encoded into text of this fixed alphabet (hex, base64): all the attacker can write is in it. */
    readonly alphabet: Alphabet | null = null,
  ) {}

  with(changes: { safe?: number; obj?: boolean; steps?: Step | null; label?: string; path?: string; origin?: Origin; alphabet?: Alphabet }): Taint {
    return new Taint(
      changes.origin ?? this.origin,
      changes.label ?? this.label,
      changes.path ?? this.path,
      changes.safe ?? this.safe,
      changes.obj ?? this.obj,
      changes.steps === undefined ? this.steps : changes.steps,
      changes.alphabet ?? this.alphabet,
    );
  }
}

/** The alphabets of binary-to-text encodings, which bound what encoded attacker data can spell. */
export type Alphabet = "hex" | "base64" | "base64url";

/** A tainted piece of a string. */
export class Hole {
  constructor(readonly taint: Taint) {}
}

/** An untainted piece of a string whose text is not known (a config value, a call result). */
export class Unknown {
  constructor(readonly name: string) {}
}

export type Part = string | Hole | Unknown;

/** A function value: its node and the scope it closes over. */
export interface FnRef {
  node: JsNode;
  /** The file the function is written in: its body is interpreted there. */
  file: SourceFile;
  scope: unknown;
  /** The class whose method it is. */
  cls: ClassInfo | null;
  /** Directly an argument of a call: analysed in place with that call's arguments. */
  inline: boolean;
  /** The name it is declared or stored under, for messages and recursion checks. */
  name: string | null;
  /** Set for GraphQL resolvers (functions under `Query`/`Mutation`/`Subscription`). */
  resolver?: boolean;
}

export interface ClassInfo {
  node: JsNode;
  name: string;
  methods: Map<string, Value>;
  statics: Map<string, Value>;
  /** Names of accessor methods: reading them runs them. */
  getters: Set<string>;
  /** What methods assign to `this.x`, flow-insensitively. */
  fields: Map<string, Value>;
  instance: Value;
}

/** A known API object. */
export type Model =
  | { kind: "module"; module: string; path: string[] }
  | { kind: "global"; name: string }
  /** `node`: Express/Koa/Node request (relative URL, nested `qs` query); `fastify`: flat query; `fetch`: absolute URL. */
  | { kind: "request"; style: "node" | "fastify" | "fetch" }
  | { kind: "context"; flavor: "koa" | "hono" | "next"; contentType: "html" | "other" | null }
  | { kind: "response"; htmlDefault: boolean; contentType: "html" | "other" | null }
  /**
   * `client`: the module the handle came from (`pg`), when the code made it with a known
   * factory; `config`: that factory call's arguments (`knex({ client: "pg" })`).
   */
  | { kind: "db"; client?: string; config?: readonly Value[] }
  | { kind: "app" }
  | { kind: "class"; cls: ClassInfo }
  | { kind: "instance"; cls: ClassInfo }
  | { kind: "message-event" };

/** A number, boolean, null or undefined: nothing an attacker can shape. */
export const F_NUMERIC = 1;
/** A whole request object (`req.body`, `req.query`): sent as JSON, not text. */
export const F_CONTAINER = 2;
/** The result of `path.resolve/join/normalize`: a prefix check on it is meaningful. */
export const F_NORMALIZED = 4;
/** An array, Set or object of constants: membership is an allowlist check. */
export const F_CONST_COLL = 8;
/** An object or array literal (not text). */
export const F_LITERAL_OBJ = 16;
/** Holds a symbolic (parameter) taint somewhere: summaries must substitute it. */
export const F_SYM = 32;
/** A `new URL(...)` object. */
export const F_URL = 64;
/** A regular expression literal. */
export const F_REGEX = 128;
/** An array (literal, or built by an array method). */
export const F_ARRAY = 256;
/** The request's own absolute URL (`request.url` of a fetch Request): its host is the server's. */
export const F_OWN_URL = 512;
/** `Object.create(null)`: no prototype to reach through `__proto__`. */
export const F_NULL_PROTO = 1024;
/** Holds a full card number (read from a field named so, or typed so), or an object that does. */
export const F_PAN = 2048;
/** Holds sensitive authentication data: a CVV/CVC, a PIN or track data, or an object that does. */
export const F_SAD = 4096;
/** Either kind of card data. */
export const CARD_DATA = F_PAN | F_SAD;

export class Value {
  taint: Taint | null = null;
  /** The exact text of a constant string. */
  str: string | null = null;
  /** The text as constant pieces and holes, when built by concatenation. */
  parts: Part[] | null = null;
  /** Known properties of an object or array literal (array indexes as "0", "1"…). */
  props: Map<string, Value> | null = null;
  /** Any element or property not listed in props. */
  elem: Value | null = null;
  fn: FnRef | null = null;
  model: Model | null = null;
  flags = 0;
  /** The access path (`x`, `req.query.u`) a URL object was built from, for host-allowlist guards. */
  alias: string | null = null;
  /** A name for placeholders when the text is unknown. */
  name: string | null = null;
  /** The regular expression literal node, for allowlist tests. */
  regex: JsNode | null = null;
  /** Set when the value was read with an attacker-chosen key (`obj[req.query.k]`): that key. */
  protoKey: Taint | null = null;
  /** The string literal a constant was written as, for secrets known by where they are used. */
  lit: Literal | null = null;
}

/** Where a string literal is written, and whether it is only a fallback (`process.env.KEY || "…"`). */
export interface Literal {
  file: SourceFile;
  start: number;
  end: number;
  fallback: boolean;
}

function frozen(init: (v: Value) => void): Value {
  const v = new Value();
  init(v);
  return Object.freeze(v);
}

/** Nothing known and nothing tainted: what most expressions evaluate to. */
export const UNKNOWN = frozen(() => {});
/** A number, boolean, null or undefined. */
export const NUMERIC = frozen((v) => {
  v.flags = F_NUMERIC;
});

/** The literal `true`: options such as `{ shell: true }` are read from it. */
export const TRUE = frozen((v) => {
  v.flags = F_NUMERIC;
});

/** Longest constant string tracked exactly; longer text becomes an unknown piece. */
export const MAX_CONST_CHARS = 4096;
/** Pieces kept per string; concatenation past it folds the middle into an unknown piece. */
export const MAX_PARTS = 48;

export function strValue(s: string): Value {
  if (s.length > MAX_CONST_CHARS) return textValue([s.slice(0, MAX_CONST_CHARS >> 1), new Unknown("text"), s.slice(-(MAX_CONST_CHARS >> 1))]);
  const v = new Value();
  v.str = s;
  return v;
}

export function modelValue(model: Model): Value {
  const v = new Value();
  v.model = model;
  return v;
}

/** A value that is exactly the given taint. */
export function taintedValue(t: Taint, flags = 0): Value {
  const v = new Value();
  v.taint = t;
  v.flags = flags | (t.origin.param >= 0 ? F_SYM : 0);
  return v;
}

/** The pieces of a value's text. */
export function partsOf(v: Value): Part[] {
  if (v.parts) return v.parts;
  if (v.str !== null) return [v.str];
  if (v.taint) return [new Hole(v.taint)];
  if (v.flags & F_NUMERIC) return ["1"];
  return [new Unknown(v.name ?? "value")];
}

function pushPart(out: Part[], p: Part): void {
  const last = out[out.length - 1];
  if (typeof p === "string") {
    if (p === "") return;
    if (typeof last === "string") {
      const joined = last + p;
      out[out.length - 1] = joined.length > MAX_CONST_CHARS ? joined.slice(0, MAX_CONST_CHARS >> 1) + joined.slice(-(MAX_CONST_CHARS >> 1)) : joined;
      return;
    }
  }
  out.push(p);
}

/** Folds a part list that grew past MAX_PARTS: keeps both ends, an unknown piece in between. */
function bounded(parts: Part[]): Part[] {
  if (parts.length <= MAX_PARTS) return parts;
  const half = MAX_PARTS >> 1;
  return [...parts.slice(0, half), new Unknown("text"), ...parts.slice(parts.length - half + 1)];
}

/** A string value from pieces; its primary taint is the first hole's. */
export function textValue(parts: Part[]): Value {
  const out: Part[] = [];
  for (const p of parts) pushPart(out, p);
  const v = new Value();
  if (out.length === 1 && typeof out[0] === "string") {
    v.str = out[0];
    return v;
  }
  v.parts = bounded(out);
  for (const p of v.parts) {
    if (p instanceof Hole) {
      if (!v.taint) v.taint = p.taint;
      if (p.taint.origin.param >= 0) v.flags |= F_SYM;
    }
  }
  return v;
}

/** `a + b` when either side is text. */
export function concat(a: Value, b: Value): Value {
  if (a.str !== null && b.str !== null) return strValue(a.str + b.str);
  return textValue([...partsOf(a), ...partsOf(b)]);
}

/** The value as text: `String(x)`, `${x}`, `x.trim()`: no longer an object. */
export function asText(v: Value): Value {
  if (v.flags & F_NUMERIC) return NUMERIC;
  if (!v.taint) {
    if (v.str !== null || v.parts) return v;
    if (!v.name) return UNKNOWN;
    const out = new Value();
    out.name = v.name;
    return out;
  }
  if (v.parts) return v.taint.obj ? textValue(v.parts.map((p) => (p instanceof Hole && p.taint.obj ? new Hole(p.taint.with({ obj: false })) : p))) : v;
  if (!v.taint.obj && !(v.flags & F_CONTAINER) && !v.props) return v;
  return taintedValue(v.taint.with({ obj: false }), v.flags & F_SYM);
}

/** A copy of a tainted value that is safe for the given kinds. */
export function sanitize(v: Value, mask: number): Value {
  if (!v.taint) return v;
  if ((v.taint.safe & mask) === mask && !v.parts) return v;
  const out = new Value();
  out.flags = v.flags & ~F_CONST_COLL;
  out.str = v.str;
  out.alias = v.alias;
  out.name = v.name;
  out.model = v.model;
  out.taint = v.taint.with({ safe: v.taint.safe | mask });
  if (v.parts) out.parts = v.parts.map((p) => (p instanceof Hole ? new Hole(p.taint.with({ safe: p.taint.safe | mask })) : p));
  if (v.props) {
    out.props = new Map();
    for (const [k, pv] of v.props) out.props.set(k, sanitize(pv, mask));
  }
  if (v.elem) out.elem = sanitize(v.elem, mask);
  return out;
}

/** Adds a flow step to a tainted value. */
export function withStep(v: Value, file: SourceFile, start: number, end: number, message: string): Value {
  if (!v.taint) return v;
  const steps = addStep(v.taint.steps, file, start, end, message);
  const out = shallowCopy(v);
  const origin = v.taint.origin;
  out.taint = v.taint.with({ steps });
  if (v.parts)
    out.parts = v.parts.map((p) =>
      p instanceof Hole && p.taint.origin === origin ? new Hole(p.taint.with({ steps: addStep(p.taint.steps, file, start, end, message) })) : p,
    );
  return out;
}

export function addStep(prev: Step | null, file: SourceFile, start: number, end: number, message: string, assumed = false): Step {
  if (prev && prev.start === start && prev.end === end && prev.file === file) return prev;
  const count = (prev?.count ?? 0) + 1;
  if (prev && prev.count >= MAX_STEPS) {
    // Keep the oldest steps and the newest: drop the one just before the newest (keeping what it assumed).
    return { file, start, end, message, prev: prev.prev, count: prev.count, assumed: assumed || prev.assumed };
  }
  return { file, start, end, message, prev, count, assumed };
}

export function shallowCopy(v: Value): Value {
  const out = new Value();
  out.taint = v.taint;
  out.str = v.str;
  out.parts = v.parts;
  out.props = v.props;
  out.elem = v.elem;
  out.fn = v.fn;
  out.model = v.model;
  out.flags = v.flags;
  out.alias = v.alias;
  out.name = v.name;
  out.regex = v.regex;
  out.protoKey = v.protoKey;
  out.lit = v.lit;
  return out;
}

/** Either value (control flow merged): tainted if either is, safe only for what both are safe for. */
export function join(a: Value, b: Value): Value {
  if (a === b) return a;
  if (!b.taint) {
    if (a.taint) return a;
    if (a === UNKNOWN || (a.flags & F_NUMERIC && !(b.flags & F_NUMERIC))) return b.model || b.fn || b.props || b.str !== null || b.parts ? b : a;
    return a;
  }
  if (!a.taint) return b;
  if ((a.taint.safe & ~b.taint.safe) === 0 && a.taint.obj === (a.taint.obj || b.taint.obj)) {
    return a;
  }
  const out = shallowCopy(a);
  out.taint = a.taint.with({ safe: a.taint.safe & b.taint.safe, obj: a.taint.obj || b.taint.obj });
  if (a.parts)
    out.parts = a.parts.map((p) => (p instanceof Hole ? new Hole(p.taint.with({ safe: p.taint.safe & b.taint!.safe, obj: p.taint.obj || b.taint!.obj })) : p));
  out.flags |= b.flags & F_SYM;
  return out;
}

/** An object literal's value. */
export function objectValue(props: Map<string, Value>): Value {
  const v = new Value();
  v.props = props;
  v.flags = F_LITERAL_OBJ;
  for (const pv of props.values()) {
    if (!v.taint && pv.taint) v.taint = pv.taint;
    v.flags |= pv.flags & F_SYM;
  }
  return v;
}

/** Records that a literal's property changed (keeps the object's summary taint current). */
export function noteProperty(obj: Value, pv: Value): void {
  if (!obj.taint && pv.taint) obj.taint = pv.taint;
  obj.flags |= pv.flags & F_SYM;
}
