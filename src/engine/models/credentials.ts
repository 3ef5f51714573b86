/**
 * Where libraries take a key, a secret or a credential: a literal of any entropy that reaches
 * one of these is a hard-coded secret (a word such as "keyboard cat" signs every session as
 * well as a random key would, and anyone with the source can forge them). Rows name the callee
 * as the models do (`module:export.path`, "" for the module itself), the argument, and the
 * property path inside it when the secret is an option. Read by the taint interpreter for the
 * hardcoded-key rule; fixtures: test/fixtures/hardcoded-key/.
 */

export interface CredentialParameter {
  /** The callee: "jsonwebtoken:sign", "express-session:" (the module called), "crypto:createHmac". */
  callee: string;
  /** The argument holding the secret. */
  arg: number;
  /** Property paths inside that argument where the secret sits; none: the argument itself. */
  options?: string[][];
  /** What the secret is used as, completing "used as …". */
  what: string;
}

/** A property assignment that sets a secret: Koa's `app.keys = [...]` signs its cookies. */
export interface CredentialProperty {
  /** The kind of object the models know it as ("app": a web framework's application). */
  model: "app";
  property: string;
  what: string;
}

const SESSION_OPTIONS = [["secret"], ["keys"], ["secret", "0"], ["keys", "0"]];

