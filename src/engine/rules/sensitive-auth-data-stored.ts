/**
 * CVV/CVC, PINs or magnetic-stripe track data written to a database from code: ORM and driver
 * writes (`Payment.create({ cvv })`, `prisma.card.create({ data: { cvv } })`,
 * `knex("cards").insert({ pin })`, `db.collection("cards").insertOne({ track2 })`,
 * `cardRepository.save(...)`, `new Card({ cvv }).save()`) and SQL writes with their values
 * (`db.query("INSERT … VALUES (?, ?)", [pan, cvv])`). PCI DSS 3.3.1 forbids keeping sensitive
 * authentication data after authorisation, even encrypted; sql-sensitive-auth-data-column finds
 * the column, this rule finds the write. The data is recognised by the names it travels under
 * (js/card-data-names.ts). Card numbers are left alone here: they may be stored when rendered
 * unreadable, which the write does not show.
 */
import type { JsNode } from "../parse/js";
import { cardDataNames, describeCardData } from "../js/card-data-names";
import { literalString, memberChain, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";

/** ORM and driver methods that write their arguments (Mongoose, Sequelize, Prisma, TypeORM, MikroORM, knex, MongoDB). */
const WRITE_METHODS = new Set([
  "create", "createMany", "bulkCreate", "insert", "insertOne", "insertMany", "save", "update", "updateOne", "updateMany",
  "upsert", "findOneAndUpdate", "findByIdAndUpdate", "replaceOne", "bulkWrite", "persist", "persistAndFlush",
]);
/** Driver methods that run SQL with values beside it (mysql2, pg, better-sqlite3, sqlite3, pg-promise, D1). */
const SQL_METHODS = new Set(["query", "execute", "run", "exec", "raw", "none", "one", "any", "many", "oneOrNone", "prepare"]);
const SQL_WRITE = /^\s*(?:insert|update|replace|merge|upsert)\b/i;
/** Names of databases, ORM entry points, repositories, models and collections. */
const STORE_NAME = /^(?:db|database|prisma|knex|sequelize|mongoose|mongo|collection|repo|repository|em|entityManager|manager|orm|models?|supabase|pool|conn|connection|client|tx|trx|transaction|dao)$/i;
const STORE_SUFFIX = /[a-z](?:Repository|Repo|Model|Collection|Table|Dao)$/;
/** Calls that return a table or collection: `knex("cards")`, `db.collection("cards")`, `supabase.from("cards")`. */
const TABLE_CALLS = new Set(["knex", "collection", "from", "table", "getRepository", "model", "into"]);
/** Words that put a store or a name in a payment-card context. */
const CARD_CONTEXT = /card|pay|txn|transaction|terminal|atm|pos|emv|block|checkout|billing/i;
/** Capitalised globals that are not models. */
const NOT_MODELS = new Set(["Object", "Array", "JSON", "Math", "Promise", "Reflect", "Date", "Map", "Set", "WeakMap", "Number", "String", "React", "Vue", "URL", "Intl", "Buffer", "Response", "Request"]);

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
function writtenValues(call: JsNode): JsNode[] | null {
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

export default createRule({
  id: "sensitive-auth-data-stored",
  meta: {
    title: "CVV, PIN or track data written to a database",
    description:
      "Code writes card verification codes (CVV/CVC/CID), PINs or PIN blocks, or magnetic-stripe track data to a database through an ORM, a driver or an INSERT/UPDATE. PCI DSS 3.3.1 forbids keeping sensitive authentication data after authorisation, even encrypted.",
    severity: "critical",
    confidence: "medium",
    category: "card-data",
    cwe: ["CWE-312"],
    owasp: ["A04:2021"],
    pci: ["3.3.1", "3.3.1.1", "3.3.1.2", "3.3.1.3"],
    remediation:
      "Send the CVV, PIN block or track data straight to the payment processor during authorisation and never write it to a database, cache or queue. Store only what the processor returns (a token, the verification result such as `cvc_check`), and drop any column or field that held it.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://withpci.com/requirements/3/3.3/3.3.1.html",
    ],
    tags: ["security", "pci-dss", "card-data", "sensitive-authentication-data"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !/cvv|cvc|cvn|cvd|cav|csc|cid|pin|track|stripe|swipe|verification|security_?code/i.test(ctx.file.text)) return {};
    return {
      js: {
        CallExpression(node) {
          const values = writtenValues(node);
          if (!values) return;
          // A bare `pin` is a card PIN only where the name or the store says cards or payments (not `User.update({ pin })`).
          const cardStore = CARD_CONTEXT.test(ctx.file.text.slice(node.callee.start, node.callee.end));
          const found = [...cardDataNames(values)].filter(([name, kind]) => kind !== "card number" && (kind !== "PIN" || cardStore || CARD_CONTEXT.test(name)));
          if (found.length === 0) return;
          const { kinds, names, fingerprintKey } = describeCardData(found);
          ctx.report({
            start: node.start,
            end: node.end,
            message: `${kinds} (${names}) written to a database: sensitive authentication data may not be kept after authorisation, even encrypted (PCI DSS 3.3.1).`,
            fingerprintKey,
          });
        },
      },
    };
  },
});
