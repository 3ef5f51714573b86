/**
 * What the taint interpreter knows about the world outside the file: where attacker data enters
 * (request objects of Express, Koa, Fastify, Hono, Next.js and NestJS; browser globals; socket
 * and queue payloads; `process.argv`), which library calls and string/array methods carry it
 * along, which ones make it safe (and for which sinks only), and which calls create the API
 * objects sinks are recognised on (database pools, web apps, URL objects).
 *
 * Sinks themselves live in sinks.ts; narrowing by `if` checks lives in guards.ts.
 */
import type { JsNode } from "../parse/js";
import { pathKey, unwrap } from "../js/node-values";
import { moduleValue, resolveSpecifier } from "../models/import-resolver";
import type { CallSite, ModelHost } from "../models/host";
import { calleeReceiverName } from "../models/receiver-names";
import { callSource, decoratorModel, globalAlias, globalSource, isGlobalObject, isUntaintedGlobal, objectModel } from "../models/index";
import { ALL_KINDS, HTML, NOSQL, PATH, REGEX, SHELL, SQL, URL_KINDS } from "./kinds";
import {
  asText,
  concat,
  F_ARRAY,
  F_CONST_COLL,
  F_CONTAINER,
  F_LITERAL_OBJ,
  F_NORMALIZED,
  F_NULL_PROTO,
  F_NUMERIC,
  F_OWN_URL,
  F_SYM,
  F_URL,
  join,
  modelValue,
  noteProperty,
  NUMERIC,
  objectValue,
  partsOf,
  sanitize,
  shallowCopy,
  strValue,
  taintedValue,
  textValue,
  TRUE,
  UNKNOWN,
  Value,
  type FnRef,
  type Model,
  type Part,
} from "./value";

/** How a handler's parameter is bound when the handler is analysed as an entry point. */
export type ParamRole = { kind: "model"; model: () => Model } | { kind: "tainted"; what: string; obj: boolean } | null;

const HTTP_METHOD_EXPORTS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const QUEUE_HANDLERS = new Set(["eachMessage", "eachBatch", "handleMessage", "handleMessageBatch", "queue"]);

const requestModel = (style: "node" | "fastify" | "fetch") => (): Model => ({ kind: "request", style });
const responseModel = (htmlDefault: boolean) => (): Model => ({ kind: "response", htmlDefault, contentType: null });
const contextModel = (flavor: "koa" | "hono" | "next") => (): Model => ({ kind: "context", flavor, contentType: null });

function paramName(p: JsNode): string | null {
  const n = p.type === "TSParameterProperty" ? p.parameter : p;
  if (n.type === "Identifier") return n.name;
  if (n.type === "AssignmentPattern" && n.left.type === "Identifier") return n.left.name;
  return null;
}

function patternKeys(p: JsNode): string[] {
  const n = p.type === "AssignmentPattern" ? p.left : p;
  if (n.type !== "ObjectPattern") return [];
  return n.properties.flatMap((q: JsNode) => (q.type === "Property" && !q.computed && q.key.type === "Identifier" ? [q.key.name] : []));
}

/**
 * Roles of a function's parameters when it is analysed as an entry point: "route" gives the
 * positions of a handler registered on an app or router; otherwise names decide (`req`,
 * `res`, `ctx`, Next.js `GET(request, { params })`, server actions, queue consumers).
 */
export function paramRoles(I: ModelHost, ref: FnRef, mode: "symbolic" | "entry" | "route" | "event"): ParamRole[] | null {
  const params: JsNode[] = (ref.node.params ?? []).filter((p: JsNode) => !(p.type === "Identifier" && p.name === "this"));
  if (params.length === 0) return null;
  const names = params.map(paramName);
  if (mode === "event") return params.map(() => ({ kind: "tainted", what: "message payload", obj: true }));
  if (mode === "route") {
    const first = names[0];
    if (first === "c" || first === "ctx" || first === "context") return [{ kind: "model", model: contextModel(first === "c" ? "hono" : "koa") }];
    if (params.length === 4 && first && /^(err|error|e)$/.test(first)) return [null, { kind: "model", model: requestModel("node") }, { kind: "model", model: responseModel(true) }];
    const fastify = names[1] === "reply";
    return [{ kind: "model", model: requestModel(fastify ? "fastify" : "node") }, { kind: "model", model: responseModel(!fastify) }];
  }
  const name = ref.name ?? "";
  if (ref.resolver) return [null, { kind: "tainted", what: "GraphQL arguments", obj: true }];
  const destructured = names[0] === null && patternKeys(params[0]!).some((k) => k === "request" || k === "params" || k === "url" || k === "searchParams");
  if (HTTP_METHOD_EXPORTS.has(name) || ((name === "loader" || name === "action" || name === "load") && destructured)) {
    // Next.js `GET(request, { params })`; Remix/SvelteKit `loader({ request, params })`.
    if (destructured) return [{ kind: "model", model: contextModel("next") }];
    return [{ kind: "model", model: requestModel("fetch") }, { kind: "model", model: contextModel("next") }];
  }
  const body = ref.node.body;
  const serverAction = body?.type === "BlockStatement" && body.body[0]?.directive === "use server";
  if (serverAction || (I.useServer && ref.node.async && !ref.inline)) {
    return params.map(() => ({ kind: "tainted", what: "server action argument", obj: true }));
  }
  if (QUEUE_HANDLERS.has(name) && (name !== "queue" || names[0] === "batch")) {
    return [{ kind: "tainted", what: "queued message", obj: true }];
  }
  if (name === "handler" && names[0] === "event") return [{ kind: "tainted", what: "serverless event", obj: true }];
  const fastify = names.includes("reply");
  const roles: ParamRole[] = names.map((n, i) => {
    if (n === null) {
      const keys = patternKeys(params[i]!);
      if (i === 0 && keys.includes("searchParams")) return { kind: "model", model: contextModel("next") };
      return null;
    }
    if (n === "req" || n === "_req") return { kind: "model", model: requestModel("node") };
    if (n === "request") return { kind: "model", model: requestModel(fastify ? "fastify" : names.includes("res") ? "node" : "fetch") };
    if (i > 0 && (n === "res" || n === "_res" || n === "response" || n === "reply")) return { kind: "model", model: responseModel(n !== "reply") };
    if (i === 0 && (n === "ctx" || n === "context") && params.length <= 2) return { kind: "model", model: contextModel("koa") };
    return null;
  });
  return roles.some((r) => r !== null) ? roles : null;
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
    const v = framework?.parameter(I, param, d, name!);
    if (v) return v;
  }
  return null;
}

