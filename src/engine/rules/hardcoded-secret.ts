/**
 * Passwords and other secrets written as literals where code or configuration keeps
 * credentials: `const dbPassword = "…"`, `{ clientSecret: "…" }`, `DB_PASSWORD=…`,
 * `password: …` in YAML, `CREATE USER … IDENTIFIED BY '…'`. The generic counterpart of
 * hardcoded-api-key: the name says "secret", the value must look like one (not a placeholder,
 * an environment look-up, a label, a path or a word). PCI DSS 8.6.2.
 *
 * JS/TS is read through the AST (declarations, properties, assignments, class fields, default
 * parameters, enum members, JSX attributes, comparisons, header setters, jwt.sign/verify),
 * so only real string values count; other files, and code that does not parse, are read as
 * text. Secrets in test, fixture and example files are reported as low.
 */
import { findPlacedSecrets } from "../detect/credential-files";
import {
  claimedBySpecificDetector,
  findSecretAssignments,
  findSqlPasswords,
  noteSecretScanLimits,
  secretScanBounds,
  type PlacedPasswords,
} from "../detect/secrets";
import {
  holdsPassword,
  judgePlacedPassword,
  judgeSecretValue,
  namesPasswordItself,
  passwordPlaceOf,
  secretNameKind,
  type SecretKind,
} from "../detect/secret-values";
import { statementTokens, writtenLiterals } from "../parse/sql-tokens";
import type { JsNode } from "../parse/js";
import { createRule } from "../rule";
import type { Confidence } from "../types";

const TEST_PATH =
  /(?:^|\/)(?:tests?|__tests__|specs?|fixtures?|__fixtures__|__mocks__|mocks?|examples?|samples?|e2e|cypress|playwright)\/|\.(?:test|spec|stories|e2e)\.[cm]?[jt]sx?$|\.(?:example|sample|template|dist|tmpl)$/i;

// Program text, where an unquoted word is a variable, not a value (PHP, Python, Ruby, JVM and .NET languages, Terraform, Groovy).
const PROGRAM_TEXT =
  /\.(?:php\d?|phtml|inc|py|pyw|rb|rake|erb|java|kt|kts|scala|groovy|gradle|cs|vb|fs|go|rs|swift|dart|pl|pm|lua|ex|exs|tf|hcl|c|cc|cpp|h|hpp|m|ps1|psm1)$|(?:^|\/)(?:Jenkinsfile|Rakefile|Gemfile|Vagrantfile|Fastfile)$/i;

// Calls that open a connection or log in: a password-named option passed to one is the password itself.
const CONNECT_CALLS =
  /^(?:connect|createConnection|createClient|createPool|createTransport|access|login|authenticate|auth|Client|Pool|Connection|ConnectionPool|Sequelize|DataSource)$/;

const HEADER_SETTERS = new Set(["set", "append", "setHeader", "header", "setRequestHeader"]);

/** Where a literal sits: assigned to a name, compared with one, sent as a header, or passed to jwt.sign/verify. */
type Placement = "assigned" | "compared" | "header" | "jwt";

interface StringValue {
  value: string;
  /** The literal's contents in the file (inside its quotes). */
  start: number;
  end: number;
  /** The contents are the value character for character (no escapes), so offsets inside it are exact. */
  exact: boolean;
}

/** Node types stringValues() reads strings from. */
const STRING_HOLDERS = new Set([
  "Literal",
  "TemplateLiteral",
  "LogicalExpression",
  "ConditionalExpression",
  "JSXExpressionContainer",
  "TSAsExpression",
  "TSSatisfiesExpression",
  "TSNonNullExpression",
  "TSTypeAssertion",
]);

/** The string literals a value can evaluate to: the literal, `x || "…"`, `c ? "…" : "…"`, `"…" as T`, `{"…"}` in JSX. */
function stringValues(node: JsNode | null | undefined, out: StringValue[] = [], depth = 0): StringValue[] {
  if (!node || depth > 4) return out;
  switch (node.type) {
    case "Literal":
      if (typeof node.value === "string") out.push({ value: node.value, start: node.start + 1, end: node.end - 1, exact: !String(node.raw).includes("\\") });
      break;
    case "TemplateLiteral":
      if (node.expressions.length === 0) {
        const q = node.quasis[0];
        out.push({ value: q.value.cooked ?? q.value.raw, start: node.start + 1, end: node.end - 1, exact: !String(q.value.raw).includes("\\") });
      }
      break;
    case "LogicalExpression":
      if (node.operator === "||" || node.operator === "??") stringValues(node.right, out, depth + 1);
      break;
    case "ConditionalExpression":
      stringValues(node.consequent, out, depth + 1);
      stringValues(node.alternate, out, depth + 1);
      break;
    case "JSXExpressionContainer":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
      stringValues(node.expression, out, depth + 1);
      break;
  }
  return out;
}

