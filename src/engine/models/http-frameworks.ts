/**
 * Server HTTP frameworks — Express, Koa, Fastify, Hono, Restify, Polka and Node's own `http` —
 * and the request, response and context objects their handlers receive. Most of what an
 * attacker sends arrives through these objects, so their properties and getters are the
 * engine's main sources.
 *
 * Request objects come in three styles (value.ts): `node` (Express/Koa/Node: the URL is the
 * relative request target, `qs` parses the query string into objects), `fastify` (flat query)
 * and `fetch` (Hono, Next.js, Workers: an absolute URL whose host is the server's). A context
 * (Koa `ctx`, Hono `c`) delegates its request properties to the request.
 */
import { patternKeys } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { HTML, kindsOf, REDIRECT, SSRF } from "../taint/kinds";
import { F_CONTAINER, F_LITERAL_OBJ, F_NUMERIC, F_OWN_URL, Hole, modelValue, textValue, UNKNOWN, type Model, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import { calleeReceiverName } from "./receiver-names";
import type { EntryFunction, EntryPointRow, LibraryModel, ParamRole, SinkRow, SourceRow, SourceShape, TypeRow } from "./rows";
import { constantText, reportCallSink } from "./sink-report";
import { renderView, responseLocals } from "./template-engines";

/** What the request objects of every framework carry, by property. Contexts carry the same. */
const REQUEST_PROPERTIES: ReadonlyArray<SourceShape & { property: string }> = [
  { property: "body", what: "request body", container: true, obj: true },
  { property: "payload", what: "request body", container: true, obj: true },
  { property: "query", what: "query string", container: true, obj: "node" },
  { property: "params", what: "route parameters", container: true },
  { property: "headers", what: "request headers", container: true },
  { property: "header", what: "request headers", container: true },
  { property: "cookies", what: "cookies", container: true, obj: true },
  { property: "signedCookies", what: "cookies", container: true, obj: true },
  { property: "files", what: "uploaded files", container: true, obj: true },
  { property: "file", what: "uploaded file", container: true, obj: true },
  { property: "url", what: "request URL", url: "target" },
  { property: "originalUrl", what: "request URL", url: "target" },
  { property: "path", what: "request path", url: "target" },
  { property: "href", what: "request URL", url: "href" },
  { property: "search", what: "query string" },
  { property: "querystring", what: "query string" },
  { property: "searchParams", what: "query string", container: true },
  { property: "hostname", what: "Host header", safeFor: ["open-redirect"] },
  { property: "host", what: "Host header", safeFor: ["open-redirect"] },
];

/** Headers that name the server as the client addressed it: not a redirect an attacker can aim at a victim. */
const HOST_HEADER = /^(host|x-forwarded-host|x-forwarded-proto|:authority)$/i;

const SOURCES: SourceRow[] = [
  ...REQUEST_PROPERTIES.map((p): SourceRow => ({ ...p, object: "request" })),
  // Next.js `NextRequest`: the parsed URL of the request, whose host is the server's.
  { object: "request", property: "nextUrl", what: "request URL", ownUrl: true, as: "request" },
  ...REQUEST_PROPERTIES.map((p): SourceRow => ({ ...p, object: "context" })),
  { object: "request", method: "get", what: "request header" },
  { object: "request", method: "header", what: "request header" },
  { object: "request", method: "param", what: "route parameter", obj: "node", container: "without-arguments" },
  { object: "request", method: "query", what: "query string", container: "without-arguments" },
  { object: "request", method: "queries", what: "query string", container: "without-arguments" },
  { object: "request", method: "cookie", what: "cookie" },
  { object: "request", method: "json", what: "request body", obj: true, container: true },
  { object: "request", method: "valid", what: "request body", obj: true, container: true },
  { object: "request", method: "parseBody", what: "request body", obj: true, container: true },
  { object: "request", method: "formData", what: "request body", container: true },
  { object: "request", method: "text", what: "request body" },
  { object: "request", method: "arrayBuffer", what: "request body" },
  { object: "request", method: "blob", what: "request body" },
  // @fastify/multipart: `await request.file()`, `request.files()`, `request.parts()` (file-uploads refines them).
  ...["file", "files", "parts", "saveRequestFiles"].map((method): SourceRow => ({
    object: "request",
    method,
    what: "multipart file part",
    obj: true,
    container: true,
  })),
  { object: "context", method: "get", what: "request header" },
];

/** The source rows of one object kind, by property or method name. */
function sourcesOf(object: "request" | "context", by: "property" | "method"): ReadonlyMap<string, SourceRow> {
  const out = new Map<string, SourceRow>();
  for (const r of SOURCES) {
    if (!("object" in r) || r.object !== object) continue;
    const name = by === "property" ? ("property" in r ? r.property : undefined) : "method" in r ? r.method : undefined;
    if (name !== undefined) out.set(name, r);
  }
  return out;
}

const REQUEST_PROPERTY_SOURCES = sourcesOf("request", "property");
const CONTEXT_PROPERTY_SOURCES = sourcesOf("context", "property");
const REQUEST_METHOD_SOURCES = sourcesOf("request", "method");
const CONTEXT_METHOD_SOURCES = sourcesOf("context", "method");

/** Context properties that are the server's own state or the response, not request data. */
const CONTEXT_OWN = new Set(["body", "env", "state", "var", "res", "response"]);

/** A request object made for a property read, named for messages (`ctx.request`). */
function named(v: Value, name: string | null): Value {
  v.name = name;
  return v;
}

/** `req.query`, `request.url`, `req.raw`: the request's sources, shaped by its style. */
function requestProperty(host: ModelHost, obj: Value, m: Model, key: string, node: JsNode | null): Value | null {
  if (m.kind !== "request") return null;
  if (key === "raw" || key === "req") return named(modelValue({ kind: "request", style: "node" }), obj.name);
  const src = REQUEST_PROPERTY_SOURCES.get(key);
  if (!src || !node) return src ? UNKNOWN : null;
  const label = node.type === "MemberExpression" ? undefined : `${obj.name ?? src.as ?? "req"}.${key}`;
  const fetch = m.style === "fetch";
  const objShape = src.obj === true || (src.obj === "node" && m.style === "node");
  const urlFlags = src.url && fetch ? F_OWN_URL : 0;
  const flags = (src.container ? F_CONTAINER : 0) | urlFlags | (src.ownUrl ? F_OWN_URL : 0);
  const v = host.source(node, src.what, { obj: objShape, flags, safe: (src.url && !fetch ? SSRF : 0) | kindsOf(src.safeFor), label });
  // A Node request's URL is the request target in origin form: it starts with "/".
  return src.url === "target" && !fetch ? textValue(["/", new Hole(v.taint!)]) : v;
}

/** `ctx.query`, `c.req`, `ctx.body`: a context's request side; its own state is not request data. */
function contextProperty(host: ModelHost, obj: Value, m: Model, key: string, node: JsNode | null): Value | null {
  if (m.kind !== "context") return null;
  if (key === "req" || key === "request")
    return named(modelValue({ kind: "request", style: m.flavor === "koa" ? "node" : "fetch" }), `${obj.name ?? "ctx"}.${key}`);
  // Koa `ctx.state`: koa-views renders with it under the call's locals.
  if (key === "state" && m.flavor === "koa") return responseLocals(m);
  if (CONTEXT_OWN.has(key)) return UNKNOWN;
  const src = CONTEXT_PROPERTY_SOURCES.get(key);
  if (!src || !node) return src ? UNKNOWN : null;
  const label = node.type === "MemberExpression" ? undefined : `${obj.name ?? (m.flavor === "next" ? "context" : "ctx")}.${key}`;
  const flags = (src.container ? F_CONTAINER : 0) | (src.url === "href" ? F_OWN_URL : 0);
  const v = host.source(node, src.what, { obj: false, flags, safe: (src.url === "target" ? SSRF : 0) | kindsOf(src.safeFor), label });
  return src.url === "target" ? textValue(["/", new Hole(v.taint!)]) : v;
}

/** `req.get("x")`, `c.req.json()`, `req.param("id")`: getters of request data. */
function requestGetter(host: ModelHost, m: Model, method: string, node: JsNode, args: Value[]): Value | null {
  const src = (m.kind === "request" ? REQUEST_METHOD_SOURCES : CONTEXT_METHOD_SOURCES).get(method);
  if (!src) return null;
  const container = src.container === true || (src.container === "without-arguments" && args.length === 0);
  const objShape = src.obj === true || (src.obj === "node" && m.kind === "request" && m.style === "node");
  return host.source(node, src.what, {
    obj: objShape,
    flags: container ? F_CONTAINER : 0,
    safe: src.what === "request header" && HOST_HEADER.test(args[0]?.str ?? "") ? REDIRECT : 0,
  });
}

/** Sets a response's content type from a `Content-Type` value. */
function setType(m: { contentType: "html" | "other" | null }, v: Value | undefined): void {
  if (!v || v.str === null) return;
  m.contentType = /html/i.test(v.str) ? "html" : "other";
}

/** Notes a `Content-Type` header set by name and value, or in an object of headers. */
function noteContentType(m: { contentType: "html" | "other" | null }, name: Value | undefined, value: Value | undefined): void {
  if (!name) return;
  if (name.props) {
    for (const [k, v] of name.props) if (k.toLowerCase() === "content-type") setType(m, v);
    return;
  }
  if (name.str?.toLowerCase() === "content-type") setType(m, value);
}

/** Receivers named like a response when nothing else is known of them. */
const RESPONSE_NAME = /^(res|response|reply|h)$/;
/** Receivers named like a context when nothing else is known of them. */
const CONTEXT_NAME = /^(ctx|c|context)$/;

/** The response model of a call's receiver, or null when it is only named like one. */
function responseOf(site: CallSite): Extract<Model, { kind: "response" }> | null {
  const m = site.recv?.model;
  return m?.kind === "response" ? m : null;
}

/**
 * `res.send(body)`, `res.write(body)`, `res.end(body)`: HTML unless the content type says
 * otherwise. Express's `send` of a string defaults to HTML; `write`/`end` are HTML when the text
 * looks like markup.
 */
function responseBody(host: ModelHost, site: CallSite, kind: number): void {
  const args = site.args;
  const m = responseOf(site);
  const body = site.method === "send" && args.length > 1 && args[0]!.flags & F_NUMERIC ? args[1] : args[0];
  if (!body || body.flags & (F_CONTAINER | F_LITERAL_OBJ | F_NUMERIC) || body.fn) return;
  if (m?.contentType === "other") return;
  const html =
    m?.contentType === "html" ||
    (site.method === "send" ? (m ? m.htmlDefault : calleeReceiverName(site.callee) === "res") : /<[a-z!/]/i.test(constantText(body)));
  if (html) reportCallSink(host, site, kind, body, "in an HTML response", "text");
}

/** `res.set("Location", url)`, `res.set({ Location: url })`, `res.writeHead(302, { Location: url })`. */
function locationHeader(host: ModelHost, site: CallSite, kind: number): void {
  const args = site.args;
  const headers = site.method === "writeHead" ? args[1] : args[0];
  if (site.method !== "writeHead" && args[0]?.str?.toLowerCase() === "location") {
    reportCallSink(host, site, kind, args[1], "as the Location header", "redirect");
    return;
  }
  if (!headers?.props) return;
  for (const [k, v] of headers.props) if (k.toLowerCase() === "location") reportCallSink(host, site, kind, v, "as the Location header", "redirect");
}

/** `ctx.set("Location", url)`. */
function contextLocationHeader(host: ModelHost, site: CallSite, kind: number): void {
  if (site.args[0]?.str?.toLowerCase() === "location") reportCallSink(host, site, kind, site.args[1], "as the Location header", "redirect");
}

/** `res.sendFile(path, { root })`: with a root, the file is looked up under it and `..` is refused. */
function withoutRoot(_host: ModelHost, site: CallSite): boolean {
  const opts = site.args.slice(1).find((a) => a.props && a.flags & F_LITERAL_OBJ);
  return !opts?.props?.has("root");
}

const SINKS: SinkRow[] = [
  ...["send", "write", "end"].map((method): SinkRow => ({ method, receiver: "response", rule: "xss", effect: responseBody })),
  { method: "redirect", receiver: "response", argument: "last-not-number", rule: "open-redirect", what: "as the target of a redirect", mode: "redirect" },
  { method: "location", receiver: "response", argument: 0, rule: "open-redirect", what: "as the Location of a redirect", mode: "redirect" },
  ...["setHeader", "set", "header", "append", "writeHead"].map((method): SinkRow => ({
    method,
    receiver: "response",
    rule: "open-redirect",
    effect: locationHeader,
  })),
  ...["sendFile", "download"].map((method): SinkRow => ({
    method,
    receiver: "response",
    when: withoutRoot,
    argument: 0,
    rule: "path-traversal",
    what: "as a file path sent to the client",
    mode: "text",
  })),
  { method: "html", receiver: "context", argument: 0, rule: "xss", what: "in an HTML response", mode: "text" },
  { method: "redirect", receiver: "context", argument: 0, rule: "open-redirect", what: "as the target of a redirect", mode: "redirect" },
  ...["set", "header"].map((method): SinkRow => ({ method, receiver: "context", rule: "open-redirect", effect: contextLocationHeader })),
];

// ---------------------------------------------------------------- apps, routes and handlers

/** A request object of a style, for a handler parameter. */
export const requestRole = (style: "node" | "fastify" | "fetch"): ParamRole => ({ kind: "model", model: () => ({ kind: "request", style }) });
/** A response object; Express's `send` of a string is HTML by default, Fastify's `reply` is not. */
const responseRole = (htmlDefault: boolean): ParamRole => ({ kind: "model", model: () => ({ kind: "response", htmlDefault, contentType: null }) });
/** A context object (Koa `ctx`, Hono `c`, Next.js's second route-handler argument). */
export const contextRole = (flavor: "koa" | "hono" | "next"): ParamRole => ({ kind: "model", model: () => ({ kind: "context", flavor, contentType: null }) });

/** App and router methods that register handlers (`app.get(path, …handlers)`, `fastify.register(plugin)`, `app.use(mw)`). */
const ROUTE_METHODS = new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "del",
  "all",
  "use",
  "options",
  "head",
  "route",
  "on",
  "handle",
  "any",
  "register",
  "addHook",
  "hook",
  "mount",
  "param",
]);
/** Receivers named like an app or router, when nothing else is known of them. */
const ROUTER_NAME = /^(app|router|api|server|routes?|r|fastify|instance|hono|v\d+|admin|auth|[a-z]\w*(Router|App|Routes|Api|Server))$/;
/** Handlers inside Fastify route options: `{ handler, preHandler, onRequest, preValidation }`. */
const OPTION_HANDLERS = ["handler", "preHandler", "onRequest", "preValidation"];

