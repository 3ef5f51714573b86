/**
 * Where card data must not go whole, as call shapes: loggers, HTTP response bodies and database
 * writes. Shared by the card-data rules (which judge the names the data travels under) and the
 * taint interpreter (which follows card data through variables, calls and files to these calls).
 */
import type { JsNode } from "../parse/js";
import { literalString, memberChain, propertyName, unwrap } from "./node-values";

const CONSOLE_METHODS = new Set(["log", "info", "warn", "error", "debug", "trace"]);
const LOGGER_METHODS = new Set(["log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose", "silly", "notice", "critical"]);
const LOGGER_NAMES = /^(log|logger|_logger|winston|pino|bunyan|audit|auditLog|auditLogger|appLogger|requestLogger)$/;

/** True when `callee` is a logging call: console.x(), logger.x(), req.log.x(), this.logger.x(), log(). */
export function isLogCall(callee: JsNode): boolean {
  const c = unwrap(callee);
  if (c.type === "Identifier") return c.name === "log" || c.name === "logger";
  if (c.type !== "MemberExpression" || c.computed) return false;
  const method = propertyName(c);
  if (method === null) return false;
  const object = unwrap(c.object);
  if (object.type === "Identifier" && object.name === "console") return CONSOLE_METHODS.has(method);
  const receiver = object.type === "Identifier" ? object.name : object.type === "MemberExpression" && !object.computed ? propertyName(object) : null;
  return receiver !== null && LOGGER_NAMES.test(receiver) && LOGGER_METHODS.has(method);
}

/** Names of the response object in Express, Koa, Fastify, Hono, Next.js and hapi handlers. */
const RESPONSE_NAMES = /^(res|resp|response|reply|ctx|context|c|h)$/;
/** Methods that send their arguments as the response body (render: its second argument). */
const BODY_METHODS = new Set(["json", "jsonp", "send", "end", "write", "text", "html", "body", "render", "response"]);
/** Calls chained before the sending one: `res.status(200).json(...)`, `reply.code(201).send(...)`. */
const CHAIN_METHODS = new Set(["status", "code", "type", "set", "header", "headers", "append", "cookie", "vary", "location", "contentType"]);
/** Classes whose static `json` builds a response: `Response.json(...)`, `NextResponse.json(...)`. */
export const RESPONSE_CLASSES = new Set(["Response", "NextResponse", "HttpResponse"]);
/** NestJS route decorators: the method's return value is the response body. */
export const ROUTE_DECORATORS = new Set(["Get", "Post", "Put", "Patch", "Delete", "All", "Options", "Head"]);

/** The receiver a response call starts from, past chained status/header calls. */
function responseReceiver(member: JsNode): JsNode {
  let object = unwrap(member.object);
  for (let i = 0; i < 4 && object.type === "CallExpression"; i++) {
    const callee = unwrap(object.callee);
    if (callee.type !== "MemberExpression" || !CHAIN_METHODS.has(propertyName(callee) ?? "")) break;
    object = unwrap(callee.object);
  }
  return object;
}

/** Whether an object is a response by its name: `res`, `reply`, `this.res`, `ctx.response`. */
export function isResponseObject(node: JsNode): boolean {
  const n = unwrap(node);
  const name = n.type === "Identifier" ? n.name : n.type === "MemberExpression" ? propertyName(n) : null;
  return name !== null && RESPONSE_NAMES.test(name);
}

/** The expressions a call sends as the response body, or null when it is not a response call. */
export function sentBody(call: JsNode): JsNode[] | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method === null) return null;
  const receiver = responseReceiver(callee);
  if (method === "json" && receiver.type === "Identifier" && RESPONSE_CLASSES.has(receiver.name)) return call.arguments.slice(0, 1);
  if (!BODY_METHODS.has(method) || !isResponseObject(receiver)) return null;
  return method === "render" ? call.arguments.slice(1, 2) : call.arguments;
}

