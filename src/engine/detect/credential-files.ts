/**
 * Passwords known by where they stand rather than by how they look: the password field of the
 * credential files database, FTP, mail, web-server and container tools write (`.pgpass`,
 * `.netrc`, `.msmtprc`, `.fetchmailrc`, Docker's `config.json`, `.npmrc`'s `_auth`, FileZilla's
 * site manager, SQL Developer's `connections.xml`, `.htpasswd`, the base64 `data:` of a
 * Kubernetes Secret) and the password arguments of command lines kept in scripts, CI steps and
 * shell history (`mysql -p…`, `sshpass -p`, `curl -u user:pass`, `docker login -p`,
 * `PGPASSWORD=… psql`, `ConvertTo-SecureString … -AsPlainText`). The secret-assignment detector (secrets.ts) needs a
 * secret-named key; these formats have none, so each is read by its own small grammar, gated on
 * the file name or on a command word. Line by line, each line bounded, under the detector's
 * candidate budget.
 */
import { holdsPassword as isPlacedPassword, judgeSecretValue, secretNameKind, type SecretKind } from "./secret-values";
import { decodeBase64 } from "./base64";
import type { Detected, Span, TextBounds } from "./secrets";

/** What findPlacedSecrets found, and the starts of values it judged not to be secrets (no other detector should judge them again). */
export interface PlacedSecrets extends Detected<PlacedSecret> {
  judged: number[];
}

/** A password found by its place in a credential file or on a command line. */
export interface PlacedSecret extends Span {
  /** Completes "Hard-coded password …": "in a .pgpass file", "on a mysql command line". */
  where: string;
  kind: SecretKind;
}

/** Lines longer than this are not read by these grammars (key files and minified text are not credential files). */
const MAX_LINE = 2048;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

interface Line {
  start: number;
  text: string;
}

/** The file's lines that are searchable (not skipped for length), with their offsets. */
function* linesOf(text: string, bounds: TextBounds): Generator<Line> {
  let start = 0;
  let skip = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    while (skip < bounds.skip.length && bounds.skip[skip]!.end <= start) skip++;
    const skipped = skip < bounds.skip.length && bounds.skip[skip]!.start <= start;
    if (!skipped && end - start <= MAX_LINE) yield { start, text: text.slice(start, end).replace(/\r$/, "") };
    if (nl === -1) return;
    start = nl + 1;
  }
}

interface Token extends Span {
  /** The token without its quotes. */
  value: string;
  /** Offset of `value` in the file. */
  valueStart: number;
}

/** Whitespace-separated tokens of a line; a quoted run ('…' or "…") is one token without its quotes. */
function tokens(line: Line): Token[] {
  const out: Token[] = [];
  const t = line.text;
  let i = 0;
  while (i < t.length && out.length < 64) {
    while (i < t.length && (t[i] === " " || t[i] === "\t")) i++;
    if (i >= t.length || t[i] === "#") break;
    const from = i;
    const q = t[i];
    if (q === '"' || q === "'") {
      const close = t.indexOf(q, i + 1);
      const end = close === -1 ? t.length : close + 1;
      out.push({
        start: line.start + from,
        end: line.start + end,
        value: t.slice(from + 1, close === -1 ? t.length : close),
        valueStart: line.start + from + 1,
      });
      i = end;
      continue;
    }
    while (i < t.length && t[i] !== " " && t[i] !== "\t") i++;
    out.push({ start: line.start + from, end: line.start + i, value: t.slice(from, i), valueStart: line.start + from });
  }
  return out;
}

/** A part of a token (after an option such as `-p`), without surrounding quotes, as a file span. */
function partOf(token: Token, skip: number): { value: string; start: number } {
  let value = token.value.slice(skip);
  let start = token.valueStart + skip;
  const q = value[0];
  if ((q === '"' || q === "'") && value.length > 1 && value.endsWith(q)) {
    value = value.slice(1, -1);
    start++;
  }
  return { value, start };
}

// ---------------------------------------------------------------------------------------------
// Credential files, by name

/** `.pgpass`: `hostname:port:database:username:password`, `\:` and `\\` escaped. */
function pgpass(line: Line, out: PlacedSecret[]): void {
  const t = line.text;
  if (t.trimStart().startsWith("#")) return;
  let fields = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "\\") i++;
    else if (t[i] === ":" && ++fields === 4) {
      const value = t.slice(i + 1);
      if (isPlacedPassword(value, false))
        out.push({ start: line.start + i + 1, end: line.start + t.length, where: "in a .pgpass file (PostgreSQL client credentials)", kind: "password" });
      return;
    }
  }
}

