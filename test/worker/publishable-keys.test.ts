/**
 * Publishable keys and CORS, as a web page and its attackers meet them: creation validates the
 * origins; a preflight is granted exactly for origins some live publishable key lists; the actual
 * request is checked against its own key's origins; secret keys and the admin token never work
 * with an Origin; a publishable key creates scans and reads only its own, within its own limits.
 * (test/browser/ runs the same matrix through a real browser against wrangler dev.)
 */
import { describe, expect, it } from "vitest";
import { ADMIN, call, createProject, expectProblem, freshIp } from "./helpers";

const PAGE = "https://portal.example.com";
const OTHER_PAGE = "https://intranet.example.org";
const ELSEWHERE = "https://evil.example.net";
const VULNERABLE = 'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id));\n';

async function publishableKey(secret: Record<string, string>, allowedOrigins: unknown, extra: Record<string, unknown> = {}): Promise<Response> {
  return call("/v1/keys", {
    method: "POST",
    headers: { ...secret, "content-type": "application/json" },
    body: JSON.stringify({ name: "widget", kind: "publishable", allowedOrigins, ...extra }),
  });
}

async function newPublishable(secret: Record<string, string>, origins: string[]): Promise<{ id: string; key: string }> {
  const res = await publishableKey(secret, origins);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

const fromPage = (key: string, origin: string | undefined, ip = freshIp()) => ({
  authorization: `Bearer ${key}`,
  "cf-connecting-ip": ip,
  ...(origin ? { origin } : {}),
});
const scanFrom = (headers: Record<string, string>, content = VULNERABLE) =>
  call("/v1/scans", {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ files: [{ path: "orders.js", content }] }),
  });
const preflight = (origin: string, path = "/v1/scans") =>
  call(path, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
      "cf-connecting-ip": freshIp(),
    },
  });

describe("creating a publishable key", () => {
  it("binds a pca_pub_ key holding scans:write only to its origins, and lists it", async () => {
    const owner = await createProject("Widget owner");
    const res = await publishableKey(owner.headers, [PAGE, "http://localhost:5173"]);
    expect(res.status).toBe(201);
    const key = (await res.json()) as Record<string, unknown>;
    expect(key).toMatchObject({ kind: "publishable", scopes: ["scans:write"], allowedOrigins: [PAGE, "http://localhost:5173"] });
    expect(key.key).toMatch(/^pca_pub_[0-9A-Za-z]{43}$/);
    expect(key.prefix).toBe((key.key as string).slice(0, 12));
    const list = (await (await call("/v1/keys", { headers: owner.headers })).json()) as { keys: Array<Record<string, unknown>> };
    expect(list.keys.find((k) => k.id === key.id)).toMatchObject({ kind: "publishable", allowedOrigins: [PAGE, "http://localhost:5173"] });
    expect(list.keys.find((k) => k.id !== key.id)).toMatchObject({ kind: "secret", allowedOrigins: null });
  });

  it.each([
    ["a trailing slash", ["https://portal.example.com/"]],
    ["a path", ["https://portal.example.com/docs"]],
    ["plain http off this machine", ["http://portal.example.com"]],
    ["upper case", ["https://Portal.example.com"]],
    ["the default port spelt out", ["https://portal.example.com:443"]],
    ["a wildcard", ["*"]],
    ["the null origin", ["null"]],
    ["a repeat", [PAGE, PAGE]],
    ["no origin", []],
  ])("refuses origins with %s (400 naming the field)", async (_, origins) => {
    const owner = await createProject("Origin checks");
    const body = await expectProblem(await publishableKey(owner.headers, origins), 400, "validation_failed");
    expect((body.errors as Array<{ pointer: string }>)[0]!.pointer).toMatch(/^\/allowedOrigins/);
  });

  it("needs origins for a publishable key, refuses them on a secret key, and refuses wider scopes", async () => {
    const owner = await createProject("Kind checks");
    const post = (body: unknown) =>
      call("/v1/keys", { method: "POST", headers: { ...owner.headers, "content-type": "application/json" }, body: JSON.stringify(body) });
    const missing = await expectProblem(await post({ name: "w", kind: "publishable" }), 400, "validation_failed");
    expect(missing.errors).toEqual([expect.objectContaining({ pointer: "/allowedOrigins" })]);
    const onSecret = await expectProblem(await post({ name: "w", kind: "live", allowedOrigins: [PAGE] }), 400, "validation_failed");
    expect(onSecret.errors).toEqual([expect.objectContaining({ pointer: "/allowedOrigins" })]);
    const wide = await expectProblem(await publishableKey(owner.headers, [PAGE], { scopes: ["scans:write", "scans:read"] }), 400, "validation_failed");
    expect(wide.errors).toEqual([expect.objectContaining({ pointer: "/scopes" })]);
  });

  it("refuses an origin holding a card number, without quoting it", async () => {
    const owner = await createProject("Origin with a PAN");
    const res = await publishableKey(owner.headers, ["https://4111111111111111.example.com"]);
    const body = await expectProblem(res, 400, "validation_failed");
    expect(body.errors).toEqual([expect.objectContaining({ pointer: "/allowedOrigins/0" })]);
    expect(JSON.stringify(body)).not.toContain("4111111111111111");
  });
});

