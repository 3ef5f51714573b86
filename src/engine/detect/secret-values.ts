/**
 * Judging names and values for the secret detectors: is this identifier or config key a place
 * where a credential lives, and is this literal a credential, or only a placeholder, an
 * environment look-up, a label, a path or a data value? The JS/TS AST rule and the text
 * detectors in secrets.ts ask the same questions, so the answers live here, in one place.
 *
 * Decisions (documented because each one trades recall for fewer false alarms):
 * - Values with whitespace are never secrets: that drops i18n strings ("Enter your password")
 *   and also pass-phrases such as "keyboard cat" (a known gap).
 * - A password needs 6+ characters and a digit or a symbol other than `_ - .`, or is 6–12
 *   digits; all-letter values ("letmein", "Passwort") are indistinguishable from labels.
 * - Other secrets need 10+ characters, a letter, some randomness (a digit, base64 symbols or
 *   many case changes) and must not read as words ("my-jwt-secret-2024" is treated as a
 *   placeholder-like identifier).
 * - Placeholders: whole-value words such as "changeme", "password", "test", "dummy", and
 *   values containing "your", "example", "replace", "xxxx", "****", "redacted"...
 * - References are not secrets: `$VAR`, `${VAR}`, `{{ … }}`, `<…>`, `process.env.X`, `vault:…`,
 *   `ENC(…)`; nor are password hashes (`$2b$…`, `$argon2id$…`).
 * - A UUID under a secret name is reported (many services issue UUID API keys), at medium
 *   confidence; under an id name ("sessionId", "secretId") it is not.
 */
import type { Confidence } from "../types";

/** What a secret-named place holds: a password (CWE-259) or another secret (CWE-798). */
export type SecretKind = "password" | "secret";

const PASSWORD_PARTS = new Set(["password", "passwords", "passwd", "passphrase", "pwd", "pass", "pw", "passcode"]);

// Single name parts that hold a secret; "auth" only counts as the last part ("basicAuth").
const SECRET_PARTS = new Set([
  "secret",
  "secrets",
  "token",
  "credential",
  "credentials",
  "creds",
  "apikey",
  "authorization",
  "bearer",
  "privatekey",
  "accesskey",
  "secretkey",
  "signingkey",
  "encryptionkey",
  "masterkey",
  "sessionkey",
  "authkey",
]);

// X in "X key" / "X_KEY" that makes the key a secret (api key, private key, signing key...). Not
// "client": a client key is public in Adyen's and others' vocabulary (PEM client keys are caught anyway).
const KEY_QUALIFIERS = new Set([
  "api",
  "private",
  "access",
  "secret",
  "encryption",
  "decryption",
  "signing",
  "sign",
  "master",
  "auth",
  "app",
  "application",
  "license",
  "licence",
  "hmac",
  "jwt",
  "session",
  "account",
  "subscription",
  "crypto",
  "cipher",
  "aes",
  "enc",
  "service",
  "admin",
  "shared",
  "webhook",
  "consumer",
  "storage",
  "server",
  "root",
  "mac",
]);