// ---------------------------------------------------------------- properties of known objects

/** Reads a property of a modelled object; null when the model says nothing about it. */
export function modelProperty(I: ModelHost, obj: Value, key: string, node: JsNode | null): Value | null {
  const m = obj.model!;
    switch (m.kind) {
    case "module": {
      if (m.module === "path" && key === "sep") return strValue("/");
      if ((m.module === "path" && (key === "posix" || key === "default")) || (m.module === "fs" && key === "promises")) return obj;
      if (m.path.length >= 4) return UNKNOWN;
      return moduleValue(m.module, [...m.path, key]);
    }
    case "global":
      return globalProperty(I, obj, m.name, key, node);
    case "db":
      return obj;
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

/** A property of a global: a source, a global by another name, or the global `name.key`. */
function globalProperty(I: ModelHost, obj: Value, name: string, key: string, node: JsNode | null): Value {
  const path = `${name}.${key}`;
  const src = globalSource(path);
  if (src) return node ? I.source(node, src.what, { flags: (src.ownUrl ? F_OWN_URL : 0) | (src.container ? F_CONTAINER : 0), local: src.local, label: node.type === "MemberExpression" ? undefined : path }) : UNKNOWN;
  if (isUntaintedGlobal(path)) return UNKNOWN;
  if (isGlobalObject(name)) return I.global(key);
  const alias = globalAlias(path);
  if (alias !== undefined) return I.global(alias);
  if (name.split(".").length >= 3) return UNKNOWN;
  const v = I.global(path);
  return v === obj ? UNKNOWN : v;
}

// ---------------------------------------------------------------- calls

const LIBRARY_GLOBALS: Record<string, string> = {
  axios: "axios",
  _: "lodash",
  lodash: "lodash",
  $: "jquery",
  jQuery: "jquery",
  DOMPurify: "dompurify",
  he: "he",
  validator: "validator",
  mongoose: "mongoose",
};

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
    const head = dot < 0 ? m.name : m.name.slice(0, dot);
    const lib = LIBRARY_GLOBALS[head];
    if (lib) return `${lib}:${dot < 0 ? "" : m.name.slice(dot + 1)}`;
    if (head === "window" || head === "self" || head === "globalThis") return `global:${m.name.slice(dot + 1)}`;
    return `global:${m.name}`;
  }
  return null;
}

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "use", "options", "head", "route", "on", "handle", "any", "register", "addHook", "hook", "mount", "param"]);
const ROUTER_NAME = /^(app|router|api|server|routes?|r|fastify|instance|hono|v\d+|admin|auth|[a-z]\w*(Router|App|Routes|Api|Server))$/;
const EVENT_METHODS = new Set(["on", "once", "addListener", "addEventListener", "prependListener", "prependOnceListener"]);
const LIFECYCLE_EVENTS = new Set(["connection", "connect", "open", "close", "error", "end", "listening", "disconnect", "disconnecting", "upgrade", "drain", "finish", "ready", "timeout", "ping", "pong", "exit", "request", "headers", "online", "offline", "load", "unload", "beforeunload", "DOMContentLoaded"]);
const SOCKET_NAME = /^(ws|wss|socket|sock|client|conn|connection|peer|channel|io|websocket|webSocket)$|(Socket|Ws|WebSocket)$/;

