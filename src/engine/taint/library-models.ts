/**
 * How the interpreter uses library models (models/) for code it has no body for: reading a
 * property of a module, global or modelled object; calling a library function or a method of
 * a value; and binding the parameters of entry points. The rows say what a library does; this
 * file says how each kind of row becomes a value, in the order a call is resolved:
 *
 *   1. the callee is a library function ("module:path"): handlers it registers, the kind of
 *      object it returns, the source it is, or its summary;
 *   2. the receiver is a modelled object (a request, a SQL client, an app): its summaries and
 *      its family's effects;
 *   3. the method registers handlers or listeners (`router.get`, `ws.on`, `channel.consume`);
 *   4. a method of values of any kind (`trim`, `map`, `safeParse`);
 *   5. otherwise a method called on attacker data gives attacker text.
 *
 * Sinks are applied in sinks.ts; narrowing by `if` checks in guards.ts.
 */
import { unwrap } from "../js/node-values";
import type { CallSite, ModelHost } from "../models/host";
import { moduleValue, resolveSpecifier } from "../models/import-resolver";
import {
  addsListener,
  callSource,
  callSummary,
  callType,
  consumerPayload,
  constantValue,
  decoratorModel,
  entryRoles,
  globalAlias,
  globalSource,
  hasMemberRows,
  isGlobalObject,
  isUntaintedGlobal,
  libraryGlobal,
  listenersOf,
  listensForMessages,
  memberAlias,
  methodEffect,
  objectModel,
  objectSummary,
  passesRouteHandlers,
  returnsSelf,
  routeHandlerRoles,
  routeRegistration,
  type Summary,
} from "../models/index";
import { calleeReceiverName } from "../models/receiver-names";
import type { ListenerPayload, ParamRole } from "../models/rows";
import type { JsNode } from "../parse/js";
import { kindsOf } from "./kinds";
import {
  asText,
  concat,
  F_ARRAY,
  F_CONTAINER,
  F_NORMALIZED,
  F_NUMERIC,
  F_OWN_URL,
  F_SYM,
  modelValue,
  NUMERIC,
  objectValue,
  partsOf,
  sanitize,
  shallowCopy,
  strValue,
  taintedValue,
  textValue,
  UNKNOWN,
  type FnRef,
  type Model,
  type Value,
} from "./value";

// ---------------------------------------------------------------- entry points

function paramName(p: JsNode): string | null {
  const n = p.type === "TSParameterProperty" ? p.parameter : p;
  if (n.type === "Identifier") return n.name;
  if (n.type === "AssignmentPattern" && n.left.type === "Identifier") return n.left.name;
  return null;
}

/**
 * Roles of a function's parameters when it is analysed as an entry point: an event's payload,
 * the positions of a handler registered on an app or router ("route"), or what the models
 * recognise of a function nothing in the file calls (its name, directives, parameter names).
 */
export function paramRoles(I: ModelHost, ref: FnRef, mode: "symbolic" | "entry" | "route" | "event"): ParamRole[] | null {
  const params: JsNode[] = (ref.node.params ?? []).filter((p: JsNode) => !(p.type === "Identifier" && p.name === "this"));
  if (params.length === 0) return null;
  if (mode === "event") return params.map(() => ({ kind: "tainted", what: "message payload", obj: true }));
  const fn = { ref, params, names: params.map(paramName) };
  return mode === "route" ? routeHandlerRoles(fn) : entryRoles(I, fn);
}

/** A decorated handler parameter's value from its decorator (NestJS `@Body() dto`, `@Query('q') q`). */
export function sourceForDecoratedParam(I: ModelHost, param: JsNode): Value | null {
  const decorators: JsNode[] | undefined = param.decorators ?? (param.type === "AssignmentPattern" ? param.left.decorators : undefined);
  if (!decorators || decorators.length === 0) return null;
  for (const d of decorators) {
    const e = unwrap(d.expression);
    const callee = e.type === "CallExpression" ? unwrap(e.callee) : e;
    const name = callee.type === "Identifier" ? callee.name : null;
    const framework = name === null ? undefined : decoratorModel(name);
    const v = framework?.parameter(I, param, d, name);
    if (v) return v;
  }
  return null;
}

/** Runs a listener (or an event handler assigned to a property) with what its event carries. */
export function runListener(I: ModelHost, fn: FnRef, payload: ListenerPayload): void {
  if ("event" in payload) I.callInline(fn, [modelValue({ kind: payload.event })], UNKNOWN, "call");
  else I.callInline(fn, [], UNKNOWN, "event", payload.what);
}

