/**
 * Our own SSRF guard for webhook endpoint URLs: we POST to whatever URL a customer registers, so
 * it must be `https:` to a public host. The check runs on the URL as the WHATWG parser (the one
 * fetch uses) normalises it, so decimal, octal, hex and short IPv4 forms (`2130706433`,
 * `0177.0.0.1`, `0x7f.1`), percent-encoded and full-width host names, and IPv4-mapped IPv6 all
 * arrive as the canonical literal they stand for and meet the same range checks. Refused:
 * credentials in the URL, IP literals outside the public unicast ranges (v4 and v6, including
 * v4 addresses embedded in v6), `localhost`, single-label names and private-use suffixes
 * (`.internal`, `.local`, `.lan`…), and wildcard-DNS services that resolve to any IP written in
 * the name. Names that resolve to private addresses cannot be caught without DNS: Workers' fetch
 * does not reach private networks, and delivery never follows redirects (deliver.ts).
 */

/** Longest endpoint URL accepted. */
export const WEBHOOK_URL_MAX = 2048;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Private-use, special-use and reserved name suffixes (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal, common LAN names). */
const PRIVATE_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "intranet",
  "private",
  "corp",
  "home",
  "lan",
  "localdomain",
  "home.arpa",
  "arpa",
  "test",
  "example",
  "invalid",
  "onion",
  "alt",
];

/** Public DNS services that answer any IP written in the name (127.0.0.1.nip.io → 127.0.0.1). */
const WILDCARD_DNS = ["nip.io", "sslip.io", "xip.io", "traefik.me", "localtest.me", "lvh.me", "vcap.me"];

/** IPv4 ranges that are not public unicast: [first octets as a number, prefix length, name]. */
const V4_BLOCKED: ReadonlyArray<[string, number, string]> = [
  ["0.0.0.0", 8, "this network"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

/** IPv6 ranges refused inside the global unicast block 2000::/3 (everything outside it is refused). */
const V6_BLOCKED_IN_GLOBAL: ReadonlyArray<[string, number, string]> = [
  ["2001::", 23, "IETF protocol assignments (Teredo, benchmarking, ORCHID)"],
  ["2001:db8::", 32, "documentation"],
  ["2002::", 16, "6to4 (embeds an IPv4 address)"],
  ["3fff::", 20, "documentation"],
];

function v4ToInt(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** Why an IPv4 address is not public unicast, or null when it is. */
function blockedV4(address: number): string | null {
  if (address === 0xffffffff) return "broadcast";
  for (const [base, bits, name] of V4_BLOCKED) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base)!;
    if (address >= start && address < start + size) return name;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 literal without brackets (a trailing dotted IPv4 part allowed). */
function v6Groups(text: string): number[] | null {
  let s = text;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = v4ToInt(dotted[2]!);
    if (v4 === null) return null;
    s = `${dotted[1]}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<number>(missing).fill(0), ...right];
  return groups.some(Number.isNaN) ? null : groups;
}

function inV6Prefix(groups: number[], base: string, bits: number): boolean {
  const b = v6Groups(base)!;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** Why an IPv6 address is not public unicast, or null when it is. */
function blockedV6(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const v4 = g6 * 65536 + g7;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    if (g5 === 0xffff) return `IPv4-mapped (${blockedV4(v4) ?? "write the IPv4 address itself"})`;
    return v4 <= 1 ? (v4 === 1 ? "loopback" : "unspecified") : "IPv4-compatible (deprecated)";
  }
  if ((g0 & 0xe000) !== 0x2000) {
    if ((g0 & 0xfe00) === 0xfc00) return "unique local (private)";
    if ((g0 & 0xffc0) === 0xfe80) return "link-local";
    if ((g0 & 0xffc0) === 0xfec0) return "site-local (deprecated)";
    if ((g0 & 0xff00) === 0xff00) return "multicast";
    if (g0 === 0x64 && g1 === 0xff9b) return "NAT64 (embeds an IPv4 address)";
    return "reserved";
  }
  for (const [base, bits, name] of V6_BLOCKED_IN_GLOBAL) if (inV6Prefix(groups, base, bits)) return name;
  return null;
}

/** Why a host name (no IP literal) is not a public name, or null when it is. */
function blockedName(hostname: string): string | null {
  const name = hostname.replace(/\.+$/, "").toLowerCase();
  if (name === "") return "empty host";
  if (!name.includes(".")) return name === "localhost" ? "localhost" : "single-label host name (not a public DNS name)";
  const labels = name.split(".");
  if (/^\d+$/.test(labels[labels.length - 1]!) || /^0x[0-9a-f]*$/i.test(labels[labels.length - 1]!)) return "numeric host name";
  for (const suffix of PRIVATE_SUFFIXES) if (name === suffix || name.endsWith(`.${suffix}`)) return `private-use name (.${suffix})`;
  for (const service of WILDCARD_DNS) if (name === service || name.endsWith(`.${service}`)) return `wildcard DNS service (${service})`;
  return null;
}

/**
 * Checks that a webhook endpoint URL is https to a public host, without DNS.
 * @example checkWebhookUrl("https://0x7f000001/") // { ok: false, reason: "loopback IP address" }
 */
export function checkWebhookUrl(input: string): UrlCheck {
  if (input.length > WEBHOOK_URL_MAX) return { ok: false, reason: `longer than ${WEBHOOK_URL_MAX} characters` };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "must use https" };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "must not carry credentials" };
  const host = url.hostname;
  if (host.startsWith("[")) {
    const groups = v6Groups(host.slice(1, -1));
    if (!groups) return { ok: false, reason: "malformed IPv6 address" };
    const why = blockedV6(groups);
    return why ? { ok: false, reason: `${why} IPv6 address` } : { ok: true, url };
  }
  const v4 = v4ToInt(host);
  if (v4 !== null) {
    const why = blockedV4(v4);
    return why ? { ok: false, reason: `${why} IP address` } : { ok: true, url };
  }
  const why = blockedName(host);
  return why ? { ok: false, reason: why } : { ok: true, url };
}
