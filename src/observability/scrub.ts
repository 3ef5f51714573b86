/**
 * Scrubbing for everything that leaves through logs, Sentry, error responses and stored scan
 * text: card numbers and magnetic-stripe tracks (masked to BIN + last four), our API keys,
 * payment/webhook secrets, bearer tokens and webhook signatures. Applied to free text and,
 * recursively, to structured extras.
 */
import { maskCardNumbers } from "../engine/mask";

const SECRETS: Array<[RegExp, string]> = [
  [/\bpca_(live|test)_[0-9A-Za-z]{8,}/g, "pca_$1_[redacted]"],
  [/\bwhsec_[A-Za-z0-9+/=_-]{8,}/g, "whsec_[redacted]"],
  [/\b(sk|rk)_(live|test)_[0-9A-Za-z]{8,}/g, "$1_$2_[redacted]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, "Bearer [redacted]"],
  [/\bv1a?,[A-Za-z0-9+/=]{20,}/g, "v1,[redacted]"],
  [/\bsha256=[0-9a-f]{40,}/gi, "sha256=[redacted]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[redacted-jwt]"],
];

/** Masks card data and secrets in a string. */
export function scrubText(text: string): string {
  let out = maskCardNumbers(text);
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** Whether a text holds a card number or secret: labels and keys the API keeps refuse such text. */
export function hasCardDataOrSecret(text: string): boolean {
  return scrubText(text) !== text;
}

/** Room past a cut for the longest card number (19 digits, 18 separators) or secret, so what
 * straddles the cut is recognised whole and masked before it is cut. */
const CUT_MARGIN = 64;

/**
 * Masks card data and secrets, then cuts to `max` characters. Masking comes first so a number
 * straddling the cut is never left half-visible, and digits running into the cut are dropped.
 * Work is bounded by `max`, not by the input: a 10 MB value costs no more than a short one.
 * @example clipScrubbed("x".repeat(100), 10) // "xxxxxxxxxx…"
 */
export function clipScrubbed(text: string, max: number): string {
  const head = scrubText(text.length > max + CUT_MARGIN ? text.slice(0, max + CUT_MARGIN) : text);
  if (head.length <= max) return head;
  // A cut between the halves of a surrogate pair would leave text no URI or UTF-8 encoder accepts.
  const cut = head.slice(0, max).replace(/[\ud800-\udbff]$/, "");
  // pci-auditor-ignore-next-line redos -- the text is cut to `max` characters (a few hundred at most) before the search, so its quadratic worst case is microseconds
  return cut.replace(/[0-9][0-9 ._/-]*$/, "") + "…";
}

/** Longest string a log line or Sentry extra keeps by default. */
const VALUE_STRING_MAX = 2_000;

/** Scrubs every string inside a JSON-like value and cuts each to `maxString` characters (depth-bounded). */
export function scrubValue<T>(value: T, maxString = VALUE_STRING_MAX): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return clipScrubbed(v, maxString);
    if (depth > 8 || v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      out[k] = /^(authorization|cookie|webhook-signature|x-hub-signature(-256)?|stripe-signature)$/i.test(k) ? "[redacted]" : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}