// `.netrc` (`machine … login … password …`), `.msmtprc` (`password …`), `.fetchmailrc` (`… password "…"`).
const NETRC_PASSWORD = new Set(["password", "passwd", "pass"]);

function netrcLike(label: string) {
  return (line: Line, out: PlacedSecret[]): void => {
    const ts = tokens(line);
    // msmtp's `passwordeval <command>`: the rest of the line is a command that prints the password.
    if (ts[0]?.value === "passwordeval") return;
    for (let k = 0; k + 1 < ts.length; k++) {
      if (!NETRC_PASSWORD.has(ts[k]!.value)) continue;
      const v = ts[k + 1]!;
      // Anonymous FTP's password is an e-mail address by convention, not a secret.
      if (!/^[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}$/.test(v.value) && isPlacedPassword(v.value, false))
        out.push({ start: v.valueStart, end: v.valueStart + v.value.length, where: `in a ${label} file`, kind: "password" });
      k++;
    }
  };
}

// Docker's `"auth": "<base64 user:password>"` under "auths"; npm's `_auth=<base64 user:password>`.
const BASE64_AUTH = /(?:"auth"\s{0,8}:\s{0,8}"|^_auth\s{0,8}=\s{0,8}"?)([A-Za-z0-9+/]{8,1024}={0,2})/;

function base64Auth(label: string) {
  return (line: Line, out: PlacedSecret[], judged: number[]): void => {
    const m = BASE64_AUTH.exec(line.text);
    if (!m) return;
    const decoded = decodeBase64(m[1]!, { maxBytes: 512 });
    const colon = decoded.indexOf(":");
    const start = line.start + m.index + m[0].length - m[1]!.length;
    if (colon < 1 || !isPlacedPassword(decoded.slice(colon + 1), false)) {
      judged.push(start);
      return;
    }
    out.push({ start, end: start + m[1]!.length, where: `in ${label} (base64 of user:password, not encrypted)`, kind: "password" });
  };
}

// FileZilla's sitemanager.xml / recentservers.xml: `<Pass encoding="base64">…</Pass>` or, from old versions, `<Pass>…</Pass>`.
const FILEZILLA_PASS = /<Pass( encoding="base64")?>([^<]{1,1024})<\/Pass>/;

function filezilla(line: Line, out: PlacedSecret[]): void {
  const m = FILEZILLA_PASS.exec(line.text);
  if (!m) return;
  const raw = m[2]!;
  const value = m[1] ? decodeBase64(raw, { maxBytes: 512 }) : raw;
  if (!isPlacedPassword(value, false)) return;
  const start = line.start + m.index + m[0].length - "</Pass>".length - raw.length;
  out.push({ start, end: start + raw.length, where: `in a FileZilla site file${m[1] ? " (base64, not encrypted)" : ""}`, kind: "password" });
}

type LineReader = (line: Line, out: PlacedSecret[], judged: number[]) => void;

// Oracle SQL Developer's connections.xml: `<StringRefAddr addrType="password"><Contents>…</Contents>`,
// encrypted with a key kept beside it (a static key, or the install's db.system.id): recoverable.
const SQLDEVELOPER_PASSWORD = /addrType="password">\s{0,8}<Contents>([^<]{8,1024})<\/Contents>/;

function sqlDeveloper(line: Line, out: PlacedSecret[]): void {
  const m = SQLDEVELOPER_PASSWORD.exec(line.text);
  if (!m || !isPlacedPassword(m[1]!, false)) return;
  const start = line.start + m.index + m[0].length - "</Contents>".length - m[1]!.length;
  out.push({
    start,
    end: start + m[1]!.length,
    where: "in an Oracle SQL Developer connections.xml (encrypted with a key stored beside it, so recoverable)",
    kind: "password",
  });
}

// Apache `.htpasswd`: `user:hash`. bcrypt and SHA-crypt lines hold hashes that resist cracking; these do not.
const HTPASSWD_WEAK: ReadonlyArray<[RegExp, string]> = [
  [/^\{SHA\}[A-Za-z0-9+/]{27}=$/, "an unsalted SHA-1 hash"],
  [/^\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}$/, "an APR1-MD5 hash"],
  [/^[./0-9A-Za-z]{13}$/, "a DES crypt hash (8 characters at most)"],
];
const HTPASSWD_STRONG = /^\$(?:2[aby]?|5|6)\$/;