const DB_FACTORIES = new Set([
  "mysql:createPool", "mysql:createConnection", "mysql:createPoolCluster", "mysql2:createPool", "mysql2:createConnection", "mysql2:createPoolCluster",
  "pg:Pool", "pg:Client", "pg:native.Pool", "pg:native.Client", "better-sqlite3:", "sqlite3:Database", "sqlite:open", "knex:", "knex:knex",
  "sequelize:", "sequelize:Sequelize", "@prisma/client:PrismaClient", "postgres:", "@vercel/postgres:createPool", "@vercel/postgres:createClient",
  "mssql:connect", "mssql:ConnectionPool", "typeorm:DataSource", "typeorm:createConnection", "typeorm:getConnection", "typeorm:getManager",
  "typeorm:getRepository", "@neondatabase/serverless:neon", "@neondatabase/serverless:Pool", "@planetscale/database:connect", "oracledb:getConnection",
  "drizzle-orm/node-postgres:drizzle", "drizzle-orm/mysql2:drizzle", "drizzle-orm/better-sqlite3:drizzle", "drizzle-orm/d1:drizzle", "drizzle-orm/postgres-js:drizzle",
  "drizzle-orm/neon-http:drizzle", "mariadb:createPool", "mariadb:createConnection",
]);
const APP_FACTORIES = new Set(["express:", "express:Router", "koa:", "@koa/router:", "koa-router:", "hono:Hono", "fastify:", "fastify:fastify", "restify:createServer", "polka:", "express:application"]);
const DB_CHAIN = new Set(["getConnection", "connect", "promise", "acquire", "getRepository", "createQueryBuilder", "createQueryRunner", "getManager", "manager", "table", "from", "select", "where", "andWhere", "orWhere", "leftJoin", "innerJoin", "orderBy", "groupBy", "limit", "offset", "withSchema", "into", "queryBuilder", "startTransaction"]);

/** Result of a call the interpreter has no function body for. */
export function callResult(I: ModelHost, site: CallSite): Value {
  const id = identityOf(site.fn);
  if (id !== null) {
    const r = identityCall(I, id, site);
    if (r) return r;
  }
  const { recv, method } = site;
  if (recv && method !== null) {
    if (recv.model) {
      const r = modelMethod(I, recv, recv.model, method, site);
      if (r) return r;
    }
    if (ROUTE_METHODS.has(method) && site.args.some((a) => a.fn) && ROUTER_NAME.test(calleeReceiverName(site.callee) ?? "")) {
      registerHandlers(I, site);
      return UNKNOWN;
    }
    if (EVENT_METHODS.has(method) && typeof site.args[0]?.str === "string" && site.args.some((a) => a.fn)) {
      registerListener(I, site, recv);
      return UNKNOWN;
    }
    if (method === "consume" && site.args.some((a) => a.fn)) {
      // amqplib `channel.consume(queue, (msg) => …)`: the message comes from whoever can publish.
      const fnValue = site.args.find((a) => a.fn)!;
      I.callInline(fnValue.fn!, [], UNKNOWN, "event", "queued message");
      return UNKNOWN;
    }
    const validated = validation(I, method, site);
    if (validated) return validated;
    const r = valueMethod(I, recv, method, site);
    if (r) return r;
    if (recv.taint && !(recv.flags & F_NUMERIC)) return I.deriveCall(recv, method, site.node);
  }
  return UNKNOWN;
}

