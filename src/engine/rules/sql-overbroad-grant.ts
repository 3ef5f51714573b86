/**
 * sql-overbroad-grant: privileges far beyond what an application account needs (PCI DSS 7.2.1,
 * 7.2.2: least privilege). Covers GRANT ALL [PRIVILEGES], grants on every database (`ON *.*`)
 * or a whole database or schema, server-administration privileges (MySQL SUPER/FILE/…, T-SQL
 * CONTROL SERVER), membership in superuser-like roles (postgres, rds_superuser, sysadmin,
 * db_owner, pg_write_server_files…), data privileges for PUBLIC, WITH GRANT/ADMIN OPTION, and
 * PostgreSQL role attributes SUPERUSER, BYPASSRLS and CREATEROLE. Works on tokens: MySQL's
 * parser rejects `GRANT ALL PRIVILEGES`, and no dialect parses role attributes.
 */
import { isOp, isWord, statementRanges, statementTokens, type SqlToken } from "../parse/sql-tokens";
import type { SqlStatement } from "../parse/sql-statement";
import { createRule } from "../rule";
import type { Severity } from "../types";

/** Server-administration privileges (MySQL, SQL Server). */
const ADMIN_PRIVILEGES = new Set([
  "SUPER",
  "FILE",
  "PROCESS",
  "SHUTDOWN",
  "RELOAD",
  "CREATE USER",
  "GRANT OPTION",
  "SYSTEM_USER",
  "SYSTEM_VARIABLES_ADMIN",
  "ROLE_ADMIN",
  "CONNECTION_ADMIN",
  "CONTROL SERVER",
  "CONTROL",
  "ALTER ANY LOGIN",
  "IMPERSONATE ANY LOGIN",
  "ALTER ANY DATABASE",
  "TAKE OWNERSHIP",
]);
/** Roles that amount to (near) superuser or owner rights, lower-case. */
const POWERFUL_ROLES: ReadonlyMap<string, Severity> = new Map([
  ["postgres", "high"],
  ["rds_superuser", "high"],
  ["azure_pg_admin", "high"],
  ["cloudsqlsuperuser", "high"],
  ["pg_execute_server_program", "high"],
  ["pg_read_server_files", "high"],
  ["pg_write_server_files", "high"],
  ["sysadmin", "high"],
  ["securityadmin", "high"],
  ["serveradmin", "high"],
  ["pg_write_all_data", "medium"],
  ["pg_read_all_data", "medium"],
  ["db_owner", "medium"],
  ["db_securityadmin", "medium"],
  ["db_accessadmin", "medium"],
  ["roles/owner", "high"],
  ["roles/editor", "high"],
  ["roles/bigquery.admin", "high"],
  ["roles/bigquery.dataowner", "medium"],
]);
const ROLE_ATTRIBUTES: ReadonlyMap<string, Severity> = new Map([
  ["SUPERUSER", "high"],
  ["BYPASSRLS", "medium"],
  ["CREATEROLE", "medium"],
]);
/** Privilege words, for telling `GRANT SELECT ON t TO app` in a JS string from UI text like "Grant all users access". */
const PRIVILEGE_WORDS = new Set([
  "ALL",
  "PRIVILEGES",
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "TRUNCATE",
  "REFERENCES",
  "TRIGGER",
  "USAGE",
  "EXECUTE",
  "CONNECT",
  "TEMPORARY",
  "TEMP",
  "CREATE",
  "ALTER",
  "DROP",
  "INDEX",
  "EVENT",
  "LOCK",
  "TABLES",
  "SHOW",
  "VIEW",
  "ROUTINE",
  "FILE",
  "PROCESS",
  "SUPER",
  "RELOAD",
  "SHUTDOWN",
  "REPLICATION",
  "CLIENT",
  "SLAVE",
  "USER",
  "GRANT",
  "OPTION",
  "CONTROL",
  "SERVER",
  "ANY",
  "LOGIN",
  "IMPERSONATE",
  "DATABASE",
  "TAKE",
  "OWNERSHIP",
  "MAINTAIN",
  "SET",
  "DATABASES",
  "DATA",
  "SCHEMA",
]);
const DATA_PRIVILEGES = new Set(["ALL", "ALL PRIVILEGES", "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"]);

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

interface Verdict {
  severity: Severity;
  reasons: string[];
}

function add(v: Verdict, severity: Severity, reason: string): void {
  if (RANK[severity] > RANK[v.severity]) v.severity = severity;
  v.reasons.push(reason);
}