// A last name part that makes the name describe a secret rather than hold one.
const NON_SECRET_LAST = new Set([
  "name",
  "names",
  "type",
  "types",
  "field",
  "fields",
  "label",
  "labels",
  "id",
  "ids",
  "uuid",
  "length",
  "len",
  "size",
  "count",
  "url",
  "uri",
  "urls",
  "path",
  "paths",
  "file",
  "filename",
  "dir",
  "directory",
  "endpoint",
  "host",
  "port",
  "header",
  "headers",
  "param",
  "params",
  "parameter",
  "policy",
  "policies",
  "expiry",
  "expires",
  "expiration",
  "expire",
  "expired",
  "ttl",
  "timeout",
  "lifetime",
  "age",
  "regex",
  "regexp",
  "pattern",
  "format",
  "hint",
  "placeholder",
  "message",
  "messages",
  "msg",
  "text",
  "title",
  "error",
  "errors",
  "prompt",
  "description",
  "desc",
  "version",
  "algorithm",
  "alg",
  "algo",
  "method",
  "mode",
  "strategy",
  "provider",
  "prefix",
  "suffix",
  "query",
  "selector",
  "class",
  "classname",
  "style",
  "attribute",
  "attr",
  "column",
  "col",
  "table",
  "env",
  "var",
  "variable",
  "ref",
  "arn",
  "location",
  "store",
  "storage",
  "cache",
  "enabled",
  "enable",
  "disabled",
  "required",
  "rules",
  "rule",
  "strength",
  "min",
  "max",
  "visible",
  "visibility",
  "input",
  "template",
  "hash",
  "hashed",
  "digest",
  "checksum",
  "integrity",
  "fingerprint",
  "salt",
  "rounds",
  "iterations",
  "cost",
  "attempts",
  "retries",
  "days",
  "hours",
  "minutes",
  "seconds",
  "ms",
  "at",
  "on",
  "by",
  "date",
  "time",
  "timestamp",
  "status",
  "state",
  "limit",
  "index",
  "hidden",
  "mask",
  "masked",
  "changed",
  "updated",
  "created",
  "icon",
  "color",
  "component",
  "route",
  "page",
  "view",
  "screen",
  "form",
  "button",
  "btn",
  "link",
  "tooltip",
  "event",
  "events",
  "action",
  "handler",
  "callback",
  "schema",
  "validator",
  "generator",
  "source",
  "src",
  "kind",
  "scope",
  "scopes",
  "audience",
  "issuer",
  "purpose",
  "usage",
  "encoding",
  "charset",
  "sha",
  "md5",
  "preview",
  "last4",
  "keys",
  "mapping",
  "map",
  "list",
  "options",
  "config",
  "settings",
  "manager",
  "service",
  "client",
  "factory",
  "module",
  "counter",
]);

// A name part anywhere that makes the name non-secret (public keys, pagination and CSRF tokens...).
const NON_SECRET_ANY = new Set([
  "public",
  "publishable",
  "pub",
  "csrf",
  "xsrf",
  "cancel",
  "cancellation",
  "next",
  "prev",
  "previous",
  "cursor",
  "continuation",
  "sync",
  "device",
  "push",
  "example",
  "sample",
  "dummy",
  "fake",
  "mock",
  "placeholder",
  "i18n",
  "show",
  "hide",
  "toggle",
  "has",
  "is",
  "should",
  "lexer",
  "parser",
  "tokenizer",
  "syntax",
  "highlight",
  "forgot",
]);

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Splits "DB_PASSWORD", "clientSecret", "x-api-key", "spring.datasource.password", "HTMLParser"
 * into lowercase parts: at every character that is not an ASCII letter or digit, before an
 * upper-case letter that follows a lower-case letter or digit, and before the last capital of a
 * run that a lower-case letter follows. One pass over the characters: rules ask this of every
 * name in a file.
 */
export function nameParts(name: string): string[] {
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0;
    const upper = isUpper(c);
    if (!upper && !isLowerOrDigit(c)) {
      if (start >= 0) parts.push(name.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (upper) {
      const prev = name.charCodeAt(i - 1);
      const next = i + 1 < name.length ? name.charCodeAt(i + 1) : 0;
      if (isLowerOrDigit(prev) || (isUpper(prev) && next >= 97 && next <= 122)) {
        parts.push(name.slice(start, i).toLowerCase());
        start = i;
      }
    }
  }
  return parts;
}

/** Letters every secret name below contains: most names have none, and skip the split into parts. */
const SECRET_NAME_HINT = /pass|pw|secret|token|cred|auth|bearer|key/i;

/**
 * Whether a variable, property or config key names a password or another secret, or null.
 *
 * @example
 *   secretNameKind("DB_PASSWORD");   // "password"
 *   secretNameKind("clientSecret");  // "secret"
 *   secretNameKind("passwordField"); // null (a label, not a value)
 *   secretNameKind("tokenType");     // null
 */
export function secretNameKind(name: string): SecretKind | null {
  if (name.length > 100 || !SECRET_NAME_HINT.test(name)) return null;
  const parts = nameParts(name);
  if (parts.length === 0 || parts.length > 8) return null;
  if (NON_SECRET_LAST.has(parts[parts.length - 1]!)) return null;
  if (parts.some((p) => NON_SECRET_ANY.has(p))) return null;
  if (parts.some((p) => PASSWORD_PARTS.has(p) || p.includes("password") || p.includes("passwd"))) return "password";
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (SECRET_PARTS.has(p) || p.endsWith("secret") || p.endsWith("token") || p.includes("apikey")) return "secret";
    if (p === "key" && i > 0 && KEY_QUALIFIERS.has(parts[i - 1]!)) return "secret";
    if (p === "auth" && i === parts.length - 1) return "secret";
  }
  return null;
}

