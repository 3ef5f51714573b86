/**
 * Re-checks every `proven` proof the engine gives on the fixtures (all of test/fixtures, the
 * projects included) with a parse independent of the simulator's provers: node-sql-parser's
 * full build for SQL, acorn for JavaScript and query documents, parse5 with its own walk and
 * WHATWG `URL` for HTML, `/bin/sh -n` plus a separate tokenizer for shell commands, WHATWG `URL`
 * for URLs and `path.posix.normalize` for paths. A proof passes when both renderings parse and
 * the attack's structure differs from the benign one in the way the proof's kind claims (a new
 * statement or operator, a new `$` operator, a new element or attribute, a new command, another
 * host, a path outside the benign one's directory); the benign rendering is the reference.
 *
 * The renderings are the ones the proof carries (masked, clipped to a window): a clipped
 * rendering cannot be re-parsed and fails the test, so a fixture proof must stay short enough.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Parser as AcornParser } from "acorn";
import { parseString as parseLdapFilter } from "@ldapjs/filter";
import { parse as parseHtml } from "parse5";
import { parse as parseXpath } from "xpath";
import { describe, expect, it } from "vitest";
import { scan, type Finding, type Proof, type SqlDialect } from "../../../src/engine/index";
import { listFiles, sqlShape } from "../independent-parse";

const ROOT = path.join(import.meta.dirname, "..", "..", "fixtures");
const PROJECTS = path.join(ROOT, "projects");

function dialectOf(texts: string[]): { dialect?: SqlDialect } {
  for (const text of texts) {
    const m = /pca-dialect:\s*(\w+)/.exec(text);
    if (m) return { dialect: m[1] as SqlDialect };
  }
  return {};
}

/** Every proven proof of the fixtures, with where it was found. */
async function provenProofs(): Promise<Array<{ where: string; proof: Proof }>> {
  const out: Array<{ where: string; proof: Proof }> = [];
  const keep = (findings: Finding[]) => {
    for (const f of findings) if (f.proof?.verdict === "proven") out.push({ where: `${f.location.path}:${f.location.startLine} ${f.ruleId}`, proof: f.proof });
  };
  for (const file of listFiles(ROOT)
    .filter((f) => !f.endsWith(".md") && !f.startsWith(PROJECTS + path.sep))
    .sort()) {
    const content = readFileSync(file, "utf8");
    keep((await scan({ files: [{ path: path.relative(ROOT, file), content }] }, dialectOf([content]))).findings);
  }
  for (const name of readdirSync(PROJECTS)
    .filter((n) => statSync(path.join(PROJECTS, n)).isDirectory())
    .sort()) {
    const dir = path.join(PROJECTS, name);
    const sources = listFiles(dir)
      .sort()
      .map((f) => ({ path: `${name}/${path.relative(dir, f)}`, content: readFileSync(f, "utf8") }));
    keep((await scan({ files: sources }, dialectOf(sources.map((s) => s.content)))).findings);
  }
  return out;
}

// JavaScript and query documents: acorn, node types and names with literal values blanked.
function jsShape(text: string, expression: boolean): string {
  const ast = expression
    ? AcornParser.parseExpressionAt(text, 0, { ecmaVersion: "latest" })
    : AcornParser.parse(text, { ecmaVersion: "latest", allowReturnOutsideFunction: true });
  if (expression && text.slice((ast as { end: number }).end).trim() !== "") throw new Error("text after the expression");
  const keep = (node: unknown, depth: number): unknown => {
    if (depth > 300 || node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map((n) => keep(n, depth + 1));
    const o = node as Record<string, unknown>;
    if (o.type === "Literal" || o.type === "TemplateElement") return o.type;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (k !== "start" && k !== "end" && k !== "raw") out[k] = keep(v, depth + 1);
    return out;
  };
  return JSON.stringify(keep(ast, 0));
}

/** The `$` keys of an object-literal query document (property keys anywhere in it). */
function dollarKeys(text: string): string[] {
  const keys: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 300 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    const o = node as { type?: string; key?: { name?: string; value?: unknown } };
    if (o.type === "Property") {
      const key = o.key?.name ?? String(o.key?.value);
      if (key.startsWith("$")) keys.push(key);
    }
    for (const v of Object.values(o)) walk(v, depth + 1);
  };
  walk(AcornParser.parseExpressionAt(text, 0, { ecmaVersion: "latest" }), 0);
  return keys.sort();
}