const WRITE_METHODS = new Set([
  "create",
  "createMany",
  "bulkCreate",
  "insert",
  "insertOne",
  "insertMany",
  "save",
  "update",
  "updateOne",
  "updateMany",
  "upsert",
  "findOneAndUpdate",
  "findByIdAndUpdate",
  "replaceOne",
  "bulkWrite",
  "persist",
  "persistAndFlush",
]);
/** Driver methods that run SQL with values beside it (mysql2, pg, better-sqlite3, sqlite3, pg-promise, D1). */
const SQL_METHODS = new Set(["query", "execute", "run", "exec", "raw", "none", "one", "any", "many", "oneOrNone", "prepare"]);
const SQL_WRITE = /^\s*(?:insert|update|replace|merge|upsert)\b/i;
/** Names of databases, ORM entry points, repositories, models and collections. */
const STORE_NAME =
  /^(?:db|database|prisma|knex|sequelize|mongoose|mongo|collection|repo|repository|em|entityManager|manager|orm|models?|supabase|pool|conn|connection|client|tx|trx|transaction|dao)$/i;
const STORE_SUFFIX = /[a-z](?:Repository|Repo|Model|Collection|Table|Dao)$/;
/** Calls that return a table or collection: `knex("cards")`, `db.collection("cards")`, `supabase.from("cards")`. */
const TABLE_CALLS = new Set(["knex", "collection", "from", "table", "getRepository", "model", "into"]);
/** Words that put a store or a name in a payment-card context. */
export const CARD_CONTEXT = /card|pay|txn|transaction|terminal|atm|pos|emv|block|checkout|billing/i;
/** Capitalised globals that are not models. */
const NOT_MODELS = new Set([
  "Object",
  "Array",
  "JSON",
  "Math",
  "Promise",
  "Reflect",
  "Date",
  "Map",
  "Set",
  "WeakMap",
  "Number",
  "String",
  "React",
  "Vue",
  "URL",
  "Intl",
  "Buffer",
  "Response",
  "Request",
]);

/** Whether the object a write method is called on is a database, model, repository or collection. */
function isStore(node: JsNode, depth = 0): boolean {
  const n = unwrap(node);
  if (n.type === "CallExpression") {
    const callee = unwrap(n.callee);
    const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? propertyName(callee) : null;
    if (name !== null && TABLE_CALLS.has(name)) return true;
    return depth < 8 && isStore(callee.type === "MemberExpression" ? callee.object : callee, depth + 1);
  }
  const chain = memberChain(n);
  if (!chain) return false;
  const names = chain.root.type === "Identifier" ? [chain.root.name, ...chain.names] : chain.names;
  if (names.some((name) => STORE_NAME.test(name) || STORE_SUFFIX.test(name))) return true;
  // A Mongoose or Sequelize model: `Payment.create(...)`.
  return chain.root.type === "Identifier" && chain.names.length === 0 && /^[A-Z][a-z]/.test(chain.root.name) && !NOT_MODELS.has(chain.root.name);
}

/** The arguments a call writes to a database, or null when it is not a database write. */
export function writtenValues(call: JsNode): JsNode[] | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method === null) return null;
  const object = unwrap(callee.object);
  if (WRITE_METHODS.has(method)) {
    // `new Card({ cvv }).save()`
    if (object.type === "NewExpression" && method === "save") return object.arguments;
    return isStore(object) ? call.arguments : null;
  }
  // Prepared statements: better-sqlite3's `db.prepare("INSERT …").run(token, cvv)`, D1's `.bind(token, cvv)`.
  if ((method === "run" || method === "bind") && object.type === "CallExpression") {
    const prepare = unwrap(object.callee);
    if (prepare.type === "MemberExpression" && propertyName(prepare) === "prepare" && isSqlWrite(object.arguments[0])) return call.arguments;
  }
  if (SQL_METHODS.has(method) && isStore(object)) return isSqlWrite(call.arguments[0]) ? call.arguments : null;
  return null;
}

/** Whether a call's first argument is SQL text that writes (INSERT, UPDATE, REPLACE, MERGE). */
function isSqlWrite(arg: JsNode | undefined): boolean {
  const first = arg ? unwrap(arg) : null;
  const sql = first?.type === "TemplateLiteral" ? first.quasis[0]?.value.cooked : literalString(first);
  return typeof sql === "string" && SQL_WRITE.test(sql);
}
