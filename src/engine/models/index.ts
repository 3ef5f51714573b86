/**
 * The registry of library models, sorted by id (one family per file in this folder), and the
 * lookups the taint interpreter asks. Every lookup is a map built once, at load, keyed by
 * callee, global path, method, property or event name, so asking costs the same however many
 * rows there are. STYLE.md §12: a new framework or library is a family file with rows and
 * fixtures, listed here; test/engine/models/registry.test.ts walks the list.
 */
import { ALL_KINDS, KIND_OF_RULE, kindsOf } from "../taint/kinds";
import { NUMERIC, strValue, type Model, type Value } from "../taint/value";
import { model as angular } from "./angular";
import { model as archives } from "./archives";
import { model as browserDom } from "./browser-dom";
import { model as childProcesses } from "./child-processes";
import { model as codeEvaluators } from "./code-evaluators";
import { model as directories } from "./directories";
import { model as ecmascript } from "./ecmascript";
import { model as fileUploads } from "./file-uploads";
import { model as graphql } from "./graphql";
import { model as headlessBrowsers } from "./headless-browsers";
import type { CallSite, ModelHost } from "./host";
import { model as httpClients } from "./http-clients";
import { model as httpFrameworks } from "./http-frameworks";
import { model as messaging } from "./messaging";
import { model as mongodb } from "./mongodb";
import { model as nestjs } from "./nestjs";
import { model as nextjs } from "./nextjs";
import { model as nodeBuiltins } from "./node-builtins";
import { model as objectUtilities } from "./object-utilities";
import { model as react } from "./react";
import { model as redisClients } from "./redis-clients";
import type {
  CallSinkRow,
  DecoratorModel,
  EntryFunction,
  EntryPointRow,
  ExitRow,
  GuardRow,
  JsxSinkRow,
  LibraryModel,
  ListenerPayload,
  MethodRow,
  ObjectModel,
  ParamRole,
  PropertySinkRow,
  ReceiverKind,
  ReturnFlow,
  SourceRow,
  SummaryEffect,
} from "./rows";
import { model as searchEngines } from "./search-engines";
import { model as serialisation } from "./serialisation";
import { model as sqlClients } from "./sql-clients";
import { model as stringLibraries } from "./string-libraries";
import { model as svelte } from "./svelte";
import { model as templateEngines } from "./template-engines";
import { model as validation } from "./validation";
import { model as vue } from "./vue";
import { model as webPlatform } from "./web-platform";
import { model as xpath } from "./xpath";

export const MODELS: readonly LibraryModel[] = [
  angular,
  archives,
  browserDom,
  childProcesses,
  codeEvaluators,
  directories,
  ecmascript,
  fileUploads,
  graphql,
  headlessBrowsers,
  httpClients,
  httpFrameworks,
  messaging,
  mongodb,
  nestjs,
  nextjs,
  nodeBuiltins,
  objectUtilities,
  react,
  redisClients,
  searchEngines,
  serialisation,
  sqlClients,
  stringLibraries,
  svelte,
  templateEngines,
  validation,
  vue,
  webPlatform,
  xpath,
];

/** A source row with its safe kinds resolved. */
export type Source = SourceRow & { safe: number };
/** A library call whose result is attacker data. */
export type CallSource = Extract<SourceRow, { call: string }>;
/** A summary with its sanitised kinds resolved: a return flow, or an effect. */
export type Summary = { returns: ReturnFlow; safe: number } | { effect: SummaryEffect };
/** A sink row with its rule's kind (bit) resolved. */
export type Sink<R> = R & { kind: number };
export type CallSink = Sink<CallSinkRow>;
export type MethodSink = CallSink & { method: string; receiver: ReceiverKind };

/** A guard row with the kinds it makes safe resolved. */
export type Guard = GuardRow & { mask: number };

/** A method's sink rows: those that end the search when they match, then those that let it go on. */
export interface MethodSinks {
  claiming: MethodSink[];
  passing: MethodSink[];
}

type Extracted<U, K extends PropertyKey> = Extract<U, Record<K, unknown>>;