/** Comma-separated phrases of tokens[from, to) at depth 0 (column lists in parentheses are dropped). */
function phrases(tokens: readonly SqlToken[], from: number, to: number): SqlToken[][] {
  const out: SqlToken[][] = [[]];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")")) depth--;
    else if (depth === 0 && isOp(t, ",")) out.push([]);
    else if (depth === 0) out[out.length - 1]!.push(t);
  }
  return out.filter((p) => p.length > 0);
}

function phraseText(p: readonly SqlToken[]): string {
  return p.map((t) => (t.kind === "word" ? t.value : t.value.toLowerCase())).join(" ");
}

function grant(tokens: readonly SqlToken[], from: number, to: number, strict: boolean): Verdict | null {
  const v: Verdict = { severity: "info", reasons: [] };
  let on = -1;
  let toAt = -1;
  let withAt = -1;
  let depth = 0;
  for (let i = from + 1; i < to; i++) {
    const t = tokens[i]!;
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")")) depth--;
    else if (depth > 0) continue;
    else if (on === -1 && toAt === -1 && isWord(t, "ON")) on = i;
    else if (toAt === -1 && isWord(t, "TO")) toAt = i;
    else if (toAt !== -1 && isWord(t, "WITH")) withAt = i;
  }
  if (toAt === -1) return null;
  const privileges = phrases(tokens, from + 1, on === -1 ? toAt : on);
  if (privileges.length === 0) return null;
  const words = privileges.map(phraseText);
  if (
    strict &&
    !privileges.every((p) => p.every((t) => (t.kind === "word" && (PRIVILEGE_WORDS.has(t.value) || t.value.endsWith("_ADMIN"))) || t.kind === "quoted"))
  )
    return null;
  const all = words.some((w) => w === "ALL" || w === "ALL PRIVILEGES");
  const object = on === -1 ? [] : tokens.slice(on + 1, toAt);
  const objectText = object.map((t) => t.text).join(on === -1 ? "" : " ");
  const global = object.length > 0 && isOp(object[0], "*") && (object.length === 1 || (isOp(object[1], ".") && isOp(object[2], "*")));
  const wide =
    !global &&
    object.length > 0 &&
    (isOp(object[object.length - 1], "*") ||
      object.some((t) => isWord(t, "DATABASE") || isWord(t, "SCHEMA") || isWord(t, "SERVER")) ||
      (isWord(object[0], "ALL") && object.some((t) => isWord(t, "IN"))));
  const scope = on === -1 ? "the whole database" : global ? "every database (*.*)" : compact(objectText);
  if (all) {
    if (on === -1 || global) add(v, "high", `ALL privileges on ${scope}`);
    else if (wide) add(v, "medium", `ALL privileges on ${scope}`);
    else add(v, "low", `ALL privileges on ${scope}, not only the reads and writes an application needs`);
  }
  for (const w of words) {
    if (!ADMIN_PRIVILEGES.has(w)) continue;
    if (on === -1 || global) add(v, "high", `administration privilege ${w} on ${scope}`);
    else if (wide) add(v, "medium", `administration privilege ${w} on ${scope}`);
  }
  for (const p of privileges) {
    const name = p.length === 1 ? p[0]!.value.toLowerCase() : "";
    const role = POWERFUL_ROLES.get(name);
    if (role && (on === -1 || name.startsWith("roles/"))) add(v, role, `membership of the ${name} role`);
  }
  const grantees = tokens.slice(toAt + 1, withAt === -1 ? to : withAt);
  if (grantees.some((t) => isWord(t, "PUBLIC")) && words.some((w) => DATA_PRIVILEGES.has(w)))
    add(v, "medium", "data privileges for PUBLIC (every database user)");
  if (withAt !== -1 && (isWord(tokens[withAt + 1], "GRANT") || isWord(tokens[withAt + 1], "ADMIN")) && isWord(tokens[withAt + 2], "OPTION")) {
    add(v, "medium", `WITH ${tokens[withAt + 1]!.value} OPTION (the grantee can pass the privileges on)`);
  }
  return v.reasons.length > 0 ? v : null;
}

function compact(s: string): string {
  return s
    .replace(/ \. /g, ".")
    .replace(/ ?:: ?/g, "::")
    .slice(0, 80);
}

