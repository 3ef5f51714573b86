/**
 * Server-side request forgery and open redirect prover for URLs built from strings (`fetch`,
 * `axios`, `http.request`, `res.redirect`, `Location`). Both renderings go through the runtime's
 * WHATWG `URL` parser — the one `fetch` itself uses — with relative renderings resolved against
 * the application's own origin (`https://app.example/`, standing in for it). The attack is proven
 * when the host becomes an attacker's (`attacker.example`) or an internal address (loopback,
 * private ranges, link-local cloud metadata), when the scheme becomes a non-HTTP one
 * (`javascript:`, `file:`), or when a new query parameter appears.
 */
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

export interface UrlStructure {
  protocol: string;
  hostname: string;
  port: string;
  /** Names of the query parameters, in order. */
  params: string[];
}

/** Stands in for the application's own origin when a rendering is relative. */
export const APP_ORIGIN = "https://app.example/";
/** The host the catalogue's payloads point at. */
export const ATTACKER_HOST = "attacker.example";

export const URL_PARSER = { name: "WHATWG URL", version: "runtime" } as const;

/** A prover for text used as a URL. */
export function createUrlProver(): Prover<UrlStructure> {
  return { parser: { ...URL_PARSER }, analyze: analyzeUrl, compare: compareUrl };
}

/**
 * A prover for a URL a page follows or loads as a document (`<a href>`, `<iframe src>`,
 * `location = x`, `window.open(x)`): the same parse, but only a change to a scheme that runs
 * script in the page counts; another host is the open-redirect prover's business.
 */
export function createScriptUrlProver(): Prover<UrlStructure> {
  return { parser: { ...URL_PARSER }, analyze: analyzeUrl, compare: compareScheme };
}

/** Schemes whose URL runs script in the page that follows it. */
const SCRIPT_SCHEMES = new Set(["javascript:", "vbscript:"]);

function compareScheme(benign: UrlStructure, attack: UrlStructure): Change[] {
  if (attack.protocol === benign.protocol || !SCRIPT_SCHEMES.has(attack.protocol)) return [];
  return [{ rank: 3, words: `the URL's scheme changed from ${benign.protocol} to ${attack.protocol}, which runs script in the page that follows it` }];
}

function analyzeUrl(text: string): Analysis<UrlStructure> {
  let url: URL;
  try {
    url = new URL(text, APP_ORIGIN);
  } catch {
    return { ok: false, message: "not a valid URL" };
  }
  const params = [...url.searchParams.keys()].slice(0, 100);
  const structure: UrlStructure = { protocol: url.protocol, hostname: url.hostname, port: url.port, params };
  const host = url.hostname === "" ? "no host" : `host ${url.hostname}${url.port ? `:${url.port}` : ""}`;
  const query = params.length > 0 ? `, query parameters ${shorten(params.join(", "), 200)}` : "";
  return { ok: true, structure, summary: `${url.protocol} URL, ${shorten(host, 300)}${query}` };
}

function compareUrl(benign: UrlStructure, attack: UrlStructure): Change[] {
  const changes: Change[] = [];
  if (attack.hostname !== benign.hostname && attack.hostname !== "") {
    const internal = internalAddress(attack.hostname);
    if (internal)
      changes.push({ rank: 3, words: `the URL now points at ${internal} ${shorten(attack.hostname, 100)} instead of ${shorten(benign.hostname, 100)}` });
    else if (attack.hostname === ATTACKER_HOST || attack.hostname.endsWith("." + ATTACKER_HOST)) {
      changes.push({
        rank: 3,
        words: `the URL now points at the attacker's host ${shorten(attack.hostname, 100)} instead of ${shorten(benign.hostname, 100)}`,
      });
    } else {
      changes.push({ rank: 0, words: `the host changed to ${shorten(attack.hostname, 100)}, which the attacker does not choose` });
    }
  }
  if (attack.protocol !== benign.protocol && attack.protocol !== "http:" && attack.protocol !== "https:") {
    changes.push({ rank: 3, words: `the scheme changed from ${benign.protocol} to ${attack.protocol}` });
  }
  const params = added(benign.params, attack.params).filter((p) => !benign.params.includes(p));
  if (params.length > 0) changes.push({ rank: 2, words: `a new query parameter ${shorten(params.join(", "), 100)} was added` });
  return changes;
}

/** Describes a host that reaches inside the network ("the loopback address"), or "". */
export function internalAddress(hostname: string): string {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "the loopback host";
  if (host === "metadata.google.internal") return "the cloud metadata host";
  if (host.startsWith("[")) return internalIpv6(host.slice(1, -1));
  const octets = host.split(".");
  if (octets.length !== 4 || !octets.every((o) => /^[0-9]{1,3}$/.test(o))) return "";
  return internalIpv4(octets.map(Number) as [number, number, number, number]);
}

function internalIpv4([a, b]: [number, number, number, number]): string {
  if (a === 127) return "the loopback address";
  if (a === 169 && b === 254) return "the link-local (cloud metadata) address";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "the private address";
  if (a === 100 && b >= 64 && b <= 127) return "the carrier-grade NAT address";
  if (a === 0) return "the unspecified address";
  return "";
}

function internalIpv6(address: string): string {
  if (address === "::1") return "the loopback address";
  if (address === "::") return "the unspecified address";
  // IPv4-mapped addresses, which WHATWG URL prints in hex ("::ffff:7f00:1").
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return internalIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  if (/^f[cd][0-9a-f]{2}:/.test(address)) return "the unique-local address";
  if (/^fe[89ab][0-9a-f]:/.test(address)) return "the link-local address";
  return "";
}