/** The name a node gives to what it holds: `password`, `config.password`, `cfg["api_key"]`, `#secret`. */
function nameOf(node: JsNode | null | undefined): string | null {
  if (!node) return null;
  switch (node.type) {
    case "Identifier":
    case "PrivateIdentifier":
    case "JSXIdentifier":
      return node.name;
    case "Literal":
      return typeof node.value === "string" ? node.value : null;
    case "MemberExpression":
      return node.computed ? (node.property.type === "Literal" ? nameOf(node.property) : null) : nameOf(node.property);
    default:
      return null;
  }
}

function keyName(node: JsNode): string | null {
  return node.computed ? (node.key.type === "Literal" ? nameOf(node.key) : null) : nameOf(node.key);
}

function shownName(name: string): string {
  return /^[\w.$:-]{1,60}$/.test(name) ? `"${name}"` : "a secret-named key";
}

export default createRule({
  id: "hardcoded-secret",
  meta: {
    title: "Hard-coded password or secret",
    description:
      "A literal password, token, API key or other secret is assigned to a secret-named variable, property or configuration key (or compared with one). Anyone with read access to the repository can use it; PCI DSS 8.6.2 forbids hard-coded passwords for application and system accounts.",
    severity: "high",
    confidence: "medium",
    category: "secrets",
    cwe: ["CWE-798", "CWE-259"],
    owasp: ["A07:2021"],
    pci: ["8.6.2"],
    remediation:
      "Change the password or rotate the secret, remove it from the repository history, and read it at run time from a secret store or environment variable (a Workers secret, `process.env`, a secret manager). For tests, generate throwaway values or load them from an untracked file.",
    references: [
      "https://cwe.mitre.org/data/definitions/798.html",
      "https://cwe.mitre.org/data/definitions/259.html",
      "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    ],
    tags: ["security", "secret"],
    languages: ["javascript", "typescript", "sql", "text"],
  },
  create(ctx) {
    const isCode = ctx.file.language === "javascript" || ctx.file.language === "typescript";
    const inTests = TEST_PATH.test(ctx.file.path);
    const { bounds, longLines } = secretScanBounds(ctx.file, ctx.limits);
    const reported = new Set<number>();
    const kinds = new Map<string, SecretKind | null>();
    let parsed = false;
    let candidates = 0;
    let astBudgetHit = false;
    let textBudgetHit = false;

    const report = (start: number, end: number, kind: SecretKind, confidence: Confidence, message: string, key: string) => {
      if (reported.has(start)) return;
      reported.add(start);
      ctx.redact({ start, end, kind: "secret" });
      ctx.report({
        start,
        end,
        message: inTests ? `${message.slice(0, -1)} (test or example code).` : message,
        severity: inTests ? "low" : undefined,
        confidence: inTests ? "low" : confidence,
        tags: [...(kind === "password" ? ["password"] : []), ...(inTests ? ["test-code"] : [])],
        fingerprintKey: key,
      });
    };

    const describe = (name: string, kind: SecretKind, how: Placement): string => {
      switch (how) {
        case "compared":
          return `${shownName(name)} is compared with a hard-coded ${kind}.`;
        case "header":
          return `Hard-coded ${kind} in the ${shownName(name)} header.`;
        case "jwt":
          return "Hard-coded JWT signing secret passed to sign/verify.";
        default:
          return `Hard-coded ${kind} assigned to ${shownName(name)}.`;
      }
    };

    const check = (name: string | null, value: JsNode | null | undefined, how: Placement = "assigned") => {
      // The value first: most values are not strings, and a name costs a map look-up.
      if (name === null || !value || !STRING_HOLDERS.has(value.type) || astBudgetHit) return;
      let kind = kinds.get(name);
      if (kind === undefined) {
        kind = secretNameKind(name);
        kinds.set(name, kind);
      }
      if (!kind) return;
      for (const s of stringValues(value)) {
        if (++candidates > ctx.limits.maxDetectorCandidates) {
          astBudgetHit = true;
          return;
        }
        if (claimedBySpecificDetector(s.value)) continue;
        const verdict = judgeSecretValue(s.value, kind);
        if (!verdict) continue;
        const start = s.exact ? s.start + verdict.offset : s.start;
        const end = s.exact ? start + verdict.length : s.end;
        report(start, end, kind, verdict.confidence, describe(name, kind, how), name);
      }
    };

    const place = passwordPlaceOf(ctx.file.path);
    const placed: PlacedPasswords = { place, unquotedWords: !PROGRAM_TEXT.test(ctx.file.path) };

    /**
     * `ssh.connect({ host, password: "letmein" })`, `new Client({ password: "…" })`,
     * `createTransport({ auth: { pass: "…" } })`: the call says the option is a password, so a
     * dictionary word counts (judged by the file's place, like a settings file).
     */
    const connectOptions = (call: JsNode) => {
      const callee = call.callee;
      const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" && !callee.computed ? callee.property.name : null;
      if (!name || !CONNECT_CALLS.test(name)) return;
      const visit = (obj: JsNode, depth: number) => {
        for (const prop of obj.properties as JsNode[]) {
          if (prop.type !== "Property") continue;
          const key = keyName(prop);
          if (prop.value.type === "ObjectExpression" && depth < 2) visit(prop.value, depth + 1);
          if (key === null || secretNameKind(key) !== "password" || !namesPasswordItself(key)) continue;
          for (const v of stringValues(prop.value)) {
            const verdict = judgePlacedPassword(v.value, place);
            if (!verdict || claimedBySpecificDetector(v.value)) continue;
            report(v.start, v.end, "password", verdict.confidence, `Hard-coded password passed as "${key}" to ${name}().`, key);
          }
        }
      };
      for (const arg of call.arguments as JsNode[]) if (arg.type === "ObjectExpression") visit(arg, 0);
    };

    const scanText = (quotedOnly: boolean) => {
      const found = findSecretAssignments(ctx.file.text, bounds, quotedOnly, quotedOnly ? undefined : placed);
      textBudgetHit ||= found.budgetHit;
      for (const a of found.matches) report(a.start, a.end, a.kind, a.confidence, `Hard-coded ${a.kind} assigned to ${shownName(a.name)}.`, a.name);
    };

    return {
      text() {
        const sql = findSqlPasswords(ctx.file.text, bounds);
        textBudgetHit ||= sql.budgetHit;
        for (const p of sql.matches)
          report(p.start, p.end, "password", "high", "Hard-coded password in a SQL CREATE/ALTER USER, ROLE or LOGIN statement.", "sql-account");
        const files = findPlacedSecrets(ctx.file.path, ctx.file.text, bounds, place === "docs");
        textBudgetHit ||= files.budgetHit;
        for (const p of files.matches) report(p.start, p.end, p.kind, "high", `Hard-coded ${p.kind} ${p.where}.`, p.where);
        for (const start of files.judged) reported.add(start);
      },
      sql(statement) {
        if (!/pass|pwd/i.test(statement.text)) return;
        for (const { verb, token, column } of writtenLiterals(statementTokens(statement), (t) => t.kind === "string")) {
          if (!column || secretNameKind(column) !== "password" || !namesPasswordItself(column)) continue;
          // A bare MD5 or SHA-1 digest: unsalted and fast, so the password is as good as written out.
          const digest = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9A-F]{32}|[0-9A-F]{40})$/.test(token.value) ? (token.value.length === 32 ? "MD5" : "SHA-1") : null;
          if (!digest && !holdsPassword(token.value, place === "docs")) continue;
          if (++candidates > ctx.limits.maxDetectorCandidates) {
            textBudgetHit = true;
            return;
          }
          const start = statement.fileOffset(token.innerStart);
          const message = digest
            ? `${verb} writes an unsalted ${digest} digest into column ${shownName(column)}: a password hashed this way is cracked in minutes, and the hash is kept in the repository.`
            : `${verb} writes a plaintext password into column ${shownName(column)}: the account's password is kept in the repository, and the table stores passwords unhashed.`;
          report(start, statement.fileOffset(token.innerEnd), "password", digest ? "medium" : "high", message, digest ? "sql-seed-digest" : "sql-seed");
        }
      },
      js: {
        Program() {
          parsed = true;
        },
        VariableDeclarator(node) {
          check(nameOf(node.id), node.init);
        },
        AssignmentExpression(node) {
          if (node.operator === "=" || node.operator === "||=" || node.operator === "??=") check(nameOf(node.left), node.right);
        },
        Property(node, parent) {
          if (parent?.type === "ObjectExpression") check(keyName(node), node.value);
        },
        PropertyDefinition(node) {
          check(keyName(node), node.value);
        },
        AssignmentPattern(node) {
          check(nameOf(node.left), node.right);
        },
        TSEnumMember(node) {
          check(nameOf(node.id), node.initializer);
        },
        JSXAttribute(node) {
          check(nameOf(node.name), node.value);
        },
        BinaryExpression(node) {
          if (node.operator !== "===" && node.operator !== "==" && node.operator !== "!==" && node.operator !== "!=") return;
          check(nameOf(node.left), node.right, "compared");
          check(nameOf(node.right), node.left, "compared");
        },
        NewExpression(node) {
          connectOptions(node);
        },
        CallExpression(node) {
          connectOptions(node);
          const callee = node.callee;
          if (callee.type !== "MemberExpression" || callee.computed) return;
          const method = callee.property.name;
          const [first, second] = node.arguments as JsNode[];
          // headers.set("Authorization", "Bearer …"), res.setHeader("X-Api-Key", "…")
          if (HEADER_SETTERS.has(method) && first?.type === "Literal" && typeof first.value === "string") check(first.value, second, "header");
          // jwt.sign(payload, "secret"), jwt.verify(token, "secret")
          else if ((method === "sign" || method === "verify") && callee.object.type === "Identifier" && /^(?:jwt|jsonwebtoken|jose)$/i.test(callee.object.name))
            check("jwtSecret", second, "jwt");
        },
      },
      end() {
        // After the SQL statements, whose findings say more (`UPDATE … SET password = '…'` writes a plaintext password).
        if (!isCode) scanText(false);
        else if (!parsed) scanText(true);
        // In code that parsed, the AST covered long lines too; only the SQL password search skipped them.
        noteSecretScanLimits(
          ctx,
          longLines,
          textBudgetHit || astBudgetHit,
          isCode && parsed ? "passwords in SQL account statements" : "hard-coded passwords and secrets",
        );
      },
    };
  },
});