/** Analyses the handlers given to `app.get(path, …handlers)` with request and response objects; a Fastify plugin (`register`) by its parameters' names. */
function registerHandlers(host: ModelHost, site: CallSite): void {
  for (const a of site.args) {
    if (a.fn) host.callInline(a.fn, [], UNKNOWN, site.method === "register" ? "entry" : "route");
    else if (a.props) {
      for (const k of OPTION_HANDLERS) {
        const h = a.props.get(k);
        if (h?.fn) host.callInline(h.fn, [], UNKNOWN, "route");
      }
    }
  }
}

/**
 * A registered handler's parameters: `(c)` / `(ctx)` a context, `(err, req, res, next)` an
 * Express error handler, `(request, reply)` Fastify, otherwise `(req, res)`.
 */
function routeRoles({ params, names }: EntryFunction): ParamRole[] {
  const first = names[0];
  if (first === "c" || first === "ctx" || first === "context") return [contextRole(first === "c" ? "hono" : "koa")];
  if (params.length === 4 && first && /^(err|error|e)$/.test(first)) return [null, requestRole("node"), responseRole(true)];
  const fastify = names[1] === "reply";
  return [requestRole(fastify ? "fastify" : "node"), responseRole(!fastify)];
}

/** Any other function whose parameters are named like a handler's: `(req, res)`, `(request)`, `(ctx)`, `({ searchParams })`. */
function namedParameters(_host: ModelHost, { params, names }: EntryFunction): ParamRole[] | null {
  const fastify = names.includes("reply");
  const roles: ParamRole[] = names.map((n, i) => {
    if (n === null) return i === 0 && patternKeys(params[i]!).includes("searchParams") ? contextRole("next") : null;
    if (n === "req" || n === "_req") return requestRole("node");
    if (n === "request") return requestRole(fastify ? "fastify" : names.includes("res") ? "node" : "fetch");
    if (i > 0 && (n === "res" || n === "_res" || n === "response" || n === "reply")) return responseRole(n !== "reply");
    if (i === 0 && (n === "ctx" || n === "context") && params.length <= 2) return contextRole("koa");
    return null;
  });
  return roles.some((r) => r !== null) ? roles : null;
}

