/**
 * The registry of library models, sorted by id (one per file in this folder), and the lookups
 * the taint interpreter asks: each built once, at load, as a map keyed by callee, global path,
 * object kind or name, so no lookup scans rows. STYLE.md §12: a new framework or library is a
 * family file with rows plus fixtures, added here.
 */
import { KIND_OF_RULE, kindsOf } from "../taint/kinds";
import { NUMERIC, strValue, type Model, type Value } from "../taint/value";
import type { CallSite } from "./host";
import { model as browserDom } from "./browser-dom";
import { model as childProcesses } from "./child-processes";
import { model as ecmascript } from "./ecmascript";
import { model as httpClients } from "./http-clients";
import { model as httpFrameworks } from "./http-frameworks";
import { model as mongodb } from "./mongodb";
import { model as nestjs } from "./nestjs";
import { model as nextjs } from "./nextjs";
import { model as nodeBuiltins } from "./node-builtins";
import { model as objectUtilities } from "./object-utilities";
import { model as react } from "./react";
import type { CallSinkRow, ConstantRow, DecoratorModel, JsxSinkRow, LibraryModel, ObjectModel, PropertySinkRow, ReceiverKind, SourceRow } from "./rows";
import { model as serialisation } from "./serialisation";
import { model as sqlClients } from "./sql-clients";
import { model as webPlatform } from "./web-platform";

export const MODELS: readonly LibraryModel[] = [
  browserDom,
  childProcesses,
  ecmascript,
  httpClients,
  httpFrameworks,
  mongodb,
  nestjs,
  nextjs,
  nodeBuiltins,
  objectUtilities,
  react,
  serialisation,
  sqlClients,
  webPlatform,
];

/** A source row with its safe kinds computed. */
export type Source = SourceRow & { safe: number };
/** A library call whose result is attacker data. */
export type CallSource = Extract<SourceRow, { call: string }>;

function collect<R, K>(pick: (m: LibraryModel) => readonly R[] | undefined, key: (r: R) => K | null): Map<K, R> {
  const out = new Map<K, R>();
  for (const m of MODELS) {
    for (const r of pick(m) ?? []) {
      const k = key(r);
      if (k !== null) out.set(k, r);
    }
  }
  return out;
}

const compile = (r: SourceRow): Source => ({ ...r, safe: kindsOf(r.safeFor) });
const GLOBAL_SOURCES = collect((m) => m.sources?.map(compile), (r) => ("global" in r ? r.global : null));
const CALL_SOURCES = collect((m) => m.sources?.filter((r): r is CallSource => "call" in r), (r) => r.call);
const CONSTANTS = collect((m) => m.constants, (r: ConstantRow) => r.read);
const GLOBAL_OBJECTS = new Set(collect((m) => m.globals, (r) => ("globalObject" in r ? r.global : null)).keys());
const UNTAINTED_GLOBALS = new Set(collect((m) => m.globals, (r) => ("untainted" in r ? r.global : null)).keys());
const GLOBAL_ALIASES = new Map([...collect((m) => m.globals, (r) => ("is" in r ? r.global : null))].map(([k, r]) => [k, (r as { is: string }).is]));
const OBJECT_MODELS: ReadonlyMap<string, ObjectModel> = collect((m) => m.objects, (r: ObjectModel) => r.kind);
const DECORATORS = new Map(MODELS.flatMap((m) => (m.decorators ? m.decorators.names.map((n) => [n, m.decorators!] as const) : [])));
const REFINEMENTS = new Map<string, Array<{ property: RegExp; untainted: boolean; safe: number }>>();
for (const m of MODELS) {
  for (const r of m.refinements ?? []) {
    const list = REFINEMENTS.get(r.source) ?? [];
    list.push({ property: r.property, untainted: r.untainted ?? false, safe: kindsOf(r.safeFor) });
    REFINEMENTS.set(r.source, list);
  }
}

/** The source a global path is ("document.cookie"), if any. */
export function globalSource(path: string): Source | undefined {
  return GLOBAL_SOURCES.get(path);
}

/** The source a library call's result is ("next/navigation:useSearchParams"), if any. */
export function callSource(callee: string): CallSource | undefined {
  return CALL_SOURCES.get(callee);
}

/** The value of a known constant ("global:__dirname", "path:sep"), or null. */
export function constantValue(read: string): Value | null {
  const c = CONSTANTS.get(read);
  if (!c) return null;
  return c.text === undefined ? NUMERIC : strValue(c.text);
}