const GLOBAL_SOURCES = new Map<string, Source>();
const CALL_SOURCES = new Map<string, CallSource>();
const CONSTANTS = new Map<string, string | undefined>();
const GLOBAL_OBJECTS = new Set<string>();
const UNTAINTED_GLOBALS = new Set<string>();
const GLOBAL_ALIASES = new Map<string, string>();
const LIBRARY_GLOBALS = new Map<string, string>();
const OBJECT_MODELS = new Map<string, ObjectModel>();
const DECORATORS = new Map<string, DecoratorModel>();
const REFINEMENTS = new Map<string, Array<{ property: RegExp; untainted: boolean; safe: number }>>();
const CALL_SINKS = new Map<string, CallSink[]>();
const METHOD_SINKS = new Map<string, MethodSinks>();
const PROPERTY_SINKS = new Map<string, Array<Sink<PropertySinkRow>>>();
const JSX_SINKS = new Map<string, Sink<JsxSinkRow>>();
const RECEIVERS = new Map<ReceiverKind, (site: CallSite) => boolean>([["any", () => true]]);
const CALL_SUMMARIES = new Map<string, Summary>();
const OBJECT_SUMMARIES = new Map<string, Summary>();
const METHODS = new Map<string, MethodRow["effect"]>();
const CALL_TYPES = new Map<string, "db" | "app" | "module">();
const SELF_METHODS = new Set<string>();
const SPECIFIERS = new Map<string, string>();
const METHOD_PACKAGES = new Set<string>();
const METHOD_PREFIXES: Array<readonly [prefix: string, module: string]> = [];
const MEMBERS = new Map<string, string>();
/** Modules some member row or constant is about (`fs`, `path`): the only ones worth a member lookup. */
const MODULES_WITH_MEMBERS = new Set<string>();
const HANDLER_CALLS = new Set<string>();
const ROUTE_REGISTRATION = new Map<string, Extracted<EntryPointRow, "register">>();
const LISTENER_METHODS = new Set<string>();
const LISTENERS = new Map<string, Array<Extracted<EntryPointRow, "listen">>>();
const NAMED_LISTENERS: Array<{ name: RegExp; except: ReadonlySet<string> }> = [];
const CONSUMERS = new Map<string, string>();
const HANDLER_PROPERTIES = new Map<string, ListenerPayload>();
const RESOLVER_ROOTS = new Set<string>();
const GUARDS = new Map<string, Guard>();
const EXITS = new Map<string, ExitRow>();
const RECOGNISERS: Array<Extracted<EntryPointRow, "precedence">> = [];
let routeRolesOf: ((fn: EntryFunction) => ParamRole[]) | null = null;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

