import { describe, expect, it } from "vitest";
import { detectContext } from "../../../src/engine/simulator/context";
import type { SimulatedKind, SqlDialect } from "../../../src/engine/types";

type Row = [kind: SimulatedKind, prefix: string, id: string, quote?: string, dialect?: SqlDialect];

describe("hole contexts", () => {
  const rows: Row[] = [
    ["sql", "", "sql-statement"],
    ["sql", "SELECT 1; ", "sql-statement"],
    ["sql", "SELECT * FROM t WHERE name = '", "sql-string", "'"],
    ["sql", 'SELECT * FROM t WHERE name = "', "sql-string", '"'],
    ["sql", 'SELECT * FROM t WHERE name = "', "sql-quoted-identifier", '"', "postgresql"],
    ["sql", "SELECT * FROM t WHERE a = 'it''s' AND b = '", "sql-string", "'"],
    ["sql", "SELECT * FROM t WHERE a = 'x\\' AND b = ", "sql-string", "'"],
    ["sql", "SELECT * FROM t WHERE a = 'x\\' AND b = ", "sql-numeric", undefined, "postgresql"],
    ["sql", "SELECT * FROM t WHERE a = ''", "sql-numeric"],
    ["sql", "SELECT * FROM t WHERE name LIKE '%", "sql-like", "'"],
    ["sql", "SELECT * FROM `", "sql-quoted-identifier", "`"],
    ["sql", "SELECT * FROM [", "sql-quoted-identifier", "]", "transactsql"],
    ["sql", "SELECT $body$", "sql-string", "$body$", "postgresql"],
    ["sql", "SELECT * FROM t WHERE id = ", "sql-numeric"],
    ["sql", "SELECT * FROM t LIMIT ", "sql-numeric"],
    ["sql", "SELECT * FROM ", "sql-identifier"],
    ["sql", "SELECT a, ", "sql-identifier"],
    ["sql", "SELECT t.", "sql-identifier"],
    ["sql", "UPDATE t SET ", "sql-identifier"],
    ["sql", "SELECT * FROM t ORDER BY ", "sql-order-by"],
    ["sql", "SELECT * FROM t ORDER BY name ", "sql-order-by"],
    ["sql", "SELECT * FROM t -- ", "sql-comment-line"],
    ["sql", "SELECT /* ", "sql-comment-block"],
    ["sql", "SELECT '--' FROM t WHERE a = ", "sql-numeric"],
    ["shell", "ls ", "shell-unquoted"],
    ["shell", "ls '", "shell-single", "'"],
    ["shell", 'ls "', "shell-double", '"'],
    ["shell", "ls 'a' \"b\" ", "shell-unquoted"],
    ["shell", "ls # ", "shell-comment"],
    ["js", "x = '", "js-string", "'"],
    ["js", 'x = "a" + "', "js-string", '"'],
    ["js", "x = `a ${y} ", "js-template", "`"],
    ["js", "x = `a ${ {b: '}'}.b } ", "js-template", "`"],
    ["js", "x = `a ${", "js-expression"],
    ["js", "x = ", "js-expression"],
    ["js", "x = /", "js-regex", "/"],
    ["js", "x = a / ", "js-expression"],
    ["js", "// ", "js-comment-line"],
    ["js", "/* ", "js-comment-block"],
    ["html", "<p>", "html-text"],
    ["html", "<div ", "html-tag"],
    ["html", '<a title="', "html-attr", '"'],
    ["html", "<a title='", "html-attr", "'"],
    ["html", "<a title=", "html-attr-unquoted"],
    ["html", '<a href="', "html-url-attr", '"'],
    ["html", '<a href="/x?q=', "html-attr", '"'],
    ["html", "<script>var a = '", "html-rawtext"],
    ["html", "<!-- ", "html-comment"],
    ["path", "/srv/", "path-segment-start"],
    ["path", "", "path-segment-start"],
    ["path", "/srv/report-", "path-segment-middle"],
    ["url", "", "url-full"],
    ["url", "https://", "url-host"],
    ["url", "https://api.", "url-host"],
    ["url", "https://api.example.com", "url-after-host"],
    ["url", "https://api.example.com:", "url-after-host"],
    ["url", "https://api.example.com/v1/", "url-path"],
    ["url", "/", "url-path"],
    ["url", "https://a.example/?q=", "url-query"],
    ["url", "https://a.example/#", "url-fragment"],
    ["nosql", "", "nosql-document"],
    ["nosql", "{ user: ", "nosql-value"],
    ["nosql", '{"user": "', "nosql-string", '"'],
    ["xpath", "//user[@name='", "xpath-string", "'"],
    ["xpath", "//user[@name=\"it's ", "xpath-string", '"'],
    ["xpath", "//user[@name='a' and @id=", "xpath-expression"],
    ["xpath", "", "xpath-expression"],
    ["ldap", "", "ldap-filter"],
    ["ldap", "(&(objectClass=person)(uid=", "ldap-filter-value"],
    ["ldap", "(&(objectClass=person)", "ldap-filter"],
    ["ldap", "(cn~=", "ldap-filter-value"],
    ["ldap", "uid=", "ldap-dn-value"],
    ["ldap", "cn=groups,", "ldap-dn"],
  ];
  it.each(rows)("%s %j → %s", (kind, prefix, id, quote, dialect) => {
    const context = detectContext(kind, prefix, dialect ?? "mysql");
    expect(context.id).toBe(id);
    expect(context.quote).toBe(quote);
    expect(context.description.length).toBeGreaterThan(0);
  });

  it("reads the tag of a raw-text element", () => {
    expect(detectContext("html", "<TEXTAREA rows=3>")).toMatchObject({ id: "html-rawtext", tag: "textarea" });
  });

  it("stays linear on adversarial prefixes", () => {
    const megabyte = 1_000_000;
    expect(detectContext("sql", "SELECT '" + "\\".repeat(megabyte)).id).toBe("sql-string");
    expect(detectContext("sql", "SELECT '" + "''".repeat(megabyte / 2)).id).toBe("sql-string");
    expect(detectContext("sql", "x".repeat(megabyte)).id).toBe("sql-numeric");
    expect(detectContext("js", "'".repeat(megabyte)).id).toBe("js-expression");
    expect(detectContext("js", "`${".repeat(megabyte / 3)).id).toBe("js-expression");
    // Each quote closes the value the previous one opened: an odd count ends inside a value.
    expect(detectContext("html", "<a b='".repeat(166_667)).id).toBe("html-attr");
    expect(detectContext("shell", "\\".repeat(megabyte)).id).toBe("shell-unquoted");
    expect(detectContext("url", "/".repeat(megabyte)).id).toBe("url-path");
  });
});