/** Whether a global name is the global object itself (`window`, `self`, `globalThis`). */
export function isGlobalObject(name: string): boolean {
  return GLOBAL_OBJECTS.has(name);
}

/** Whether a global path holds no attacker data (`process.env`, `location.origin`). */
export function isUntaintedGlobal(path: string): boolean {
  return UNTAINTED_GLOBALS.has(path);
}

/** The global a global path is another name for (`document.location` → "location"), if any. */
export function globalAlias(path: string): string | undefined {
  return GLOBAL_ALIASES.get(path);
}

/** What reading, calling and assigning objects of a modelled kind does (none for modules, globals and the file's own classes). */
export function objectModel(kind: Model["kind"]): ObjectModel | undefined {
  return OBJECT_MODELS.get(kind);
}

/** The framework that binds parameters decorated with this name (`Body`), if any. */
export function decoratorModel(name: string): DecoratorModel | undefined {
  return DECORATORS.get(name);
}

/**
 * How reading `key` of data from a source (`what`) refines it: "untainted" when the server sets
 * that property, otherwise the kinds it is safe for (0 for none).
 *
 * @example
 *   refinement("request headers", "host"); // the open-redirect kind: the Host header names the server
 */
export function refinement(what: string, key: string): number | "untainted" {
  const rows = REFINEMENTS.get(what);
  if (!rows) return 0;
  for (const r of rows) if (r.property.test(key)) return r.untainted ? "untainted" : r.safe;
  return 0;
}

/** A sink row with its rule's kind (bit) resolved. */
export type Sink<R> = R & { kind: number };
export type CallSink = Sink<CallSinkRow>;

export type MethodSink = CallSink & { method: string; receiver: ReceiverKind };

/** A method's sink rows: those that end the search when they match, then those that let it go on. */
export interface MethodSinks {
  claiming: readonly MethodSink[];
  passing: readonly MethodSink[];
}

const CALL_SINKS = new Map<string, CallSink[]>();
const METHOD_SINKS = new Map<string, { claiming: MethodSink[]; passing: MethodSink[] }>();
const PROPERTY_SINKS = new Map<string, Array<Sink<PropertySinkRow>>>();
const JSX_SINKS = new Map<string, Sink<JsxSinkRow>>();
for (const m of MODELS) {
  for (const r of m.sinks ?? []) {
    const kind = KIND_OF_RULE.get(r.rule)!;
    if ("call" in r) push(CALL_SINKS, r.call, { ...r, kind });
    else if ("method" in r) {
      let entry = METHOD_SINKS.get(r.method);
      if (!entry) METHOD_SINKS.set(r.method, (entry = { claiming: [], passing: [] }));
      (r.passThrough ? entry.passing : entry.claiming).push({ ...r, kind } as MethodSink);
    } else if ("property" in r) push(PROPERTY_SINKS, r.property, { ...r, kind });
    else JSX_SINKS.set(r.attribute, { ...r, kind });
  }
}
const RECEIVERS = new Map<ReceiverKind, (site: CallSite) => boolean>([["any", () => true]]);
for (const m of MODELS) for (const r of m.receivers ?? []) RECEIVERS.set(r.receiver, r.test);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const NO_SINKS: readonly CallSink[] = [];

/** The sinks of a library callee ("child_process:exec"), in row order. */
export function callSinks(callee: string): readonly CallSink[] {
  return CALL_SINKS.get(callee) ?? NO_SINKS;
}

/** The sinks of a method name on any receiver ("query"), if any. */
export function methodSinks(method: string): MethodSinks | undefined {
  return METHOD_SINKS.get(method);
}

/** The assignment sinks of a property name ("innerHTML"), if any. */
export function propertySinks(property: string): ReadonlyArray<Sink<PropertySinkRow>> | undefined {
  return PROPERTY_SINKS.get(property);
}

/** The JSX attribute sink of an attribute name ("dangerouslySetInnerHTML"), if any. */
export function jsxSink(attribute: string): Sink<JsxSinkRow> | undefined {
  return JSX_SINKS.get(attribute);
}

/** Whether a call's receiver is of a kind that method sinks name. */
export function receiverIs(kind: ReceiverKind, site: CallSite): boolean {
  return RECEIVERS.get(kind)!(site);
}