const PARSE_METHODS = new Set(["parse", "parseAsync", "validateSync", "validateAsync", "cast", "assert", "create", "decode"]);
const SAFE_PARSE_METHODS = new Set(["safeParse", "safeParseAsync", "validate", "spa"]);
const NUMERIC_SCHEMA = /\b(number|int|integer|bigint|boolean|bool|uuid|enum|nativeEnum|literal|date|isInt|isNumber)\s*\(/;

/**
 * Schema validation (zod, Joi, yup, superstruct…) of attacker data: the result is still
 * attacker text — a valid string can still break SQL — unless the schema is a number, boolean,
 * UUID or enum.
 */
function validation(I: ModelHost, method: string, site: CallSite): Value | null {
  if (!PARSE_METHODS.has(method) && !SAFE_PARSE_METHODS.has(method)) return null;
  const input = site.args[0];
  if (!input?.taint || site.recv?.taint) return null;
  const schema = I.text(unwrap(site.callee).object);
  if (NUMERIC_SCHEMA.test(schema)) return NUMERIC;
  if (PARSE_METHODS.has(method)) return input;
  const out = objectValue(new Map([["data", input], ["value", input], ["output", input]]));
  out.elem = input;
  return out;
}

/** Analyses the handlers given to `app.get(path, …handlers)` with request and response objects. */
function registerHandlers(I: ModelHost, site: CallSite): void {
  for (const a of site.args) {
    if (a.fn) I.callInline(a.fn, [], UNKNOWN, site.method === "register" ? "entry" : "route");
    else if (a.props) {
      for (const k of ["handler", "preHandler", "onRequest", "preValidation"]) {
        const h = a.props.get(k);
        if (h?.fn) I.callInline(h.fn, [], UNKNOWN, "route");
      }
    }
  }
}

function registerListener(I: ModelHost, site: CallSite, recv: Value): void {
  const event = site.args[0]!.str!;
  const fnValue = site.args.find((a) => a.fn);
  if (!fnValue?.fn) return;
  const m = recv.model;
  if (m?.kind === "request" && event === "data") {
    I.callInline(fnValue.fn, [], UNKNOWN, "event", "request body");
    return;
  }
  if (event === "message" && m?.kind === "global" && isGlobalObject(m.name)) {
    I.callInline(fnValue.fn, [modelValue({ kind: "message-event" })], UNKNOWN, "call");
    return;
  }
  const name = calleeReceiverName(site.callee) ?? "";
  if (!LIFECYCLE_EVENTS.has(event) && SOCKET_NAME.test(name)) {
    I.callInline(fnValue.fn, [], UNKNOWN, "event", `"${event}" message payload`);
  }
}

/** The URL object `new URL(input, base)`. */
function urlValue(site: CallSite): Value {
  const input = site.args[0] ?? UNKNOWN;
  const base = site.args[1];
  let out: Value;
  if (!input.taint && base?.taint) {
    const relative = input.str !== null && !/^[a-z][a-z0-9+.-]*:|^\/\/|^\\/i.test(input.str);
    out = shallowCopy(relative && base.flags & F_OWN_URL ? sanitize(base, URL_KINDS) : base);
    out.str = null;
    out.parts = null;
  } else if (input.taint) {
    out = shallowCopy(asText(input));
  } else {
    out = new Value();
    out.str = input.str;
  }
  out.flags = (out.flags & ~(F_CONTAINER | F_LITERAL_OBJ)) | F_URL | (input.flags & F_OWN_URL);
  const argNode = site.node.arguments?.[0];
  out.alias = argNode ? pathKey(argNode) : null;
  return out;
}

function firstText(site: CallSite): Value {
  return asText(site.args[0] ?? UNKNOWN);
}

function sanitized(site: CallSite, mask: number, index = 0): Value {
  return sanitize(asText(site.args[index] ?? UNKNOWN), mask);
}

/** `path.join(a, b)` / `path.resolve(a, b)` as text: the pieces joined with "/". */
function joinPaths(site: CallSite, resolve: boolean): Value {
  const parts: Part[] = [];
  let first = true;
  let anything = false;
  for (const a of site.args) {
    const v = asText(a);
    if (resolve && v.str !== null && v.str.startsWith("/")) {
      parts.length = 0;
      first = true;
    }
    if (!first) parts.push("/");
    for (const p of partsOf(v)) parts.push(p);
    first = false;
    anything = anything || !!v.taint || v.str !== null || !!v.parts;
  }
  if (!anything) return UNKNOWN;
  if (resolve && !(typeof parts[0] === "string" && parts[0].startsWith("/"))) parts.unshift("/srv/app/");
  const out = textValue(parts);
  out.flags |= F_NORMALIZED;
  return out;
}

/** `pg-format`'s `format("… %L … %I … %s", a, b, c)`: %L and %I are escaped, %s is not. */
function pgFormat(site: CallSite): Value {
  const fmt = site.args[0];
  if (!fmt || fmt.str === null) return sanitize(concatAll(site.args), SQL);
  const parts: Part[] = [];
  let arg = 1;
  let last = 0;
  const re = /%([LIs%])/g;
  for (let m = re.exec(fmt.str); m; m = re.exec(fmt.str)) {
    parts.push(fmt.str.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === "%") {
      parts.push("%");
      continue;
    }
    const v = asText(site.args[arg++] ?? UNKNOWN);
    const safe = m[1] === "s" ? v : sanitize(v, SQL);
    if (m[1] === "L") parts.push("'");
    for (const p of partsOf(safe)) parts.push(p);
    if (m[1] === "L") parts.push("'");
  }
  parts.push(fmt.str.slice(last));
  return textValue(parts);
}

function concatAll(values: Value[], sep = ""): Value {
  let acc: Value = strValue("");
  values.forEach((v, i) => {
    if (i > 0 && sep) acc = concat(acc, strValue(sep));
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

function arrayOf(elem: Value): Value {
  const arr = objectValue(new Map());
  arr.flags |= F_ARRAY;
  arr.elem = elem;
  if (elem.taint) arr.taint = elem.taint;
  arr.flags |= elem.flags & F_SYM;
  return arr;
}

function identityCall(I: ModelHost, id: string, site: CallSite): Value | null {
  const args = site.args;
  if (DB_FACTORIES.has(id)) return modelValue({ kind: "db" });
  if (APP_FACTORIES.has(id)) return modelValue({ kind: "app" });
  const src = callSource(id);
  if (src) {
    const v = I.source(site.node, src.what, { flags: src.container ? F_CONTAINER : 0 });
    if (!src.pair) return v;
    const pair = objectValue(new Map([["0", v]]));
    pair.flags |= F_ARRAY;
    return pair;
  }
  switch (id) {
    // Modules and their factories.
    case "global:require": {
      const s = args[0]?.str;
      return s ? moduleValue(resolveSpecifier(s), []) : UNKNOWN;
    }
    case "sqlite3:verbose":
    case "axios:create":
    case "got:extend":
    case "dompurify:":
    case "isomorphic-dompurify:":
      return moduleValue(id.slice(0, id.indexOf(":")), []);
    case "global:Set":
    case "global:Map":
    case "global:WeakSet":
    case "global:WeakMap": {
      const a = args[0];
      if (!a) return objectValue(new Map());
      const out = shallowCopy(a);
      out.flags |= F_LITERAL_OBJ;
      return out;
    }
    case "react:useState":
    case "react:useMemo":
    case "react:useReducer": {
      const init = id === "react:useReducer" ? args[1] : args[0];
      const value = init?.fn ? I.callInline(init.fn, [], UNKNOWN, "call") : (init ?? UNKNOWN);
      if (id === "react:useMemo") return value;
      const pair = objectValue(new Map([["0", value]]));
      pair.flags |= F_ARRAY;
      return pair;
    }
    case "global:Object.create": {
      const out = objectValue(new Map());
      if (args[0] && args[0].flags & F_NUMERIC && args[0] !== TRUE) out.flags |= F_NULL_PROTO;
      return out;
    }
    case "util:promisify":
    case "global:Object.freeze":
    case "global:structuredClone":
    case "global:Promise.resolve":
      return args[0] ?? UNKNOWN;
    case "http:createServer":
    case "https:createServer":
    case "http2:createServer":
    case "http2:createSecureServer":
      for (const a of args) if (a.fn) I.callInline(a.fn, [], UNKNOWN, "route");
      return modelValue({ kind: "app" });
    // Numbers and booleans: nothing an attacker can shape survives.
    case "global:Number":
    case "global:parseInt":
    case "global:parseFloat":
    case "global:Number.parseInt":
    case "global:Number.parseFloat":
    case "global:BigInt":
    case "global:Boolean":
    case "global:isNaN":
    case "global:isFinite":
    case "global:Number.isInteger":
    case "global:Number.isFinite":
    case "global:Number.isSafeInteger":
    case "global:Number.isNaN":
    case "global:Date":
    case "global:Date.parse":
    case "global:Date.now":
    case "global:Array.isArray":
    case "validator:toInt":
    case "validator:toFloat":
    case "validator:toBoolean":
    case "validator:toDate":
    case "mongoose:Types.ObjectId":
    case "mongoose:isValidObjectId":
    case "mongoose:Types.ObjectId.isValid":
    case "mongodb:ObjectId":
    case "mongodb:ObjectId.createFromHexString":
    case "bson:ObjectId":
      return NUMERIC;
    // Text that keeps its taint.
    case "global:String":
    case "global:decodeURIComponent":
    case "global:decodeURI":
    case "global:unescape":
    case "global:atob":
    case "global:btoa":
    case "global:Buffer.from":
    case "buffer:Buffer.from":
    case "util:inspect":
    case "path:normalize":
    case "path:dirname":
    case "path:extname":
    case "path:relative":
    case "url:format":
    case "url:resolve":
    case "validator:trim":
    case "validator:blacklist":
    case "validator:stripLow":
    case "validator:normalizeEmail":
    case "lodash:trim":
    case "lodash:toLower":
    case "lodash:toUpper":
    case "lodash:toString":
    case "lodash:camelCase":
    case "lodash:kebabCase":
      return id === "path:normalize" ? normalized(firstText(site)) : firstText(site);
    case "global:JSON.stringify": {
      const v = args[0] ?? UNKNOWN;
      return v.taint ? taintedValue(v.taint.with({ obj: false }), v.flags & F_SYM) : UNKNOWN;
    }
    case "global:JSON.parse":
    case "querystring:parse":
    case "qs:parse":
    case "url:parse":
    case "js-yaml:load":
    case "js-yaml:safeLoad":
    case "yaml:parse":
    case "node-serialize:unserialize":
    case "xml2js:parseStringPromise":
    case "fast-xml-parser:XMLParser.parse":
    case "global:Object.fromEntries":
      return parsed(args[0] ?? UNKNOWN);
    case "util:format":
    case "global:String.raw":
    case "sprintf-js:sprintf":
    case "sprintf-js:vsprintf":
    case "format:":
      return concatAll(args, " ");
    case "path:join":
    case "path:resolve":
      return joinPaths(site, id === "path:resolve");
    case "global:URL":
    case "url:URL":
      return urlValue(site);
    case "global:URLSearchParams":
    case "url:URLSearchParams": {
      const a = args[0] ?? UNKNOWN;
      if (a.props) return sanitize(a, URL_KINDS | HTML);
      return a.taint ? taintedValue(a.taint.with({ obj: false }), F_CONTAINER | (a.flags & F_SYM)) : UNKNOWN;
    }
    // Sanitizers: each clears only what it is good for.
    case "path:basename":
      return sanitized(site, PATH);
    case "global:encodeURIComponent":
    case "global:escape":
    case "querystring:escape":
    case "querystring:stringify":
    case "qs:stringify":
      return sanitized(site, HTML | URL_KINDS);
    case "global:encodeURI":
      return sanitized(site, HTML);
    case "escape-html:":
    case "he:encode":
    case "he:escape":
    case "validator:escape":
    case "lodash:escape":
    case "html-escaper:escape":
    case "xss:":
    case "xss:filterXSS":
    case "sanitize-html:":
    case "dompurify:sanitize":
    case "isomorphic-dompurify:sanitize":
    case "escape-goat:htmlEscape":
    case "hono/html:escape":
      return sanitized(site, HTML);
    case "shell-quote:quote":
    case "shell-escape:":
    case "shescape:quote":
    case "shescape:escape":
    case "any-shell-escape:": {
      const a = args[0] ?? UNKNOWN;
      return sanitize(asText(a.elem ?? a), SHELL);
    }
    case "sqlstring:escape":
    case "mysql:escape":
    case "mysql2:escape":
    case "pg-format:literal":
    case "sequelize:escape":
      return quoted(sanitized(site, SQL));
    case "sqlstring:escapeId":
    case "mysql:escapeId":
    case "mysql2:escapeId":
    case "pg-format:ident":
      return sanitized(site, SQL);
    case "mysql:format":
    case "mysql2:format":
    case "sqlstring:format":
      return firstText(site);
    case "pg-format:":
    case "pg-format:format":
      return pgFormat(site);
    case "escape-string-regexp:":
    case "lodash:escapeRegExp":
    case "lodash:escaperegexp":
    case "global:RegExp.escape":
      return sanitized(site, REGEX);
    case "mongo-sanitize:":
    case "express-mongo-sanitize:sanitize":
    case "mongoose:sanitizeFilter":
      return sanitize(args[0] ?? UNKNOWN, NOSQL);
    // Objects and arrays.
    case "global:Object.assign": {
      const target = args[0] ?? UNKNOWN;
      let out = target;
      for (const src of args.slice(1)) {
        if (target.props && target.flags & F_LITERAL_OBJ && !Object.isFrozen(target)) {
          if (src.props) for (const [k, v] of src.props) target.props.set(k, v);
          else if (src.taint) target.elem = target.elem ? join(target.elem, src) : src;
          noteProperty(target, src);
        } else out = join(out, src);
      }
      return out;
    }
    case "global:Object.keys":
      return arrayOf(I.keyOf(args[0] ?? UNKNOWN));
    case "global:Object.values":
      return arrayOf(I.anyProp(args[0] ?? UNKNOWN));
    case "global:Object.entries": {
      const a = args[0] ?? UNKNOWN;
      const pair = objectValue(new Map([["0", I.keyOf(a)], ["1", I.anyProp(a)]]));
      pair.flags |= F_ARRAY;
      return arrayOf(pair);
    }
    case "global:Array.from":
    case "global:Array.of":
    case "global:Promise.all":
    case "global:Promise.allSettled":
    case "global:Promise.race":
    case "global:Promise.any": {
      const a = args[0] ?? UNKNOWN;
      if (id === "global:Array.from" && args[1]?.fn) return arrayOf(I.callInline(args[1].fn, [I.elementOf(a)], UNKNOWN, "call"));
      return id === "global:Array.of" ? arrayOf(args.reduce((acc, v) => join(acc, v), UNKNOWN as Value)) : a;
    }
    default:
      return null;
  }
}

function normalized(v: Value): Value {
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

const ITERATION_METHODS = new Set(["map", "flatMap", "filter", "sort", "forEach", "some", "every", "findIndex"]);
const STRING_KEEP = new Set([
  "trim", "trimStart", "trimEnd", "trimLeft", "trimRight", "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase",
  "slice", "substring", "substr", "padStart", "padEnd", "normalize", "repeat", "at", "charAt", "toString", "valueOf", "toJSON",
  "replaceAll", "replace", "concat", "toFixed",
]);
const NUMERIC_METHODS = new Set([
  "indexOf", "lastIndexOf", "search", "charCodeAt", "codePointAt", "localeCompare", "includes", "startsWith", "endsWith", "test",
  "has", "some", "every", "findIndex", "findLastIndex", "isArray", "size", "getTime",
]);

/** Methods of plain values: strings, arrays, promises. */
function valueMethod(I: ModelHost, recv: Value, method: string, site: CallSite): Value | null {
  const args = site.args;
  const cb = args.find((a) => a.fn)?.fn ?? null;
  if (!cb && args[0] && ITERATION_METHODS.has(method)) {
    // `ids.map(Number)`, `names.map(String)`: apply a known function to the elements.
    const id = identityOf(args[0]);
    const mapped = id === null ? null : identityCall(I, id, { ...site, args: [I.elementOf(recv)], recv: null, method: null, fn: args[0] });
    if (method === "map" || method === "flatMap") return arrayOf(mapped ?? UNKNOWN);
    if (method === "filter" || method === "sort") return recv.taint || recv.elem ? recv : UNKNOWN;
    return method === "forEach" || method === "some" || method === "every" || method === "findIndex" ? NUMERIC : null;
  }
  switch (method) {
    case "then": {
      const ok = args[0]?.fn;
      const out = ok ? I.callInline(ok, [recv], UNKNOWN, "call") : recv;
      if (args[1]?.fn) I.callInline(args[1].fn, [UNKNOWN], UNKNOWN, "call");
      return out;
    }
    case "catch":
    case "finally":
      if (cb) I.callInline(cb, [UNKNOWN], UNKNOWN, "call");
      return recv;
    case "map":
    case "flatMap":
      if (cb) {
        const out = I.callInline(cb, [I.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return arrayOf(method === "flatMap" ? join(I.elementOf(out), out.flags & F_ARRAY ? UNKNOWN : out) : out);
      }
      break;
    case "forEach":
      if (cb) I.callInline(cb, [I.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
      return NUMERIC;
    case "filter":
    case "sort":
    case "toSorted":
      if (cb) I.callInline(cb, [I.elementOf(recv), I.elementOf(recv)], UNKNOWN, "call");
      return recv.taint || recv.elem ? recv : UNKNOWN;
    case "find":
    case "findLast":
      if (cb) {
        I.callInline(cb, [I.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return I.elementOf(recv);
      }
      break;
    case "some":
    case "every":
    case "findIndex":
    case "findLastIndex":
      if (cb) I.callInline(cb, [I.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
      return NUMERIC;
    case "reduce":
    case "reduceRight":
      if (cb) {
        const init = args.length > 1 ? args[1]! : I.elementOf(recv);
        const out = I.callInline(cb, [init, I.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return join(out, init);
      }
      break;
    case "push":
    case "unshift":
      if (recv.flags & F_LITERAL_OBJ && !Object.isFrozen(recv)) {
        for (const a of args) {
          recv.elem = recv.elem && recv.elem !== UNKNOWN ? join(recv.elem, a) : a;
          noteProperty(recv, a);
        }
        recv.flags &= ~F_CONST_COLL;
      }
      return NUMERIC;
    case "join":
      if (recv.flags & F_ARRAY || recv.elem) return joinArray(I, recv, args[0]);
      break;
    case "split":
    case "match":
    case "matchAll":
      if (recv.taint) return arrayOf(asText(recv));
      return null;
    case "pop":
    case "shift":
      return I.elementOf(recv);
    case "keys":
      return recv.taint ? arrayOf(I.keyOf(recv)) : null;
    case "values":
    case "entries":
      return recv.taint ? recv : null;
    default:
      break;
  }
  if (recv.taint || recv.str !== null || recv.parts) {
    if (NUMERIC_METHODS.has(method)) return NUMERIC;
    if (method === "replace" || method === "replaceAll") return replaced(recv, site);
    if (method === "concat" && !(recv.flags & F_ARRAY)) {
      let acc = asText(recv);
      for (const a of args) acc = concat(acc, asText(a));
      return acc;
    }
    if (recv.flags & F_ARRAY && (method === "slice" || method === "concat" || method === "reverse" || method === "toReversed" || method === "flat")) {
      let acc = recv;
      if (method === "concat") for (const a of args) acc = join(acc, a);
      return acc;
    }
    if (STRING_KEEP.has(method)) {
      if (recv.str !== null && !recv.taint) return strMethod(recv.str, method, args);
      return asText(recv);
    }
  }
  return null;
}

function strMethod(s: string, method: string, args: Value[]): Value {
  switch (method) {
    case "trim":
      return strValue(s.trim());
    case "toLowerCase":
      return strValue(s.toLowerCase());
    case "toUpperCase":
      return strValue(s.toUpperCase());
    case "toString":
    case "valueOf":
      return strValue(s);
    case "concat":
      return args.every((a) => a.str !== null) ? strValue(s + args.map((a) => a.str).join("")) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** `arr.join(sep)`: the elements' text with the separator between. */
function joinArray(I: ModelHost, arr: Value, sepValue: Value | undefined): Value {
  const sep = sepValue === undefined ? "," : (sepValue.str ?? " ");
  if (arr.props && arr.props.size > 0 && arr.props.size <= 16 && (!arr.elem || [...arr.props.values()].some((v) => v === arr.elem) || arr.elem === UNKNOWN || !arr.elem.taint || [...arr.props.values()].some((v) => v.taint === arr.elem!.taint))) {
    const parts: Part[] = [];
    let i = 0;
    for (const v of arr.props.values()) {
      if (i++ > 0) parts.push(sep);
      for (const p of partsOf(asText(v))) parts.push(p);
    }
    if (arr.elem && arr.elem.taint && ![...arr.props.values()].some((v) => v.taint === arr.elem!.taint)) {
      parts.push(sep);
      for (const p of partsOf(asText(arr.elem))) parts.push(p);
    }
    return textValue(parts);
  }
  const e = I.elementOf(arr);
  return e.taint ? asText(e) : UNKNOWN;
}

/**
 * `s.replace(pattern, replacement)`: an allowlist that deletes everything but safe characters
 * (`/[^a-z0-9]/g, ""`) makes the text safe for everything; quote doubling makes it safe for SQL;
 * `<` → `&lt;` for HTML; escaping regex metacharacters (`"\\$&"`) for regular expressions.
 */
function replaced(recv: Value, site: CallSite): Value {
  const text = asText(recv);
  if (!text.taint) return recv.str !== null ? UNKNOWN : text;
  const patNode = site.node.arguments?.[0] ? unwrap(site.node.arguments[0]) : null;
  const replacement = site.args[1]?.str ?? null;
  const pattern: string | null = patNode?.type === "Literal" && patNode.regex ? patNode.regex.pattern : (site.args[0]?.str ?? null);
  const global = patNode?.type === "Literal" && patNode.regex ? patNode.regex.flags.includes("g") : site.method === "replaceAll";
  if (pattern === null || replacement === null || !global) return text;
  if (replacement === "" && /^\[\^(?:[A-Za-z0-9_ ]|\\[wd]|[a-zA-Z0-9]-[a-zA-Z0-9]|-)+\]\+?$/.test(pattern)) {
    return sanitize(text, pattern.includes(".") ? ALL_KINDS & ~PATH : ALL_KINDS);
  }
  if (replacement === "\\$&" && pattern.includes("*") && pattern.includes("+") && pattern.includes("?") && pattern.includes("\\\\")) return sanitize(text, REGEX);
  if (pattern.includes("'") && (replacement === "''" || replacement === "\\'")) return sanitize(text, SQL);
  if (pattern.includes("<") && replacement.includes("&lt;")) return sanitize(text, HTML);
  return text;
}

/** Methods of modelled objects: request getters, response chains, database handles, apps. */
function modelMethod(I: ModelHost, recv: Value, m: Model, method: string, site: CallSite): Value | null {
  const args = site.args;
  switch (m.kind) {
    case "db": {
      if (method === "escape" || method === "escapeLiteral") return quoted(sanitized(site, SQL));
      if (method === "escapeId" || method === "escapeIdentifier") return sanitized(site, SQL);
      if (method === "format") return firstText(site);
      const cb = args.find((a) => a.fn)?.fn;
      if (method === "transaction" || method === "begin" || method === "serialize" || method === "tx" || method === "task") {
        if (cb) I.callInline(cb, [recv], UNKNOWN, "call");
        return recv;
      }
      if (method === "getConnection" || method === "connect" || method === "acquire") {
        if (cb) I.callInline(cb, [UNKNOWN, recv, UNKNOWN], UNKNOWN, "call");
        return recv;
      }
      if (DB_CHAIN.has(method)) return recv;
      return null;
    }
    case "app":
      if (ROUTE_METHODS.has(method)) {
        registerHandlers(I, site);
        return method === "route" ? recv : UNKNOWN;
      }
      if (method === "listen") return UNKNOWN;
      return null;
    case "module":
    case "global":
      if (EVENT_METHODS.has(method) && args[0]?.str && args.some((a) => a.fn)) {
        registerListener(I, site, recv);
        return UNKNOWN;
      }
      return null;
    case "class":
    case "instance":
      return null;
    default:
      return objectModel(m.kind)?.method?.(I, recv, m, method, site) ?? null;
  }
}

// ---------------------------------------------------------------- whole-project wiring

/** Library types whose injected instance (`constructor(private repo: Repository<User>)`) is a SQL client. */
const DB_TYPES = new Set([
  "typeorm:Repository", "typeorm:EntityManager", "typeorm:QueryRunner", "typeorm:Connection", "@mikro-orm/core:EntityManager",
  "@mikro-orm/postgresql:EntityManager", "@mikro-orm/mysql:EntityManager", "@mikro-orm/knex:EntityManager", "knex:Knex", "pg:PoolClient",
  "mysql2:Connection", "mysql2:Pool", "mysql2:PoolConnection", "mysql:Connection", "mysql:Pool",
]);

/**
 * The instance a dependency-injection container (NestJS, Angular, tsyringe) passes for a
 * parameter declared with a library type, or null when the type says nothing we model.
 */
export function injectedInstance(type: Value): Value | null {
  const id = identityOf(type);
  if (id !== null && (DB_TYPES.has(id) || DB_FACTORIES.has(id))) return modelValue({ kind: "db" });
  return null;
}

/** GraphQL servers whose options hold the per-request `context` (and Apollo 3's `dataSources`) the resolvers receive third. */
const GRAPHQL_SERVERS = new Set([
  "@apollo/server:ApolloServer", "apollo-server:ApolloServer", "apollo-server-express:ApolloServer", "apollo-server-koa:ApolloServer",
  "apollo-server-fastify:ApolloServer", "apollo-server-lambda:ApolloServer", "apollo-server-micro:ApolloServer", "@apollo/server/standalone:startStandaloneServer",
  "@apollo/server/express4:expressMiddleware", "@as-integrations/next:startServerAndCreateNextHandler", "graphql-yoga:createYoga", "express-graphql:graphqlHTTP",
  "graphql-http/lib/use/express:createHandler", "mercurius:", "@graphql-yoga/node:createServer",
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