function htpasswd(line: Line, out: PlacedSecret[]): void {
  const t = line.text;
  const colon = t.indexOf(":");
  if (colon < 1 || t.startsWith("#")) return;
  const value = t.slice(colon + 1).trim();
  const start = line.start + colon + 1;
  if (value === "" || HTPASSWD_STRONG.test(value)) return;
  const weak = HTPASSWD_WEAK.find(([re]) => re.test(value));
  if (weak) out.push({ start, end: start + value.length, where: `in a .htpasswd file as ${weak[1]}, which is cracked in minutes`, kind: "password" });
  else if (isPlacedPassword(value, false)) out.push({ start, end: start + value.length, where: "in a .htpasswd file, in plain text", kind: "password" });
}

// A Kubernetes Secret's `data:` entries: `  key: <base64>`. base64 is an encoding, not encryption.
const K8S_SECRET = /^kind:[ \t]*Secret[ \t]*$/m;
const K8S_DATA_ENTRY = /^([ \t]+)([\w.-]{1,253}):[ \t]*(["']?)([A-Za-z0-9+/]{4,4096}={0,2})\3[ \t]*$/;

function kubernetesSecret(): LineReader {
  let dataIndent = -1;
  return (line, out, judged) => {
    const t = line.text;
    const indent = t.length - t.trimStart().length;
    if (t.trim() === "" || t.trimStart().startsWith("#")) return;
    if (dataIndent >= 0 && indent <= dataIndent) dataIndent = -1;
    if (/^[ \t]*data:[ \t]*$/.test(t)) {
      dataIndent = indent;
      return;
    }
    if (dataIndent < 0) return;
    const m = K8S_DATA_ENTRY.exec(t);
    if (!m) return;
    const name = m[2]!;
    const raw = m[4]!;
    const start = line.start + t.indexOf(raw, m[1]!.length + name.length);
    const decoded = decodeBase64(raw, { maxBytes: 4096 });
    const kind = secretNameKind(name);
    const pem = /^-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/.test(decoded);
    const secret =
      pem || (kind === "password" ? isPlacedPassword(decoded, false) : kind === "secret" ? judgeSecretValue(decoded, "secret", true) !== null : false);
    judged.push(start);
    if (secret)
      out.push({
        start,
        end: start + raw.length,
        where: `in a Kubernetes Secret${pem ? " (a private key)" : ""}: base64 is an encoding, not encryption`,
        kind: kind ?? "secret",
      });
  };
}

/** The reader for a credential file's name, or null for every other file. */
function credentialFileReader(path: string, text: string): LineReader | null {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (lower === ".pgpass" || lower === "pgpass.conf") return pgpass;
  if (lower === ".netrc" || lower === "_netrc" || lower === "netrc") return netrcLike(".netrc");
  if (lower === ".msmtprc" || lower === "msmtprc") return netrcLike(".msmtprc");
  if (lower === ".fetchmailrc" || lower === "fetchmailrc") return netrcLike(".fetchmailrc");
  if (lower === ".npmrc") return base64Auth("an .npmrc file");
  if (lower === "config.json" && (path.includes(".docker/") || text.includes('"auths"'))) return base64Auth("a Docker config.json");
  if (lower === "sitemanager.xml" || lower === "recentservers.xml" || lower === "filezilla.xml") return filezilla;
  if (lower === ".htpasswd" || lower === "htpasswd" || lower.endsWith(".htpasswd")) return htpasswd;
  if (lower === "connections.xml" && text.includes('addrType="password"')) return sqlDeveloper;
  if ((lower.endsWith(".yaml") || lower.endsWith(".yml")) && K8S_SECRET.test(text)) return kubernetesSecret();
  return null;
}

// ---------------------------------------------------------------------------------------------
// Command lines

// Command words that take a password as an argument or from an environment prefix (`PGPASSWORD=… psql`).
const COMMAND_WORDS =
  "mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb|mariadb-dump|psql|pg_dump|pg_dumpall|pg_restore|sshpass|curl|docker|podman|ConvertTo-SecureString";
const COMMAND = new RegExp(`(?<![\\w.-])(?:${COMMAND_WORDS})(?![\\w-])`);
const COMMAND_TOKEN = new RegExp(`^(?:${COMMAND_WORDS})$`);
// `NAME=value` before the command: the environment the command runs with.
const ENV_PREFIX = /^([A-Za-z_][A-Za-z0-9_]{0,63})=(.+)$/;

/** The password argument of one command, from the command's token on. */
function commandPassword(command: string, ts: readonly Token[], at: number): { value: string; start: number } | null {
  const rest = ts.slice(at + 1, at + 40);
  switch (command) {
    case "sshpass": {
      const k = rest.findIndex((t) => t.value.startsWith("-p"));
      if (k === -1) return null;
      return rest[k]!.value === "-p" ? (rest[k + 1] ? partOf(rest[k + 1]!, 0) : null) : partOf(rest[k]!, 2);
    }
    case "curl": {
      const k = rest.findIndex((t) => t.value === "-u" || t.value === "--user" || /^-u\S/.test(t.value) || t.value.startsWith("--user="));
      if (k === -1) return null;
      const t = rest[k]!;
      const cred = t.value === "-u" || t.value === "--user" ? (rest[k + 1] ? partOf(rest[k + 1]!, 0) : null) : partOf(t, t.value.startsWith("--user=") ? 7 : 2);
      const colon = cred ? cred.value.indexOf(":") : -1;
      // No colon: curl asks for the password.
      return cred && colon > 0 ? { value: cred.value.slice(colon + 1), start: cred.start + colon + 1 } : null;
    }
    case "docker":
    case "podman": {
      if (rest[0]?.value !== "login") return null;
      const k = rest.findIndex((t) => t.value === "-p" || t.value === "--password" || t.value.startsWith("--password="));
      if (k === -1) return null;
      const t = rest[k]!;
      return t.value.startsWith("--password=") ? partOf(t, 11) : rest[k + 1] ? partOf(rest[k + 1]!, 0) : null;
    }
    case "ConvertTo-SecureString": {
      if (!rest.some((t) => t.value === "-AsPlainText")) return null;
      const t = rest.find((x) => x.start !== x.valueStart) ?? (rest[0]?.value === "-String" ? rest[1] : undefined);
      return t ? partOf(t, 0) : null;
    }
    default: {
      // mysql and friends: `-pSECRET` (attached: a bare `-p` prompts) or `--password=SECRET`.
      const t = rest.find((x) => (x.value.startsWith("-p") && x.value.length > 2) || x.value.startsWith("--password="));
      if (!t) return null;
      return partOf(t, t.value.startsWith("--password=") ? 11 : 2);
    }
  }
}

function commandLine(line: Line, out: PlacedSecret[], docs: boolean, depth = 0): void {
  if (!COMMAND.test(line.text)) return;
  const ts = tokens(line);
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k]!;
    // A command quoted as one argument (`sh 'mysql …'`, `execSync("mysql …")`): read inside it once.
    if (t.start !== t.valueStart && depth === 0 && t.value.includes(" ")) {
      commandLine({ start: t.valueStart, text: t.value }, out, docs, 1);
      continue;
    }
    const command = t.value.slice(t.value.lastIndexOf("/") + 1);
    if (!COMMAND_TOKEN.test(command)) continue;
    const found = commandPassword(command, ts, k);
    if (found && isPlacedPassword(found.value, docs))
      out.push({ start: found.start, end: found.start + found.value.length, where: `on a ${command} command line`, kind: "password" });
    for (let e = 0; e < k; e++) {
      const env = ENV_PREFIX.exec(ts[e]!.value);
      if (!env || secretNameKind(env[1]!) !== "password") continue;
      const value = partOf(ts[e]!, env[1]!.length + 1);
      if (isPlacedPassword(value.value, docs))
        out.push({ start: value.start, end: value.start + value.value.length, where: `in the environment of a ${command} command`, kind: "password" });
    }
  }
}

