/**
 * Hostile: what an error answer repeats of the request, malformed JSON and framing, and the
 * small inconsistencies of issue 11 item 8. An error names what was wrong without becoming an
 * echo: at most a few unknown keys, each cut to 64 characters and masked; a 413 path, a 415
 * Content-Type and a 404 URL bounded and masked. Every answer passes the harness's bar (no 5xx,
 * bounded problem+json, nothing planted, no raw bidi override).
 */
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/app";
import { ADMIN, createProject, freshIp } from "../worker/helpers";
import { captureLogs, hostile, hostilePost, itLeavesNoCardDataOrSecrets, PANS, panForms, SECRETS } from "./harness";

const logs = captureLogs();
let main: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  main = await createProject("Reflection");
});

const PAN = PANS[0];

describe("error answers do not reflect input unbounded (issue 11 item 3)", () => {
  it("an unknown JSON key of 1 MB holding a card number comes back cut to 64 characters and masked", async () => {
    const key = `x${PAN}` + "k".repeat(1_000_000);
    const { body, text } = await hostilePost("/v1/scans", main.headers, `{"files":[{"path":"a.js","content":""}],${JSON.stringify(key)}:1}`);
    expect(body.code).toBe("validation_failed");
    const errors = body.errors as Array<{ pointer: string; message: string }>;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^unknown key "x491633\*{6}2832k+…"$/);
    expect(errors[0]!.message.length).toBeLessThan(90);
    expect(text.length).toBeLessThan(1_000);
  });

  it("ten thousand unknown keys are named three at a time and counted", async () => {
    const extra = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`${SECRETS[0]}_${i}`, i]));
    const { body } = await hostilePost("/v1/scans", main.headers, { files: [{ path: "a.js", content: "" }], ...extra });
    const [error] = body.errors as Array<{ message: string }>;
    expect(error!.message).toMatch(/^unknown keys "sk_live_\[redacted\]_0", "sk_live_\[redacted\]_1", "sk_live_\[redacted\]_2" and 9997 more$/);
  });

  it("keys inside options and rule names are masked in pointers too", async () => {
    const { body } = await hostilePost("/v1/scans", main.headers, {
      files: [{ path: "a.js", content: "" }],
      options: { rules: { [`rule-${PAN}`]: "off" }, [PAN]: true },
    });
    expect(body.code).toBe("validation_failed");
    expect(JSON.stringify(body.errors)).toContain("491633******2832");
  });

  it("a thousand invalid files list twenty field errors and count the rest", async () => {
    const files = Array.from({ length: 1_000 }, (_, i) => ({ path: `../${PAN}/${i}.js`, content: 1 }));
    const { body } = await hostilePost("/v1/scans", main.headers, { files });
    expect(body.errors as unknown[]).toHaveLength(20);
    expect(body.errorsOmitted).toBe(1_980);
  });

  it("a 413 for a file over the limit quotes its path cut and masked", async () => {
    const path = `fixtures/${PAN}/` + "p".repeat(400) + ".js";
    const { body } = await hostilePost("/v1/scans", main.headers, { files: [{ path, content: "x".repeat(200_001) }] });
    expect(body.code).toBe("payload_too_large");
    expect(body.detail).toMatch(/^File "fixtures\/491633\*{6}2832\/p+…" is 200001 bytes/);
    expect((body.detail as string).length).toBeLessThan(150);
  });

  it("a 415 quotes the Content-Type cut to 64 characters and masked", async () => {
    const type = `text/${PAN}; ${SECRETS[0]}; ` + "q".repeat(6_000);
    const { body } = await hostile("/v1/scans", { method: "POST", headers: { ...main.headers, "content-type": type }, body: "{}" });
    expect(body.code).toBe("unsupported_media_type");
    expect((body.detail as string).length).toBeLessThan(120);
    expect(body.detail).toContain("491633******2832");
  });

  it("a 404 for a long URL holding card numbers in every separator form reflects neither the URL in detail nor more than 200 masked characters in instance", async () => {
    for (const form of panForms(PAN)) {
      const path = `/nothing/${encodeURIComponent(form)}/` + "n".repeat(6_000);
      const { body } = await hostile(path, { headers: { "cf-connecting-ip": freshIp() } });
      expect(body.code).toBe("not_found");
      expect(body.detail).toBe("No route matches this path.");
      expect(decodeURI(body.instance as string).length).toBeLessThanOrEqual(201);
    }
  });
});

