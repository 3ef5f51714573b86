/**
 * The injection classes the dataflow engine tracks. Each is one bit, so a tainted value records
 * in one number which classes a sanitizer already made it safe for (an HTML-escaped string is
 * still dangerous in SQL), and a sink asks about its own bit only.
 */
import type { SimulatedKind } from "../types";

export const SQL = 1;
export const NOSQL = 2;
export const SHELL = 4;
export const CODE = 8;
export const HTML = 16;
export const PATH = 32;
export const SSRF = 64;
export const REDIRECT = 128;
export const PROTO = 256;
export const REGEX = 512;
export const DESER = 1024;
export const XXE = 2048;
export const REDOS = 4096;
export const XPATH = 8192;
export const LDAP = 16384;

/** Every class: what a numeric conversion or a strict allowlist makes a value safe for. */
export const ALL_KINDS = 32767;
/** Both URL sinks: what a host allowlist or URL encoding makes a value safe for. */
export const URL_KINDS = SSRF | REDIRECT;
/**
 * Not a rule's class: a value whose URL scheme was checked (`url.startsWith("https://")`). Where
 * only the scheme matters (a link's href, a navigation: can it be `javascript:`?), this, or
 * safety for redirects, clears the value.
 */
export const SCHEME = 32768;
/** What makes a value safe where only its URL scheme matters. */
export const SCHEME_SAFE = REDIRECT | SCHEME;

export type TaintRuleId =
  | "sql-injection"
  | "nosql-injection"
  | "command-injection"
  | "code-injection"
  | "xss"
  | "path-traversal"
  | "ssrf"
  | "open-redirect"
  | "prototype-pollution"
  | "regex-injection"
  | "insecure-deserialization"
  | "xxe"
  | "redos"
  | "xpath-injection"
  | "ldap-injection";

export interface KindInfo {
  rule: TaintRuleId;
  /** The attack simulator's language for this class, when it has one. */
  proof?: SimulatedKind;
}

export const KIND_INFO: ReadonlyMap<number, KindInfo> = new Map<number, KindInfo>([
  [SQL, { rule: "sql-injection", proof: "sql" }],
  [NOSQL, { rule: "nosql-injection", proof: "nosql" }],
  [SHELL, { rule: "command-injection", proof: "shell" }],
  [CODE, { rule: "code-injection", proof: "js" }],
  [HTML, { rule: "xss", proof: "html" }],
  [PATH, { rule: "path-traversal", proof: "path" }],
  [SSRF, { rule: "ssrf", proof: "url" }],
  [REDIRECT, { rule: "open-redirect", proof: "url" }],
  [PROTO, { rule: "prototype-pollution" }],
  [REGEX, { rule: "regex-injection" }],
  [DESER, { rule: "insecure-deserialization" }],
  [XXE, { rule: "xxe" }],
  // Proven by the ReDoS analysis at the sink (redos/), not by the attack simulator.
  [REDOS, { rule: "redos" }],
  [XPATH, { rule: "xpath-injection", proof: "xpath" }],
  [LDAP, { rule: "ldap-injection", proof: "ldap" }],
]);

/** The kind (bit) of each dataflow rule: rows name rules, the interpreter works with bits. */
export const KIND_OF_RULE: ReadonlyMap<TaintRuleId, number> = new Map([...KIND_INFO].map(([kind, info]) => [info.rule, kind]));

/** The kinds of a list of rules, as one mask. */
export function kindsOf(rules: readonly TaintRuleId[] | undefined): number {
  let mask = 0;
  for (const r of rules ?? []) mask |= KIND_OF_RULE.get(r)!;
  return mask;
}