// Whole values (lowercase, letters and digits only) that stand in for a secret.
const PLACEHOLDER_WORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "secrets",
  "token",
  "apikey",
  "key",
  "test",
  "testing",
  "tests",
  "none",
  "null",
  "nil",
  "undefined",
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "default",
  "string",
  "number",
  "boolean",
  "object",
  "text",
  "value",
  "empty",
  "blank",
  "required",
  "optional",
  "hidden",
  "masked",
  "user",
  "username",
  "changeme",
  "changeit",
  "sample",
  "example",
  "demo",
  "dummy",
  "fake",
  "mock",
  "foo",
  "bar",
  "baz",
  "foobar",
  "secretkey",
  "mysecret",
  "mypassword",
  "yourpassword",
  "notsecret",
  "tbd",
  "todo",
  "na",
]);

// Substrings (lowercase) that mark a value as a placeholder wherever they appear.
const PLACEHOLDER_PARTS = [
  "changeme",
  "change_me",
  "change-me",
  "changethis",
  "replace",
  "your",
  "example",
  "placeholder",
  "dummy",
  "redacted",
  "xxxx",
  "****",
  "...",
  "fixme",
  "todo",
  "insert",
  "notreal",
  "not_real",
  "not-real",
  "notasecret",
  "not_a_secret",
  "not-a-secret",
  "fake",
  "sample",
  "mock",
  "goes_here",
  "goeshere",
  "required",
  "•",
];