for (const m of MODELS) {
  for (const r of m.sources ?? []) {
    if ("global" in r) GLOBAL_SOURCES.set(r.global, { ...r, safe: kindsOf(r.safeFor) });
    else if ("call" in r) CALL_SOURCES.set(r.call, r);
  }
  for (const r of m.constants ?? []) {
    CONSTANTS.set(r.read, r.text);
    MODULES_WITH_MEMBERS.add(r.read.slice(0, r.read.indexOf(":")));
  }
  for (const r of m.globals ?? []) {
    if ("globalObject" in r) GLOBAL_OBJECTS.add(r.global);
    else if ("untainted" in r) UNTAINTED_GLOBALS.add(r.global);
    else if ("is" in r) GLOBAL_ALIASES.set(r.global, r.is);
    else LIBRARY_GLOBALS.set(r.global, r.module);
  }
  for (const r of m.objects ?? []) OBJECT_MODELS.set(r.kind, r);
  for (const name of m.decorators?.names ?? []) DECORATORS.set(name, m.decorators!);
  for (const r of m.refinements ?? []) push(REFINEMENTS, r.source, { property: r.property, untainted: r.untainted ?? false, safe: kindsOf(r.safeFor) });
  for (const r of m.sinks ?? []) {
    const kind = KIND_OF_RULE.get(r.rule)!;
    if ("call" in r) push(CALL_SINKS, r.call, { ...r, kind });
    else if ("method" in r) {
      let entry = METHOD_SINKS.get(r.method);
      if (!entry) METHOD_SINKS.set(r.method, (entry = { claiming: [], passing: [] }));
      (r.passThrough ? entry.passing : entry.claiming).push({ ...r, kind });
    } else if ("property" in r) push(PROPERTY_SINKS, r.property, { ...r, kind });
    else JSX_SINKS.set(r.attribute, { ...r, kind });
  }
  for (const r of m.receivers ?? []) RECEIVERS.set(r.receiver, r.test);
  for (const r of m.summaries ?? []) {
    const summary: Summary = "effect" in r ? { effect: r.effect } : { returns: r.returns, safe: kindsOf(r.sanitises) };
    if ("call" in r) CALL_SUMMARIES.set(r.call, summary);
    else OBJECT_SUMMARIES.set(`${r.object}.${r.method}`, summary);
  }
  for (const r of m.methods ?? []) METHODS.set(r.method, r.effect);
  for (const r of m.types ?? []) {
    if ("call" in r) CALL_TYPES.set(r.call, r.returns);
    else SELF_METHODS.add(`${r.object}.${r.method}`);
  }
  for (const r of m.aliases ?? []) {
    if ("specifier" in r) SPECIFIERS.set(r.specifier, r.module);
    else if ("member" in r) {
      MEMBERS.set(r.member, r.module);
      MODULES_WITH_MEMBERS.add(r.member.slice(0, r.member.indexOf(":")));
    } else {
      METHOD_PACKAGES.add(r.methodsOf);
      for (const prefix of r.prefixes) METHOD_PREFIXES.push([prefix, r.methodsOf]);
    }
  }
  for (const r of m.entryPoints ?? []) {
    if ("call" in r) HANDLER_CALLS.add(r.call);
    else if ("register" in r) for (const method of r.register) ROUTE_REGISTRATION.set(method, r);
    else if ("listenerMethod" in r) LISTENER_METHODS.add(r.listenerMethod);
    else if ("listen" in r) push(LISTENERS, r.listen, r);
    else if ("listenOnName" in r) NAMED_LISTENERS.push({ name: r.listenOnName, except: new Set(r.except) });
    else if ("consume" in r) CONSUMERS.set(r.consume, r.what);
    else if ("handlerProperty" in r) HANDLER_PROPERTIES.set(r.handlerProperty, r.payload);
    else if ("resolverRoots" in r) for (const k of r.resolverRoots) RESOLVER_ROOTS.add(k);
    else if ("routeRoles" in r) routeRolesOf = r.routeRoles;
    else RECOGNISERS.push(r);
  }
  for (const r of m.exits ?? []) EXITS.set(r.exit, r);
  for (const r of m.guards ?? []) GUARDS.set(r.check, { ...r, mask: r.sanitises === "everything" ? ALL_KINDS : kindsOf(r.sanitises) });
}
RECOGNISERS.sort((a, b) => a.precedence - b.precedence);

// ---------------------------------------------------------------- sources

/** The source a global path is ("document.cookie"), if any. */
export function globalSource(path: string): Source | undefined {
  return GLOBAL_SOURCES.get(path);
}