describe("malformed JSON and framing", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    hostile("/v1/scans", { method: "POST", headers: { ...main.headers, "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit);

  it("answers each malformed body with a 400 problem, quoting none of it", async () => {
    const bodies = [
      "",
      "{",
      `{"files":[{"path":"a.js","content":"${PAN}`,
      "null",
      "[]",
      '"files"',
      "1e999999",
      "\uFEFF{}",
      "{'files':[]}",
      '{"files":[],}',
      "[".repeat(200_000),
      "[".repeat(100_000) + "]".repeat(100_000),
      '{"a":'.repeat(50_000),
    ];
    for (const body of bodies) {
      const { res, body: problem } = await post(body);
      expect(res.status).toBe(400);
      expect(["invalid_json", "validation_failed"]).toContain(problem.code);
    }
  });

  it("answers bytes that are not UTF-8 with a 400", async () => {
    const { res } = await post(new Uint8Array([0x7b, 0x22, 0x66, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    expect(res.status).toBe(400);
  });

  it("takes the last of duplicate keys and still validates it", async () => {
    const { res } = await post(`{"files":[{"path":"a.js","content":""}],"files":"x"}`);
    expect(res.status).toBe(400);
  });

  it("refuses Content-Length that lies or is not a number, and content types that only look like JSON", async () => {
    for (const length of ["-1", "abc", "1e3", "99999999999999999999"]) {
      const { res } = await post("{}", { "content-length": length });
      expect([400, 413]).toContain(res.status);
    }
    for (const type of ["application/jsonx", "text/json", "application/json-patch", "multipart/form-data; boundary=x"]) {
      const { res } = await post("{}", { "content-type": type });
      expect(res.status).toBe(415);
    }
  });

  it("stops reading a streamed body at the limit (413) without buffering it", async () => {
    const limit = Number(env.MAX_BODY_BYTES);
    let pulled = 0;
    const chunk = new TextEncoder().encode(`"${PAN}",`.repeat(4_000));
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled > 12_000_000) return controller.close();
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const { res } = await post(stream);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(limit + 4 * chunk.byteLength);
  });
});

describe("a trailing slash gets the same answer as its absence (issue 11 item 8)", () => {
  it("routes GET and POST with a trailing slash, and a 405 never refuses the method it allows", async () => {
    expect((await hostile("/healthz/", { headers: { "cf-connecting-ip": freshIp() } })).res.status).toBe(200);
    const created = await hostilePost("/v1/scans/", main.headers, { files: [{ path: "slash.js", content: "let a = 1;\n" }] });
    expect(created.res.status).toBe(201);
    expect((await hostile(`/v1/scans/${created.body.id as string}/`, { headers: main.headers })).res.status).toBe(200);
    for (const route of ROUTES) {
      const path = route.path.replace(/\{\w+\}/g, "x") + "/";
      const method = route.method.toUpperCase();
      const headers = route.auth === "admin" ? ADMIN : main.headers;
      const { res } = await hostile(path, { method, headers: { ...headers, "cf-connecting-ip": freshIp() } });
      if (res.status === 405) expect(res.headers.get("allow")!.split(", ")).not.toContain(method);
    }
    const wrong = await hostile("/healthz/", { method: "PATCH", headers: { "cf-connecting-ip": freshIp() } });
    expect(wrong.res.status).toBe(405);
    expect(wrong.res.headers.get("allow")).toBe("GET, HEAD");
    expect(wrong.body.detail).toBe("PATCH is not allowed here.");
  });
});

describe("RateLimit headers on every response (issue 11 item 8)", () => {
  it("public routes and unknown paths carry the per-address policy", async () => {
    for (const path of ["/healthz", "/readyz", "/openapi.json", "/docs", "/problems/not_found", "/no/such/path"]) {
      const { res } = await hostile(path, { headers: { "cf-connecting-ip": "192.0.2.44" } });
      expect(res.headers.get("ratelimit-policy"), path).toBe('"public";q=100;w=60');
      expect(res.headers.get("ratelimit"), path).toMatch(/^"public";r=\d+;t=\d+$/);
    }
  });

  it("a header that is not an address counts against the one unknown-address bucket, not a bucket it names", async () => {
    const { res } = await hostile("/healthz", { headers: { "cf-connecting-ip": PAN } });
    expect(res.headers.get("ratelimit")).toMatch(/^"public";r=\d+;t=\d+$/);
    const named = env.RATE_LIMITER.idFromName(`public:${PAN}`).toString();
    const unknown = env.RATE_LIMITER.idFromName("public:unknown").toString();
    const ids = (await listDurableObjectIds(env.RATE_LIMITER)).map((id) => id.toString());
    expect(ids).toContain(unknown);
    expect(ids).not.toContain(named);
  });
});

itLeavesNoCardDataOrSecrets("reflection-and-framing", logs);
