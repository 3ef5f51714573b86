/**
 * Hostile: oversize everything — bodies, files, arrays, keys, query parameters, cursors and
 * headers at and past each limit. Each answer is bounded whatever the size of the question, and
 * a synchronous scan at the largest synchronous size of statements that do not parse answers
 * 201 with its notifications counted, not listed one by one (issue 11 item 4). Test limits
 * (vitest.config.ts): 20 files, 200 KB per file, 400 KB per scan, 20 KB synchronous, 2 MB body.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { NOTIFICATIONS_PER_CODE } from "../../src/engine/report/output-boundary";
import { ADMIN, createProject, freshIp } from "../worker/helpers";
import { captureLogs, hostile, hostilePost, itLeavesNoCardDataOrSecrets, PANS, SECRETS } from "./harness";

const logs = captureLogs();
let main: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  main = await createProject("Oversize");
});

const PAN = PANS[0];
const code = (answer: { body: Record<string, unknown> }) => answer.body.code;

describe("bodies and arrays", () => {
  it("a body just under the 2 MB limit holding one huge file gets 413 naming the per-file limit", async () => {
    const answer = await hostilePost("/v1/scans", main.headers, { files: [{ path: `big/${PAN}.js`, content: "x".repeat(1_900_000) }] });
    expect(answer.res.status).toBe(413);
    expect(answer.body.limit).toBe("maxFileBytes");
  });

  it("fifty thousand invalid files answer with twenty field errors and a count", async () => {
    const answer = await hostilePost("/v1/scans", main.headers, `{"files":[${Array.from({ length: 50_000 }, () => "{}").join(",")}]}`);
    expect(code(answer)).toBe("validation_failed");
    expect(answer.body.errors as unknown[]).toHaveLength(20);
    expect(answer.body.errorsOmitted).toBe(100_000 - 20);
  });

  it("ten thousand rule settings answer with one bounded error", async () => {
    const rules = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`rule-${i}-${PAN}`, "off"]));
    const answer = await hostilePost("/v1/scans", main.headers, { files: [{ path: "a.js", content: "" }], options: { rules } });
    expect(code(answer)).toBe("validation_failed");
  });

  it("2 MB of whitespace is malformed JSON, not a hang", async () => {
    expect(code(await hostilePost("/v1/scans", main.headers, " ".repeat(1_990_000)))).toBe("invalid_json");
  });

  it("twenty files (the limit) are scanned; twenty-one are refused with 413", async () => {
    const files = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `many/f${i}.js`, content: `export const f${i} = ${i};\n` }));
    expect((await hostilePost("/v1/scans", main.headers, { files: files(20) })).res.status).toBe(201);
    expect((await hostilePost("/v1/scans", main.headers, { files: files(21) })).body.limit).toBe("maxFiles");
  });
});

describe("labels and headers at and past their limits", () => {
  it("paths of 512 characters pass and of 513 do not; names of 100 pass and of 101 do not", async () => {
    expect((await hostilePost("/v1/scans", main.headers, { files: [{ path: "p".repeat(509) + ".js", content: "" }] })).res.status).toBe(201);
    expect(code(await hostilePost("/v1/scans", main.headers, { files: [{ path: "p".repeat(510) + ".js", content: "" }] }))).toBe("validation_failed");
    expect((await hostilePost("/v1/projects", ADMIN, { name: "n".repeat(100) })).res.status).toBe(201);
    expect(code(await hostilePost("/v1/projects", ADMIN, { name: "n".repeat(101) }))).toBe("validation_failed");
  });

  it("an Idempotency-Key of 255 characters passes and of 256 does not", async () => {
    const body = { files: [{ path: "idem.js", content: "let i = 0;\n" }] };
    expect((await hostilePost("/v1/scans", main.headers, body, { "idempotency-key": "k".repeat(255) })).res.status).toBe(201);
    expect(code(await hostilePost("/v1/scans", main.headers, body, { "idempotency-key": "k".repeat(256) }))).toBe("bad_request");
  });

  it("a 32 KB Authorization header is a 401, a 10 KB X-Request-Id is replaced", async () => {
    const unauthorized = await hostile("/v1/scans", { headers: { authorization: `Bearer ${SECRETS[0]}${"a".repeat(32_000)}`, "cf-connecting-ip": freshIp() } });
    expect(unauthorized.res.status).toBe(401);
    const { res } = await hostile("/healthz", { headers: { "x-request-id": "r".repeat(10_000), "cf-connecting-ip": freshIp() } });
    expect(res.headers.get("x-request-id")!.length).toBeLessThanOrEqual(128);
  });
});

describe("query parameters", () => {
  it("refuses huge, negative and non-numeric limits, long or forged cursors, and unknown parameters, quoting none of them whole", async () => {
    const forged = btoa(JSON.stringify({ c: PAN, i: SECRETS[0] }));
    const queries = [
      `limit=${"9".repeat(400)}`,
      "limit=-1",
      "limit=1e3",
      `limit=${PAN}`,
      `cursor=${"A".repeat(10_000)}`,
      `cursor=${forged}`,
      `status=${PAN}`,
      `${PAN}=${SECRETS[0]}`,
      Array.from({ length: 500 }, (_, i) => `p${i}=${PAN}`).join("&"),
    ];
    for (const query of queries) {
      const answer = await hostile(`/v1/scans?${query}`, { headers: main.headers });
      expect(answer.res.status, query.slice(0, 40)).toBe(400);
    }
    const scan = await hostilePost("/v1/scans", main.headers, { files: [{ path: "q.sql", content: "DELETE FROM q;\n" }] });
    for (const query of [`rule=${"r".repeat(200)}`, `severity=${PAN}`, `cursor=${forged}`]) {
      expect((await hostile(`/v1/scans/${scan.body.id as string}/findings?${query}`, { headers: main.headers })).res.status).toBe(400);
    }
  });
});

describe("the largest synchronous scan of statements that do not parse (issue 11 item 4)", () => {
  it("answers 201 with notifications counted per code instead of listed one by one", async () => {
    const max = Number(env.SYNC_SCAN_MAX_BYTES);
    let content = "";
    for (let i = 0; content.length + 40 < max; i++) content += `SELEC ${i} FRM t${i} WHER x = ${PAN};\n`;
    const answer = await hostilePost("/v1/scans", main.headers, { files: [{ path: "db/bad.sql", content }] });
    expect(answer.res.status).toBe(201);
    const notifications = answer.body.notifications as Array<{ code: string; message: string }>;
    const parseErrors = notifications.filter((n) => n.code === "sql-parse-error");
    expect(parseErrors.length).toBeGreaterThan(0);
    expect(parseErrors.length).toBeLessThanOrEqual(NOTIFICATIONS_PER_CODE + 1);
    expect(parseErrors.some((n) => /more/.test(n.message))).toBe(true);
  });
});

itLeavesNoCardDataOrSecrets("oversize", logs);