export const CREDENTIAL_PARAMETERS: readonly CredentialParameter[] = [
  // JSON Web Tokens
  { callee: "jsonwebtoken:sign", arg: 1, what: "the JWT signing key" },
  { callee: "jsonwebtoken:verify", arg: 1, what: "the JWT verification key" },
  { callee: "jsonwebtoken:default.sign", arg: 1, what: "the JWT signing key" },
  { callee: "jsonwebtoken:default.verify", arg: 1, what: "the JWT verification key" },
  { callee: "express-jwt:expressjwt", arg: 0, options: [["secret"]], what: "the JWT verification key" },
  { callee: "express-jwt:", arg: 0, options: [["secret"]], what: "the JWT verification key" },
  { callee: "koa-jwt:", arg: 0, options: [["secret"]], what: "the JWT verification key" },
  { callee: "hono/jwt:jwt", arg: 0, options: [["secret"]], what: "the JWT verification key" },
  { callee: "hono/jwt:sign", arg: 1, what: "the JWT signing key" },
  { callee: "hono/jwt:verify", arg: 1, what: "the JWT verification key" },
  { callee: "passport-jwt:Strategy", arg: 0, options: [["secretOrKey"]], what: "the JWT verification key" },
  // Sessions and signed cookies
  { callee: "express-session:", arg: 0, options: SESSION_OPTIONS, what: "the session secret" },
  { callee: "cookie-session:", arg: 0, options: SESSION_OPTIONS, what: "the session cookie key" },
  { callee: "cookie-parser:", arg: 0, what: "the cookie signing secret" },
  { callee: "@fastify/cookie:", arg: 0, options: [["secret"]], what: "the cookie signing secret" },
  { callee: "@fastify/session:", arg: 0, options: [["secret"]], what: "the session secret" },
  { callee: "@fastify/jwt:", arg: 0, options: [["secret"]], what: "the JWT signing key" },
  { callee: "hono/cookie:setSignedCookie", arg: 3, what: "the cookie signing secret" },
  { callee: "hono/cookie:getSignedCookie", arg: 1, what: "the cookie signing secret" },
  // Keys of MACs and ciphers
  { callee: "crypto:createHmac", arg: 1, what: "an HMAC key" },
  { callee: "crypto:createCipheriv", arg: 1, what: "an encryption key" },
  { callee: "crypto:createDecipheriv", arg: 1, what: "a decryption key" },
  { callee: "crypto-js:AES.encrypt", arg: 1, what: "an encryption key" },
  { callee: "crypto-js:AES.decrypt", arg: 1, what: "a decryption key" },
  { callee: "crypto-js:HmacSHA256", arg: 1, what: "an HMAC key" },
  { callee: "crypto-js:HmacSHA512", arg: 1, what: "an HMAC key" },
  // Payment and cloud SDK credentials
  { callee: "stripe:", arg: 0, what: "the Stripe API key" },
  { callee: "stripe:Stripe", arg: 0, what: "the Stripe API key" },
  { callee: "braintree:BraintreeGateway", arg: 0, options: [["privateKey"]], what: "the Braintree private key" },
  { callee: "@aws-sdk/client-s3:S3Client", arg: 0, options: [["credentials", "secretAccessKey"]], what: "the AWS secret access key" },
  { callee: "@aws-sdk/client-dynamodb:DynamoDBClient", arg: 0, options: [["credentials", "secretAccessKey"]], what: "the AWS secret access key" },
  { callee: "aws-sdk:config.update", arg: 0, options: [["secretAccessKey"]], what: "the AWS secret access key" },
  // Database and mail clients
  { callee: "mysql:createConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mysql:createPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mysql2:createConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mysql2:createPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "pg:Pool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "pg:Client", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "sequelize:", arg: 2, what: "the database password" },
  { callee: "sequelize:Sequelize", arg: 2, what: "the database password" },
  { callee: "mssql:connect", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "redis:createClient", arg: 0, options: [["password"]], what: "the Redis password" },
  { callee: "ioredis:", arg: 0, options: [["password"]], what: "the Redis password" },
  { callee: "nodemailer:createTransport", arg: 0, options: [["auth", "pass"]], what: "the mail server password" },
  { callee: "mysql2/promise:createConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mysql2/promise:createPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mariadb:createConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mariadb:createPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "pg:native.Pool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "pg:native.Client", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "sequelize:", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "sequelize:Sequelize", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mssql:ConnectionPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "tedious:Connection", arg: 0, options: [["authentication", "options", "password"]], what: "the database password" },
  { callee: "oracledb:getConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "oracledb:createPool", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "knex:", arg: 0, options: [["connection", "password"]], what: "the database password" },
  { callee: "knex:knex", arg: 0, options: [["connection", "password"]], what: "the database password" },
  { callee: "typeorm:DataSource", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "typeorm:createConnection", arg: 0, options: [["password"]], what: "the database password" },
  { callee: "mongoose:connect", arg: 1, options: [["pass"], ["auth", "password"]], what: "the MongoDB password" },
  { callee: "mongoose:createConnection", arg: 1, options: [["pass"], ["auth", "password"]], what: "the MongoDB password" },
  { callee: "mongodb:MongoClient", arg: 1, options: [["auth", "password"]], what: "the MongoDB password" },
  { callee: "mongodb:MongoClient.connect", arg: 1, options: [["auth", "password"]], what: "the MongoDB password" },
  { callee: "cassandra-driver:Client", arg: 0, options: [["credentials", "password"]], what: "the Cassandra password" },
  { callee: "neo4j-driver:auth.basic", arg: 1, what: "the Neo4j password" },
  {
    callee: "@elastic/elasticsearch:Client",
    arg: 0,
    options: [
      ["auth", "password"],
      ["auth", "apiKey"],
    ],
    what: "the Elasticsearch credential",
  },
  { callee: "ioredis:default", arg: 0, options: [["password"]], what: "the Redis password" },
  { callee: "ioredis:", arg: 2, options: [["password"]], what: "the Redis password" },
  { callee: "amqplib:connect", arg: 0, options: [["password"]], what: "the message broker password" },
  { callee: "mqtt:connect", arg: 1, options: [["password"]], what: "the message broker password" },
];

export const CREDENTIAL_PROPERTIES: readonly CredentialProperty[] = [{ model: "app", property: "keys", what: "the cookie signing keys" }];

/** Rows by callee, built once. */
export const CREDENTIALS_BY_CALLEE: ReadonlyMap<string, readonly CredentialParameter[]> = (() => {
  const map = new Map<string, CredentialParameter[]>();
  for (const row of CREDENTIAL_PARAMETERS) {
    const list = map.get(row.callee);
    if (list) list.push(row);
    else map.set(row.callee, [row]);
  }
  return map;
})();

/** The last word (or last two, joined) of a name that holds a credential: `password`, `adminToken`, `x-api-key`. */
export const CREDENTIAL_WORDS = /^(?:password|passwd|pwd|pass|passcode|passphrase|secret|apikey|token|pin|otp|authorization)$/;

/**
 * A literal that only stands for a value to be filled in (`"<secret>"`, `"${JWT_SECRET}"`,
 * `"{{ key }}"`), or holds nothing: not a hard-coded secret however it is used.
 */
export function isPlaceholderSecret(value: string): boolean {
  const v = value.trim();
  return v === "" || /^<[^<>]*>$/.test(v) || /^\$\{[^}]*\}$/.test(v) || /^\{\{[^}]*\}\}$/.test(v) || /^%[A-Z_]+%$/.test(v) || /^(?:undefined|null)$/.test(v);
}
