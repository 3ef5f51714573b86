/**
 * Dashboard users with Clerk session tokens (REFERENCE.md §10), verified against a locally
 * generated RS256 key pair whose JWKS is served through a fetch mock (Clerk's endpoint is a
 * third party with no local form). Members of a project's organization may use its scans;
 * tokens with a bad signature, wrong issuer, foreign azp, no sid or expired are refused.
 */
import { sign } from "hono/utils/jwt/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN, call, expectProblem, freshIp, postScan } from "./helpers";

const ISSUER = "https://clerk.example.test";
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
type PrivateJwk = JsonWebKey & { kid: string; alg: "RS256" };
let privateKey: PrivateJwk;
let strangerKey: PrivateJwk;
let fetchSpy: ReturnType<typeof vi.spyOn>;
/** The keys the JWKS endpoint serves now (Clerk rotates them), and how often it was fetched. */
let served: JsonWebKey[];
let jwksFetches = 0;

async function keyPair(kid: string) {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const jwk = { ...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey), kid, alg: "RS256", use: "sig" };
  // Signing with the private JWK puts its kid in the token header, as Clerk's tokens carry.
  const priv = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid, alg: "RS256" as const };
  return { privateKey: priv, jwk };
}

function token(claims: Record<string, unknown>, key = privateKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign(
    { iss: ISSUER, sub: "user_1", sid: "sess_1", azp: "https://dashboard.example.test", org_id: "org_acme", iat: now, nbf: now - 5, exp: now + 60, ...claims },
    key as never,
    "RS256",
  );
}

beforeAll(async () => {
  const k1 = await keyPair("k1");
  privateKey = k1.privateKey;
  served = [k1.jwk];
  strangerKey = (await keyPair("k1")).privateKey;
  const realFetch = globalThis.fetch;
  fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === JWKS_URL) {
      jwksFetches++;
      return Response.json({ keys: served });
    }
    return realFetch(input, init);
  });
  const res = await call("/v1/projects", {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name: "Acme", clerkOrgId: "org_acme" }),
  });
  expect(res.status).toBe(201);
});

afterAll(() => fetchSpy.mockRestore());

describe("Clerk session tokens", () => {
  it("let an organization member scan and read the organization's project", async () => {
    const headers = { authorization: `Bearer ${await token({})}` };
    const res = await postScan(headers, { files: [{ path: "a.js", content: "let a = 1;\n" }] });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    expect((await call(`/v1/scans/${id}`, { headers })).status).toBe(200);
    await expectProblem(await call("/v1/keys", { headers }), 403, "forbidden");
  });

  it("charge a member's requests to the project's quota, not the administrator's", async () => {
    const remaining = (res: Response) => Number(/;r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
    const before = remaining(await call("/v1/scans", { headers: ADMIN }));
    const headers = { authorization: `Bearer ${await token({})}` };
    for (let i = 0; i < 2; i++) expect((await call("/v1/scans", { headers })).status).toBe(200);
    // The admin's own request costs one; the members' two must not come out of the same bucket.
    expect(remaining(await call("/v1/scans", { headers: ADMIN }))).toBeGreaterThanOrEqual(before - 1);
  });

  it("accept v2 claims with the organization under o.id", async () => {
    const headers = { authorization: `Bearer ${await token({ org_id: undefined, o: { id: "org_acme", rol: "admin" } })}` };
    expect((await call("/v1/scans", { headers })).status).toBe(200);
  });

  it.each([
    ["a signature from another key", () => token({}, strangerKey)],
    ["another issuer", () => token({ iss: "https://evil.example.test" })],
    ["an azp outside the allowed origins", () => token({ azp: "https://evil.example.test" })],
    ["no sid (a JWT-template token)", () => token({ sid: undefined })],
    ["an expired token", () => token({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ["an organization with no project", () => token({ org_id: "org_other" })],
  ])("refuse %s", async (_, make) => {
    const headers = { authorization: `Bearer ${await make()}`, "cf-connecting-ip": freshIp() };
    await expectProblem(await call("/v1/scans", { headers }), 401, "unauthorized");
  });
});

describe("Clerk's key set", () => {
  it("follows a key rotation at once: a token signed with a new key fetches the JWKS again", async () => {
    const warm = { authorization: `Bearer ${await token({})}`, "cf-connecting-ip": freshIp() };
    expect((await call("/v1/scans", { headers: warm })).status).toBe(200);
    const k2 = await keyPair("k2");
    served = [served[0]!, k2.jwk];
    // Past the 30 s cooldown since the last fetch (the tests above fetched it).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 60_000);
      const before = jwksFetches;
      const headers = { authorization: `Bearer ${await token({}, k2.privateKey)}`, "cf-connecting-ip": freshIp() };
      expect((await call("/v1/scans", { headers })).status).toBe(200);
      expect(jwksFetches).toBe(before + 1);
      // The new key is cached now.
      expect((await call("/v1/scans", { headers })).status).toBe(200);
      expect(jwksFetches).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not fetch the JWKS for every token that names an unknown key or none ", async () => {
    const unknownKid = (await keyPair("k-unknown")).privateKey;
    const { kid: _kid, ...noKid } = privateKey;
    // One fetch may happen for the first unknown kid (a real rotation looks the same); then the cooldown holds.
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) {
      for (const key of [unknownKid, noKid as PrivateJwk]) {
        const headers = { authorization: `Bearer ${await token({}, key)}`, "cf-connecting-ip": freshIp() };
        const res = await call("/v1/scans", { headers });
        if (key === unknownKid) expect(res.status).toBe(401);
      }
    }
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });
});
