/**
 * Endpoint signing secrets: Standard Webhooks' `whsec_` + base64 of 32 random bytes (the form the
 * reference libraries decode), shown to the customer once and stored only sealed with AES-GCM
 * under the Worker secret WEBHOOK_SECRET_KEY (base64 of 32 bytes). The endpoint id is the
 * additional authenticated data, so a sealed secret copied onto another row does not open.
 * Sealed form: `v1.<base64 iv>.<base64 ciphertext+tag>`.
 */
import type { Env } from "../env";
import { ApiError } from "../errors";

const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The HMAC key bytes of a secret, as Standard Webhooks receivers derive them (base64 after `whsec_`). */
export function secretKeyBytes(secret: string): Uint8Array {
  return fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
}

const keys = new WeakMap<object, Promise<CryptoKey>>();

/** The sealing key from WEBHOOK_SECRET_KEY; 503 while it is missing or not 32 bytes of base64. */
function sealingKey(env: Env): Promise<CryptoKey> {
  let key = keys.get(env);
  if (!key) {
    let raw: Uint8Array | null = null;
    try {
      raw = env.WEBHOOK_SECRET_KEY ? fromBase64(env.WEBHOOK_SECRET_KEY.trim()) : null;
    } catch {
      raw = null;
    }
    if (raw?.length !== 32) throw new ApiError("unavailable", "Webhooks are not configured on this deployment (WEBHOOK_SECRET_KEY).");
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(env, key);
  }
  return key;
}

/** Seals a secret for storage on endpoint `endpointId`'s row. */
export async function sealSecret(env: Env, secret: string, endpointId: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(endpointId) },
    await sealingKey(env),
    new TextEncoder().encode(secret),
  );
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** Opens a secret sealed for endpoint `endpointId`; throws when the key or the row does not match. */
export async function openSecret(env: Env, sealed: string, endpointId: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("Unknown sealed-secret format.");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(endpointId) },
    await sealingKey(env),
    fromBase64(data),
  );
  return new TextDecoder().decode(plain);
}
