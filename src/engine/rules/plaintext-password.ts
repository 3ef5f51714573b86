/**
 * A password from the request stored or compared as it was typed: written to the database
 * without a password hash in between (`User.create({ email, password })`, `user.password =
 * req.body.password; await user.save()`, `INSERT … VALUES (?, ?)` with the raw value), compared
 * with the stored one (`user.password === req.body.password`, `timingSafeEqual` of the raw
 * bytes), or looked up by value (`findOne({ email, password })`, `WHERE password = ?`). Each of
 * these means the user table holds readable passwords, which PCI DSS 8.3.2 forbids (CWE-256,
 * CWE-257, CWE-916).
 *
 * How the request's password is known, inside one function: a request member whose last name is
 * a password (`req.body.password`, `ctx.request.body.pwd`), a variable destructured or read from
 * the request body (`const { password } = req.body`, `await c.req.json()`), not given another
 * value later (`password = await bcrypt.hash(password, 12)` makes it a hash). Any call around the
 * value other than a string method is taken as the hash. A parameter named as a password
 * (`function login(username, password)`) counts for comparisons and lookups only: a repository's
 * `password` parameter may be a hash its caller made. A call of a function of the file whose body
 * is only `return a === b` counts as the comparison it makes. Other flows across functions and
 * files are not followed.
 *
 * Decisions: ORM writes are the usual place for a model hook to hash the password (Mongoose
 * `pre("save")`, Sequelize `beforeCreate`, TypeORM `@BeforeInsert`, a `setDataValue` setter): a
 * write is not reported when a file of the same project hashes in such a hook, and is reported
 * with medium confidence when no hook is in sight (the model may live in a file not submitted).
 * Raw SQL and comparisons have no hook to save them and are reported with high confidence.
 * Test files are skipped.
 */
