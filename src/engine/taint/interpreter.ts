/**
 * The taint interpreter: an abstract interpreter that runs over a file's code once, statement by
 * statement, computing for every expression whether attacker data is in it (see value.ts), and
 * reporting each place such data reaches a sink unsanitised.
 *
 * Functions. The top level is interpreted first. A function passed directly as an argument (a
 * route handler, a `.map` callback, a `.then` continuation) is interpreted in place, once, with
 * the arguments that call gives it: request objects for route handlers, array elements for
 * `.map`. Any other function is interpreted once with symbolic parameters, giving a summary: what
 * it returns and which sinks its parameters reach, in terms of those parameters; each call
 * substitutes its own arguments into the summary, so a helper called from ten handlers is read
 * once. Recursion reads the summary being built as unknown. Functions nothing called are
 * interpreted at the end, so exported handlers and methods are covered too.
 *
 * Control flow. Both branches of a conditional run; an assignment made under a condition or in a
 * loop joins with the old value instead of replacing it, so "may be tainted" survives merges.
 * Checks narrow values in the branch they guard (guards.ts): after `if (!ALLOWED.has(x)) return`,
 * `x` is safe. Loops run once.
 *
 * Bounds: each node is visited about once, and a fixed step budget, the AST depth limit and a
 * cap on nested function analyses stop the work with a notice instead of a stack overflow.
 */
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { pathKey, unwrap } from "../js/node-values";
import type { CallSite, ModelHost, SinkSpec, SourceOptions } from "../models/host";
import { moduleValue, resolveSpecifier } from "../models/import-resolver";
import { constantValue, isResolverRoot, refinement } from "../models/index";
import type { ParamRole } from "../models/rows";
import type { JsNode } from "../parse/js";
import type { SourceFile } from "../source";
import type { ScanLimits } from "../types";
import { exits, guardEffects, type GuardEffect } from "./guards";
import { ALL_KINDS, CODE, HTML, NOSQL, PROTO, SHELL, SQL } from "./kinds";
import { callResult, graphqlContext, identityOf, injectedInstance, instanceSource, modelProperty, paramRoles, sourceForDecoratedParam } from "./library-models";
import { CARD_DATA_HINT, cardDataKind } from "../js/card-data-names";
import { isLogCall, sentBody, writtenValues } from "../js/card-sinks";
import { CREDENTIAL_WORDS, CREDENTIAL_PROPERTIES, CREDENTIALS_BY_CALLEE, isPlaceholderSecret } from "../models/credentials";
import { checkAssignSinks, checkCallSinks, checkJsxAttribute, findTaint, looksLikeUnsafeMerge } from "./sinks";
import {
  addStep,
  asText,
  CARD_DATA,
  concat,
  F_ARRAY,
  F_CONST_COLL,
  F_CONTAINER,
  F_LITERAL_OBJ,
  F_NULL_PROTO,
  F_NUMERIC,
  F_PAN,
  F_SAD,
  F_OWN_URL,
  F_REGEX,
  F_SYM,
  F_URL,
  Hole,
  join,
  modelValue,
  noteProperty,
  NUMERIC,
  objectValue,
  partsOf,
  sanitize,
  shallowCopy,
  strValue,
  Taint,
  taintedValue,
  textValue,
  TRUE,
  UNKNOWN,
  Unknown,
  Value,
  withStep,
  type ClassInfo,
  type FnRef,
  type Literal,
  type Model,
  type Origin,
  type Part,
  type Step,
} from "./value";

/** A tainted value reaching a sink. */
export interface TaintHit {
  kind: number;
  /** The file the sink is in, and the sink expression's character range there. */
  file: SourceFile;
  start: number;
  end: number;
  spec: SinkSpec;
  taint: Taint;
  /** What reached the sink, for templates. */
  value: Value;
}

/** Where card data must not go whole: a logger, an HTTP response body, a database write. */
export type CardSink = "log" | "response" | "store";

/** Card data (F_PAN / F_SAD bits) reaching a card sink, found by following it through the code. */
export interface CardHit {
  sink: CardSink;
  file: SourceFile;
  /** The sink call's range. */
  start: number;
  end: number;
  kinds: number;
}

/** A string literal used as a key, secret or credential (hardcoded-key). */
export interface KeyUse {
  literal: Literal;
  /** The call, assignment or comparison that uses it. */
  use: { file: SourceFile; start: number; end: number };
  /** What it is used as: "the session secret". */
  what: string;
}

interface Binding {
  value: Value;
  /** Conditional depth at declaration: assignments at the same depth replace the value. */
  depth: number;
  frame: Frame;
  /** Kinds a guard made this variable safe for, in the current branch. */
  guard: number;
}

class Scope {
  readonly vars = new Map<string, Binding>();
  constructor(
    readonly parent: Scope | null,
    readonly frame: Frame,
  ) {}
}

/** A function analysis's result: what it returns and which sinks its parameters reach. */
export interface Summary {
  done: boolean;
  symbolic: boolean;
  ret: Value;
  hits: Array<{ spec: SinkSpec; node: JsNode; file: SourceFile; value: Value }>;
  /** Card sinks that parameters reach: replayed with each call's arguments. */
  cardSinks: Array<{ sink: CardSink; node: JsNode; file: SourceFile; values: Value[] }>;
  frame: Frame;
}

class Frame {
  condDepth = 0;
  ret: Value | null = null;
  readonly summary: Summary;
  constructor(
    readonly fn: FnRef | null,
    public thisValue: Value,
    symbolic: boolean,
  ) {
    this.summary = { done: false, symbolic, ret: UNKNOWN, hits: [], cardSinks: [], frame: this };
  }
}

/** Thrown to abandon the file's analysis when a bound is reached. */
class Bail extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Interpreter steps per file, whatever the AST node limit says. */
export const TAINT_STEP_CAP = 4_000_000;
/** Function analyses nested inside each other (a call chain being summarised). */
export const MAX_NESTED_ANALYSES = 40;
/** Classes where the operator's own input (`process.argv`) still counts: it becomes code or a query. */
const LOCAL_INPUT_KINDS = SQL | NOSQL | SHELL | CODE;
/** Function bodies interpreted per file (each closure instance at most twice: plain and symbolic). */
export const MAX_ANALYSES = 50_000;
/** Length of source labels in messages. */
const MAX_LABEL = 60;
/** Properties of a URL object that choose where it goes. */
const URL_TARGET_PROPERTIES = new Set(["href", "host", "hostname", "protocol"]);

export class Interpreter implements ModelHost {
  readonly hits: TaintHit[] = [];
  /** Literals used as keys and credentials, each literal once. */
  readonly keyUses: KeyUse[] = [];
  /** Card data reaching loggers, responses and database writes, each sink and kind once. */
  readonly cardHits: CardHit[] = [];
  /** Budget and depth notices, each on the file being interpreted when the bound was reached. */
  readonly notices: Array<{ file: SourceFile; message: string }> = [];
  /** An unexpected error that stopped the analysis, and the file being interpreted then. */
  failure: Error | null = null;
  failedFile: SourceFile | null = null;
  /** Every function value created, for the final pass over functions nothing called. */
  private readonly functions: FnRef[] = [];
  /** Analyses with concrete or unknown parameters (handlers, callbacks, plain calls). */
  private readonly summaries = new Map<FnRef, Summary>();
  /** Analyses with symbolic parameters, for calls that pass attacker data. */
  private readonly symbolicSummaries = new Map<FnRef, Summary>();
  /** Function nodes interpreted at least once (in any closure instance). */
  private readonly analysedNodes = new Set<JsNode>();
  private analyses = 0;
  private readonly reported = new Set<string>();
  private readonly globals = new Map<string, Value>();
  private readonly memberGuards = new Map<string, number>();
  /** Object literals that are the value of a GraphQL root key. */
  private readonly propertyKeys = new WeakMap<JsNode, string>();
  private scope: Scope;
  private frame: Frame;
  private depth = 0;
  private steps = 0;

  /** Steps taken, charged to the scan's dataflow budget. */
  get stepsTaken(): number {
    return this.steps;
  }
  private nested = 0;
  private readonly maxDepth: number;
  private readonly maxSteps: number;
  /** The notice given when maxSteps is reached: this analysis's own bound, or the scan's. */
  private readonly stepLimit: string;
  private nestingNoted = false;
  /** The file whose code is being interpreted: a function's body runs in the file it is written in. */
  file: SourceFile;
  /** The project's modules by path, and the one being interpreted. */
  private readonly modules = new Map<string, ModuleState>();
  private module: ModuleState;
  /** What GraphQL resolvers receive third (their server's `context`), once a server call in the project configured it. */
  private resolverContext: Value | null = null;
  /** Instances built by `new F()` for plain constructor functions, one per function value. */
  private readonly constructed = new Map<FnRef, Value>();
  /** `F.prototype` objects of plain functions. */
  private readonly prototypes = new Map<FnRef, Value>();

  /**
   * @param modules the project's parsed JS/TS files (one or many)
   * @param resolve the submitted file a specifier names from an importing file, or null (a library)
   */
  constructor(
    modules: ProjectModule[],
    private readonly resolve: ModuleResolver,
    limits: ScanLimits,
    /** What is left of the scan's dataflow steps (maxScanDataflowSteps). */
    scanSteps = Infinity,
    /** The scan's text files that are not code (view templates), for models that read them. */
    private readonly assets: readonly SourceFile[] = [],
  ) {
    this.maxDepth = Math.min(limits.maxAstDepth, 1500);
    const own = Math.min(TAINT_STEP_CAP, Math.max(100_000, limits.maxAstNodes * 3)) * Math.min(modules.length, MAX_BUDGET_FILES);
    this.maxSteps = Math.min(own, scanSteps);
    this.stepLimit =
      scanSteps < own
        ? `Dataflow analysis stopped here: the scan's dataflow budget (${limits.maxScanDataflowSteps} steps) is spent; findings before that point are kept.`
        : `Dataflow analysis stopped after ${own} steps on this file; findings before that point are kept.`;
    this.frame = new Frame(null, UNKNOWN, false);
    this.scope = new Scope(null, this.frame);
    for (const m of modules) {
      const exportsValue = literalObject();
      const cjs = literalObject();
      cjs.props!.set("exports", exportsValue);
      this.modules.set(m.file.path, {
        file: m.file,
        program: m.program,
        state: 0,
        cjs,
        esm: literalObject(),
        isEsm: isEsm(m.program),
        useServer: hasDirective(m.program, "use server"),
        cardWords: CARD_DATA_HINT.test(m.file.text),
        facts: null,
      });
    }
    this.module = this.modules.values().next().value!;
    this.file = this.module.file;
  }

  private files: readonly SourceFile[] | null = null;

  projectFiles(): readonly SourceFile[] {
    return (this.files ??= [...[...this.modules.values()].map((m) => m.file), ...this.assets]);
  }