describe("CORS and Origin checks", () => {
  it("grants a preflight exactly for origins a live publishable key lists, before any key is sent", async () => {
    const owner = await createProject("Preflights");
    await newPublishable(owner.headers, [PAGE]);
    const granted = await preflight(PAGE);
    expect(granted.status).toBe(204);
    expect(granted.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(granted.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(granted.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(granted.headers.get("vary")).toContain("Origin");
    expect(granted.headers.get("ratelimit-policy")).toMatch(/^"public";/);
    // The proof route a widget fetches is granted too (the request itself is checked later).
    expect((await preflight(PAGE, "/v1/scans/scn_0/findings/0/proof")).status).toBe(204);

    const refused = await expectProblem(await preflight(ELSEWHERE), 403, "forbidden");
    expect(refused.detail).toMatch(/origin/);
    const again = await preflight(ELSEWHERE);
    expect(again.headers.get("access-control-allow-origin")).toBeNull();
    expect(again.headers.get("vary")).toContain("Origin");

    // Once the only key listing an origin is revoked, its pages lose the grant.
    const lone = "https://revoked.example.com";
    const soon = await newPublishable(owner.headers, [lone]);
    expect((await preflight(lone)).status).toBe(204);
    expect((await call(`/v1/keys/${soon.id}`, { method: "DELETE", headers: owner.headers })).status).toBe(204);
    expect((await preflight(lone)).status).toBe(403);
  });

  it("lets a publishable key scan from its own origin, exposing the headers a page needs", async () => {
    const owner = await createProject("Actual requests");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const res = await scanFrom(fromPage(pub.key, PAGE));
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(res.headers.get("access-control-expose-headers")!.split(", ")).toEqual(
      expect.arrayContaining(["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id", "Location"]),
    );
    expect(res.headers.get("ratelimit-policy")).toContain('"publishable";q=8;w=60');
    expect(res.headers.get("ratelimit-policy")).toContain('"publishableBytes";q=200000;w=86400;qu="content-bytes"');
    const scan = (await res.json()) as { findings: Array<{ ruleId: string; proof?: { verdict: string } }> };
    expect(scan.findings.find((f) => f.ruleId === "sql-injection")?.proof?.verdict).toBe("proven");
  });

  it("refuses a publishable key from another origin, even one another key allows, and without Origin (curl)", async () => {
    const owner = await createProject("Wrong origins");
    const pub = await newPublishable(owner.headers, [PAGE]);
    await newPublishable(owner.headers, [OTHER_PAGE]);
    const other = await scanFrom(fromPage(pub.key, OTHER_PAGE));
    const body = await expectProblem(other, 403, "forbidden");
    expect(body.detail).toMatch(/not allowed from this origin/);
    // OTHER_PAGE may call the API (another key allows it), so it may read why it was refused.
    expect(other.headers.get("access-control-allow-origin")).toBe(OTHER_PAGE);
    // Refusals count against the caller's address, like failed authentication.
    expect(other.headers.get("ratelimit-policy")).toMatch(/^"ip";/);
    const elsewhere = await scanFrom(fromPage(pub.key, ELSEWHERE));
    await expectProblem(elsewhere, 403, "forbidden");
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    await expectProblem(await scanFrom(fromPage(pub.key, undefined)), 403, "forbidden");
  });

  it("never accepts a secret key or the admin token with an Origin, even an allowed one", async () => {
    const owner = await createProject("Secret in a page");
    await newPublishable(owner.headers, [PAGE]);
    const secret = await scanFrom({ ...owner.headers, origin: PAGE, "cf-connecting-ip": freshIp() });
    const body = await expectProblem(secret, 403, "forbidden");
    expect(body.detail).toMatch(/Secret keys never work from browsers/);
    expect(secret.headers.get("access-control-allow-origin")).toBe(PAGE);
    await expectProblem(await call("/v1/keys", { headers: { ...owner.headers, origin: ELSEWHERE } }), 403, "forbidden");
    await expectProblem(
      await call("/v1/projects", {
        method: "POST",
        headers: { ...ADMIN, origin: PAGE, "content-type": "application/json" },
        body: JSON.stringify({ name: "x" }),
      }),
      403,
      "forbidden",
    );
    // The same secret key from a server (no Origin) works as before.
    expect((await scanFrom({ ...owner.headers, "cf-connecting-ip": freshIp() })).status).toBe(201);
  });
});

describe("what a publishable key may do", () => {
  it("reads the scans it created (scan, findings, proof) and nothing else of its project", async () => {
    const owner = await createProject("Own scans");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const sibling = await newPublishable(owner.headers, [PAGE]);
    const mine = (await (await scanFrom(fromPage(pub.key, PAGE))).json()) as { id: string; findings: Array<{ id: string; proof?: unknown }> };
    const proven = mine.findings.find((f) => f.proof)!;
    const get = (path: string, key = pub.key, method = "GET") => call(path, { method, headers: fromPage(key, PAGE) });
    expect((await get(`/v1/scans/${mine.id}`)).status).toBe(200);
    expect((await get(`/v1/scans/${mine.id}/findings`)).status).toBe(200);
    expect((await get(`/v1/scans/${mine.id}/findings/${proven.id}/proof`)).status).toBe(200);

    const serverScan = (await (await scanFrom({ ...owner.headers, "cf-connecting-ip": freshIp() }, VULNERABLE + "// server\n")).json()) as { id: string };
    await expectProblem(await get(`/v1/scans/${serverScan.id}`), 404, "not_found");
    await expectProblem(await get(`/v1/scans/${mine.id}`, sibling.key), 404, "not_found");
    await expectProblem(await get(`/v1/scans/${mine.id}/findings/${proven.id}/proof`, sibling.key), 404, "not_found");
    for (const [path, method] of [
      ["/v1/scans", "GET"],
      [`/v1/scans/${mine.id}/sarif`, "GET"],
      [`/v1/scans/${mine.id}`, "DELETE"],
      ["/v1/keys", "GET"],
    ] as const) {
      const body = await expectProblem(await get(path, pub.key, method), 403, "forbidden");
      expect(body.detail).toMatch(/publishable key may only create scans/);
    }
  });

  it("finds duplicates among its own scans only, so it can always read what it is answered", async () => {
    const owner = await createProject("Duplicates");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const content = VULNERABLE + "// duplicate\n";
    const server = (await (await scanFrom({ ...owner.headers, "cf-connecting-ip": freshIp() }, content)).json()) as { id: string };
    const first = await scanFrom(fromPage(pub.key, PAGE), content);
    expect(first.status).toBe(201);
    const firstId = ((await first.json()) as { id: string }).id;
    expect(firstId).not.toBe(server.id);
    const again = await scanFrom(fromPage(pub.key, PAGE), content);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-duplicate-of")).toBe(firstId);
  });

  it("keeps its Idempotency-Keys apart from the project's other keys", async () => {
    const owner = await createProject("Idempotency");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const keyed = (headers: Record<string, string>) => scanFrom({ ...headers, "idempotency-key": "same-key-1" });
    const server = (await (await keyed({ ...owner.headers, "cf-connecting-ip": freshIp() })).json()) as { id: string };
    const page = await keyed(fromPage(pub.key, PAGE));
    expect(page.status).toBe(201);
    expect(page.headers.get("idempotent-replayed")).toBeNull();
    expect(((await page.json()) as { id: string }).id).not.toBe(server.id);
  });

  it("has a smaller scan size than a secret key (413 naming the limit)", async () => {
    const owner = await createProject("Sizes");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const big = "// padding\n".repeat(3_000); // 33 KB: over PUBLISHABLE_MAX_SCAN_BYTES (30000 in tests), under MAX_SCAN_BYTES
    const body = await expectProblem(await scanFrom(fromPage(pub.key, PAGE), big), 413, "payload_too_large");
    expect(body).toMatchObject({ limit: "maxFileBytes", max: 30_000 });
    expect((await scanFrom({ ...owner.headers, "cf-connecting-ip": freshIp() }, big)).status).toBe(202);
  });

  it("counts requests per key and visitor address under its own policy, readable by the page when refused", async () => {
    const owner = await createProject("Widget rate");
    const pub = await newPublishable(owner.headers, [PAGE]);
    const ip = freshIp();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 9; i++) {
      last = await call("/v1/scans/scn_00000000000000000000000000000000", { headers: fromPage(pub.key, PAGE, ip) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);
    const body = await expectProblem(last!, 429, "rate_limited");
    expect(body.policy).toBe("publishable");
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(last!.headers.get("access-control-allow-origin")).toBe(PAGE);
    // Another visitor of the same page is not held back, nor is the project's server.
    expect((await call("/v1/scans/scn_00000000000000000000000000000000", { headers: fromPage(pub.key, PAGE) })).status).toBe(404);
    expect((await call("/v1/scans", { headers: { ...owner.headers, "cf-connecting-ip": ip } })).status).toBe(200);
  });
});