/** PostgreSQL CREATE/ALTER ROLE|USER … SUPERUSER | BYPASSRLS | CREATEROLE. */
function roleAttributes(tokens: readonly SqlToken[], from: number, to: number): Verdict | null {
  if (!(isWord(tokens[from + 1], "ROLE") || isWord(tokens[from + 1], "USER"))) return null;
  const v: Verdict = { severity: "info", reasons: [] };
  for (let i = from + 2; i < to; i++) {
    const t = tokens[i]!;
    const severity = t.kind === "word" ? ROLE_ATTRIBUTES.get(t.value) : undefined;
    if (severity) add(v, severity, `role attribute ${t.value}`);
  }
  return v.reasons.length > 0 ? v : null;
}

/** T-SQL ALTER SERVER ROLE sysadmin ADD MEMBER x, ALTER ROLE db_owner ADD MEMBER x, sp_addsrvrolemember, sp_addrolemember. */
function roleMembership(tokens: readonly SqlToken[], from: number, to: number): Verdict | null {
  const v: Verdict = { severity: "info", reasons: [] };
  const first = tokens[from]!;
  if (isWord(first, "ALTER")) {
    let i = from + 1;
    if (isWord(tokens[i], "SERVER")) i++;
    if (!isWord(tokens[i], "ROLE") || !tokens.slice(i, to).some((t) => isWord(t, "MEMBER"))) return null;
    const name = tokens[i + 1]?.value.toLowerCase() ?? "";
    const role = POWERFUL_ROLES.get(name);
    if (role) add(v, role, `membership of the ${name} role`);
  } else {
    const proc = tokens
      .slice(from + 1, Math.min(to, from + 5))
      .find((t) => t.kind === "word" && (t.value === "SP_ADDSRVROLEMEMBER" || t.value === "SP_ADDROLEMEMBER"));
    if (!proc) return null;
    for (let i = from + 1; i < to; i++) {
      const t = tokens[i]!;
      const role = t.kind === "string" ? POWERFUL_ROLES.get(t.value.toLowerCase()) : undefined;
      if (role) add(v, role, `membership of the ${t.value.toLowerCase()} role`);
    }
  }
  return v.reasons.length > 0 ? v : null;
}

function verdictFor(tokens: readonly SqlToken[], from: number, to: number, statement: SqlStatement): Verdict | null {
  const first = tokens[from]!;
  if (isWord(first, "GRANT")) return grant(tokens, from, to, statement.origin === "js-string");
  if (isWord(first, "CREATE")) return roleAttributes(tokens, from, to);
  if (isWord(first, "ALTER")) return roleAttributes(tokens, from, to) ?? roleMembership(tokens, from, to);
  if (isWord(first, "EXEC") || isWord(first, "EXECUTE")) return roleMembership(tokens, from, to);
  return null;
}

export default createRule({
  id: "sql-overbroad-grant",
  meta: {
    title: "Over-broad database privileges granted",
    description:
      "A GRANT, role change or role membership gives an account far more than it needs: ALL PRIVILEGES, rights on every database or a whole schema, server administration, superuser-like roles, PUBLIC access to data, or the right to grant privileges on. PCI DSS 7.2.1 and 7.2.2 require access limited to what each account's job needs.",
    severity: "high",
    confidence: "high",
    category: "sql-audit",
    cwe: ["CWE-266", "CWE-269"],
    owasp: ["A01:2021", "A04:2021"],
    pci: ["7.2.1", "7.2.2"],
    remediation:
      "Grant each account only the statements and objects it uses, e.g. `GRANT SELECT, INSERT, UPDATE ON shop.orders TO 'app'@'10.0.%'`. Keep schema changes (CREATE, ALTER, DROP) for a separate migration account, never grant server administration (SUPER, FILE, CONTROL SERVER, superuser roles) to application or service accounts, revoke defaults from PUBLIC, and drop WITH GRANT OPTION.",
    references: [
      "https://cwe.mitre.org/data/definitions/269.html",
      "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
      "https://dev.mysql.com/doc/refman/8.0/en/grant.html",
      "https://www.postgresql.org/docs/current/sql-grant.html",
    ],
    tags: ["pci-dss", "least-privilege", "access-control"],
    languages: ["sql", "javascript", "typescript"],
  },
  create(ctx) {
    return {
      sql(statement) {
        const tokens = statementTokens(statement);
        for (const [from, to] of statementRanges(tokens)) {
          const verdict = verdictFor(tokens, from, to, statement);
          if (!verdict) continue;
          ctx.report({
            start: statement.fileOffset(tokens[from]!.start),
            end: statement.fileOffset(tokens[to - 1]!.end),
            message: `Over-broad privileges: ${verdict.reasons.join("; ")}. Grant only what the account's job needs (PCI DSS 7.2.1/7.2.2).`,
            severity: verdict.severity,
          });
        }
      },
    };
  },
});
