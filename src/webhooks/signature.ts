/**
 * Standard Webhooks signatures: HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}`
 * with the secret's decoded bytes, sent as `v1,<base64>`. During a rotation window the header
 * lists one signature per live secret, space-separated; receivers accept any that matches.
 */
import { secretKeyBytes, toBase64 } from "./secrets";

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The three Standard Webhooks headers for one attempt.
 * @example await signedHeaders(["whsec_…"], "msg_…", 1767225600, body) // { "webhook-signature": "v1,K5o…" , … }
 */
export async function signedHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Promise<SignedHeaders> {
  const content = new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`;
    }),
  );
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": signatures.join(" ") };
}