// HTML: parse5's document tree, read by this walk; URL attributes through WHATWG URL.
function htmlShape(text: string): { tags: string[]; attributes: string[]; scriptUrls: string[] } {
  const tags: string[] = [];
  const attributes: string[] = [];
  const scriptUrls: string[] = [];
  const first = /^\s*<(td|th|tr)\b/i.exec(text)?.[1]?.toLowerCase();
  const wrapped = first === "td" || first === "th" ? `<table><tr>${text}` : first === "tr" ? `<table>${text}` : text;
  const walk = (node: { tagName?: string; attrs?: Array<{ name: string; value: string; prefix?: string }>; childNodes?: unknown[] }, depth: number): void => {
    if (depth > 2000) return;
    if (node.tagName) {
      tags.push(node.tagName);
      for (const a of node.attrs ?? []) {
        const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
        attributes.push(`${node.tagName} ${name}`);
        let protocol = "";
        try {
          protocol = new URL(a.value, "https://app.example/").protocol;
        } catch {
          protocol = "";
        }
        if (protocol === "javascript:") scriptUrls.push(`${node.tagName} ${name}`);
      }
    }
    for (const child of node.childNodes ?? []) walk(child as never, depth + 1);
  };
  walk(parseHtml(wrapped) as never, 0);
  return { tags: tags.sort(), attributes: attributes.sort(), scriptUrls: scriptUrls.sort() };
}

// XPath: the `xpath` package's parser, printed with string literals blanked (their text is data).
function xpathShape(text: string): string {
  return String(parseXpath(text).expression).replace(/'[^']*'|"[^"]*"/g, "''");
}

// LDAP: @ldapjs/filter's parser for filters, as the tree of filter types and attributes; a DN by
// its attribute types (RDNs split at unescaped `,` and `+`).
type LdapNode = { type: string; attribute?: string; filters?: LdapNode[]; filter?: LdapNode; initial?: string; any?: string[]; final?: string };
function ldapShape(text: string): string {
  if (text.trimStart().startsWith("(")) {
    // A substring filter's shape is which parts it has: a prefix match and a contains match differ.
    const parts = (n: LdapNode) => (n.any === undefined ? "" : `{${n.initial ? "initial," : ""}any×${n.any.length}${n.final ? ",final" : ""}}`);
    const sig = (n: LdapNode): string =>
      `${n.type}${n.attribute ? `:${n.attribute}` : ""}${parts(n)}${n.filters ? `[${n.filters.map(sig).join(",")}]` : n.filter ? `[${sig(n.filter)}]` : ""}`;
    return sig(parseLdapFilter(text) as unknown as LdapNode);
  }
  const types: string[] = [];
  for (const part of text.split(/(?<!\\)[,+]/)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new Error(`not an RDN: ${part.slice(0, 40)}`);
    types.push(part.slice(0, eq).trim().toLowerCase());
  }
  return types.join(",");
}

// Shell: /bin/sh checks that a rendering parses; this tokenizer counts what makes a new command.
function shellParses(text: string): boolean {
  try {
    execFileSync("/bin/sh", ["-n", "-c", text], { stdio: "ignore", timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Operators, command substitutions and separators outside quotes (a small POSIX lexer). */
function shellControls(text: string): string[] {
  const out: string[] = [];
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "`" || (c === "$" && text[i + 1] === "(")) out.push(c === "`" ? "`" : "$(");
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== "\n") i++;
      out.push("\n");
    } else if (c === "$" && text[i + 1] === "(") out.push("$(");
    else if (c === "`") out.push("`");
    else if ((c === "&" || c === "|") && text[i + 1] === c) {
      out.push(c + c);
      i++;
    } else if (c === ";" || c === "|" || c === "&" || c === "\n" || c === "<" || c === ">") out.push(c);
  }
  return out.sort();
}

/** Why a proven proof does not hold up under the independent parse, or null when it does. */
function recheck(proof: Proof): string | null {
  const benign = proof.benign.rendered;
  const attack = proof.attack.rendered;
  if (/^…|…$/.test(benign) || /^…|…$/.test(attack)) return "a rendering was clipped";
  const differ = (f: (t: string) => string): string | null => {
    let b: string;
    try {
      b = f(benign);
    } catch (e) {
      return `the benign rendering does not parse: ${String(e).slice(0, 120)}`;
    }
    let a: string;
    try {
      a = f(attack);
    } catch (e) {
      return `the attack rendering does not parse: ${String(e).slice(0, 120)}`;
    }
    return a === b ? "the attack's structure equals the benign one" : null;
  };
  switch (proof.kind) {
    case "sql":
      return differ((t) => sqlShape(t, proof.parser.dialect ?? "mysql"));
    case "js":
      return differ((t) => jsShape(t, false));
    case "nosql": {
      if (benign.trimStart().startsWith("{")) {
        // A query document: the attack must add a `$` operator key.
        const b = dollarKeys(benign);
        const a = dollarKeys(attack);
        return a.length > b.length && b.every((k) => a.includes(k)) ? null : `no new operator (${b.join(",")} → ${a.join(",")})`;
      }
      // Server-side JavaScript: a function given whole is an expression, anything else a body.
      const fn = (t: string) => (/^\s*function\b/.test(t) ? `(${t}\n)` : t);
      return differ((t) => jsShape(fn(t), false));
    }
    case "html": {
      const b = htmlShape(benign);
      const a = htmlShape(attack);
      const grew = (x: string[], y: string[]) => y.length > x.length || y.some((v) => !x.includes(v));
      return grew(b.tags, a.tags) || grew(b.attributes, a.attributes) || grew(b.scriptUrls, a.scriptUrls)
        ? null
        : "no new element, attribute or javascript: URL";
    }
    case "shell": {
      if (!shellParses(benign)) return "the benign rendering does not parse (/bin/sh -n)";
      if (!shellParses(attack)) return "the attack rendering does not parse (/bin/sh -n)";
      return JSON.stringify(shellControls(attack)) !== JSON.stringify(shellControls(benign)) ? null : "no new operator or substitution";
    }
    case "url": {
      let b: URL;
      let a: URL;
      try {
        b = new URL(benign, "https://app.example/");
        a = new URL(attack, "https://app.example/");
      } catch {
        return "a rendering is not a URL";
      }
      const keys = (u: URL) => [...u.searchParams.keys()].sort().join("&");
      return a.protocol !== b.protocol || a.host !== b.host || keys(a) !== keys(b) ? null : "same scheme, host and parameters";
    }
    case "path": {
      const norm = (t: string) => path.posix.normalize(t.startsWith("/") ? t : `/cwd/${t}`);
      const dir = path.posix.dirname(norm(benign));
      const a = norm(attack);
      return a === dir || a.startsWith(dir === "/" ? "/" : dir + "/") ? `the attack stays inside ${dir}` : null;
    }
    case "xpath":
      return differ(xpathShape);
    case "ldap":
      return differ(ldapShape);
    case "regex":
      // Not a rendering to parse: the backtracking is measured by a step-counting matcher, which
      // test/engine/redos/analysis.test.ts checks against growth classes decided by hand.
      return null;
  }
}