/** `emitter.on(event, handler)`: the handler runs with the event's payload when the models say the event carries attacker data. */
function registerListener(I: ModelHost, site: CallSite, recv: Value): void {
  const event = site.args[0]!.str!;
  const fnValue = site.args.find((a) => a.fn);
  if (!fnValue?.fn) return;
  const m = recv.model;
  for (const row of listenersOf(event) ?? []) {
    const on = row.on === "request" ? m?.kind === "request" : m?.kind === "global" && isGlobalObject(m.name);
    if (on) return runListener(I, fnValue.fn, row.payload);
  }
  if (listensForMessages(calleeReceiverName(site.callee) ?? "", event))
    return void I.callInline(fnValue.fn, [], UNKNOWN, "event", `"${event}" message payload`);
  // An emitter that is attacker data (a parsed upload, an archive's entry stream) emits attacker data.
  if (recv.taint && !(recv.flags & F_NUMERIC)) {
    const payload = I.anyProp(recv);
    I.callInline(fnValue.fn, [payload, payload, payload, payload, payload], UNKNOWN, "call");
  }
}

// ---------------------------------------------------------------- properties of known objects

/** Reads a property of a modelled object; null when the model says nothing about it. */
export function modelProperty(I: ModelHost, obj: Value, key: string, node: JsNode | null): Value | null {
  const m = obj.model!;
  switch (m.kind) {
    case "module": {
      const member = m.path.length === 0 && hasMemberRows(m.module) ? `${m.module}:${key}` : null;
      const constant = member === null ? null : constantValue(member);
      if (constant) return constant;
      if (member !== null && memberAlias(member) === m.module) return obj;
      if (m.path.length >= 4) return UNKNOWN;
      return moduleValue(m.module, [...m.path, key]);
    }
    case "global":
      return globalProperty(I, obj, m.name, key, node);
    case "class":
      return m.cls.statics.get(key) ?? null;
    case "instance": {
      const method = m.cls.methods.get(key);
      if (method?.fn && m.cls.getters.has(key)) return I.getter(method.fn);
      return method ?? m.cls.fields.get(key) ?? null;
    }
    default:
      return objectModel(m.kind)?.property?.(I, obj, m, key, node) ?? null;
  }
}

/**
 * A `$`-named property every component instance gets from a framework plugin (Vue Router's
 * `this.$route`), read on `this` where the code set none: its source, or null.
 */
export function instanceSource(I: ModelHost, key: string, node: JsNode): Value | null {
  const src = globalSource(`this.${key}`);
  return src ? I.source(node, src.what, { flags: src.container ? F_CONTAINER : 0, safe: src.safe }) : null;
}

/** A property of a global: a source, a global by another name, or the global `name.key`. */
function globalProperty(I: ModelHost, obj: Value, name: string, key: string, node: JsNode | null): Value {
  const path = `${name}.${key}`;
  const src = globalSource(path);
  if (src) {
    if (!node) return UNKNOWN;
    const flags = (src.ownUrl ? F_OWN_URL : 0) | (src.container ? F_CONTAINER : 0);
    return I.source(node, src.what, { flags, safe: src.safe, local: src.local, label: node.type === "MemberExpression" ? undefined : path });
  }
  if (isUntaintedGlobal(path)) return UNKNOWN;
  if (isGlobalObject(name)) return I.global(key);
  const alias = globalAlias(path);
  if (alias !== undefined) return I.global(alias);
  if (name.split(".").length >= 3) return UNKNOWN;
  const v = I.global(path);
  return v === obj ? UNKNOWN : v;
}

// ---------------------------------------------------------------- calls

/**
 * The library function a callee value stands for, as "module:path" ("child_process:exec",
 * "axios:get", "global:eval"), or null. Browser globals of well-known libraries (`$`, `_`,
 * `axios`, `DOMPurify`) count as those libraries.
 */
export function identityOf(fn: Value): string | null {
  const m = fn.model;
  if (!m) return null;
  if (m.kind === "module") return `${m.module}:${m.path.join(".")}`;
  if (m.kind === "global") {
    const dot = m.name.indexOf(".");
    const lib = libraryGlobal(dot < 0 ? m.name : m.name.slice(0, dot));
    if (lib) return `${lib}:${dot < 0 ? "" : m.name.slice(dot + 1)}`;
    return `global:${m.name}`;
  }
  return null;
}

