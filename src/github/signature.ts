/**
 * X-Hub-Signature-256 on GitHub webhook deliveries: `sha256=` + the hex HMAC-SHA256 of the raw
 * body under the webhook secret (REFERENCE.md §1). Checked over the exact bytes received, before
 * anything parses them, with Web Crypto's `verify`, which compares in constant time. The
 * signature covers no timestamp, so a captured delivery verifies forever: the webhook route
 * dedupes on X-GitHub-Delivery.
 */

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const encoder = new TextEncoder();

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Whether `header` is the signature of `body` under `secret`; a missing or malformed header is not.
 * @example await verifyGithubSignature(secret, await request.arrayBuffer(), request.headers.get("x-hub-signature-256"))
 */
export async function verifyGithubSignature(secret: string, body: ArrayBuffer | Uint8Array, header: string | null | undefined): Promise<boolean> {
  const hex = SIGNATURE.exec(header ?? "")?.[1];
  if (!hex) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, hexBytes(hex), body);
}