// References to a secret kept elsewhere: env, templates, secret managers, encrypted values.
const REFERENCE =
  /^(?:\$\{?[A-Za-z_]\w*\}?$|[%{<[@:?*]|![A-Za-z]+(?:\s|$)|(?:process\.env|import\.meta\.env|os\.environ|getenv|System\.getenv|env|ENV)\b|ENC[([]|(?:vault|ssm|secretsmanager|arn|op|sm|kms|awskms|gcpkms|azurekeyvault|keyvault|secret|secrets|projects)[:/])|\$\{|\{\{|#\{|\$\(|%\(/i;

/** True for empty values, stand-ins ("changeme", "<token>", "xxxx", "your-api-key-here") and repeated characters. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower.replace(/[^a-z0-9]/g, ""))) return true;
  for (const p of PLACEHOLDER_PARTS) if (lower.includes(p)) return true;
  const distinct = distinctChars(v);
  return distinct === 1 || (v.length >= 8 && distinct < 4);
}

// Passwords services ship with or people type when asked for one ("password", "admin", "changeme"):
// stand-ins in documentation, real (weak) credentials in the configuration of a running environment.
const DEFAULT_PASSWORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "changeme",
  "changeit",
  "admin",
  "root",
  "toor",
  "guest",
  "user",
  "username",
  "test",
  "testing",
  "default",
  "mypassword",
  "mysecret",
  "secretkey",
  "forge",
  "homestead",
]);

// Values a password place holds that are no password: labels of a form or a schema, ways of storing or
// asking for one. Types and flags ("string", "required") are placeholder words, which isPlaceholderValue drops.
const NOT_A_PASSWORD = new Set([
  "input",
  "field",
  "label",
  "type",
  "encrypted",
  "sensitive",
  "prompt",
  "ask",
  "env",
  "file",
  "keyring",
  "vault",
  "inherit",
  "auto",
  "enabled",
  "disabled",
  "allowed",
  "denied",
  "never",
  "always",
  "plain",
  "plaintext",
  "bcrypt",
  "argon",
  "scrypt",
  "pbkdf",
  "local",
  "ldap",
  "oauth",
  "basic",
  "digest",
  "internal",
  "external",
  "manual",
  "generated",
  "random",
  "unset",
  "redacted",
  "omitted",
  "removed",
]);

/**
 * The name's last part is the password itself (`DB_PASSWORD`, `smtp_pass`, `userPassword`), not
 * a setting about passwords (`password_reset`, `passwordHashing`): only such a place makes a
 * dictionary word a password.
 */
export function namesPasswordItself(name: string): boolean {
  const parts = nameParts(name);
  const last = parts[parts.length - 1] ?? "";
  return PASSWORD_PARTS.has(last) || last.includes("password") || last.includes("passwd");
}

/**
 * Where a password-named value is written: `docs` (an `.example`/`.sample`/`.template` file, a
 * README, a locale file: placeholders and labels are expected), `config` (a committed settings
 * file), `deployed` (the settings of a named real environment, a credential file, a Kubernetes
 * Secret: even "changeme" there is the password in use).
 */
export type PasswordPlace = "docs" | "config" | "deployed";

const DOCS_PATH =
  /(?:^|\/)(?:docs?|documentation|examples?|samples?|templates?|locales?|i18n|l10n|lang|langs|translations?)\/|(?:^|[/._-])(?:example|sample|template|dist|tmpl|defaults)(?:\.[\w]+)?$|(?:^|\/)readme[^/]*$|\.(?:md|rst|adoc|txt|po|pot|html?)$|(?:^|\/)[a-z]{2}(?:[-_][A-Za-z]{2})?\.(?:json|ya?ml|properties)$|(?:^|\/)messages[^/]*\.properties$/i;
const DEPLOYED_PATH =
  /(?:^|\/)\.env\.(?:prod|production|staging|stage|live|uat)$|(?:^|[/._-])(?:prod|production|staging|live)(?:[._-][\w-]+)?\.(?:ya?ml|json|properties|ini|conf|cfg|toml|env|tfvars|php|py|rb|xml)$|\.tfvars$/i;

/** How a file's path places the password-named values written in it. */
export function passwordPlaceOf(path: string): PasswordPlace {
  if (DOCS_PATH.test(path)) return "docs";
  return DEPLOYED_PATH.test(path) ? "deployed" : "config";
}

// Digests and password hashes: a column or key that holds one does not hold the password itself.
const PASSWORD_HASH =
  /^(?:\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|apr1|[156y]|7|sha1|md5)\$|(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2|sha1|md5|scrypt)\$|\{(?:SHA|SSHA|SHA256|SSHA256|SHA512|SSHA512|MD5|SMD5|CRYPT|BCRYPT|PBKDF2[\w-]*)\}|md5[0-9a-f]{32}$|SCRAM-SHA-256\$|\*[0-9A-F]{40}$|(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$|(?:[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64}|[0-9A-F]{128})$)/;

/** True for password hashes and digests (`$2b$…`, `$argon2id$…`, `pbkdf2_sha256$…`, `{SSHA}…`, a 32–128-digit hex digest). */
export function isPasswordHash(value: string): boolean {
  return PASSWORD_HASH.test(value);
}

/**
 * A value in a place that only ever holds a password (`DB_PASSWORD=` in a settings file, the
 * password field of `.pgpass`, the password column of an INSERT): the place says it is a secret,
 * so dictionary words ("letmein", "postgres") count too, at medium confidence. Still not secrets:
 * references and templates, documentation placeholders ("<password>", "your-password", "xxxx"),
 * types and flags ("string", "required"), hashes, and — outside a deployed environment — the
 * default words ("password", "changeme", "admin") an example file leaves to be replaced.
 *
 * @example
 *   judgePlacedPassword("letmein", "config");  // { offset: 0, length: 7, confidence: "medium" }
 *   judgePlacedPassword("changeme", "config"); // null
 *   judgePlacedPassword("changeme", "deployed"); // { …, confidence: "medium" }
 */
export function judgePlacedPassword(value: string, place: PasswordPlace): SecretValueVerdict | null {
  const general = judgeSecretValue(value, "password");
  if (general || place === "docs") return general;
  const v = value.trim();
  if (v.length < 4 || v.length > 64 || v !== value || isSecretReference(v) || isPasswordHash(v)) return null;
  const lower = v.toLowerCase();
  if (NOT_A_PASSWORD.has(lower)) return null;
  // All-lowercase words only: a capitalised word in a password place is usually a label ("Passwort").
  if (!/^[a-z]+$/.test(v)) return null;
  const found: SecretValueVerdict = { offset: 0, length: v.length, confidence: "medium" };
  if (DEFAULT_PASSWORDS.has(lower)) return place === "deployed" ? found : null;
  return isPlaceholderValue(v) ? null : found;
}

/**
 * A value in a place that holds nothing but a password (the password field of `.pgpass`, a
 * `-p…` argument, the password column of an INSERT): anything except a reference, a
 * documentation placeholder, a flag or a hash ("<password>", "$DB_PASSWORD", "xxxx",
 * "required", "$2b$…"). In documentation (`docs`), only values that look like passwords count.
 */
export function holdsPassword(value: string, docs: boolean): boolean {
  if (docs) return judgeSecretValue(value, "password") !== null;
  if (isPasswordHash(value)) return false;
  return judgePlacedPassword(value, "deployed") !== null || judgeSecretValue(value, "password", true) !== null;
}

/** True for values that point at a secret instead of holding it: `${DB_PASSWORD}`, `process.env.X`, `vault:…`, `ENC(…)`. */
export function isSecretReference(value: string): boolean {
  return REFERENCE.test(value.trim());
}

function distinctChars(v: string): number {
  return new Set(v).size;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// URLs, file paths, e-mail addresses, key file names: where a secret is, not what it is.
function looksLikeLocator(v: string): boolean {
  if (v.includes("://")) return true;
  if (/^(?:\.{0,2}\/|~\/|\\\\|[A-Za-z]:[\\/])/.test(v)) return true;
  if (/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(v)) return true;
  if (/\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|json|ya?ml|txt|env|pub|ppk|asc|gpg)$/i.test(v)) return true;
  return v.includes("/") && shannonEntropy(v) < 4;
}

// Dates, versions, digests with an algorithm prefix, password hashes ($2b$…, $argon2id$…), colours,
// MIME types, SQL types, validation rules, regexes.
const DATA_VALUE =
  /^(?:\d{4}-\d{2}-\d{2}|\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|[156y])\$|v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$|(?:sha(?:1|224|256|384|512)|md5)[-:]|#[0-9a-f]{3,8}$|[a-z]+\/[a-z0-9.+-]+$|(?:var)?char\(\d+\)$|[a-z_]+(?::[^|]*)?(?:\|[a-z_]+(?::[^|]*)?)+$|\^.*\$$)/i;

// A call or an index on an identifier chain (`getPassword()`, `args[0]`): code, not a value.
const CODE_LIKE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[([]/;

// camelCase / PascalCase humps ("makeReverseMap", "XMLHttpRequest"): letters that read as words.
const HUMPS = /^[A-Z]{0,3}[a-z]{2,}(?:[A-Z]{1,3}[a-z]{2,})*[A-Z]{0,3}$/;

/**
 * A run of 16+ letters that changes case at most positions and is not camelCase words:
 * random-looking mixed case ("xKpQzRmWvLbNtYhS"), unlike "endOfFileToken".
 */
function hasRandomLetters(v: string): boolean {
  return v.split(/[^A-Za-z]+/).some((run) => run.length >= 16 && !HUMPS.test(run) && caseChanges(run) >= 0.6 * (run.length - 1));
}

function caseChanges(run: string): number {
  let n = 0;
  for (let i = 1; i < run.length; i++) if (run[i - 1]! < "a" !== run[i]! < "a") n++;
  return n;
}

// Words joined by separators, each letters with at most a short number ("my-jwt-secret-2024",
// "MINIFLARE_R2_S3_CREDENTIALS", an environment variable's name), or one word plus a short number.
function readsAsWords(v: string): boolean {
  const word = /^([A-Za-z]+)\d{0,4}$/.exec(v);
  if (word) return !hasRandomLetters(word[1]!);
  if (!/^[A-Za-z0-9]+(?:[_.:-][A-Za-z0-9]+)+$/.test(v)) return false;
  return v.split(/[_.:-]/).every((s) => /^(?:(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)\d{0,3}|\d+)$/.test(s));
}

/** Where the secret sits inside a literal, and how sure the judgement is. */
export interface SecretValueVerdict {
  /** Offset of the secret inside the value (after an auth scheme such as "Bearer "). */
  offset: number;
  length: number;
  confidence: Confidence;
}

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|bearer|basic|token)[ \t]+(?=\S+$)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a literal found in a secret-named place is a real secret, or null. `contextual`
 * means the place alone proves the value is a credential (a password in `CREATE USER …
 * IDENTIFIED BY '…'`, the password of a connection URI): only placeholders and references
 * are ruled out then.
 *
 * @example
 *   judgeSecretValue("Summer2024!", "password");   // { offset: 0, length: 11, confidence: "high" }
 *   judgeSecretValue("${DB_PASSWORD}", "password"); // null
 *   judgeSecretValue("Bearer 9f8e7d6c5b4a39281706", "secret"); // { offset: 7, ... }
 */
export function judgeSecretValue(value: string, kind: SecretKind, contextual = false): SecretValueVerdict | null {
  const scheme = kind === "secret" ? AUTH_SCHEME.exec(value) : null;
  const offset = scheme ? scheme[0].length : 0;
  const v = value.slice(offset);
  if (v.length === 0 || v.length > 1024 || /\s/.test(v)) return null;
  if (isSecretReference(v) || isPlaceholderValue(v)) return null;
  const found = (confidence: Confidence): SecretValueVerdict => ({ offset, length: v.length, confidence });
  if (contextual) return found("high");
  if (looksLikeLocator(v) || DATA_VALUE.test(v) || CODE_LIKE.test(v)) return null;
  const digit = /[0-9]/.test(v);
  const letter = /[A-Za-z]/.test(v);
  const symbol = /[^A-Za-z0-9_.-]/.test(v);
  if (kind === "password") {
    if (v.length < 6 || v.length > 128) return null;
    if (!letter && !symbol) return v.length <= 12 ? found("medium") : null;
    if (!digit && !symbol) return null;
    const classes = Number(/[a-z]/.test(v)) + Number(/[A-Z]/.test(v)) + Number(digit) + Number(symbol);
    return found(classes >= 3 || v.length >= 10 ? "high" : "medium");
  }
  if (v.length < 10 || !letter || /[(){}[\];,]/.test(v)) return null;
  if (/0123456789|123456789|abcdefgh/i.test(v)) return null;
  const entropy = shannonEntropy(v);
  if (entropy < 3) return null;
  if (UUID.test(v)) return found("medium");
  if (readsAsWords(v)) return null;
  if (!digit && !/[+/=]/.test(v) && !hasRandomLetters(v)) return null;
  return found(v.length >= 20 && entropy >= 3.5 ? "high" : "medium");
}
