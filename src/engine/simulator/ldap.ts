/**
 * LDAP injection prover, for the two LDAP strings applications build: search filters (RFC 4515,
 * with the empty `(&)`/`(|)` of RFC 4526) and distinguished names (RFC 4514). A rendering that
 * starts with "(" is a filter, anything else a DN. Each is parsed exactly and completely — the
 * Node clients (ldapjs, ldapts) reject a filter string with text after the first filter, so a
 * payload that only works on servers that ignore trailing text is not counted — and reduced to
 * its shape (the tree with assertion values blanked). The attack is proven when the payload
 * turned an equality test into a presence test (`uid=*`: every entry with a uid), added a
 * wildcard, added filter components or RDNs, or otherwise changed the tree beyond the value.
 */
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

type Filter =
  | { k: "&" | "|"; list: Filter[] }
  | { k: "!"; f: Filter }
  | { k: "present"; attr: string }
  | { k: "substring"; attr: string; pieces: string[] }
  | { k: "simple"; attr: string; op: string; value: string }
  | { k: "extensible"; attr: string; rule: string; dn: boolean; value: string };

export interface LdapStructure {
  kind: "filter" | "dn";
  /** The filter or DN with values blanked. */
  shape: string;
  /** As parsed, for evidence. */
  text: string;
  /** Filter: every item (`(uid=…)`, `(uid=*)`) in order; DN: every attribute type and value pair. */
  items: string[];
  /** Filter: attributes tested for presence. */
  presence: string[];
  /** Filter: attributes with a substring (wildcard) match. */
  wildcards: string[];
}

const MAX_CHARS = 20_000;
const MAX_DEPTH = 100;
const MAX_ITEMS = 2_000;

/** The parser's name in proofs. */
export const LDAP_PARSER = { name: "pci-auditor ldap", version: "1.0" } as const;

/** A prover for LDAP filters and distinguished names. */
export function createLdapProver(): Prover<LdapStructure> {
  return { parser: { ...LDAP_PARSER, dialect: "RFC 4515 filters, RFC 4514 DNs" }, analyze: analyzeLdap, compare: compareLdap };
}

// ---------------------------------------------------------------- filters (RFC 4515)

const ATTR = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*/;

class FilterParser {
  private i = 0;
  private items = 0;
  constructor(private readonly s: string) {}

  parse(): Filter {
    const f = this.filter(0);
    if (this.i < this.s.length) {
      throw new Error(`text after the filter at ${this.i} (${shorten(this.s.slice(this.i), 30)}): LDAP clients reject it`);
    }
    return f;
  }

  private filter(depth: number): Filter {
    if (depth > MAX_DEPTH) throw new Error("nesting too deep to parse");
    if (++this.items > MAX_ITEMS) throw new Error("filter too long to parse");
    if (this.s[this.i] !== "(") throw new Error(`'(' expected at ${this.i}`);
    this.i++;
    const c = this.s[this.i];
    let f: Filter;
    if (c === "&" || c === "|") {
      this.i++;
      const list: Filter[] = [];
      while (this.s[this.i] === "(") list.push(this.filter(depth + 1));
      f = { k: c, list };
    } else if (c === "!") {
      this.i++;
      f = { k: "!", f: this.filter(depth + 1) };
    } else {
      f = this.item();
    }
    if (this.s[this.i] !== ")") throw new Error(`')' expected at ${this.i}`);
    this.i++;
    return f;
  }

  private item(): Filter {
    const rest = this.s.slice(this.i, this.i + 300);
    const attrMatch = ATTR.exec(rest);
    const attr = attrMatch ? attrMatch[0] : "";
    let j = this.i + attr.length;
    // extensible: attr [":dn"] [":" rule] ":=" value, or [":dn"] ":" rule ":=" value.
    if (this.s[j] === ":") {
      let dn = false;
      let rule = "";
      if (this.s.slice(j, j + 3).toLowerCase() === ":dn") {
        dn = true;
        j += 3;
      }
      if (this.s[j] === ":" && this.s[j + 1] !== "=") {
        const m = ATTR.exec(this.s.slice(j + 1, j + 300));
        if (!m) throw new Error(`matching rule expected at ${j + 1}`);
        rule = m[0];
        j += 1 + rule.length;
      }
      if (this.s.slice(j, j + 2) !== ":=" || (!attr && !rule)) throw new Error(`':=' expected at ${j}`);
      this.i = j + 2;
      return { k: "extensible", attr, rule, dn, value: this.value(false).join("*") };
    }
    if (!attr) throw new Error(`attribute description expected at ${this.i}`);
    const two = this.s.slice(j, j + 2);
    if (two === "~=" || two === ">=" || two === "<=") {
      this.i = j + 2;
      return { k: "simple", attr, op: two, value: this.value(false).join("*") };
    }
    if (this.s[j] !== "=") throw new Error(`'=' expected at ${j}`);
    this.i = j + 1;
    const pieces = this.value(true);
    if (pieces.length === 1) return { k: "simple", attr, op: "=", value: pieces[0]! };
    if (pieces.length === 2 && pieces[0] === "" && pieces[1] === "") return { k: "present", attr };
    return { k: "substring", attr, pieces };
  }

