/**
 * API keys: 32 random bytes in base62 behind a recognisable prefix, so secret scanners (ours
 * included) can spot a leaked one. Secret keys (`pca_live_` / `pca_test_`) are for servers;
 * publishable keys (`pca_pub_`, auth/publishable-keys.ts) may sit in a web page. Only the SHA-256
 * hash is stored; the key is shown once, at creation.
 */

export const KEY_PREFIXES = { live: "pca_live_", test: "pca_test_", publishable: "pca_pub_" } as const;
export type KeyKind = "secret" | "publishable";
export const SCOPES = ["scans:write", "scans:read", "keys:admin", "webhooks:admin"] as const;
export type Scope = (typeof SCOPES)[number];

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_SHAPE = /^pca_(?:live|test|pub)_[0-9A-Za-z]{43}$/;

/** A new key: 43 base62 characters (~256 bits) after the prefix. */
export function generateApiKey(kind: keyof typeof KEY_PREFIXES): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  let body = "";
  for (const b of bytes) {
    if (body.length === 43) break;
    if (b < 248) body += ALPHABET[b % 62]; // 248 = 4 × 62: no modulo bias
  }
  while (body.length < 43) body += ALPHABET[crypto.getRandomValues(new Uint8Array(1))[0]! % 62];
  return KEY_PREFIXES[kind] + body;
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/** What humans see of a key: its prefix and the first four characters after it. */
export function displayPrefix(key: string): string {
  return key.slice(0, key.indexOf("_", 4) + 5);
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new key and the api_keys row that stores it: its hash and display prefix, never the key. */
export async function newApiKey(
  kind: keyof typeof KEY_PREFIXES,
  fields: { projectId: string; name: string; scopes: string[]; createdAt: number; allowedOrigins?: string[] },
): Promise<{
  key: string;
  row: {
    id: string;
    projectId: string;
    name: string;
    hash: string;
    prefix: string;
    scopes: string[];
    createdAt: number;
    kind: KeyKind;
    allowedOrigins: string[] | null;
  };
}> {
  const key = generateApiKey(kind);
  const row = {
    id: newId("key"),
    ...fields,
    kind: kind === "publishable" ? ("publishable" as const) : ("secret" as const),
    allowedOrigins: fields.allowedOrigins ?? null,
  };
  return { key, row: { ...row, hash: await hashApiKey(key), prefix: displayPrefix(key) } };
}

/** Unguessable, URL-safe id with a type prefix (e.g. "scn_…", "prj_…"). */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