const ENTRY_POINTS: EntryPointRow[] = [
  ...["http:createServer", "https:createServer", "http2:createServer", "http2:createSecureServer"].map((call): EntryPointRow => ({ call, handlers: "route" })),
  { register: [...ROUTE_METHODS], routerName: ROUTER_NAME, effect: registerHandlers },
  { routeRoles },
  // Last: names are the weakest evidence.
  { precedence: 90, roles: namedParameters },
  // A Node request streams its body: `req.on("data", chunk => …)`.
  { listen: "data", on: "request", payload: { what: "request body" } },
];

/** Calls whose result is an app or router. */
const APP_FACTORIES = [
  "express:",
  "express:Router",
  "koa:",
  "@koa/router:",
  "koa-router:",
  "hono:Hono",
  "fastify:",
  "fastify:fastify",
  "restify:createServer",
  "polka:",
  "express:application",
];

const TYPES: TypeRow[] = [
  ...APP_FACTORIES.map((call): TypeRow => ({ call, returns: "app" })),
  ...["http:createServer", "https:createServer", "http2:createServer", "http2:createSecureServer"].map((call): TypeRow => ({ call, returns: "app" })),
];

export const model: LibraryModel = {
  id: "http-frameworks",
  description: "Express, Koa, Fastify, Hono, Restify, Polka and node:http servers: request sources, response sinks, route registration.",
  fixtures: ["open-redirect/sso-callbacks.js", "xss/status-pages.js", "apps/koa/server.js", "apps/fastify/server.ts", "apps/hono/src/index.ts"],
  sources: SOURCES,
  refinements: [
    { source: "request headers", property: HOST_HEADER, safeFor: ["open-redirect"] },
    // Upload middleware (multer, express-fileupload) names and places stored files itself.
    { source: "uploaded file", property: /^(path|filename|destination|size|tempFilePath|md5|key|location|id)$/, untainted: true },
    { source: "uploaded files", property: /^(path|filename|destination|size|tempFilePath|md5|key|location|id)$/, untainted: true },
  ],
  types: TYPES,
  entryPoints: ENTRY_POINTS,
  // Koa's `ctx.throw(400)` ends the handler.
  exits: [{ exit: "throw" }],
  sinks: SINKS,
  receivers: [
    {
      receiver: "response",
      test: (site) => site.recv?.model?.kind === "response" || (!site.recv?.model && RESPONSE_NAME.test(calleeReceiverName(site.callee) ?? "")),
    },
    {
      receiver: "context",
      test: (site) => site.recv?.model?.kind === "context" || (!site.recv?.model && CONTEXT_NAME.test(calleeReceiverName(site.callee) ?? "")),
    },
  ],
  objects: [
    {
      kind: "app",
      method(host, recv, _m, method, site) {
        if (ROUTE_METHODS.has(method)) {
          registerHandlers(host, site);
          return method === "route" ? recv : UNKNOWN;
        }
        return method === "listen" ? UNKNOWN : null;
      },
    },
    {
      kind: "request",
      property: requestProperty,
      method: (host, _recv, m, method, site) => requestGetter(host, m, method, site.node, site.args),
    },
    {
      kind: "context",
      property: contextProperty,
      // `ctx.type = "html"` sets the content type; Koa sends `ctx.body = text` as HTML when it starts with "<".
      assign(host, m, a) {
        if (m.kind !== "context") return;
        const { key, value } = a;
        if (key === "type") {
          if (value.str !== null) m.contentType = /html/i.test(value.str) ? "html" : "other";
          return;
        }
        if (key === "body" && m.flavor === "koa" && value.taint && !(value.flags & (F_CONTAINER | F_LITERAL_OBJ)) && m.contentType !== "other") {
          const mode = m.contentType === "html" ? "text" : "koa-body";
          host.sink(
            { kind: HTML, label: host.text(a.target), what: 'as the response body (sent as HTML when it starts with "<")', mode, confidence: "high" },
            a.node,
            value,
          );
        }
      },
      method(host, _recv, m, method, site) {
        if (m.kind !== "context") return null;
        if (method === "get") return requestGetter(host, m, method, site.node, site.args);
        if (method === "render" && m.flavor === "koa" && !site.args.some((a) => a.taint)) renderView(host, site, HTML);
        if (method === "header" && site.args.length >= 2) noteContentType(m, site.args[0], site.args[1]);
        return method === "json" || method === "text" || method === "html" || method === "redirect" || method === "body" ? UNKNOWN : null;
      },
    },
    {
      kind: "response",
      // Express `res.locals`: what a handler stores there reaches the views it renders.
      property: (_host, _obj, m, key) => (key === "locals" ? responseLocals(m) : null),
      method(host, recv, m, method, site) {
        if (m.kind !== "response") return null;
        const args = site.args;
        switch (method) {
          case "render":
          case "view":
            // Sink rows see calls with attacker data in an argument; request data in `res.locals` (`reply.locals`) is in none.
            if (!args.some((a) => a.taint)) renderView(host, site, HTML);
            return UNKNOWN;
          case "type":
          case "contentType":
            setType(m, args[0]);
            return recv;
          case "set":
          case "header":
          case "setHeader":
          case "append":
          case "writeHead":
          case "headers": {
            const [a, b] = method === "writeHead" ? [args[1], undefined] : [args[0], args[1]];
            noteContentType(m, a, b);
            return recv;
          }
          case "status":
          case "code":
          case "cookie":
          case "clearCookie":
          case "vary":
          case "links":
          case "location":
          case "attachment":
          case "removeHeader":
            return recv;
          default:
            return UNKNOWN;
        }
      },
    },
  ],
};