  /** The file is a Next.js server-actions module (`"use server"` at the top). */
  get useServer(): boolean {
    return this.module.useServer;
  }

  /**
   * File-wide facts the sinks consult, read from the text on first use: js-yaml 3 is in use
   * (`safeLoad` only exists there, and its `load` runs code), mongo-sanitize cleans request data.
   */
  get facts(): { yamlV3: boolean; mongoSanitized: boolean } {
    const m = this.module;
    if (!m.facts) {
      const text = m.file.text;
      m.facts = {
        yamlV3: text.includes("safeLoad") || text.includes("DEFAULT_FULL_SCHEMA"),
        mongoSanitized: text.includes("mongo-sanitize"),
      };
    }
    return m.facts;
  }

  /**
   * Interprets every module of the project, each once, imports first (as Node runs them), then
   * the functions nothing called. Bounds reached become notices; any other error is kept in
   * `failure` (with the hits found before it) instead of being thrown.
   */
  run(): void {
    try {
      for (const m of this.modules.values()) this.evaluate(m);
      for (let i = 0; i < this.functions.length; i++) {
        const ref = this.functions[i]!;
        if (!this.analysedNodes.has(ref.node)) this.analyze(ref, null, "entry", ref.cls ? ref.cls.instance : UNKNOWN);
      }
    } catch (error) {
      if (error instanceof Bail) this.notices.push({ file: this.file, message: error.reason });
      else if (error instanceof RangeError)
        this.notices.push({
          file: this.file,
          message: "Dataflow analysis ran out of stack on this file (deeply nested code); findings before that point are kept.",
        });
      else {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.failedFile = this.file;
      }
    }
  }

  // ---------------------------------------------------------------- modules

  /** Runs a module's top level once and returns what `require()` gives: `module.exports`. */
  private evaluate(m: ModuleState): Value {
    if (m.state === 0) {
      m.state = 1;
      const saved = { file: this.file, module: this.module, scope: this.scope, frame: this.frame };
      this.module = m;
      this.file = m.file;
      this.frame = new Frame(null, UNKNOWN, false);
      this.scope = new Scope(null, this.frame);
      this.scope.vars.set("module", { value: m.cjs, depth: 0, frame: this.frame, guard: 0 });
      this.scope.vars.set("exports", { value: m.cjs.props!.get("exports")!, depth: 0, frame: this.frame, guard: 0 });
      try {
        this.execBlock(m.program.body, false);
        this.collectExports(m);
      } finally {
        m.state = 2;
        ({ file: this.file, module: this.module, scope: this.scope, frame: this.frame } = saved);
      }
    }
    return this.cjsExports(m);
  }

  private cjsExports(m: ModuleState): Value {
    return m.cjs.props!.get("exports") ?? UNKNOWN;
  }

  /**
   * The value an import names: a submitted module's export (run first), or the library's model.
   * `name` null is the namespace (`import * as x`, `require()`); "default" is the default export,
   * which for a CommonJS module is `module.exports` itself.
   */
  importValue(specifier: string, name: string | null): Value {
    const path = this.resolve(specifier, this.file.path);
    const m = path === null ? undefined : this.modules.get(path);
    if (!m) return moduleValue(resolveSpecifier(specifier), name === null || name === "default" ? [] : [name]);
    const cjs = this.evaluate(m);
    if (!m.isEsm) return name === null || name === "default" ? cjs : this.getProp(cjs, name, null);
    if (name === null) return m.esm;
    return m.esm.props!.get(name) ?? UNKNOWN;
  }