import { nameParts } from "../detect/secret-values";
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES, functionName } from "../js/ancestor-trail";
import { writtenValues } from "../js/card-sinks";
import { literalString, memberChain, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import { projectFiles } from "../taint/index";

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "passcode"]);
const WORD_HINT = /pass|pwd/i;
/** Words that say a password-named value is something else: its hash, its policy, its reset token. */
const NOT_RAW_WORDS = new Set([
  "hash",
  "hashed",
  "confirm",
  "confirmation",
  "repeat",
  "digest",
  "encrypted",
  "crypted",
  "salt",
  "reset",
  "token",
  "expires",
  "expiry",
  "changed",
  "updated",
  "at",
  "policy",
  "length",
  "min",
  "max",
  "strength",
  "rule",
  "rules",
  "hint",
  "required",
  "visible",
  "show",
  "field",
  "label",
  "placeholder",
  "error",
  "valid",
  "is",
  "has",
]);
/** Names of the request in Express, Koa, Fastify, Hono, Next.js and Lambda handlers. */
const REQUEST_NAMES = new Set(["req", "request", "ctx", "c", "event", "context"]);
/** Request members that hold what the client sent. */
const REQUEST_PARTS = new Set(["body", "query", "params", "payload", "data", "fields"]);
/** Request methods that return the parsed body: `await req.json()`, `await c.req.parseBody()`. */
const BODY_METHODS = new Set(["json", "formData", "parseBody", "valid"]);
/** String methods that keep the password as typed. */
const KEEPS_TEXT = new Set(["trim", "toString", "normalize", "valueOf", "trimStart", "trimEnd"]);
/** ORM lookups whose filter compares columns with the values given. */
const LOOKUPS = new Set([
  "findOne",
  "findFirst",
  "findUnique",
  "findAll",
  "find",
  "findOneBy",
  "findBy",
  "findMany",
  "where",
  "count",
  "exists",
  "findOneOrFail",
  "findByCredentials",
]);
/** SQL that compares a password column with a value: `password = ?`, `password = $2`, `pwd = '${…}'`. */
const SQL_PASSWORD_COMPARE = /\b(?:password|passwd|pwd|pass)\s*=\s*(?:\?|\$\d|:\w|@\w|'\?)/i;
/** A model hook or setter that hashes the password (in any file of the project). */
const HOOK =
  /\.pre\(\s*["'](?:save|validate|updateOne|findOneAndUpdate)["']|before(?:Create|Save|Update|BulkCreate|Validate)|@BeforeInsert|@BeforeUpdate|setDataValue\(\s*["']password/;
const HASHING = /bcrypt|argon2|scrypt|pbkdf2|hashPassword|hashSync|\.hash\(/;
const MENTIONS = /passw|pwd|passphrase|passcode|\bpass\b/i;
/** A call that saves a model or writes a row: `.save(`, `.insertOne(`, `.update(`. */
const SAVE_CALL = /\.(?:save|persist|insert|create|update|upsert|put|add)\w*\(/;

/** Whether a name says it holds a password as typed: `password`, `newPassword`, `user_pwd`; not `passwordHash`. */
function isPasswordName(name: string | null): boolean {
  // Every password word holds "pass" or "pwd": most names are settled without splitting them.
  if (name === null || !WORD_HINT.test(name)) return false;
  const parts = nameParts(name.slice(0, 80));
  return parts.some((w) => PASSWORD_WORDS.has(w)) && !parts.some((w) => NOT_RAW_WORDS.has(w));
}

/** `req.body`, `request.query`, `ctx.request.body`, `event.body`: what the client sent. */
function isRequestData(node: JsNode): boolean {
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type === "CallExpression") {
    const callee = unwrap(n.callee);
    if (callee.type !== "MemberExpression" || !BODY_METHODS.has(propertyName(callee) ?? "")) return false;
    const chain = memberChain(callee.object);
    return chain !== null && chain.root.type === "Identifier" && REQUEST_NAMES.has(chain.root.name) && chain.names.every((x) => x === "req" || x === "request");
  }
  const chain = memberChain(n);
  if (!chain || chain.root.type !== "Identifier" || !REQUEST_NAMES.has(chain.root.name)) return false;
  const names = chain.names[0] === "request" || chain.names[0] === "req" ? chain.names.slice(1) : chain.names;
  return names.length >= 1 && REQUEST_PARTS.has(names[0]!) && names.length <= 2;
}

export default createRule({
  id: "plaintext-password",
  meta: {
    title: "Password stored or compared in plain text",
    description:
      "Finds a password from the request written to the database without a password hash in between, compared with the stored password as text, or used to look the user up by value. The user table then holds readable passwords: one database leak or SQL injection exposes every account (and the other sites where users reuse them). PCI DSS 8.3.2 requires passwords to be unreadable in storage.",
    severity: "high",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-256", "CWE-257", "CWE-916"],
    owasp: ["A02:2021", "A07:2021"],
    pci: ["8.3.2"],
    remediation:
      "Hash the password before it is stored — await argon2.hash(password) (Argon2id) or await bcrypt.hash(password, 12) — and check a login with the library's verify (argon2.verify(user.passwordHash, password) / bcrypt.compare(password, user.passwordHash)) after looking the user up by name only. Re-hash existing rows and force a reset of the passwords that were kept in the clear.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/256.html",
      "https://cwe.mitre.org/data/definitions/257.html",
      "https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver",
    ],
    tags: ["security", "password", "authentication"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    const text = ctx.file.text;
    if (isTestPath(ctx.file.path) || !MENTIONS.test(text)) return {};
    const trail = ctx.shared.trail([]);
    const MODULE = null;
    let program: JsNode | null = null;
    /** Variables that hold the request's password as typed, per declaring function. */
    const raw = new Map<string, JsNode | null>();
    /** Variables that hold the request body (`const body = req.body`). */
    const bodies = new Map<string, JsNode | null>();
    /** Names given a second value in a function (`password = await hash(password)`). */
    const reassigned = new Set<string>();
    /** Keys of `raw` that are parameters named as a password: the typed password in a login helper, perhaps a hash in a repository. */
    const params = new Set<string>();
    /** Variables holding an object literal with the raw password (`const user = { email, password }`). */
    const rawObjects = new Map<string, { at: JsNode; keys: string[] }>();
    const candidates: Array<{ node: JsNode; kind: "store" | "orm" | "compare" | "lookup" | "sql-lookup"; fn: JsNode | null; names: string[] }> = [];

    const currentFn = (): JsNode | null => {
      const i = trail.enclosingFunction();
      return i >= 0 ? trail.nodes[i]! : MODULE;
    };
    const fnKey = (name: string, fn: JsNode | null) => `${fn ? fn.start : -1}:${name}`;
    /** Whether a variable name, seen in the current function, was bound in an enclosing one. */
    const visible = (map: ReadonlyMap<string, unknown>, name: string): string | null => {
      if (map.size === 0) return null; // most files bind none: skip building a key per enclosing function
      for (let i = trail.nodes.length - 1; i >= -1; i--) {
        const fn = i >= 0 ? trail.nodes[i]! : MODULE;
        if (fn && !FUNCTION_TYPES.has(fn.type)) continue;
        const key = fnKey(name, fn);
        if (map.has(key)) return key;
      }
      return null;
    };

    /** The request password an expression is, as written (keys of `raw` it relies on), or null. */
    const rawPassword = (node: JsNode | undefined, depth = 0): string[] | null => {
      if (!node || depth > 4) return null;
      let n = unwrap(node);
      if (n.type === "AwaitExpression") n = unwrap(n.argument);
      if (n.type === "Identifier") {
        const key = visible(raw, n.name);
        return key ? [key] : null;
      }
      if (n.type === "MemberExpression") {
        if (!isPasswordName(propertyName(n))) return null;
        const object = unwrap(n.object);
        if (isRequestData(object)) return [];
        if (object.type === "Identifier") {
          const key = visible(bodies, object.name);
          return key ? [] : null;
        }
        return null;
      }
      if (n.type === "CallExpression") {
        const callee = unwrap(n.callee);
        // `password.trim()`, `String(password)`: still the password as typed.
        if (callee.type === "MemberExpression" && KEEPS_TEXT.has(propertyName(callee) ?? "")) return rawPassword(callee.object, depth + 1);
        if (callee.type === "Identifier" && callee.name === "String") return rawPassword(n.arguments[0], depth + 1);
        return null;
      }
      return null;
    };

    /** The raw password among an object literal's password-named properties, or null. */
    const rawInObject = (node: JsNode | undefined, depth = 0): { at: JsNode; keys: string[] } | null => {
      if (!node || depth > 3) return null;
      const n = unwrap(node);
      if (n.type !== "ObjectExpression") return null;
      for (const p of n.properties) {
        if (p.type !== "Property") continue;
        const key = propertyName(p);
        if (isPasswordName(key)) {
          const r = rawPassword(p.value);
          if (r) return { at: p, keys: r };
        }
        // `{ data: { email, password } }` (Prisma), `{ where: { … } }`.
        const inner = rawInObject(p.value, depth + 1);
        if (inner) return inner;
      }
      return null;
    };

    /** Whether a node is a stored password: `user.password`, `rows[0].password`, `this.password`. */
    const isStoredPassword = (node: JsNode): boolean => {
      const n = unwrap(node);
      if (n.type !== "MemberExpression" || !isPasswordName(propertyName(n))) return false;
      const object = unwrap(n.object);
      if (isRequestData(object)) return false;
      return !(object.type === "Identifier" && visible(bodies, object.name));
    };

    const note = (node: JsNode, kind: (typeof candidates)[number]["kind"], names: string[]) => candidates.push({ node, kind, fn: currentFn(), names });

    const onDeclarator = (node: JsNode) => {
      const init = node.init ? unwrap(node.init) : null;
      if (!init) return;
      const fn = currentFn();
      const id = node.id;
      if (id.type === "Identifier") {
        const found = init.type === "ObjectExpression" ? rawInObject(init) : null;
        if (found) rawObjects.set(fnKey(id.name, fn), found);
        if (isRequestData(init)) bodies.set(fnKey(id.name, fn), node);
        else if (isPasswordName(id.name) || isPasswordName(init.type === "MemberExpression" ? propertyName(init) : null)) {
          if (rawPassword(init)) raw.set(fnKey(id.name, fn), node);
        }
        return;
      }
      if (id.type !== "ObjectPattern") return;
      const source = init.type === "AwaitExpression" ? unwrap(init.argument) : init;
      const fromRequest = isRequestData(source) || (source.type === "Identifier" && visible(bodies, source.name) !== null);
      // `const { body: { password } } = req`
      for (const p of id.properties) {
        if (p.type !== "Property") continue;
        const key = propertyName(p);
        const value = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
        if (fromRequest && value.type === "Identifier" && isPasswordName(key)) raw.set(fnKey(value.name, fn), node);
        else if (
          !fromRequest &&
          key !== null &&
          REQUEST_PARTS.has(key) &&
          source.type === "Identifier" &&
          REQUEST_NAMES.has(source.name) &&
          value.type === "ObjectPattern"
        ) {
          for (const q of value.properties) {
            const inner = q.type === "Property" && q.value.type === "Identifier" ? q.value : null;
            if (inner && isPasswordName(propertyName(q))) raw.set(fnKey(inner.name, fn), node);
          }
        } else if (
          !fromRequest &&
          key !== null &&
          REQUEST_PARTS.has(key) &&
          source.type === "Identifier" &&
          REQUEST_NAMES.has(source.name) &&
          value.type === "Identifier"
        ) {
          bodies.set(fnKey(value.name, fn), node);
        }
      }
    };

    /** `function login(username, password)`: the parameter is the typed password, for comparisons and lookups. */
    const onFunction = (node: JsNode, parent: JsNode | null) => {
      if (comparesParameters(node)) {
        const name = functionName(node, parent);
        if (name !== null) equalityFunctions.add(name);
      }
      for (const p of node.params) {
        const id = p.type === "AssignmentPattern" ? p.left : p;
        if (id.type !== "Identifier" || !isPasswordName(id.name)) continue;
        const key = fnKey(id.name, node);
        raw.set(key, id);
        params.add(key);
      }
    };

    /** Functions of the file that only compare their two parameters (`function comparePassword(a, b) { return a === b; }`). */
    const equalityFunctions = new Set<string>();
    /** Calls of a local function with the typed and the stored password, judged once every function is known. */
    const localComparisons: Array<{ node: JsNode; name: string; keys: string[] }> = [];

    const onCall = (node: JsNode) => {
      const callee = unwrap(node.callee);
      const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
      if (method === null) return;
      if (callee.type === "Identifier" && node.arguments.length === 2) {
        const [a, b] = node.arguments as JsNode[];
        const ra = rawPassword(a);
        const rb = rawPassword(b);
        if ((ra && isStoredPassword(b!)) || (rb && isStoredPassword(a!)))
          localComparisons.push({ node, name: callee.name, keys: [...(ra ?? []), ...(rb ?? [])] });
      }
      if (method === "timingSafeEqual") {
        const [a, b] = node.arguments.map((x: JsNode) => bufferSource(x));
        if (a && b && ((rawPassword(a) && isStoredPassword(b)) || (rawPassword(b) && isStoredPassword(a))))
          note(node, "compare", [...(rawPassword(a) ?? []), ...(rawPassword(b) ?? [])]);
        return;
      }
      if (LOOKUPS.has(method) && callee.type === "MemberExpression") {
        for (const arg of node.arguments) {
          const found = rawInObject(arg);
          if (found) return note(found.at, "lookup", found.keys);
        }
        return;
      }
      const written = writtenValues(node);
      if (written) {
        const sql = sqlText(node.arguments[0]);
        if (sql !== null) {
          const params = node.arguments.slice(1).flatMap((a: JsNode) => (unwrap(a).type === "ArrayExpression" ? unwrap(a).elements : [a]));
          for (const p of params) {
            const r = p ? rawPassword(p) : null;
            if (r) return note(p, "store", r);
          }
          const first = unwrap(node.arguments[0]);
          if (first.type === "TemplateLiteral") {
            for (const e of first.expressions) {
              const r = rawPassword(e);
              if (r) return note(e, "store", r);
            }
          }
          return;
        }
        for (const arg of written) {
          const a = unwrap(arg);
          const key = a.type === "Identifier" ? visible(rawObjects, a.name) : null;
          const found = key !== null ? rawObjects.get(key)! : rawInObject(arg);
          if (found) return note(found.at, "orm", found.keys);
        }
        return;
      }
      // SELECT … WHERE password = ? with the raw value as a parameter.
      const sql = sqlText(node.arguments[0]);
      if (sql !== null && SQL_PASSWORD_COMPARE.test(sql.slice(0, 2000))) {
        const params = node.arguments.slice(1).flatMap((a: JsNode) => (unwrap(a).type === "ArrayExpression" ? unwrap(a).elements : [a]));
        const first = unwrap(node.arguments[0]);
        const values = first.type === "TemplateLiteral" ? [...first.expressions, ...params] : params;
        for (const p of values) {
          const r = p ? rawPassword(p) : null;
          if (r) return note(p, "sql-lookup", r);
        }
      }
    };

    return {
      js: {
        Program(node) {
          program = node;
        },
        FunctionDeclaration: onFunction,
        FunctionExpression: onFunction,
        ArrowFunctionExpression: onFunction,
        VariableDeclarator: onDeclarator,
        AssignmentExpression(node) {
          const left = unwrap(node.left);
          if (left.type === "Identifier") {
            const key = visible(raw, left.name);
            if (key) reassigned.add(key);
            return;
          }
          // `user.password = req.body.password`, saved later in the same function.
          if (node.operator === "=" && left.type === "MemberExpression" && isPasswordName(propertyName(left)) && !isRequestData(unwrap(left.object))) {
            const r = rawPassword(node.right);
            if (r) note(node, "orm", r);
          }
        },
        NewExpression(node) {
          // `new User({ email, password })`, saved later.
          const callee = unwrap(node.callee);
          if (callee.type !== "Identifier" || !/^[A-Z]/.test(callee.name)) return;
          const found = rawInObject(node.arguments[0]);
          if (found) note(found.at, "orm", found.keys);
        },
        BinaryExpression(node) {
          if (node.operator !== "===" && node.operator !== "==" && node.operator !== "!==" && node.operator !== "!=") return;
          const l = rawPassword(node.left);
          const r = rawPassword(node.right);
          if ((l && isStoredPassword(node.right)) || (r && isStoredPassword(node.left))) note(node, "compare", [...(l ?? []), ...(r ?? [])]);
        },
        CallExpression: onCall,
      },
      end() {
        for (const c of localComparisons) if (equalityFunctions.has(c.name)) candidates.push({ node: c.node, kind: "compare", fn: null, names: c.keys });
        if (candidates.length === 0) return;
        let hooked: boolean | null = null;
        const hookInProject = () =>
          (hooked ??= (program ? projectFiles(program, ctx.file) : [ctx.file]).some((f) => HOOK.test(f.text) && HASHING.test(f.text)));
        const reported = new Set<number>();
        /** Whether a function (by start; -1: the module) saves what it built, read once per function. */
        const saves = new Map<number, boolean>();
        const savesIn = (fn: JsNode | null): boolean => {
          const key = fn ? fn.start : -1;
          let known = saves.get(key);
          if (known === undefined)
            saves.set(key, (known = SAVE_CALL.test(fn ? text.slice(fn.start, Math.min(fn.end, fn.start + 20_000)) : text.slice(0, 20_000))));
          return known;
        };
        for (const c of candidates) {
          if (c.names.some((k) => reassigned.has(k)) || reported.has(c.node.start)) continue;
          // A parameter may already be a hash when it is written (a repository called by a service that hashed).
          if ((c.kind === "store" || c.kind === "orm") && c.names.length > 0 && c.names.every((k) => params.has(k))) continue;
          if (c.kind === "orm") {
            // A property set or a model built is stored only when the function saves it.
            if ((c.node.type === "AssignmentExpression" || c.node.type === "Property") && !savesIn(c.fn)) continue;
            if (hookInProject()) continue;
          }
          reported.add(c.node.start);
          ctx.report({
            start: c.node.start,
            end: c.node.end,
            ...(c.kind === "orm" ? { confidence: "medium" as const } : {}),
            message: MESSAGES[c.kind],
            fingerprintKey: c.kind,
          });
        }
      },
    };
  },
});

const MESSAGES = {
  store:
    "The password from the request is written to the database as typed (no password hash in between): anyone who reads the table reads every password. Store argon2.hash(password) or bcrypt.hash(password, 12) instead.",
  orm: "The password from the request is saved on the model as typed, and no model hook that hashes it is in sight: the user table would hold readable passwords. Hash it first (argon2.hash / bcrypt.hash) or in a pre-save hook.",
  compare:
    "The password from the request is compared with the stored password as text, so passwords are kept readable (and the comparison leaks timing). Store a hash and check it with argon2.verify / bcrypt.compare.",
  lookup:
    "The user is looked up by the password as typed, which only works if passwords are stored readable. Look the user up by name, then check a stored hash with argon2.verify / bcrypt.compare.",
  "sql-lookup":
    "The query compares the password column with the password as typed, which only works if passwords are stored readable. Select the user by name, then check a stored hash with argon2.verify / bcrypt.compare.",
} as const;

/** `Buffer.from(x)` / `Buffer.from(x, "utf8")` / `new TextEncoder().encode(x)` → x; otherwise the node. */
function bufferSource(node: JsNode): JsNode {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return n;
  const callee = unwrap(n.callee);
  const name = callee.type === "MemberExpression" ? propertyName(callee) : null;
  return (name === "from" || name === "encode") && n.arguments[0] ? unwrap(n.arguments[0]) : n;
}

/** The SQL text of a query's first argument: a string literal or a template literal's text. */
function sqlText(node: JsNode | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "TemplateLiteral") return n.quasis.map((q: JsNode) => q.value.cooked ?? "").join("?");
  const s = literalString(n);
  return s !== null && /^\s*(?:select|insert|update|replace|delete|with)\b/i.test(s) ? s : null;
}

/** Whether a function's body is `return a === b` (or `==`) of its first two parameters. */
function comparesParameters(fn: JsNode): boolean {
  const [a, b] = fn.params.map((p: JsNode) => (p.type === "Identifier" ? p.name : null));
  if (!a || !b) return false;
  const body = fn.body.type === "BlockStatement" ? fn.body.body : null;
  const value = body ? (body[0]?.type === "ReturnStatement" ? body[0].argument : null) : fn.body;
  const e = value ? unwrap(value) : null;
  if (!e || e.type !== "BinaryExpression" || (e.operator !== "===" && e.operator !== "==")) return false;
  const l = unwrap(e.left);
  const r = unwrap(e.right);
  return l.type === "Identifier" && r.type === "Identifier" && ((l.name === a && r.name === b) || (l.name === b && r.name === a));
}