/** The source a library call's result is ("next/navigation:useSearchParams"), if any. */
export function callSource(callee: string): CallSource | undefined {
  return CALL_SOURCES.get(callee);
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

// ---------------------------------------------------------------- globals, modules and objects

/** The value of a known constant ("global:__dirname", "path:sep"), or null. */
export function constantValue(read: string): Value | null {
  if (!CONSTANTS.has(read)) return null;
  const text = CONSTANTS.get(read);
  return text === undefined ? NUMERIC : strValue(text);
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

/** The module a global name is in a browser (`$` → "jquery"), if any. */
export function libraryGlobal(name: string): string | undefined {
  return LIBRARY_GLOBALS.get(name);
}

/** The module an import specifier is another name for (`fs/promises` → "fs"), if any. */
export function specifierAlias(specifier: string): string | undefined {
  return SPECIFIERS.get(specifier);
}

/** Subpath prefixes that name one method of a module (`lodash/` → lodash), in row order. */
export function methodPrefixes(): ReadonlyArray<readonly [prefix: string, module: string]> {
  return METHOD_PREFIXES;
}

/** Whether `<module>.x` packages are that module's method `x` (`lodash.merge`). */
export function hasMethodPackages(module: string): boolean {
  return METHOD_PACKAGES.has(module);
}

/** Whether rows say anything about members of this module (constants such as `path.sep`, aliases such as `fs.promises`). */
export function hasMemberRows(module: string): boolean {
  return MODULES_WITH_MEMBERS.has(module);
}

/** The module a module's member is (`fs:promises` → "fs"), if any. */
export function memberAlias(member: string): string | undefined {
  return MEMBERS.get(member);
}

/** What reading, calling and assigning objects of a modelled kind does (none for modules, globals and the file's own classes). */
export function objectModel(kind: Model["kind"]): ObjectModel | undefined {
  return OBJECT_MODELS.get(kind);
}

// ---------------------------------------------------------------- summaries and types

/** What a library function returns ("path:basename"), if known. */
export function callSummary(callee: string): Summary | undefined {
  return CALL_SUMMARIES.get(callee);
}

/** What a method of a modelled object returns (`db.escape`), if known. */
export function objectSummary(kind: Model["kind"], method: string): Summary | undefined {
  return OBJECT_SUMMARIES.get(`${kind}.${method}`);
}

/** The effect of a method of values of any kind (`trim`, `map`, `safeParse`), if known. */
export function methodEffect(method: string): MethodRow["effect"] | undefined {
  return METHODS.get(method);
}

/** The kind of object a library call gives back ("db", "app", or the library "module" itself), if known. */
export function callType(callee: string): "db" | "app" | "module" | undefined {
  return CALL_TYPES.get(callee);
}

/** Whether a method of a modelled object returns the same object (`db.select()`). */
export function returnsSelf(kind: Model["kind"], method: string): boolean {
  return SELF_METHODS.has(`${kind}.${method}`);
}

// ---------------------------------------------------------------- sinks

/** The sinks of a library callee ("child_process:exec"), in row order. */
export function callSinks(callee: string): readonly CallSink[] | undefined {
  return CALL_SINKS.get(callee);
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

// ---------------------------------------------------------------- entry points

/** Whether the function arguments of a library call are route handlers (`http.createServer`). */
export function passesRouteHandlers(callee: string): boolean {
  return HANDLER_CALLS.has(callee);
}

/** The route registration a method name makes on a router-like receiver (`get`, `use`), if any. */
export function routeRegistration(method: string): Extracted<EntryPointRow, "register"> | undefined {
  return ROUTE_REGISTRATION.get(method);
}

/** Whether a method adds an event listener (`on`, `addEventListener`). */
export function addsListener(method: string): boolean {
  return LISTENER_METHODS.has(method);
}

/** Listener rows for an event on a kind of object. */
export function listenersOf(event: string): ReadonlyArray<Extracted<EntryPointRow, "listen">> | undefined {
  return LISTENERS.get(event);
}

/** Whether a listener for `event` on a receiver of this name receives messages (a socket's "message", not its "close"). */
export function listensForMessages(receiverName: string, event: string): boolean {
  return NAMED_LISTENERS.some((r) => !r.except.has(event) && r.name.test(receiverName));
}

/** What the callback of a consuming method receives (`consume` → "queued message"), if the method is one. */
export function consumerPayload(method: string): string | undefined {
  return CONSUMERS.get(method);
}

/** What a handler assigned to a global's property receives (`onmessage`), if the property is one. */
export function handlerPropertyPayload(property: string): ListenerPayload | undefined {
  return HANDLER_PROPERTIES.get(property);
}

/** Whether an object literal key holds resolvers (GraphQL `Query`). */
export function isResolverRoot(key: string): boolean {
  return RESOLVER_ROOTS.has(key);
}

/** The roles of a registered route handler's parameters. */
export function routeHandlerRoles(fn: EntryFunction): ParamRole[] | null {
  return routeRolesOf ? routeRolesOf(fn) : null;
}

/** The roles of a function's parameters as an entry point nothing calls, from the first recogniser that knows it. */
export function entryRoles(host: ModelHost, fn: EntryFunction): ParamRole[] | null {
  for (const r of RECOGNISERS) {
    const roles = r.roles(host, fn);
    if (roles) return roles;
  }
  return null;
}

// ---------------------------------------------------------------- guards

/** The library check a function or method name makes (`isInt`, `hasOwn`), if any. */
export function guardOf(check: string): Guard | undefined {
  return GUARDS.get(check);
}

/** The call a method name makes that does not come back (`exit` on `process`), if any. */
export function exitCall(method: string): ExitRow | undefined {
  return EXITS.get(method);
}
