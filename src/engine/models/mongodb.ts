/**
 * MongoDB and Mongoose: query methods take a query document, so request data that may be an
 * object (`{ "$ne": null }`) changes the query's meaning; `$where` runs JavaScript. BSON can
 * revive functions. ObjectIds are not attacker text, and mongo-sanitize strips operators.
 */
import type { CallSite, ModelHost } from "./host";
import { fileMentions } from "./file-mentions";
import { calleeReceiverName } from "./receiver-names";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";
import { optionIsTrue, reportCallSink } from "./sink-report";
import { F_CONTAINER, F_LITERAL_OBJ } from "../taint/value";

/** Methods of a collection or model that take a query document. */
const QUERY_METHODS = [
  "find",
  "findOne",
  "findOneAndUpdate",
  "findOneAndDelete",
  "findOneAndRemove",
  "findOneAndReplace",
  "updateOne",
  "updateMany",
  "update",
  "deleteOne",
  "deleteMany",
  "remove",
  "countDocuments",
  "count",
  "exists",
  "distinct",
  "where",
  "replaceOne",
  "aggregate",
];

/**
 * Receivers whose find/update/remove are not MongoDB's: utility libraries, collections, and
 * crypto objects (`createHash(…).update(x)` feeds a digest, not a query).
 */
const NOT_MONGO =
  /^(_|lodash|R|ramda|knex|sequelize|prisma|repo|[a-z]*Repository|[a-z]*Repo|Array|Object|Promise|document|window|\$|jQuery|cheerio|arr|array|list|items|rows|results|elements|values|keys|entries|create(Hash|Hmac|Cipher|Cipheriv|Decipher|Decipheriv|Sign|Verify)|hash|hasher|hmac|cipher|decipher|digest|signer|verifier|sha\d*|md5)$/;

/** A receiver that may be a MongoDB collection or Mongoose model: not attacker data, not another modelled object, not a literal, not named like something else. */
function collectionReceiver(site: CallSite): boolean {
  const recv = site.recv!;
  const kind = recv.model?.kind;
  if (recv.taint || kind === "db" || kind === "request" || kind === "response" || kind === "context") return false;
  if (recv.flags & F_LITERAL_OBJ && !recv.model) return false;
  return !NOT_MONGO.test(calleeReceiverName(site.callee) ?? "");
}

/** mongo-sanitize (or express-mongo-sanitize) is installed in the file: request data reaches queries without operators. */
const mongoSanitized = fileMentions("mongo-sanitize");

/** The query document of a find/update/aggregate call (`$match` stages of a pipeline). */
function queryDocument(host: ModelHost, site: CallSite, kind: number): void {
  const args = site.args;
  if (site.method === "aggregate") {
    const pipeline = args[0];
    if (!pipeline?.props) return;
    for (const stage of pipeline.props.values()) {
      const match = stage.props?.get("$match");
      if (match) reportCallSink(host, site, kind, match, "as a query document ($match)", "nosql");
    }
    return;
  }
  const selector = site.method === "distinct" ? args[1] : args[0];
  if (!selector || selector.fn) return;
  if (!(selector.flags & F_LITERAL_OBJ) && !(selector.flags & F_CONTAINER) && !selector.taint?.obj) return;
  reportCallSink(host, site, kind, selector, "as a query document", "nosql", selector.flags & F_LITERAL_OBJ ? "high" : "medium");
}

/**
 * `collection.mapReduce(map, reduce, options)` (driver) or `Model.mapReduce({ map, reduce })`
 * (Mongoose): function text the server runs. Functions written in the code are not text; only
 * text from request data (built from it, or taken whole) is reported, as server-side JavaScript.
 */
function mapReduceCode(host: ModelHost, site: CallSite, kind: number): void {
  const [first, second] = site.args;
  const texts =
    first?.props && first.flags & F_LITERAL_OBJ
      ? ["map", "reduce", "finalize"].map((k) => first.props!.get(k))
      : [first, second, site.args[2]?.props?.get("finalize")];
  for (const text of texts) {
    if (text && !text.fn && (text.parts || (text.taint && !text.props)))
      reportCallSink(host, site, kind, text, "as JavaScript the database server runs (mapReduce)", "text");
  }
}

const SINKS: SinkRow[] = [
  // Mongoose's `Query#$where(js)` / `Model.$where(js)`: text the server runs as JavaScript.
  {
    method: "$where",
    receiver: "mongo-collection",
    argument: 0,
    rule: "nosql-injection",
    what: "as JavaScript the database server runs ($where)",
    mode: "text",
  },
  { method: "mapReduce", receiver: "mongo-collection", rule: "nosql-injection", effect: mapReduceCode },
  ...QUERY_METHODS.map((method): SinkRow => ({
    method,
    receiver: "mongo-collection",
    when: (host) => !mongoSanitized(host.file),
    rule: "nosql-injection",
    effect: queryDocument,
    passThrough: true,
  })),
  {
    call: "bson:deserialize",
    when: (_host, site) => optionIsTrue(site.args[1], ["evalFunctions"]),
    argument: 0,
    rule: "insecure-deserialization",
    what: "to BSON deserialization with evalFunctions",
    mode: "any",
  },
];

const SUMMARIES: SummaryRow[] = [
  // ObjectIds: a fixed-format id, or an error.
  ...[
    "mongoose:Types.ObjectId",
    "mongoose:isValidObjectId",
    "mongoose:Types.ObjectId.isValid",
    "mongodb:ObjectId",
    "mongodb:ObjectId.createFromHexString",
    "bson:ObjectId",
  ].map((call): SummaryRow => ({ call, returns: "number" })),
  // Operator stripping: keys starting with "$" are removed.
  ...["mongo-sanitize:", "express-mongo-sanitize:sanitize", "mongoose:sanitizeFilter"].map((call): SummaryRow => ({
    call,
    returns: "argument",
    sanitises: ["nosql-injection"],
  })),
];

export const model: LibraryModel = {
  id: "mongodb",
  description: "MongoDB drivers, Mongoose and BSON: query documents, $where, ObjectIds, mongo-sanitize.",
  fixtures: ["nosql-injection/catalog-service.js", "nosql-injection/server-script-service.js", "apps/express/routes/account.js"],
  globals: [{ global: "mongoose", module: "mongoose" }],
  summaries: SUMMARIES,
  sinks: SINKS,
  guards: [
    { check: "isValidObjectId", argument: 0, holds: true, sanitises: "everything" },
    { check: "isValid", receiver: /ObjectId$/, argument: 0, holds: true, sanitises: "everything" },
  ],
  receivers: [{ receiver: "mongo-collection", test: collectionReceiver }],
};