  /** Fills an ES module's export object from its export declarations, after its body ran. */
  private collectExports(m: ModuleState): void {
    const out = m.esm.props!;
    const local = (name: string) => this.scope.vars.get(name)?.value ?? UNKNOWN;
    for (const s of m.program.body as JsNode[]) {
      if (s.type === "ExportNamedDeclaration") {
        const d = s.declaration;
        if (d) {
          if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) out.set(d.id.name, local(d.id.name));
          else if (d.type === "VariableDeclaration") for (const decl of d.declarations) for (const name of patternNames(decl.id)) out.set(name, local(name));
          else if (d.type === "TSEnumDeclaration" && d.id) out.set(d.id.name, UNKNOWN);
          else if ((d.type === "TSInterfaceDeclaration" || d.type === "TSTypeAliasDeclaration") && d.id) out.set(d.id.name, local(d.id.name));
          continue;
        }
        for (const spec of s.specifiers ?? []) {
          const exported = moduleExportName(spec.exported);
          if (s.source)
            out.set(exported, this.importValue(String(s.source.value), spec.type === "ExportNamespaceSpecifier" ? null : moduleExportName(spec.local)));
          else out.set(exported, local(moduleExportName(spec.local)));
        }
      } else if (s.type === "ExportAllDeclaration" && s.exportKind !== "type") {
        const ns = this.importValue(String(s.source.value), null);
        if (s.exported) out.set(moduleExportName(s.exported), ns);
        else if (ns.props) for (const [k, v] of ns.props) if (k !== "default" && !out.has(k)) out.set(k, v);
      } else if (s.type === "ExportDefaultDeclaration" && !out.has("default")) {
        const d = s.declaration;
        if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) out.set("default", local(d.id.name));
      }
    }
  }

  // ---------------------------------------------------------------- labels and sources

  /** Source text of a node with whitespace collapsed, clipped for messages. */
  text(node: JsNode): string {
    const raw = this.file.text.slice(node.start, Math.min(node.end, node.start + 200));
    const flat = raw.replace(/\s+(?=[.?])/g, "").replace(/\s+/g, " ");
    return flat.length > MAX_LABEL || node.end - node.start > 200 ? flat.slice(0, MAX_LABEL - 1) + "…" : flat;
  }

  /** A tainted value for a source expression. */
  source(node: JsNode, what: string, options: SourceOptions = {}): Value {
    const label = options.label ?? this.text(node);
    const origin: Origin = {
      file: this.file,
      start: node.start,
      end: node.end,
      what,
      label,
      param: -1,
      frame: null,
      local: options.local ?? false,
      stored: options.stored,
    };
    if (options.confidence && options.confidence !== "high") origin.confidence = options.confidence;
    const t = new Taint(origin, label, "", options.safe ?? 0, options.obj ?? false, null);
    return taintedValue(t, options.flags ?? 0);
  }

  /** The value of a property read from a tainted value: `req.query` → `req.query.id`. */
  derive(base: Value, key: string, node: JsNode | null): Value {
    const t = base.taint!;
    const label =
      t.label.length > MAX_LABEL
        ? t.label
        : t.label + (/^[A-Za-z_$][\w$]*$/.test(key) ? "." + key : /^\d{1,9}$/.test(key) ? `[${key}]` : `[${JSON.stringify(key).slice(0, 20)}]`);
    let origin = t.origin;
    if (node && origin.param < 0 && t.steps === null && node.type === "MemberExpression" && origin.end === unwrap(node.object).end) {
      origin = { ...origin, end: node.end, label };
    }
    // Some properties of a source are the server's (the stored path of an upload) or safe for some sinks (a Host header).
    const refined = refinement(t.origin.what, key);
    if (refined === "untainted") return UNKNOWN;
    const derived = new Taint(origin, label, t.path + "." + key, t.safe | refined, t.obj, t.steps);
    return taintedValue(derived);
  }

  // ---------------------------------------------------------------- reporting

  /**
   * A value reached a sink (at `node` in `file`, the current file unless a summary's sink is
   * being replayed at a call): report it, or remember it in the summary of the function whose
   * parameter it is.
   */
  sink(spec: SinkSpec, node: JsNode, value: Value, file: SourceFile = this.file): void {
    const t = findTaint(spec.mode, value, spec.kind);
    if (!t) return;
    if (t.origin.param >= 0) {
      const frame = t.origin.frame as Frame;
      if (frame.summary.hits.length < 200) frame.summary.hits.push({ spec, node, file, value });
      // A value may also hold real attacker data next to the parameter: look for it too.
      const real = findTaint(spec.mode, value, spec.kind, true);
      if (!real) return;
      this.record(spec, node, file, value, real);
      return;
    }
    this.record(spec, node, file, value, t);
  }

  private record(spec: SinkSpec, node: JsNode, file: SourceFile, value: Value, taint: Taint): void {
    // The operator's own input (command-line arguments) matters only where it is interpreted as code.
    if (taint.origin.local && !(spec.kind & LOCAL_INPUT_KINDS)) return;
    // Stored data counts where the code builds text from it (`"<h1>" + row.title`, `"… WHERE name = '" + user.name`),
    // or hands a field of it to a markup or link sink (`el.innerHTML = data.bio`, `<a href={user.website}>`):
    // a row handed on whole (`ctx.body = rows`) is serialised, not interpreted.
    if (taint.origin.stored && !value.parts && !(spec.kind === HTML && (spec.mode === "text" || spec.mode === "script-url") && taint.path !== "")) return;
    const key = `${spec.kind}:${node.start}:${node.end}:${file.path}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.hits.push({ kind: spec.kind, file, start: node.start, end: node.end, spec, taint, value });
  }

  // ---------------------------------------------------------------- card data

  /** A call that logs, responds with or stores its arguments: check them for card data (js/card-sinks.ts). */
  private cardSinks(site: CallSite): void {
    const node = site.node;
    if (site.isNew || node.type !== "CallExpression") return;
    if (isLogCall(node.callee)) this.cardSink("log", node, this.file, site.args);
    const body = sentBody(node);
    if (body)
      this.cardSink(
        "response",
        node,
        this.file,
        body.map((b) => site.args[node.arguments.indexOf(b)] ?? UNKNOWN),
      );
    const written = writtenValues(node);
    if (written && written === node.arguments) this.cardSink("store", node, this.file, site.args);
  }

  /** Card data in the values a sink receives: a finding, or (for a parameter) a summary entry replayed at each call. */
  private cardSink(sink: CardSink, node: JsNode, file: SourceFile, values: Value[]): void {
    let kinds = 0;
    let symbolic: Frame | null = null;
    for (const v of values) {
      kinds |= v.flags & CARD_DATA;
      if (v.flags & F_SYM && v.taint && v.taint.origin.param >= 0) symbolic = v.taint.origin.frame as Frame;
    }
    if (kinds) {
      const key = `card:${sink}:${file.path}:${node.start}:${kinds}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.cardHits.push({ sink, file, start: node.start, end: node.end, kinds });
      }
    }
    if (symbolic && symbolic.summary.cardSinks.length < 50) symbolic.summary.cardSinks.push({ sink, node, file, values });
  }

  /** The value a TypeScript type gives an expression (`x as ChargeRequest`, `(request: ChargeRequest)`): marked when the type holds card fields. */
  private typed(v: Value, type: JsNode | undefined): Value {
    let t = type;
    while (t && (t.type === "TSArrayType" || t.type === "TSTypeOperator")) t = t.type === "TSArrayType" ? t.elementType : t.typeAnnotation;
    if (t?.type !== "TSTypeReference" || t.typeName.type !== "Identifier") return v;
    const declared = this.lookup(t.typeName.name)?.value;
    const card = declared && !declared.fn && !declared.model ? declared.flags & CARD_DATA : 0;
    return card ? withFlags(v, card) : v;
  }

  /** The card data a type's fields hold, as flags: an interface, a type literal, or types they name (two levels). */
  private typeCardFlags(type: JsNode | undefined, depth = 0): number {
    if (!type || depth > 2) return 0;
    const members: JsNode[] | undefined = type.type === "TSInterfaceDeclaration" ? type.body.body : type.type === "TSTypeLiteral" ? type.members : undefined;
    if (type.type === "TSTypeAliasDeclaration") return this.typeCardFlags(type.typeAnnotation, depth);
    if (type.type === "TSTypeReference" && type.typeName.type === "Identifier") {
      const declared = this.lookup(type.typeName.name)?.value;
      return declared && !declared.fn && !declared.model ? declared.flags & CARD_DATA : 0;
    }
    if (type.type === "TSIntersectionType" || type.type === "TSUnionType")
      return type.types.reduce((f: number, m: JsNode) => f | this.typeCardFlags(m, depth), 0);
    if (!members) return 0;
    let flags = 0;
    for (const m of members) {
      if (m.type !== "TSPropertySignature" || m.computed) continue;
      const name = m.key.type === "Identifier" ? m.key.name : m.key.type === "Literal" ? String(m.key.value) : null;
      if (name !== null && CARD_DATA_HINT.test(name)) flags |= cardKindFlag(name);
      flags |= this.typeCardFlags(m.typeAnnotation?.typeAnnotation, depth + 1);
    }
    return flags;
  }

  // ---------------------------------------------------------------- secrets known by their use

  /** A string literal's value, remembering where it is written. */
  private literal(v: Value, node: JsNode): Value {
    if (v.str !== null) v.lit = { file: this.file, start: node.start, end: node.end, fallback: false };
    return v;
  }

  /** Checks a library call's key and credential parameters (models/credentials.ts) for literals. */
  private credentialArguments(site: CallSite): void {
    const id = identityOf(site.fn);
    const rows = id === null ? undefined : CREDENTIALS_BY_CALLEE.get(id);
    if (!rows) return;
    for (const row of rows) {
      const arg = site.args[row.arg];
      if (!arg) continue;
      if (!row.options) {
        this.keyUse(arg, site.node, row.what);
        continue;
      }
      for (const path of row.options) {
        let v: Value = arg;
        for (const key of path) v = v.props?.get(key) ?? UNKNOWN;
        this.keyUse(v, site.node, row.what);
      }
    }
  }

  /**
   * `req.body.password === "letmein"`, `req.get("x-admin-token") === cfg.adminToken`: request
   * data checked against a credential written in the code, named so by either side.
   */
  private comparedCredential(requestValue: Value, literal: Literal, sides: JsNode[], node: JsNode): void {
    const t = requestValue.taint;
    if (!t || t.origin.param >= 0 || t.origin.local) return;
    const names = sides.map((side) => {
      const n = unwrap(side);
      return n.type === "Identifier" ? n.name : n.type === "MemberExpression" && !n.computed ? n.property.name : null;
    });
    const name = [...names, t.label].find((n): n is string => typeof n === "string" && namesCredential(n));
    if (name) this.recordKeyUse(literal, node, "a credential that request data is compared with");
  }

  /** Records a literal (or an array of literals) used as a secret at `node`. */
  private keyUse(v: Value, node: JsNode, what: string): void {
    if (v.lit) this.recordKeyUse(v.lit, node, what, v.str);
    else if (v.props && v.flags & F_ARRAY) for (const item of v.props.values()) if (item.lit) this.recordKeyUse(item.lit, node, what, item.str);
  }

  private recordKeyUse(literal: Literal, node: JsNode, what: string, text?: string | null): void {
    const value = text ?? literal.file.text.slice(literal.start + 1, literal.end - 1);
    if (isPlaceholderSecret(value)) return;
    const key = `key:${literal.file.path}:${literal.start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.keyUses.push({ literal, use: { file: this.file, start: node.start, end: node.end }, what });
  }

  // ---------------------------------------------------------------- statements

  private execBlock(body: JsNode[], newScope: boolean): void {
    const saved = this.scope;
    if (newScope && body.some(needsScope)) this.scope = new Scope(this.scope, this.frame);
    this.hoist(body);
    for (const s of body) this.exec(s);
    this.scope = saved;
  }

  /** Binds function declarations and imports before the block's statements run. */
  private hoist(body: JsNode[]): void {
    let types: JsNode[] | null = null;
    for (const s0 of body) {
      let s = s0;
      if ((s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration") && s.declaration) s = s.declaration;
      if (s.type === "FunctionDeclaration" && s.id && s.body) {
        this.declare(s.id.name, this.closure(s, false, s.id.name), "var");
      } else if (s.type === "TSImportEqualsDeclaration" && s.moduleReference?.type === "TSExternalModuleReference" && s.id) {
        this.declare(s.id.name, this.importValue(String(s.moduleReference.expression.value), null), "const");
      } else if (s.type === "ImportDeclaration") {
        const specifier = String(s.source.value);
        // Types matter only as the project declares them (card fields): a library's type-only import binds nothing.
        const ownTypes = this.resolve(specifier, this.file.path) !== null;
        for (const spec of s.specifiers) {
          if ((s.importKind === "type" || spec.importKind === "type") && !ownTypes) continue;
          const name = spec.type === "ImportSpecifier" ? moduleExportName(spec.imported) : spec.type === "ImportDefaultSpecifier" ? "default" : null;
          this.declare(spec.local.name, this.importValue(specifier, name), "const");
        }
        // A bare `import "./setup"` still runs the module.
        if (s.specifiers.length === 0 && s.importKind !== "type") this.importValue(specifier, null);
      } else if ((s.type === "TSInterfaceDeclaration" || s.type === "TSTypeAliasDeclaration") && s.id && this.module.cardWords) {
        (types ??= []).push(s);
        this.declare(s.id.name, new Value(), "let");
      }
    }
    // Types may name each other in any order: two rounds settle what card data each one holds.
    if (types) for (let round = 0; round < 2; round++) for (const t of types) this.scope.vars.get(t.id.name)!.value.flags |= this.typeCardFlags(t);
  }

  private exec(node: JsNode): void {
    if (++this.steps > this.maxSteps) throw new Bail(this.stepLimit);
    if (++this.depth > this.maxDepth) throw new Bail(`Dataflow analysis stopped: code nested deeper than ${this.maxDepth} levels.`);
    switch (node.type) {
      case "ExpressionStatement":
        this.eval(node.expression);
        break;
      case "VariableDeclaration":
        for (const d of node.declarations) {
          let v = d.init ? this.eval(d.init) : NUMERIC;
          if (v.fn && !v.fn.name && d.id.type === "Identifier") v.fn.name = d.id.name;
          if (d.init && v.taint && d.id.type === "Identifier") v = withStep(v, this.file, d.start, d.end, `assigned to ${d.id.name}`);
          this.bindPattern(d.id, v, node.kind);
        }
        break;
      case "ReturnStatement":
        if (node.argument) {
          const v = this.eval(node.argument);
          this.frame.ret = this.frame.ret ? join(this.frame.ret, v) : v;
        } else if (!this.frame.ret) this.frame.ret = NUMERIC;
        break;
      case "IfStatement":
        this.execIf(node);
        break;
      case "BlockStatement":
      case "StaticBlock":
        this.execBlock(node.body, true);
        break;
      case "ForStatement": {
        const saved = this.scope;
        if (node.init?.type === "VariableDeclaration" && node.init.kind !== "var") this.scope = new Scope(this.scope, this.frame);
        if (node.init?.type === "VariableDeclaration") this.exec(node.init);
        else if (node.init) this.eval(node.init);
        if (node.test) this.eval(node.test);
        this.frame.condDepth++;
        this.exec(node.body);
        if (node.update) this.eval(node.update);
        this.frame.condDepth--;
        this.scope = saved;
        break;
      }
      case "ForInStatement":
      case "ForOfStatement": {
        const right = this.eval(node.right);
        const item = node.type === "ForOfStatement" ? this.elementOf(right) : this.keyOf(right);
        const saved = this.scope;
        this.frame.condDepth++;
        if (node.left.type === "VariableDeclaration") {
          if (node.left.kind !== "var") this.scope = new Scope(this.scope, this.frame);
          this.bindPattern(node.left.declarations[0].id, item, node.left.kind);
        } else {
          this.assignTo(node.left, item, node);
        }
        this.exec(node.body);
        this.frame.condDepth--;
        this.scope = saved;
        break;
      }
      case "WhileStatement":
      case "DoWhileStatement":
        this.eval(node.test);
        this.frame.condDepth++;
        this.exec(node.body);
        this.frame.condDepth--;
        break;
      case "SwitchStatement":
        this.execSwitch(node);
        break;
      case "TryStatement":
        this.exec(node.block);
        if (node.handler) {
          const saved = this.scope;
          this.scope = new Scope(this.scope, this.frame);
          if (node.handler.param) this.bindPattern(node.handler.param, UNKNOWN, "let");
          this.frame.condDepth++;
          this.exec(node.handler.body);
          this.frame.condDepth--;
          this.scope = saved;
        }
        if (node.finalizer) this.exec(node.finalizer);
        break;
      case "ThrowStatement":
        this.eval(node.argument);
        break;
      case "ClassDeclaration":
        if (node.id) this.declare(node.id.name, this.classValue(node), "let");
        break;
      case "LabeledStatement":
        this.exec(node.body);
        break;
      case "ExportNamedDeclaration":
        if (node.declaration) this.exec(node.declaration);
        break;
      case "ExportDefaultDeclaration": {
        const d = node.declaration;
        const exported = this.module.esm.props!;
        if (d.type === "FunctionDeclaration") {
          if (!d.id) exported.set("default", this.closure(d, false, "default"));
        } else if (d.type === "ClassDeclaration") {
          if (d.id) this.exec(d);
          else exported.set("default", this.classValue(d));
        } else {
          exported.set("default", this.eval(d));
        }
        break;
      }
      case "TSExportAssignment":
        // `export = x`: what `import y = require()` and `require()` give.
        this.module.cjs.props!.set("exports", this.eval(node.expression));
        break;
      case "TSModuleDeclaration":
        if (node.body?.type === "TSModuleBlock") this.execBlock(node.body.body, true);
        break;
      case "WithStatement":
        this.eval(node.object);
        this.exec(node.body);
        break;
      default:
        break;
    }
    this.depth--;
  }

  private execIf(node: JsNode): void {
    this.eval(node.test);
    const pos = guardEffects(this, node.test, true);
    // The negative guards matter only to an else branch or to code after an exiting then branch.
    // They are read here, before the branches run, because guards read the current values.
    const neg = node.alternate || exits(node.consequent) ? guardEffects(this, node.test, false) : null;
    this.frame.condDepth++;
    let saved = this.pushGuards(pos);
    this.exec(node.consequent);
    this.popGuards(saved);
    if (node.alternate) {
      saved = this.pushGuards(neg);
      this.exec(node.alternate);
      this.popGuards(saved);
    }
    this.frame.condDepth--;
    if (neg && exits(node.consequent)) this.pushGuards(neg);
    else if (pos && node.alternate && exits(node.alternate)) this.pushGuards(pos);
  }

  private execSwitch(node: JsNode): void {
    this.eval(node.discriminant);
    const key = pathKey(node.discriminant);
    const saved = this.scope;
    this.scope = new Scope(this.scope, this.frame);
    this.frame.condDepth++;
    for (const c of node.cases) {
      if (c.test) this.eval(c.test);
      const literal = c.test && (c.test.type === "Literal" || (c.test.type === "TemplateLiteral" && c.test.expressions.length === 0));
      const guards = key && literal ? [{ key, mask: ALL_KINDS }] : null;
      const g = this.pushGuards(guards);
      this.hoist(c.consequent);
      for (const s of c.consequent) this.exec(s);
      this.popGuards(g);
    }
    this.frame.condDepth--;
    this.scope = saved;
  }

  // ---------------------------------------------------------------- guards

  private pushGuards(effects: GuardEffect[] | null): Array<{ binding: Binding | null; key: string; old: number }> | null {
    if (!effects || effects.length === 0) return null;
    const saved: Array<{ binding: Binding | null; key: string; old: number }> = [];
    for (const e of effects) {
      if (!e.key.includes(".")) {
        const b = this.lookup(e.key);
        if (!b) continue;
        saved.push({ binding: b, key: e.key, old: b.guard });
        b.guard |= e.mask;
      } else {
        const old = this.memberGuards.get(e.key) ?? 0;
        saved.push({ binding: null, key: e.key, old });
        this.memberGuards.set(e.key, old | e.mask);
      }
    }
    return saved;
  }

  private popGuards(saved: Array<{ binding: Binding | null; key: string; old: number }> | null): void {
    if (!saved) return;
    for (let i = saved.length - 1; i >= 0; i--) {
      const s = saved[i]!;
      if (s.binding) s.binding.guard = s.old;
      else if (s.old === 0) this.memberGuards.delete(s.key);
      else this.memberGuards.set(s.key, s.old);
    }
  }

  // ---------------------------------------------------------------- variables

  lookup(name: string): Binding | null {
    for (let s: Scope | null = this.scope; s; s = s.parent) {
      const b = s.vars.get(name);
      if (b) return b;
    }
    return null;
  }

  /** The value a name holds here (for guards and sinks that look at a variable). */
  valueOf(name: string): Value | null {
    return this.lookup(name)?.value ?? null;
  }

  private functionScope(): Scope {
    let s = this.scope;
    while (s.parent && s.parent.frame === this.frame) s = s.parent;
    return s;
  }

  private declare(name: string, value: Value, kind: string): void {
    if (value.fn && !value.fn.name) value.fn.name = name;
    const scope = kind === "var" ? this.functionScope() : this.scope;
    const existing = scope.vars.get(name);
    if (existing && kind === "var") {
      this.setVar(name, value);
      return;
    }
    scope.vars.set(name, { value, depth: this.frame.condDepth, frame: this.frame, guard: 0 });
  }

  private setVar(name: string, value: Value): void {
    const b = this.lookup(name);
    if (!b) {
      let s = this.scope;
      while (s.parent) s = s.parent;
      s.vars.set(name, { value: this.stripOwn(value), depth: 0, frame: s.frame, guard: 0 });
      return;
    }
    b.guard = 0;
    if (b.frame !== this.frame) value = this.stripOwn(value);
    if (b.frame === this.frame && b.depth === this.frame.condDepth) b.value = value;
    else b.value = join(b.value, value);
    if (this.memberGuards.size > 0) {
      for (const k of [...this.memberGuards.keys()]) if (k.startsWith(name + ".")) this.memberGuards.delete(k);
    }
  }

  /** Removes this function's parameter taints from a value stored outside it. */
  private stripOwn(v: Value): Value {
    if (!(v.flags & F_SYM) || !this.frame.summary.symbolic) return v;
    const frame = this.frame;
    const own = (t: Taint | null) => t !== null && t.origin.frame === frame;
    if (v.parts) return textValue(v.parts.map((p) => (p instanceof Hole && own(p.taint) ? new Unknown("value") : p)));
    if (own(v.taint) && !v.props) return UNKNOWN;
    return v;
  }

  // ---------------------------------------------------------------- patterns

  private bindPattern(pattern: JsNode, v: Value, kind: string | null): void {
    switch (pattern.type) {
      case "Identifier":
        if (kind) this.declare(pattern.name, v, kind);
        else this.setVar(pattern.name, v);
        break;
      case "ObjectPattern":
        for (const p of pattern.properties) {
          if (p.type === "RestElement") {
            this.bindPattern(p.argument, v, kind);
            continue;
          }
          let key: string | null = null;
          if (!p.computed) key = p.key.type === "Identifier" ? p.key.name : p.key.type === "Literal" ? String(p.key.value) : null;
          else {
            const k = this.eval(p.key);
            key = k.str;
          }
          let pv = key !== null ? this.getProp(v, key, p) : this.anyProp(v);
          if (pv.taint && (p.value.type === "Identifier" || p.value.type === "AssignmentPattern")) {
            const target = p.value.type === "Identifier" ? p.value.name : p.value.left.name;
            if (target) pv = withStep(pv, this.file, p.start, p.end, `destructured as ${target}`);
          }
          this.bindPattern(p.value, pv, kind);
        }
        break;
      case "ArrayPattern":
        pattern.elements.forEach((el: JsNode | null, i: number) => {
          if (!el) return;
          if (el.type === "RestElement") this.bindPattern(el.argument, v, kind);
          else this.bindPattern(el, this.getProp(v, String(i), el), kind);
        });
        break;
      case "AssignmentPattern":
        this.bindPattern(pattern.left, join(v, this.eval(pattern.right)), kind);
        break;
      case "RestElement":
        this.bindPattern(pattern.argument, v, kind);
        break;
      case "TSParameterProperty":
        this.bindPattern(pattern.parameter, v, kind);
        break;
      case "MemberExpression":
        this.assignTo(pattern, v, pattern);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- expressions

  eval(node: JsNode): Value {
    if (++this.steps > this.maxSteps) throw new Bail(this.stepLimit);
    if (++this.depth > this.maxDepth) throw new Bail(`Dataflow analysis stopped: code nested deeper than ${this.maxDepth} levels.`);
    const v = this.evalNode(node);
    this.depth--;
    return v;
  }

  private evalNode(node: JsNode): Value {
    switch (node.type) {
      case "Identifier":
        return this.evalIdentifier(node);
      case "MemberExpression":
        return this.evalMember(node);
      case "CallExpression":
        return this.evalCall(node, false);
      case "Literal":
        if (typeof node.value === "string") return this.literal(strValue(node.value), node);
        if (node.regex) {
          const r = new Value();
          r.flags = F_REGEX;
          r.regex = node;
          return r;
        }
        return node.value === true ? TRUE : NUMERIC;
      case "TemplateLiteral":
        return this.evalTemplate(node);
      case "BinaryExpression":
        return this.evalBinary(node);
      case "AssignmentExpression":
        return this.evalAssign(node);
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return this.closure(node, false, node.id?.name ?? null);
      case "ObjectExpression":
        return this.evalObject(node);
      case "ArrayExpression":
        return this.evalArray(node);
      case "AwaitExpression":
        return this.eval(node.argument);
      case "LogicalExpression":
        return this.evalLogical(node);
      case "ConditionalExpression": {
        this.eval(node.test);
        this.frame.condDepth++;
        let saved = this.pushGuards(guardEffects(this, node.test, true));
        const a = this.eval(node.consequent);
        this.popGuards(saved);
        saved = this.pushGuards(guardEffects(this, node.test, false));
        const b = this.eval(node.alternate);
        this.popGuards(saved);
        this.frame.condDepth--;
        return join(a, b);
      }
      case "UnaryExpression": {
        this.eval(node.argument);
        return NUMERIC;
      }
      case "UpdateExpression":
        return NUMERIC;
      case "NewExpression":
        return this.evalCall(node, true);
      case "ThisExpression":
        return this.frame.thisValue;
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
        return this.typed(this.eval(node.expression), node.typeAnnotation);
      case "ChainExpression":
      case "ParenthesizedExpression":
      case "TSNonNullExpression":
      case "TSInstantiationExpression":
        return this.eval(node.expression);
      case "SequenceExpression": {
        let v: Value = UNKNOWN;
        for (const e of node.expressions) v = this.eval(e);
        return v;
      }
      case "TaggedTemplateExpression":
        return this.evalTagged(node);
      case "ClassExpression":
        return this.classValue(node);
      case "JSXElement":
      case "JSXFragment":
        this.evalJsx(node);
        return UNKNOWN;
      case "YieldExpression":
        if (node.argument) this.eval(node.argument);
        return UNKNOWN;
      case "ImportExpression": {
        const s = node.source.type === "Literal" ? node.source.value : null;
        if (typeof s !== "string") this.eval(node.source);
        return typeof s === "string" ? this.importValue(s, null) : UNKNOWN;
      }
      case "SpreadElement":
        return this.eval(node.argument);
      default:
        return UNKNOWN;
    }
  }

  private evalIdentifier(node: JsNode): Value {
    const name: string = node.name;
    const b = this.lookup(name);
    if (b) return b.guard ? sanitize(b.value, b.guard) : b.value;
    return this.globalValue(name);
  }

  private globalValue(name: string): Value {
    let v = this.globals.get(name);
    if (!v) {
      v = constantValue("global:" + name) ?? modelValue({ kind: "global", name });
      this.globals.set(name, v);
    }
    return v;
  }

  private evalMember(node: JsNode): Value {
    const obj = this.eval(node.object);
    let key: string | null = null;
    let keyValue: Value | null = null;
    if (!node.computed) key = node.property.name ?? null;
    else if (node.property.type === "Literal") key = String(node.property.value);
    else {
      keyValue = this.eval(node.property);
      key = keyValue.str;
    }
    let v = key !== null ? this.getProp(obj, key, node) : this.computedProp(obj, keyValue!);
    if (v === UNKNOWN && key !== null && key.charCodeAt(0) === 36 && node.object.type === "ThisExpression") v = instanceSource(this, key, node) ?? v;
    if (this.memberGuards.size > 0 && v.taint) {
      const k = pathKey(node);
      const mask = k === null ? 0 : (this.memberGuards.get(k) ?? 0);
      if (mask) v = sanitize(v, mask);
    }
    return v;
  }

  /** A property read with a key only known at run time. */
  private computedProp(obj: Value, keyValue: Value): Value {
    const keyTaint = keyValue.taint && (keyValue.taint.safe & PROTO) === 0 ? keyValue.taint : null;
    let v: Value;
    if (obj.props && !obj.taint && obj.flags & F_LITERAL_OBJ && !(keyValue.flags & F_NUMERIC)) {
      // A lookup table of constants: the result is one of them (or undefined).
      v = UNKNOWN;
      for (const pv of obj.props.values()) {
        v = join(v, pv);
        if (v.taint || v.fn) break;
      }
    } else {
      v = this.anyProp(obj);
    }
    if (!keyTaint || obj.flags & F_NULL_PROTO) return v;
    const out = shallowCopy(v);
    out.protoKey = keyTaint;
    return out;
  }

  /** Any element or property of a value. */
  anyProp(obj: Value): Value {
    if (obj.elem) return obj.elem;
    if (obj.taint) return this.deriveIndex(obj);
    if (obj.props && obj.props.size > 0 && obj.props.size <= 64) {
      let v: Value = UNKNOWN;
      for (const pv of obj.props.values()) v = join(v, pv);
      return v;
    }
    return UNKNOWN;
  }

  /** The result of an unmodelled method called on attacker data (`params.get("q")`): attacker text. */
  deriveCall(base: Value, method: string, node: JsNode): Value {
    const t = base.taint!;
    const text = this.text(node);
    const label = text.length < MAX_LABEL ? text : t.label + "." + method + "()";
    const arg = node.arguments?.[0];
    // `headers.get("host")`: the argument names the property read.
    const refined = arg?.type === "Literal" ? refinement(t.origin.what, String(arg.value)) : 0;
    return taintedValue(new Taint(t.origin, label, t.path + "." + method + "()", t.safe | (refined === "untainted" ? 0 : refined), false, t.steps));
  }

  private deriveIndex(obj: Value): Value {
    const t = obj.taint!;
    const label = t.label.length > MAX_LABEL ? t.label : t.label + "[…]";
    return taintedValue(new Taint(t.origin, label, t.path + "[]", t.safe, t.obj, t.steps));
  }

  /** Reads a static property. `node` is the member expression, when there is one. */
  getProp(obj: Value, key: string, node: JsNode | null): Value {
    const v = this.readProp(obj, key, node);
    return this.module.cardWords && CARD_DATA_HINT.test(key) ? cardField(v, key) : v;
  }

  private readProp(obj: Value, key: string, node: JsNode | null): Value {
    if (obj.props) {
      const pv = obj.props.get(key);
      if (pv) return pv;
    }
    if (obj.fn && key === "prototype" && !obj.fn.cls) return this.prototypeOf(obj.fn);
    if (obj.model) {
      const r = modelProperty(this, obj, key, node);
      if (r) return r;
    }
    if (obj.taint) {
      if (key === "length") return NUMERIC;
      // The server's own URL: its host part is the server's name.
      if (obj.flags & F_OWN_URL && refinement("own URL", key) === "untainted") return UNKNOWN;
      if (obj.elem && /^\d+$/.test(key)) return obj.elem;
      return this.derive(obj, key, node);
    }
    if (obj.elem) return obj.elem;
    if (obj.str !== null && key === "length") return NUMERIC;
    return UNKNOWN;
  }

  private evalTemplate(node: JsNode): Value {
    if (node.expressions.length === 0) {
      const q = node.quasis[0];
      return this.literal(strValue(q.value.cooked ?? q.value.raw), node);
    }
    const parts: Part[] = [];
    const quasis = node.quasis;
    for (let i = 0; i < quasis.length; i++) {
      const cooked = quasis[i].value.cooked ?? quasis[i].value.raw;
      if (cooked) parts.push(cooked);
      if (i < node.expressions.length) {
        const v = asText(named(this.eval(node.expressions[i]), node.expressions[i]));
        for (const p of partsOf(v)) parts.push(p);
      }
    }
    return textValue(parts);
  }

  private evalBinary(node: JsNode): Value {
    if (node.operator !== "+") {
      const a = this.eval(node.left);
      const b = this.eval(node.right);
      if (node.operator === "===" || node.operator === "==" || node.operator === "!==" || node.operator === "!=") {
        if (b.lit) this.comparedCredential(a, b.lit, [node.left, node.right], node);
        else if (a.lit) this.comparedCredential(b, a.lit, [node.right, node.left], node);
      }
      return NUMERIC;
    }
    // Long `a + b + c + …` chains nest to the left: fold them iteratively.
    const rights: JsNode[] = [];
    let left: JsNode = node;
    while (left.type === "BinaryExpression" && left.operator === "+") {
      rights.push(left.right);
      left = left.left;
    }
    let acc = this.eval(left);
    if (rights.length > 0) acc = named(acc, left);
    for (let i = rights.length - 1; i >= 0; i--) acc = this.plus(acc, named(this.eval(rights[i]!), rights[i]!));
    return acc;
  }

  private plus(a: Value, b: Value): Value {
    if (a.flags & F_NUMERIC && b.flags & F_NUMERIC) return NUMERIC;
    const card = (a.flags | b.flags) & CARD_DATA;
    if (!a.taint && !b.taint && a.str === null && b.str === null && !a.parts && !b.parts) return card ? withFlags(UNKNOWN, card) : UNKNOWN;
    const out = concat(asText(a), asText(b));
    if (card) out.flags |= card;
    return out;
  }

  private evalLogical(node: JsNode): Value {
    const a = this.eval(node.left);
    this.frame.condDepth++;
    const saved =
      node.operator === "&&"
        ? this.pushGuards(guardEffects(this, node.left, true))
        : node.operator === "||"
          ? this.pushGuards(guardEffects(this, node.left, false))
          : null;
    const b = this.eval(node.right);
    this.popGuards(saved);
    this.frame.condDepth--;
    if (node.operator === "&&" && a.flags & F_NUMERIC) return b;
    if (b.lit && !a.lit && a.str === null && node.operator !== "&&") {
      // `process.env.KEY || "dev-secret"`: the literal is what runs wherever the variable is unset.
      const out = shallowCopy(join(a, b));
      out.lit = { ...b.lit, fallback: true };
      return out;
    }
    return join(a, b);
  }

  private evalAssign(node: JsNode): Value {
    const op: string = node.operator;
    let v: Value;
    if (op === "=") v = this.eval(node.right);
    else if (op === "+=") v = this.plus(this.eval(node.left), this.eval(node.right));
    else if (op === "||=" || op === "&&=" || op === "??=") v = join(this.eval(node.left), this.eval(node.right));
    else {
      this.eval(node.right);
      v = NUMERIC;
    }
    const left = unwrap(node.left);
    if (left.type === "Identifier" && v.taint) v = withStep(v, this.file, node.start, node.end, `assigned to ${left.name}`);
    if (left.type === "Identifier" && v.fn && !v.fn.name) v.fn.name = left.name;
    this.assignTo(left, v, node);
    return v;
  }

  private assignTo(target0: JsNode, v: Value, node: JsNode): void {
    const target = unwrap(target0);
    if (target.type === "Identifier") {
      // An undeclared name is a property of the global object: `location = url`, `onmessage = handler`.
      if ((v.taint || v.fn) && !this.lookup(target.name))
        checkAssignSinks(this, { node, target, obj: this.globalValue("window"), key: target.name, keyValue: null, value: v });
      this.setVar(target.name, v);
      return;
    }
    if (target.type !== "MemberExpression") {
      this.bindPattern(target, v, null);
      return;
    }
    const obj = this.eval(target.object);
    let key: string | null = null;
    let keyValue: Value | null = null;
    if (!target.computed) key = target.property.name ?? null;
    else if (target.property.type === "Literal") key = String(target.property.value);
    else {
      keyValue = this.eval(target.property);
      key = keyValue.str;
    }
    if (v.fn && !v.fn.name && key) v.fn.name = key;
    if (v.taint || obj.protoKey || keyValue?.taint || obj.model || v.fn) checkAssignSinks(this, { node, target, obj, key, keyValue, value: v });
    if (obj.model && key !== null) {
      for (const row of CREDENTIAL_PROPERTIES) if (row.model === obj.model.kind && row.property === key) this.keyUse(v, node, row.what);
    }
    // `url.host = x`, `url.href = x` on a `new URL(…)` in a variable: the URL now goes where x says.
    if (obj.flags & F_URL && v.taint && key !== null && URL_TARGET_PROPERTIES.has(key) && unwrap(target.object).type === "Identifier") {
      const moved = key === "href" || key === "protocol" ? shallowCopy(asText(v)) : textValue(["https://", ...partsOf(asText(v)), "/"]);
      moved.flags |= F_URL;
      this.setVar(unwrap(target.object).name, moved);
      return;
    }
    if (obj.props && obj.flags & F_LITERAL_OBJ && !Object.isFrozen(obj)) {
      if (key !== null) obj.props.set(key, v);
      else obj.elem = obj.elem ? join(obj.elem, v) : v;
      noteProperty(obj, v);
    } else if (key !== null && obj.model?.kind === "instance") {
      const fields = obj.model.cls.fields;
      const prev = fields.get(key);
      const stored = this.stripOwn(v);
      fields.set(key, prev ? join(prev, stored) : stored);
    }
  }

  private evalObject(node: JsNode): Value {
    const props = new Map<string, Value>();
    let elem: Value | null = null;
    let cardFlags = 0;
    for (const p of node.properties) {
      if (p.type === "SpreadElement") {
        const sv = this.eval(p.argument);
        cardFlags |= sv.flags & CARD_DATA;
        if (sv.props) for (const [k, pv] of sv.props) props.set(k, pv);
        if (sv.taint && !sv.props) elem = elem ? join(elem, sv) : sv;
        else if (sv.elem) elem = elem ? join(elem, sv.elem) : sv.elem;
        continue;
      }
      if (p.type !== "Property") continue;
      let key: string | null = null;
      if (!p.computed) key = p.key.type === "Identifier" ? p.key.name : p.key.type === "Literal" ? String(p.key.value) : null;
      else key = this.eval(p.key).str;
      let v: Value;
      if (p.kind === "set") {
        this.closure(p.value, false, key);
        continue;
      }
      if (p.kind === "get") v = this.getter(this.closure(p.value, false, key).fn!);
      else if (p.method) v = this.closure(p.value, false, key);
      else {
        if (key !== null && isResolverRoot(key) && p.value.type === "ObjectExpression") this.propertyKeys.set(p.value, key);
        v = this.eval(p.value);
        if (v.fn && !v.fn.name) v.fn.name = key;
      }
      if (key !== null) props.set(key, v);
      else elem = elem ? join(elem, v) : v;
    }
    const obj = objectValue(props);
    obj.flags |= cardFlags;
    for (const v of props.values()) obj.flags |= v.flags & CARD_DATA;
    if (isResolverRoot(this.objectKeyOf(node))) for (const v of props.values()) if (v.fn) v.fn.resolver = true;
    if (elem) {
      obj.elem = elem;
      if (!obj.taint && elem.taint) obj.taint = elem.taint;
      obj.flags |= elem.flags & F_SYM;
    }
    return obj;
  }

  /** The static key an object literal is the value of (`Query` in `{ Query: { … } }`), tracked while evaluating properties. */
  private objectKeyOf(node: JsNode): string {
    return this.propertyKeys.get(node) ?? "";
  }

  private evalArray(node: JsNode): Value {
    const props = new Map<string, Value>();
    let elem: Value | null = null;
    let constant = true;
    node.elements.forEach((e: JsNode | null, i: number) => {
      if (!e) return;
      if (e.type === "SpreadElement") {
        const sv = this.eval(e.argument);
        const ev = this.elementOf(sv);
        elem = elem ? join(elem, ev) : ev;
        constant = constant && !!(sv.flags & F_CONST_COLL);
        return;
      }
      const v = this.eval(e);
      props.set(String(i), v);
      elem = elem ? join(elem, v) : v;
      if (v.str === null && !(v.flags & F_NUMERIC)) constant = false;
    });
    const arr = objectValue(props);
    arr.flags |= F_ARRAY;
    arr.elem = elem ?? UNKNOWN;
    arr.flags |= arr.elem.flags & CARD_DATA;
    if (elem) {
      const e: Value = elem;
      if (!arr.taint && e.taint) arr.taint = e.taint;
      arr.flags |= e.flags & F_SYM;
    }
    if (constant && props.size > 0) arr.flags |= F_CONST_COLL;
    return arr;
  }

  /** The values a `for…of` or spread yields. */
  elementOf(v: Value): Value {
    if (v.elem) return v.elem;
    if (v.taint) return this.deriveIndex(v);
    return UNKNOWN;
  }

  /** The keys a `for…in` yields: attacker-chosen when the object is attacker data. */
  keyOf(v: Value): Value {
    if (!v.taint) return UNKNOWN;
    const t = v.taint;
    return taintedValue(new Taint(t.origin, t.label + " (a key)", t.path + "[key]", t.safe, false, t.steps));
  }

  private evalTagged(node: JsNode): Value {
    const fn = this.eval(unwrap(node.tag));
    // String.raw`…${x}` is plain text; tags that build queries or markup (sql``, html``) keep
    // values apart from the text, so their result carries no attacker text.
    if (fn.model?.kind === "global" && fn.model.name === "String.raw") return this.evalTemplate(node.quasi);
    for (const e of node.quasi.expressions) this.eval(e);
    return UNKNOWN;
  }

  private evalJsx(node: JsNode): void {
    const stack: JsNode[] = [node];
    let visited = 0;
    while (stack.length > 0 && visited++ < 100_000) {
      const n = stack.pop()!;
      if (n.type === "JSXElement") {
        for (const attr of n.openingElement.attributes) {
          if (attr.type === "JSXSpreadAttribute") this.eval(attr.argument);
          else if (attr.value?.type === "JSXExpressionContainer" && attr.value.expression.type !== "JSXEmptyExpression") {
            const v = this.eval(attr.value.expression);
            if (v.taint) checkJsxAttribute(this, attr, v, n.openingElement.name);
          }
        }
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
      } else if (n.type === "JSXFragment") {
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
      } else if (n.type === "JSXExpressionContainer") {
        if (n.expression.type !== "JSXEmptyExpression") this.eval(n.expression);
      } else if (n.type === "JSXSpreadChild") {
        this.eval(n.expression);
      }
    }
  }

  // ---------------------------------------------------------------- calls

  private evalCall(node: JsNode, isNew: boolean): Value {
    const callee = unwrap(node.callee);
    let recv: Value | null = null;
    let method: string | null = null;
    let fn: Value = UNKNOWN;
    if (callee.type === "MemberExpression") {
      recv = this.eval(callee.object);
      if (!callee.computed) method = callee.property.name ?? null;
      else if (callee.property.type === "Literal") method = String(callee.property.value);
      else method = this.eval(callee.property).str;
      if (method !== null && (recv.props || recv.model)) fn = this.getProp(recv, method, callee);
    } else if (callee.type !== "Super" && callee.type !== "Import") {
      fn = this.eval(callee);
    }
    const args: Value[] = [];
    for (const a of node.arguments) {
      if (FUNCTION_TYPES.has(a.type)) args.push(this.closure(a, true, null));
      else args.push(this.eval(a.type === "SpreadElement" ? a.argument : a));
    }
    const site: CallSite = { node, callee, recv, method, fn, args, isNew };
    if (fn.model && (fn.model.kind === "module" || fn.model.kind === "global") && args.length > 0) this.credentialArguments(site);
    if (!fn.fn && args.some((a) => a.flags & (CARD_DATA | F_SYM))) this.cardSinks(site);
    // A function of the project is read, not matched by name against library sinks (`dao.search(q)` is no RegExp search).
    if (!fn.fn) {
      // Attacker text as the receiver of a constant pattern (`s.replace(/\s+$/, "")`) is a sink too (ReDoS).
      if (recv?.taint && args[0] && (args[0].regex || args[0].str !== null)) checkCallSinks(this, site);
      else {
        for (const a of args) {
          if (a.taint) {
            checkCallSinks(this, site);
            break;
          }
        }
      }
    }
    let result: Value;
    if (fn.fn) result = isNew && !fn.fn.cls ? this.constructPlain(fn.fn, site) : this.callFunction(fn.fn, site);
    else if (fn.model?.kind === "class") result = isNew ? this.construct(fn.model.cls, args) : UNKNOWN;
    else if (fn.model?.kind === "global" && fn.model.name === "require" && typeof args[0]?.str === "string") result = this.importValue(args[0].str, null);
    else {
      result = callResult(this, site);
      if (fn.model?.kind === "module") this.resolverContext = graphqlContext(this, site) ?? this.resolverContext;
      if (result === UNKNOWN && !isNew && fn.model?.kind === "module") result = this.passThrough(site);
      if (result === UNKNOWN && recv?.model?.kind === "db" && method !== null && isStoredRead(method, args[0])) result = this.storedRows(site);
    }
    // Callbacks nothing above ran: analyse them in place with what little is known.
    for (const a of args) if (a.fn && a.fn.inline && !this.summaries.has(a.fn)) this.callInline(a.fn, [], UNKNOWN, "entry");
    return result;
  }

  /**
   * A library function nothing models (`truncate(req.query.q, 40)` from a package we do not know)
   * returns its first tainted argument as text, marked as an assumption so the finding's
   * confidence says so. Names that say the result is a check, a count, a hash or an escaped
   * form do not pass anything.
   */
  private passThrough(site: CallSite): Value {
    const model = site.fn.model;
    if (model?.kind !== "module" || NODE_BUILTINS.has(model.module)) return UNKNOWN;
    const name = model.path[model.path.length - 1] ?? model.module;
    if (NOT_PASSING.test(name)) return UNKNOWN;
    const arg = site.args.find((a) => a.taint && !(a.flags & F_NUMERIC));
    if (!arg) return UNKNOWN;
    const out = asText(arg);
    const t = out.taint!;
    const label = this.text(site.node);
    const step = addStep(
      t.steps,
      this.file,
      site.node.start,
      site.node.end,
      `passed through ${label.length < 40 ? label : name + "()"}, a library function the engine does not model (assumed to keep the data)`,
      true,
    );
    // A library function we do not know may well be the masking one: card data does not pass.
    return taintedValue(t.with({ steps: step, label }), out.flags & F_SYM);
  }

  /**
   * What a read from the application's own database gives (`pool.query("SELECT …")`, D1's
   * `.all()`): stored data, a source of its own kind for second-order injection and stored XSS.
   * A callback given the rows (`db.all(sql, (err, rows) => …)`) receives them too.
   */
  private storedRows(site: CallSite): Value {
    const rows = this.source(site.node, "stored data read back from the database", {
      obj: true,
      stored: true,
      flags: F_CONTAINER,
      label: `rows of ${this.text(site.callee)}()`,
    });
    const cb = site.args.find((a) => a.fn && a.fn.inline)?.fn;
    if (cb && !this.analysed(cb)) this.callInline(cb, [UNKNOWN, rows, UNKNOWN], UNKNOWN, "call");
    return rows;
  }

  /** The value a getter returns (read with unknown `this`). */
  getter(ref: FnRef): Value {
    const summary = this.summaries.get(ref) ?? this.analyze(ref, null, "entry", ref.cls ? ref.cls.instance : UNKNOWN);
    return summary?.done ? summary.ret : UNKNOWN;
  }

  /** `new C(args)`: runs the constructor once (with the first call's arguments) so fields such as `this.db` are known. */
  private construct(cls: ClassInfo, args: Value[]): Value {
    const ctor = cls.methods.get("constructor")?.fn;
    if (ctor && !this.analysed(ctor)) this.analyze(ctor, args, "call", cls.instance);
    return cls.instance;
  }

  /**
   * `new F(args)` for a plain constructor function (`function UserDAO(db) { this.find = … }`):
   * runs F once with the first call's arguments and an object for `this`, which starts with the
   * methods assigned to `F.prototype`; later `new F()` give the same object.
   */
  private constructPlain(ref: FnRef, site: CallSite): Value {
    let instance = this.constructed.get(ref);
    if (instance) return instance;
    instance = literalObject();
    const proto = this.prototypes.get(ref);
    if (proto?.props) for (const [k, v] of proto.props) instance.props!.set(k, v);
    this.constructed.set(ref, instance);
    if (!this.analysed(ref)) this.analyze(ref, site.args, "call", instance);
    return instance;
  }

  /** `F.prototype` of a plain function: an object its methods are assigned to. */
  prototypeOf(ref: FnRef): Value {
    let proto = this.prototypes.get(ref);
    if (!proto) {
      proto = literalObject();
      this.prototypes.set(ref, proto);
    }
    return proto;
  }

  /** Calls a function value defined in the project. A method of a plain object or constructed instance sees its receiver as `this`. */
  callFunction(ref: FnRef, site: CallSite): Value {
    const thisValue = ref.cls ? ref.cls.instance : site.recv?.props && !site.recv.taint ? site.recv : UNKNOWN;
    if (ref.inline) {
      const done = this.summaries.get(ref);
      return done ? done.ret : this.callInline(ref, site.args, thisValue, "call");
    }
    // Library code mostly passes untainted values: read such a function once with unknown
    // parameters, and build its symbolic summary only when attacker data is passed to it.
    if (!site.args.some((a) => a.taint || a.flags & (F_SYM | CARD_DATA))) {
      const plain = this.summaries.get(ref) ?? this.analyze(ref, null, "entry", thisValue);
      return plain?.done ? plain.ret : UNKNOWN;
    }
    const summary = this.symbolicSummaries.get(ref) ?? this.analyze(ref, null, "symbolic", thisValue);
    if (!summary || !summary.done) return UNKNOWN;
    const source = site.args[1]?.taint;
    if (source && source.origin.param < 0 && looksLikeUnsafeMerge(ref)) checkCallSinks(this, site, ref);
    return this.instantiate(summary, ref, site);
  }

  /** Analyses a function in place with the given arguments (callbacks, route handlers). */
  callInline(ref: FnRef, args: Value[], thisValue: Value, mode: "call" | "entry" | "route" | "event", what?: string): Value {
    const existing = this.summaries.get(ref);
    if (existing) return existing.done ? existing.ret : UNKNOWN;
    const summary = this.analyze(ref, args, mode, thisValue, what);
    return summary?.done ? summary.ret : UNKNOWN;
  }

  /**
   * Interprets a function body once. `args` null means symbolic parameters (a summary);
   * "entry", "route" and "event" bind parameters from their names, their position in a route
   * handler, or as an event's payload.
   */
  private analyze(ref: FnRef, args: Value[] | null, mode: "call" | "entry" | "route" | "event" | "symbolic", thisValue: Value, what?: string): Summary | null {
    const node = ref.node;
    if (++this.analyses > MAX_ANALYSES)
      throw new Bail(`Dataflow analysis stopped after ${MAX_ANALYSES} function analyses on this file; findings before that point are kept.`);
    if (this.nested >= MAX_NESTED_ANALYSES || this.depth > this.maxDepth - 64) {
      if (!this.nestingNoted) {
        this.nestingNoted = true;
        this.notices.push({
          file: this.file,
          message: `Dataflow analysis reached its limit of ${MAX_NESTED_ANALYSES} nested function analyses; calls past it were read as returning unknown values.`,
        });
      }
      return null;
    }
    const frame = new Frame(ref, thisValue, mode === "symbolic");
    (mode === "symbolic" ? this.symbolicSummaries : this.summaries).set(ref, frame.summary);
    this.analysedNodes.add(node);
    const savedScope = this.scope;
    const savedFrame = this.frame;
    const savedGuards = this.memberGuards.size > 0 ? new Map(this.memberGuards) : null;
    this.memberGuards.clear();
    const savedFile = this.file;
    const savedModule = this.module;
    if (ref.file !== this.file) {
      this.file = ref.file;
      this.module = this.modules.get(ref.file.path) ?? this.module;
    }
    this.nested++;
    this.frame = frame;
    this.scope = new Scope((ref.scope as Scope | null) ?? savedScope, frame);
    if (node.type === "FunctionExpression" && node.id) this.declare(node.id.name, modelFn(ref), "const");
    const roles = mode === "call" ? null : paramRoles(this, ref, mode);
    const params: JsNode[] = node.params ?? [];
    let index = 0;
    for (const p0 of params) {
      const p = p0.type === "TSParameterProperty" ? p0.parameter : p0;
      if (p.type === "Identifier" && p.name === "this") continue;
      const i = index++;
      let v: Value;
      const decorated = sourceForDecoratedParam(this, p);
      const role: ParamRole = roles?.[i] ?? null;
      if (decorated) v = decorated;
      else if (mode === "call" && args) v = p.type === "RestElement" ? this.restOf(args, i) : (args[i] ?? UNKNOWN);
      else if (role) v = this.roleValue(role, p, what);
      else if (mode === "symbolic") v = this.symbolic(frame, i, p);
      else if (mode === "entry" && ref.resolver && i === 2 && this.resolverContext) v = this.resolverContext;
      else if (mode === "entry" && ref.cls && ref.name === "constructor") v = this.injected(p);
      else v = UNKNOWN;
      const annotation = (p.type === "AssignmentPattern" ? p.left : p).typeAnnotation?.typeAnnotation;
      if (annotation) v = this.typed(v, annotation);
      this.bindPattern(p, v, "let");
      if (p0.type === "TSParameterProperty" && ref.cls && p.type === "Identifier") ref.cls.fields.set(p.name, this.stripOwn(v));
    }
    if (node.body?.type === "BlockStatement") this.execBlock(node.body.body, false);
    else if (node.body) {
      const v = this.eval(node.body);
      frame.ret = v;
    }
    frame.summary.ret = frame.ret ?? NUMERIC;
    frame.summary.done = true;
    this.nested--;
    this.frame = savedFrame;
    this.scope = savedScope;
    this.file = savedFile;
    this.module = savedModule;
    this.memberGuards.clear();
    if (savedGuards) for (const [k, m] of savedGuards) this.memberGuards.set(k, m);
    return frame.summary;
  }

  /**
   * What a dependency-injection container passes a constructor parameter, from its declared type
   * (`constructor(private readonly users: UsersService)`): an instance of a project class, its own
   * constructor injected the same way, or a library instance the models know.
   */
  private injected(param: JsNode): Value {
    let type = param.typeAnnotation?.typeAnnotation;
    if (type?.type !== "TSTypeReference") return UNKNOWN;
    type = type.typeName;
    const path: string[] = [];
    while (type.type === "TSQualifiedName") {
      path.unshift(type.right.name);
      type = type.left;
    }
    if (type.type !== "Identifier") return UNKNOWN;
    let v = this.lookup(type.name)?.value ?? UNKNOWN;
    for (const key of path) v = this.getProp(v, key, null);
    if (v.model?.kind === "class") {
      const cls = v.model.cls;
      const ctor = cls.methods.get("constructor")?.fn;
      if (ctor && !this.analysed(ctor)) this.analyze(ctor, null, "entry", cls.instance);
      return cls.instance;
    }
    return injectedInstance(this, v, param) ?? UNKNOWN;
  }

  private restOf(args: Value[], from: number): Value {
    const props = new Map<string, Value>();
    let elem: Value = UNKNOWN;
    for (let i = from; i < args.length; i++) {
      props.set(String(i - from), args[i]!);
      elem = join(elem, args[i]!);
    }
    const arr = objectValue(props);
    arr.elem = elem;
    return arr;
  }

  private roleValue(role: NonNullable<ParamRole>, param: JsNode, what?: string): Value {
    switch (role.kind) {
      case "model": {
        const v = modelValue(role.model());
        if (param.type === "Identifier") v.name = param.name;
        return v;
      }
      case "tainted":
        return this.source(param.type === "AssignmentPattern" ? param.left : param, what ?? role.what, {
          obj: role.obj,
          label: param.type === "Identifier" ? param.name : undefined,
        });
    }
  }

  /** The symbolic value of a parameter in a summary. */
  private symbolic(frame: Frame, index: number, param: JsNode): Value {
    const p = param.type === "AssignmentPattern" ? param.left : param.type === "RestElement" ? param.argument : param;
    const name = p.type === "Identifier" ? p.name : `argument ${index + 1}`;
    const origin: Origin = { file: this.file, start: p.start, end: p.end, what: "parameter", label: name, param: index, frame, local: false };
    const v = taintedValue(new Taint(origin, name, "", 0, true, null));
    if (param.type === "RestElement") {
      const arr = objectValue(new Map());
      arr.elem = v;
      arr.taint = v.taint;
      arr.flags |= F_SYM;
      return arr;
    }
    return v;
  }

  // ---------------------------------------------------------------- summaries

  /** A summary's return value and sink hits with this call's arguments in place of the parameters. */
  private instantiate(summary: Summary, ref: FnRef, site: CallSite): Value {
    const name = ref.name ?? "function";
    const subst = (v: Value) => this.substitute(v, summary.frame, site, name, 0);
    for (const h of summary.hits) {
      const v = subst(h.value);
      if (v.taint) this.sink(h.spec, h.node, v, h.file);
    }
    for (const c of summary.cardSinks) this.cardSink(c.sink, c.node, c.file, c.values.map(subst));
    const ret = subst(summary.ret);
    return ret.taint && ret.taint.origin.param < 0 && ret !== summary.ret
      ? withStep(ret, this.file, site.node.start, site.node.end, `returned by ${name}()`)
      : ret;
  }

  private substitute(v: Value, frame: Frame, site: CallSite, name: string, depth: number): Value {
    if (!(v.flags & F_SYM) || depth > 6) return v;
    const own = (t: Taint | null): t is Taint => t !== null && t.origin.frame === frame && t.origin.param >= 0;
    if (v.parts) {
      const parts: Part[] = [];
      for (const p of v.parts) {
        if (p instanceof Hole && own(p.taint)) for (const q of partsOf(this.actual(p.taint, site, name))) parts.push(q);
        else parts.push(p);
      }
      return textValue(parts);
    }
    if (v.props) {
      const props = new Map<string, Value>();
      for (const [k, pv] of v.props) props.set(k, this.substitute(pv, frame, site, name, depth + 1));
      const out = objectValue(props);
      out.flags |= v.flags & ~F_SYM;
      if (v.elem) {
        out.elem = this.substitute(v.elem, frame, site, name, depth + 1);
        if (!out.taint && out.elem.taint) out.taint = out.elem.taint;
        out.flags |= out.elem.flags & F_SYM;
      }
      if (own(v.taint) && !out.taint) {
        const a = this.actual(v.taint, site, name);
        if (a.taint) out.taint = a.taint;
      }
      return out;
    }
    if (own(v.taint)) {
      const a = this.actual(v.taint, site, name);
      if (v.elem && !a.elem) {
        const out = shallowCopy(a);
        out.elem = this.substitute(v.elem, frame, site, name, depth + 1);
        return out;
      }
      return a;
    }
    if (v.elem) {
      const out = shallowCopy(v);
      out.elem = this.substitute(v.elem, frame, site, name, depth + 1);
      out.flags = (v.flags & ~F_SYM) | (out.elem.flags & F_SYM) | (out.taint && out.taint.origin.param >= 0 ? F_SYM : 0);
      return out;
    }
    return v;
  }

  /** The caller's value for a symbolic taint: the argument, down its property path, with the callee's sanitising and steps. */
  private actual(t: Taint, site: CallSite, name: string): Value {
    let v = site.args[t.origin.param] ?? UNKNOWN;
    if (t.path !== "") {
      for (const seg of t.path.split(".")) {
        if (seg === "") continue;
        if (seg === "[]" || seg.endsWith("[]")) {
          const key = seg.slice(0, -2);
          if (key) v = this.getProp(v, key, null);
          v = this.anyProp(v);
        } else if (seg.endsWith("[key]")) {
          const key = seg.slice(0, -5);
          if (key) v = this.getProp(v, key, null);
          v = this.keyOf(v);
        } else {
          v = this.getProp(v, seg, null);
        }
        if (v === UNKNOWN) return v;
      }
    }
    if (!v.taint) return v;
    const param = t.origin.param;
    const argNode = site.node.arguments?.[param];
    let steps: Step | null = v.taint.steps;
    if (argNode) steps = addStep(steps, this.file, argNode.start, argNode.end, `passed to ${name}()`);
    const inner: Step[] = [];
    for (let s = t.steps; s; s = s.prev) inner.push(s);
    for (let i = inner.length - 1; i >= 0; i--) steps = addStep(steps, inner[i]!.file, inner[i]!.start, inner[i]!.end, inner[i]!.message, inner[i]!.assumed);
    let out = v;
    if (t.safe) out = sanitize(out, t.safe);
    if (!t.obj && out.taint!.obj) out = asText(out);
    if (out === v) out = shallowCopy(v);
    out.taint = out.taint!.with({ steps });
    if (out.parts) {
      out.parts = out.parts.map((p) => (p instanceof Hole && p.taint.origin === out.taint!.origin ? new Hole(p.taint.with({ steps })) : p));
    }
    return out;
  }

  // ---------------------------------------------------------------- functions and classes

  closure(node: JsNode, inline: boolean, name: string | null): Value {
    const ref: FnRef = { node, file: this.file, scope: this.scope, cls: null, inline, name };
    this.functions.push(ref);
    const v = new Value();
    v.fn = ref;
    return v;
  }

  private classValue(node: JsNode): Value {
    const name: string = node.id?.name ?? "class";
    const instance = new Value();
    const cls: ClassInfo = { node, name, methods: new Map(), statics: new Map(), fields: new Map(), getters: new Set(), instance };
    instance.model = { kind: "instance", cls };
    if (node.superClass) this.eval(node.superClass);
    const saved = this.scope;
    this.scope = new Scope(this.scope, this.frame);
    const value = modelValue({ kind: "class", cls });
    if (node.id) this.scope.vars.set(name, { value, depth: this.frame.condDepth, frame: this.frame, guard: 0 });
    for (const m of node.body.body) {
      const key = m.computed
        ? null
        : m.key?.type === "Identifier" || m.key?.type === "PrivateIdentifier"
          ? m.key.name
          : m.key?.type === "Literal"
            ? String(m.key.value)
            : null;
      const table = m.static ? cls.statics : cls.methods;
      if ((m.type === "MethodDefinition" || m.type === "TSAbstractMethodDefinition") && m.value?.body) {
        const ref: FnRef = { node: m.value, file: this.file, scope: this.scope, cls, inline: false, name: key };
        this.functions.push(ref);
        const fv = new Value();
        fv.fn = ref;
        if (key !== null && m.kind !== "set") table.set(key, fv);
        if (key !== null && m.kind === "get") cls.getters.add(key);
      } else if (m.type === "PropertyDefinition" && m.value && key !== null) {
        if (FUNCTION_TYPES.has(m.value.type)) {
          const ref: FnRef = { node: m.value, file: this.file, scope: this.scope, cls, inline: false, name: key };
          this.functions.push(ref);
          const fv = new Value();
          fv.fn = ref;
          table.set(key, fv);
        } else {
          const savedThis = this.frame.thisValue;
          this.frame.thisValue = instance;
          const v = this.eval(m.value);
          this.frame.thisValue = savedThis;
          (m.static ? cls.statics : cls.fields).set(key, this.stripOwn(v));
        }
      }
    }
    this.scope = saved;
    return value;
  }

  /** Whether a function value (closure instance) was already interpreted. */
  analysed(ref: FnRef): boolean {
    return this.summaries.has(ref) || this.symbolicSummaries.has(ref);
  }

  /** Global-model value for a name (`fetch`, `location`), even when shadowed. */
  global(name: string): Value {
    return this.globalValue(name);
  }

  /** The result of a call to something that is not a function of the file: a library function, from its model. */
  callLibrary(site: CallSite): Value {
    return callResult(this, site);
  }
}

/** An unknown untainted value, given the name it is written with for template placeholders (`tableName`). */
function named(v: Value, node: JsNode): Value {
  if (v.taint || v.str !== null || v.parts || v.flags & F_NUMERIC || v.name) return v;
  const n = unwrap(node);
  const name =
    n.type === "Identifier"
      ? n.name
      : n.type === "MemberExpression" && !n.computed
        ? n.property.name
        : n.type === "CallExpression"
          ? (unwrap(n.callee).property?.name ?? unwrap(n.callee).name)
          : null;
  if (typeof name !== "string") return v;
  const out = v === UNKNOWN ? new Value() : shallowCopy(v);
  out.name = name;
  return out;
}

function modelFn(ref: FnRef): Value {
  const v = new Value();
  v.fn = ref;
  return v;
}

/** A block needs its own scope when it declares block-scoped names. */
function needsScope(s: JsNode): boolean {
  return (s.type === "VariableDeclaration" && s.kind !== "var") || s.type === "ClassDeclaration" || s.type === "FunctionDeclaration";
}

/** Whether a name or label ends in a credential word: `password`, `adminToken`, `req.headers["x-api-key"]`. */
function namesCredential(name: string): boolean {
  const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  const last = words[words.length - 1]?.toLowerCase() ?? "";
  return CREDENTIAL_WORDS.test(last) || CREDENTIAL_WORDS.test((words[words.length - 2] ?? "").toLowerCase() + last);
}

/** A module of a project, parsed. */
export interface ProjectModule {
  file: SourceFile;
  program: JsNode;
}

/** The submitted file's path a specifier names from an importing file, or null for a library. */
export type ModuleResolver = (specifier: string, fromPath: string) => string | null;

interface ModuleState {
  file: SourceFile;
  program: JsNode;
  /** 0: not run; 1: running (an import cycle reads its exports as they stand, as Node does); 2: done. */
  state: 0 | 1 | 2;
  /** CommonJS `module`; its `exports` property is what `require()` returns. */
  cjs: Value;
  /** An ES module's exports by name (`default` included). */
  esm: Value;
  isEsm: boolean;
  useServer: boolean;
  /** The text mentions card data words: only then are property names read as card data. */
  cardWords: boolean;
  facts: { yamlV3: boolean; mongoSanitized: boolean } | null;
}

/** Methods of a SQL client that return rows: their first argument, when constant text, must not be a write. */
const READ_METHODS = new Set(["query", "execute", "all", "get", "first", "raw", "each", "any", "many", "one", "oneOrNone", "manyOrNone", "map"]);
const SQL_WRITE_TEXT = /^\s*(?:insert|update|delete|replace|merge|upsert|create|drop|alter|truncate|grant|revoke|begin|commit|rollback|set)\b/i;

function isStoredRead(method: string, first: Value | undefined): boolean {
  if (!READ_METHODS.has(method)) return false;
  const text = first?.str ?? (first?.parts && typeof first.parts[0] === "string" ? first.parts[0] : null);
  return text === null || !SQL_WRITE_TEXT.test(text);
}

/** Function names whose result does not carry its argument's text: checks, counts, digests, escaped or parsed forms. */
const NOT_PASSING =
  /^(?:is|has|can|should|validate|verify|check|assert|count|size|len|length|hash|digest|encrypt|sign|escape|sanitize|sanitise|clean|encode|quote|format|parse|to(?:Number|Boolean|Int)|uuid|slug|strip|purify|filter|compare|equals?|match|test|find|get|exists|compile|require|log|emit|send|write|set|save|create|insert|update|delete|remove)/i;

/** A property's value, marked as card data when its name says so (`request.cardNumber`, `{ cvv } = body`). */
function cardField(v: Value, key: string): Value {
  const flag = cardKindFlag(key);
  return flag && !(v.flags & (F_NUMERIC | flag)) && !v.fn && !v.model ? withFlags(v, flag) : v;
}

function cardKindFlag(name: string): number {
  const kind = cardDataKind(name);
  return kind === null ? 0 : kind === "card number" ? F_PAN : F_SAD;
}

/** A copy of a value with more flags (the shared constants are never changed). */
function withFlags(v: Value, flags: number): Value {
  const out = shallowCopy(v);
  out.flags |= flags;
  return out;
}

/** Node's own modules: what they return is modelled or is not the caller's data (a file's contents, a hash). */
const NODE_BUILTINS = new Set([
  "assert",
  "async_hooks",
  "buffer",
  "child_process",
  "cluster",
  "console",
  "constants",
  "crypto",
  "dgram",
  "diagnostics_channel",
  "dns",
  "domain",
  "events",
  "fs",
  "http",
  "http2",
  "https",
  "inspector",
  "module",
  "net",
  "os",
  "path",
  "perf_hooks",
  "process",
  "punycode",
  "querystring",
  "readline",
  "repl",
  "stream",
  "string_decoder",
  "sys",
  "timers",
  "tls",
  "trace_events",
  "tty",
  "url",
  "util",
  "v8",
  "vm",
  "wasi",
  "worker_threads",
  "zlib",
]);

/** Files whose step budgets a project's analysis adds up, at most. */
const MAX_BUDGET_FILES = 10;

/** An object whose properties assignments may add (`exports.x = …`, `this.find = …`). */
function literalObject(): Value {
  const v = objectValue(new Map());
  v.flags |= F_LITERAL_OBJ;
  return v;
}

function isEsm(program: JsNode): boolean {
  return program.body.some(
    (s: JsNode) =>
      s.type === "ImportDeclaration" || s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration" || s.type === "ExportAllDeclaration",
  );
}

function hasDirective(program: JsNode, directive: string): boolean {
  return program.body?.some((s: JsNode) => s.type === "ExpressionStatement" && s.directive === directive) ?? false;
}

/** `export { a as "b" }`: an identifier's name or a string literal's value. */
function moduleExportName(node: JsNode): string {
  return node.type === "Identifier" ? node.name : String(node.value);
}

/** The names a declaration pattern binds (`const { a, b: [c] } = …` → a, c). */
function patternNames(p: JsNode): string[] {
  switch (p.type) {
    case "Identifier":
      return [p.name];
    case "ObjectPattern":
      return p.properties.flatMap((q: JsNode) => patternNames(q.type === "RestElement" ? q.argument : q.value));
    case "ArrayPattern":
      return p.elements.flatMap((e: JsNode | null) => (e ? patternNames(e) : []));
    case "AssignmentPattern":
      return patternNames(p.left);
    case "RestElement":
      return patternNames(p.argument);
    default:
      return [];
  }
}

export type { Model };