  /** An assertion value up to ")": its pieces between unescaped `*` (only where `*` is allowed). */
  private value(stars: boolean): string[] {
    const pieces: string[] = [];
    let cur = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ")") break;
      if (c === "(" || c === "\u0000") throw new Error(`unescaped '${c === "(" ? "(" : "NUL"}' in a value at ${this.i}`);
      if (c === "*") {
        if (!stars) throw new Error(`'*' not allowed in this value at ${this.i}`);
        if (pieces.length > 0 && cur === "") throw new Error(`'**' in a value at ${this.i}`);
        pieces.push(cur);
        cur = "";
        this.i++;
        continue;
      }
      if (c === "\\") {
        const hex = this.s.slice(this.i + 1, this.i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`bad escape at ${this.i}`);
        cur += String.fromCharCode(parseInt(hex, 16));
        this.i += 3;
        continue;
      }
      cur += c;
      this.i++;
    }
    pieces.push(cur);
    return pieces;
  }
}

function printFilter(f: Filter, blank: boolean, budget: { left: number }): string {
  if (--budget.left < 0) return "…";
  const v = (s: string) => (blank ? "…" : s);
  switch (f.k) {
    case "&":
    case "|":
      return `(${f.k}${f.list.map((x) => printFilter(x, blank, budget)).join("")})`;
    case "!":
      return `(!${printFilter(f.f, blank, budget)})`;
    case "present":
      return `(${f.attr}=*)`;
    case "substring":
      return `(${f.attr}=${f.pieces.map((p) => (p === "" ? "" : v(p))).join("*")})`;
    case "simple":
      return `(${f.attr}${f.op}${v(f.value)})`;
    case "extensible":
      return `(${f.attr}${f.dn ? ":dn" : ""}${f.rule ? ":" + f.rule : ""}:=${v(f.value)})`;
  }
}

function filterFacts(root: Filter): LdapStructure {
  const facts: LdapStructure = {
    kind: "filter",
    shape: printFilter(root, true, { left: MAX_ITEMS }),
    text: shorten(printFilter(root, false, { left: MAX_ITEMS }), 240),
    items: [],
    presence: [],
    wildcards: [],
  };
  const stack: Filter[] = [root];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_ITEMS) {
    const f = stack.pop()!;
    if (f.k === "&" || f.k === "|") {
      for (let i = f.list.length - 1; i >= 0; i--) stack.push(f.list[i]!);
      if (f.list.length === 0) facts.items.push(`(${f.k})`);
      continue;
    }
    if (f.k === "!") {
      stack.push(f.f);
      continue;
    }
    facts.items.push(printFilter(f, true, { left: 10 }));
    if (f.k === "present") facts.presence.push(f.attr.toLowerCase());
    if (f.k === "substring") facts.wildcards.push(f.attr.toLowerCase());
  }
  return facts;
}

// ---------------------------------------------------------------- distinguished names (RFC 4514)

