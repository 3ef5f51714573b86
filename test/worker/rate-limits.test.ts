/**
 * Exact limits through the real RateLimiter Durable Object: N parallel requests against a quota
 * of L admit exactly L, the rest get 429 problem+json with Retry-After, and every response
 * carries RateLimit-Policy / RateLimit (draft -11 syntax). Test policies (vitest.config.ts):
 * requests 40/60 s, bytes 1,000,000/day, ip 30/60 s.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createProject, expectProblem, postScan } from "./helpers";

describe("RateLimiter Durable Object", () => {
  it("admits exactly the quota under parallel hits (fixed window)", async () => {
    const stub = env.RATE_LIMITER.getByName("test:exact-window");
    const results = await Promise.all(Array.from({ length: 50 }, () => stub.hit("fixed-window", 1, 20, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1)).toBe(true);
  });

  it("admits exactly the burst capacity under parallel hits (token bucket)", async () => {
    const stub = env.RATE_LIMITER.getByName("test:exact-bucket");
    const results = await Promise.all(Array.from({ length: 30 }, () => stub.hit("token-bucket", 1, 10, 3600)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("writes its counts through to the object's storage", async () => {
    const stub = env.RATE_LIMITER.getByName("test:persisted");
    await stub.hit("fixed-window", 3, 10, 60);
    await stub.hit("fixed-window", 4, 10, 60);
    const stored = await runInDurableObject(stub, async (_, state) => state.storage.get<{ used: number }>("window"));
    expect(stored?.used).toBe(7);
  });

  it("does not charge denied hits", async () => {
    const stub = env.RATE_LIMITER.getByName("test:no-charge");
    expect((await stub.hit("fixed-window", 8, 10, 60)).allowed).toBe(true);
    expect((await stub.hit("fixed-window", 5, 10, 60)).allowed).toBe(false);
    const last = await stub.hit("fixed-window", 2, 10, 60);
    expect(last).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe("request-rate policy over HTTP", () => {
  it("with 50 parallel requests against a quota of 40, exactly 40 succeed", async () => {
    const { headers } = await createProject("Burst");
    // The project was created with one request by the admin (its own tenant), so the key has its full quota.
    const responses = await Promise.all(Array.from({ length: 50 }, () => call("/v1/scans", { headers })));
    const ok = responses.filter((r) => r.status === 200);
    const limited = responses.filter((r) => r.status === 429);
    expect(ok).toHaveLength(40);
    expect(limited).toHaveLength(10);
    const problem = await expectProblem(limited[0]!, 429, "rate_limited");
    expect(problem.policy).toBe("requests");
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.headers.get("ratelimit")).toMatch(/^"requests";r=0;t=\d+$/);
    expect(ok[0]!.headers.get("ratelimit-policy")).toBe('"requests";q=40;w=60');
  });
});

describe("daily bytes quota", () => {
  it("charges submitted bytes and answers 429 once the project's quota is used", async () => {
    const { headers } = await createProject("Bytes");
    const file = (i: number) => ({ path: `f${i}.js`, content: `// ${i}\n` + "a".repeat(180_000) });
    let status = 0;
    let sent = 0;
    for (let i = 0; i < 7 && status !== 429; i++) {
      const res = await postScan(headers, { files: [file(i)], options: { async: true } });
      status = res.status;
      if (status === 202) sent++;
      else {
        const body = await expectProblem(res, 429, "rate_limited");
        expect(body.policy).toBe("bytes");
        expect(res.headers.get("ratelimit-policy")).toContain('"bytes";q=1000000;w=86400;qu="content-bytes"');
      }
    }
    expect(sent).toBe(5);
    expect(status).toBe(429);
  });
});

describe("per-IP policy for failed authentication", () => {
  it("turns 401s into 429 after the IP quota", async () => {
    const headers = { authorization: "Bearer nope", "cf-connecting-ip": "203.0.113.77" };
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) statuses.push((await call("/v1/scans", { headers })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);
  });
});
