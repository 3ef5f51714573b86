/**
 * GitHub App authentication (REFERENCE.md §13): an App JWT (RS256, `iat` a minute in the past to
 * allow for clock drift, `exp` under GitHub's 10-minute ceiling, `iss` the App id) exchanged for
 * an installation token, which lasts an hour and is cached in this isolate until five minutes
 * before it expires. The private key may be PKCS#8 or the PKCS#1 PEM GitHub hands out, which Web
 * Crypto cannot import: it is wrapped in the PKCS#8 envelope here.
 */
import { importPKCS8, SignJWT } from "jose";
import type { GithubApi } from "./api";

/** Seconds before expiry at which a cached installation token is replaced. */
const TOKEN_MARGIN_SECONDS = 300;

/** The key as a PKCS#8 PEM: GitHub's `BEGIN RSA PRIVATE KEY` (PKCS#1) wrapped, `\n` escapes from a one-line secret restored. */
export function pkcs8Pem(pem: string): string {
  const text = pem.replace(/\\n/g, "\n").trim();
  if (/-----BEGIN PRIVATE KEY-----/.test(text)) return text;
  const body = /-----BEGIN RSA PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END RSA PRIVATE KEY-----/.exec(text)?.[1];
  if (!body) throw new GithubKeyError();
  const pkcs1 = Uint8Array.from(atob(body.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
  // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption NULL, OCTET STRING pkcs1 }
  const rsaEncryption = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const der = tlv(0x30, concat([0x02, 0x01, 0x00], rsaEncryption, tlv(0x04, pkcs1)));
  const base64 = btoa(String.fromCharCode(...der)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${base64.trim()}\n-----END PRIVATE KEY-----`;
}

/** A DER type-length-value. */
function tlv(tag: number, content: ArrayLike<number>): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat([tag], length, content);
}

function concat(...parts: Array<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** GITHUB_APP_PRIVATE_KEY is not a PEM private key: no retry can fix that. */
export class GithubKeyError extends Error {
  readonly retryable = false;
  constructor() {
    super("GITHUB_APP_PRIVATE_KEY is not a PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY).");
    this.name = "GithubKeyError";
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The App JWT GitHub asks for on /app endpoints.
 * @example await appJwt("123456", pem) // "eyJhbGciOiJSUzI1NiJ9…", valid for 9 minutes
 */
export async function appJwt(appId: string, privateKeyPem: string, now = Date.now()): Promise<string> {
  let key = keys.get(privateKeyPem);
  if (!key) {
    key = importPKCS8(pkcs8Pem(privateKeyPem), "RS256");
    key.catch(() => keys.delete(privateKeyPem));
    keys.set(privateKeyPem, key);
  }
  const iat = Math.floor(now / 1000) - 60;
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .setIssuer(appId)
    .sign(await key);
}

const tokens = new Map<number, { token: string; expiresAt: number }>();

/** Forgets cached installation tokens (tests). */
export function resetInstallationTokens(): void {
  tokens.clear();
}

/**
 * An installation access token, from this isolate's cache while it has over five minutes left.
 * `app` is a client authenticated with the App JWT.
 */
export async function installationToken(app: GithubApi, installationId: number, now = Date.now): Promise<string> {
  const cached = tokens.get(installationId);
  if (cached && cached.expiresAt - TOKEN_MARGIN_SECONDS * 1000 > now()) return cached.token;
  const { data } = await app.request<{ token: string; expires_at: string }>("POST", `/app/installations/${installationId}/access_tokens`);
  const expiresAt = Date.parse(data.expires_at);
  tokens.set(installationId, { token: data.token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : now() + 3_600_000 });
  return data.token;
}