/** The attribute type and value pairs of a DN, RDN by RDN (`+` joins pairs of one RDN). */
function parseDn(s: string): string[][] {
  const rdns: string[][] = [];
  let i = 0;
  let rdn: string[] = [];
  while (i < s.length) {
    if (rdns.length + rdn.length > MAX_ITEMS) throw new Error("DN too long to parse");
    while (s[i] === " ") i++;
    const m = ATTR.exec(s.slice(i, i + 300));
    if (!m) throw new Error(`attribute type expected at ${i}`);
    i += m[0].length;
    while (s[i] === " ") i++;
    if (s[i] !== "=") throw new Error(`'=' expected at ${i}`);
    i++;
    let value = "";
    if (s[i] === "#") {
      const hex = /^#(?:[0-9A-Fa-f]{2})+/.exec(s.slice(i, i + 2_000));
      if (!hex) throw new Error(`hex string expected at ${i}`);
      value = hex[0];
      i += hex[0].length;
    } else {
      while (i < s.length && s[i] !== "," && s[i] !== "+" && s[i] !== ";") {
        const c = s[i]!;
        if (c === "\\") {
          const next = s.slice(i + 1, i + 3);
          if (/^[0-9A-Fa-f]{2}$/.test(next)) {
            value += String.fromCharCode(parseInt(next, 16));
            i += 3;
          } else if (next[0] !== undefined && ` "#+,;<=>\\`.includes(next[0])) {
            value += next[0];
            i += 2;
          } else {
            throw new Error(`bad escape at ${i}`);
          }
          continue;
        }
        if (c === '"' || c === "<" || c === ">" || c === "\u0000") throw new Error(`unescaped '${c === "\u0000" ? "NUL" : c}' in a value at ${i}`);
        value += c;
        i++;
      }
    }
    rdn.push(`${m[0].toLowerCase()}=${value.trim()}`);
    if (i >= s.length) break;
    const sep = s[i]!;
    i++;
    if (sep !== "+") {
      rdns.push(rdn);
      rdn = [];
    }
    if (i >= s.length) throw new Error("attribute expected at the end");
  }
  if (rdn.length > 0) rdns.push(rdn);
  return rdns;
}

function dnFacts(rdns: string[][]): LdapStructure {
  const text = rdns.map((r) => r.join("+")).join(",");
  return {
    kind: "dn",
    shape: rdns.map((r) => r.map((p) => p.slice(0, p.indexOf("=") + 1) + "…").join("+")).join(","),
    text: shorten(text, 240),
    items: rdns.flat().map((p) => p.slice(0, p.indexOf("=") + 1) + "…"),
    presence: [],
    wildcards: [],
  };
}

// ---------------------------------------------------------------- analysis

function analyzeLdap(text: string): Analysis<LdapStructure> {
  if (text.length > MAX_CHARS) return { ok: false, message: "too long to parse" };
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "empty filter or DN" };
  try {
    if (trimmed.startsWith("(")) {
      const facts = filterFacts(new FilterParser(trimmed).parse());
      return { ok: true, structure: facts, summary: `filter ${facts.text}` };
    }
    const facts = dnFacts(parseDn(trimmed));
    return { ok: true, structure: facts, summary: `DN ${facts.text}` };
  } catch (error) {
    return { ok: false, message: shorten((error as Error).message, 200) };
  }
}

function compareLdap(benign: LdapStructure, attack: LdapStructure): Change[] {
  if (benign.kind !== attack.kind) return [{ rank: 0, words: `the ${benign.kind} became a ${attack.kind}` }];
  const changes: Change[] = [];
  if (attack.kind === "filter") {
    const presence = added(benign.presence, attack.presence);
    if (presence.length > 0)
      changes.push({
        rank: 3,
        words: `the filter now matches every entry that has ${presence.join(", ")} (a presence test ${presence.map((a) => `(${a}=*)`).join(", ")} where the value was)`,
      });
    const items = added(benign.items, attack.items);
    if (attack.items.length > benign.items.length && items.length > 0) {
      changes.push({
        rank: 2,
        words: `the payload added filter component${items.length === 1 ? "" : "s"} ${items.map((x) => shorten(x, 60)).join(" ")}: ${shorten(attack.text, 160)}`,
      });
    }
    const wildcards = added(benign.wildcards, attack.wildcards);
    if (presence.length === 0 && wildcards.length > 0)
      changes.push({ rank: 2, words: `the value of ${wildcards.join(", ")} became a wildcard pattern, matching other entries` });
  } else if (attack.items.length > benign.items.length) {
    changes.push({
      rank: 3,
      words: `the payload added ${added(benign.items, attack.items).join(", ") || "attribute"} to the DN, which now names another entry: ${shorten(attack.text, 160)}`,
    });
  }
  if (changes.length === 0 && attack.shape !== benign.shape) {
    changes.push({ rank: 1, words: `the ${attack.kind} changed beyond the value: ${shorten(benign.text, 120)} became ${shorten(attack.text, 120)}` });
  }
  return changes;
}