/** Result of a call the interpreter has no function body for. */
export function callResult(I: ModelHost, site: CallSite): Value {
  const id = identityOf(site.fn);
  if (id !== null) {
    const r = libraryCall(I, id, site);
    if (r) return r;
  }
  const { recv, method } = site;
  if (recv && method !== null) {
    if (recv.model) {
      const r = modelMethod(I, recv, recv.model, method, site);
      if (r) return r;
    }
    const routes = routeRegistration(method);
    if (routes && site.args.some((a) => a.fn) && routes.routerName.test(calleeReceiverName(site.callee) ?? "")) {
      routes.effect(I, site);
      return UNKNOWN;
    }
    if (addsListener(method) && typeof site.args[0]?.str === "string" && site.args.some((a) => a.fn)) {
      registerListener(I, site, recv);
      return UNKNOWN;
    }
    const consumed = consumerPayload(method);
    const callback = consumed === undefined ? undefined : site.args.find((a) => a.fn)?.fn;
    if (callback) {
      I.callInline(callback, [], UNKNOWN, "event", consumed);
      return UNKNOWN;
    }
    const r = methodEffect(method)?.(I, recv, site);
    if (r) return r;
    if (recv.taint && !(recv.flags & F_NUMERIC)) return I.deriveCall(recv, method, site.node);
  }
  return UNKNOWN;
}

/** A call to a library function: handlers it runs, the object it returns, the source it is, or its summary. */
function libraryCall(I: ModelHost, id: string, site: CallSite): Value | null {
  if (passesRouteHandlers(id)) for (const a of site.args) if (a.fn) I.callInline(a.fn, [], UNKNOWN, "route");
  const type = callType(id);
  if (type === "module") return moduleValue(id.slice(0, id.indexOf(":")), []);
  if (type === "db") return modelValue({ kind: "db", client: id.slice(0, id.indexOf(":")), config: site.args });
  if (type) return modelValue({ kind: type });
  const src = callSource(id);
  if (src) {
    const v = I.source(site.node, src.what, { flags: src.container ? F_CONTAINER : 0, stored: src.stored, safe: kindsOf(src.safeFor) });
    if (!src.pair) return v;
    const pair = objectValue(new Map([["0", v]]));
    pair.flags |= F_ARRAY;
    return pair;
  }
  if (id === "global:require") {
    const s = site.args[0]?.str;
    return s ? moduleValue(resolveSpecifier(s), []) : UNKNOWN;
  }
  const summary = callSummary(id);
  return summary ? summarised(I, summary, site) : null;
}

/** Methods of modelled objects: their summaries, their family's effects, methods that return the object itself; listeners on modules and globals. */
function modelMethod(I: ModelHost, recv: Value, m: Model, method: string, site: CallSite): Value | null {
  switch (m.kind) {
    case "module":
    case "global":
      if (addsListener(method) && site.args[0]?.str && site.args.some((a) => a.fn)) {
        registerListener(I, site, recv);
        return UNKNOWN;
      }
      return null;
    case "class":
    case "instance":
      return null;
    default: {
      const summary = objectSummary(m.kind, method);
      if (summary) return summarised(I, summary, site);
      const r = objectModel(m.kind)?.method?.(I, recv, m, method, site);
      if (r) return r;
      return returnsSelf(m.kind, method) ? recv : null;
    }
  }
}

// ---------------------------------------------------------------- summaries

/** A summary's result for this call: its return flow, made safe for what it sanitises, or its effect's value. */
function summarised(I: ModelHost, summary: Summary, site: CallSite): Value {
  if ("effect" in summary) return summary.effect(I, site);
  const first = site.args[0] ?? UNKNOWN;
  let v: Value;
  switch (summary.returns) {
    case "number":
      return NUMERIC;
    case "argument":
      v = first;
      break;
    case "text":
    case "quoted-text":
      v = asText(first);
      break;
    case "element-text":
      v = asText(first.elem ?? first);
      break;
    case "normalised-path":
      v = normalised(asText(first));
      break;
    case "parsed":
      v = parsed(first);
      break;
    case "serialised":
      v = first.taint ? taintedValue(first.taint.with({ obj: false }), first.flags & F_SYM) : UNKNOWN;
      break;
    case "formatted":
      v = formatted(site.args);
      break;
  }
  if (summary.safe) v = sanitize(v, summary.safe);
  return summary.returns === "quoted-text" ? quoted(v) : v;
}

/** Every argument as text, joined by spaces (`util.format`, `String.raw`). */
function formatted(values: Value[]): Value {
  let acc: Value = strValue("");
  values.forEach((v, i) => {
    if (i > 0) acc = concat(acc, strValue(" "));
    acc = concat(acc, asText(v));
  });
  return acc;
}

