/**
 * The registry of library models, sorted by id (one per file in this folder), and the lookups
 * the taint interpreter asks: each built once, at load, as a map keyed by callee, global path,
 * object kind or name, so no lookup scans rows. STYLE.md §12: a new framework or library is a
 * family file with rows plus fixtures, added here.
 */
import { kindsOf } from "../taint/kinds";
import { NUMERIC, strValue, type Value } from "../taint/value";
import { model as browserDom } from "./browser-dom";
import { model as ecmascript } from "./ecmascript";
import { model as httpFrameworks } from "./http-frameworks";
import { model as nestjs } from "./nestjs";
import { model as nextjs } from "./nextjs";
import { model as nodeBuiltins } from "./node-builtins";
import { model as react } from "./react";
import type { ConstantRow, DecoratorModel, LibraryModel, ObjectKind, ObjectModel, SourceRow } from "./rows";
import { model as webPlatform } from "./web-platform";

export const MODELS: readonly LibraryModel[] = [browserDom, ecmascript, httpFrameworks, nestjs, nextjs, nodeBuiltins, react, webPlatform];

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
const OBJECT_MODELS = collect((m) => m.objects, (r: ObjectModel) => r.kind);
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

/** What reading and calling objects of a modelled kind does. */
export function objectModel(kind: ObjectKind): ObjectModel | undefined {
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
