/**
 * Scrubbing for everything that leaves through logs and Sentry: card numbers and magnetic-stripe
 * tracks (masked to BIN + last four), our API keys, payment/webhook secrets, bearer tokens and
 * webhook signatures. Applied to free text and, recursively, to structured extras.
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

/** Scrubs every string inside a JSON-like value (depth-bounded). */
export function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === "string") return scrubText(value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = /^(authorization|cookie|webhook-signature|x-hub-signature(-256)?|stripe-signature)$/i.test(k) ? "[redacted]" : scrubValue(v, depth + 1);
  }
  return out as T;
}