describe("every proven proof in the fixtures holds under an independent parse", async () => {
  const proofs = await provenProofs();
  const kinds = ["sql", "nosql", "js", "html", "shell", "url", "path", "xpath", "ldap"] as const;

  it("re-checks proofs of every kind", () => {
    const counts = Object.fromEntries(kinds.map((k) => [k, proofs.filter((p) => p.proof.kind === k).length]));
    // Every prover has proven fixtures to re-check (the counts are in the report, not pinned here).
    for (const k of kinds) expect(counts[k], k).toBeGreaterThan(0);
  });

  it.each(kinds)("%s", (kind) => {
    const failures = proofs
      .filter((p) => p.proof.kind === kind)
      .flatMap((p) => {
        const why = recheck(p.proof);
        return why ? [`${p.where}: ${why} | benign ${JSON.stringify(p.proof.benign.rendered)} | attack ${JSON.stringify(p.proof.attack.rendered)}`] : [];
      });
    expect(failures).toEqual([]);
  });
});

describe("the re-check itself", () => {
  const proof = (kind: Proof["kind"], benign: string, attack: string, dialect?: string): Proof => ({
    kind,
    payload: "",
    benign: { input: "", rendered: benign, structure: "" },
    attack: { input: "", rendered: attack, structure: "" },
    verdict: "proven",
    evidence: "",
    parser: { name: "test", version: "0", ...(dialect ? { dialect } : {}) },
  });

  it.each([
    ["sql", "SELECT * FROM t WHERE a = 'x'", "SELECT * FROM t WHERE a = 'y'"],
    ["sql", "SELECT * FROM t WHERE a = 'x'", "SELECT * FROM t WHERE a = 'x' OR"],
    ["js", "f('a')", "f('b')"],
    ["xpath", "//user[@name='alice']", "//user[@name='x or 1=1']"],
    ["ldap", "(uid=alice)", "(uid=al\\2aice)"],
    ["ldap", "(uid=alice)", "(uid=alice"],
    ["nosql", '{ "a": "x" }', '{ "a": "$ne" }'],
    ["nosql", "this.a == 'x'", "this.a == 'y'"],
    ["html", "<p>a</p>", "<p>&lt;img onerror=x&gt;</p>"],
    ["html", "<!-- a -->", "<!-- <img src=x onerror=a> -->"],
    ["html", '<a href="/x">', '<a href="javascript&amp;colon;x">'],
    ["shell", "ls 'a'", "ls ''; id'"],
    ["shell", "ls 'a'", "ls ';id'"],
    ["url", "https://api.example/a", "https://api.example/b"],
    ["path", "/srv/app/files/a.pdf", "/srv/app/files/x/../b.pdf"],
  ] as Array<[Proof["kind"], string, string]>)("rejects a %s proof that does not hold: %s → %s", (kind, benign, attack) => {
    expect(recheck(proof(kind, benign, attack))).not.toBeNull();
  });

  it("accepts proofs that hold", () => {
    expect(recheck(proof("sql", "SELECT * FROM t WHERE a = 'x'", "SELECT * FROM t WHERE a = '' OR '1'='1'"))).toBeNull();
    expect(recheck(proof("sql", "SELECT $$a$$", "SELECT $$$$; SELECT pg_sleep(5)-- $$", "postgresql"))).toBeNull();
    expect(recheck(proof("html", '<a href="/x">', '<a href="jav&#x09;ascript:x">'))).toBeNull();
    expect(recheck(proof("shell", "ls 'a'", "ls ''; id''"))).toBeNull();
    expect(recheck(proof("path", "/srv/app/files/a.pdf", "/srv/app/files/../../../etc/passwd"))).toBeNull();
  });
});