/**
 * Passwords that only their place marks: the password field of a credential file (by its name)
 * and the password argument of a command line (in any text). `docs`: the file documents (an
 * example, a README), so command-line words are examples.
 *
 * @example
 *   findPlacedSecrets(".pgpass", "db:5432:pay:app:letmein\n", bounds, false).matches[0].where; // "in a .pgpass file …"
 */
export function findPlacedSecrets(path: string, text: string, bounds: TextBounds, docs: boolean): PlacedSecrets {
  const matches: PlacedSecret[] = [];
  const judged: number[] = [];
  const reader = credentialFileReader(path, text);
  if (reader) {
    for (const line of linesOf(text, bounds)) {
      if (matches.length + judged.length >= bounds.maxCandidates) return { matches: matches.slice(0, bounds.maxCandidates), budgetHit: true, judged };
      reader(line, matches, judged);
    }
  }
  // Command lines: only the lines a command word appears on, each once (one regex pass, ~200 MB/s).
  const re = new RegExp(COMMAND.source, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (matches.length + judged.length >= bounds.maxCandidates) return { matches: matches.slice(0, bounds.maxCandidates), budgetHit: true, judged };
    const start = text.lastIndexOf("\n", m.index) + 1;
    const nl = text.indexOf("\n", m.index);
    const end = nl === -1 ? text.length : nl;
    re.lastIndex = end;
    if (end - start > MAX_LINE || bounds.skip.some((s) => s.start <= start && start < s.end)) continue;
    commandLine({ start, text: text.slice(start, end).replace(/\r$/, "") }, matches, docs);
  }
  return { matches, budgetHit: false, judged };
}