/** A parsed copy of attacker text (JSON.parse, yaml.load, querystring.parse): an object the attacker shapes. */
function parsed(v: Value): Value {
  if (!v.taint) return UNKNOWN;
  const t = v.taint.with({ obj: true });
  return taintedValue(t, F_CONTAINER | (v.flags & F_SYM));
}

/** A normalised path: a prefix check on it is meaningful. */
function normalised(v: Value): Value {
  if (v === UNKNOWN) return v;
  const out = shallowCopy(v);
  out.flags |= F_NORMALIZED;
  return out;
}

/** An SQL-escaped value: quoted text the attacker cannot leave. */
function quoted(v: Value): Value {
  if (!v.taint) return v;
  return textValue(["'", ...partsOf(v), "'"]);
}

// ---------------------------------------------------------------- whole-project wiring

/** Library types whose injected instance (`constructor(private repo: Repository<User>)`) is a SQL client. */
const DB_TYPES = new Set([
  "typeorm:Repository",
  "typeorm:EntityManager",
  "typeorm:QueryRunner",
  "typeorm:Connection",
  "@mikro-orm/core:EntityManager",
  "@mikro-orm/postgresql:EntityManager",
  "@mikro-orm/mysql:EntityManager",
  "@mikro-orm/knex:EntityManager",
  "knex:Knex",
  "pg:PoolClient",
  "mysql2:Connection",
  "mysql2:Pool",
  "mysql2:PoolConnection",
  "mysql:Connection",
  "mysql:Pool",
]);

/**
 * The instance a dependency-injection container (NestJS, Angular, tsyringe) passes for a
 * parameter declared with a library type, or null when the type says nothing we model. A class
 * whose instances are the configured library (`new Redis()`, an Elasticsearch `Client`) stands
 * for its module, as the instance `new` would have made.
 */
export function injectedInstance(I: ModelHost, type: Value, param: JsNode): Value | null {
  const id = identityOf(type);
  if (id === null) return null;
  const made = DB_TYPES.has(id) ? "db" : callType(id);
  if (made === "db") return modelValue({ kind: "db", client: id.slice(0, id.indexOf(":")) });
  if (made === "module") return moduleValue(id.slice(0, id.indexOf(":")), []);
  // An injected source (Angular's ActivatedRoute): the parameter holds attacker data.
  const src = callSource(id);
  if (src) return I.source(param, src.what, { flags: src.container ? F_CONTAINER : 0, label: param.type === "Identifier" ? param.name : undefined });
  return null;
}

/** GraphQL servers whose options hold the per-request `context` (and Apollo 3's `dataSources`) the resolvers receive third. */
const GRAPHQL_SERVERS = new Set([
  "@apollo/server:ApolloServer",
  "apollo-server:ApolloServer",
  "apollo-server-express:ApolloServer",
  "apollo-server-koa:ApolloServer",
  "apollo-server-fastify:ApolloServer",
  "apollo-server-lambda:ApolloServer",
  "apollo-server-micro:ApolloServer",
  "@apollo/server/standalone:startStandaloneServer",
  "@apollo/server/express4:expressMiddleware",
  "@as-integrations/next:startServerAndCreateNextHandler",
  "graphql-yoga:createYoga",
  "express-graphql:graphqlHTTP",
  "graphql-http/lib/use/express:createHandler",
  "mercurius:",
  "@graphql-yoga/node:createServer",
]);

/**
 * The context a GraphQL server call configures (`new ApolloServer({ context, dataSources })`,
 * `startStandaloneServer(server, { context })`), as the value its resolvers receive; null for
 * any other call. A context factory is read once with unknown arguments.
 */
export function graphqlContext(I: ModelHost, site: CallSite): Value | null {
  const id = identityOf(site.fn);
  if (id === null || !GRAPHQL_SERVERS.has(id)) return null;
  let context: Value | null = null;
  for (const options of site.args) {
    if (!options.props) continue;
    const given = options.props.get("context");
    if (given) context = given.fn ? I.callInline(given.fn, [], UNKNOWN, "call") : given;
    const sources = options.props.get("dataSources");
    if (sources) {
      const value = sources.fn ? I.callInline(sources.fn, [], UNKNOWN, "call") : sources;
      const props = new Map(context?.props ?? []);
      props.set("dataSources", value);
      context = objectValue(props);
    }
  }
  return context;
}
