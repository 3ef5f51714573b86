/**
 * The scans API end to end inside workerd with real local D1, R2, Durable Objects and Queues:
 * synchronous and queued scans, reads, SARIF, deletion, tenancy, idempotency and dedupe,
 * validation and limits. Card numbers in submissions must never come back unmasked.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createProject, expectProblem, freshIp, postScan, waitForScan } from "./helpers";

// Luhn-valid Visa numbers that are not published test cards.
const PAN = "4539148803436467";
const PAN2 = "4716190207394368";

const checkout = (pan = PAN) => ({
  path: "src/checkout.js",
  content: `// Payment form fallback\nconst card = { number: "${pan}", holder: "A. Smith" };\nexport function pay() { return card; }\n`,
});

type ScanBody = {
  id: string;
  status: string;
  findings?: Array<{
    id: string;
    ruleId: string;
    snippet: string;
    message: string;
    severity: string;
    pci: string[];
    location: { path: string; startLine: number };
    proof?: { verdict: string };
  }>;
  summary: { findings: number; byPciRequirement: Record<string, number>; bySeverity: Record<string, number> } | null;
  links: { self: string; sarif: string; findings: string };
  error: string | null;
};

let main: Awaited<ReturnType<typeof createProject>>;
let other: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  main = await createProject("Main");
  other = await createProject("Other");
});

describe("POST /v1/scans (synchronous)", () => {
  it("answers 201 with the finished scan, its location and masked findings", async () => {
    const res = await postScan(main.headers, { files: [checkout()] });
    expect(res.status).toBe(201);
    const body = (await res.json()) as ScanBody;
    expect(res.headers.get("location")).toBe(`/v1/scans/${body.id}`);
    expect(body.id).toMatch(/^scn_[0-9a-f]{32}$/);
    expect(body.status).toBe("completed");
    const card = body.findings!.find((f) => f.ruleId === "card-number-in-source");
    expect(card).toBeDefined();
    expect(card!.location).toMatchObject({ path: "src/checkout.js", startLine: 2 });
    expect(card!.snippet).toContain("453914");
    expect(card!.snippet).toContain("6467");
    expect(JSON.stringify(body)).not.toContain(PAN);
    expect(body.summary!.byPciRequirement["3.5.1"]).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("ratelimit-policy")).toContain('"requests";q=40;w=60');
    expect(res.headers.get("ratelimit")).toMatch(/^"(requests|bytes)";r=\d+;t=\d+$/);
  });

  it("scans the same way the engine does for SQL files", async () => {
    const res = await postScan(main.headers, {
      files: [{ path: "db/grants.sql", content: "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';\n" }],
      options: { dialect: "mysql" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as ScanBody;
    expect(body.findings!.length).toBeGreaterThanOrEqual(1);
    expect(body.findings!.every((f) => f.location.path === "db/grants.sql")).toBe(true);
  });

  it("returns the earlier scan for an identical submission (200, X-Duplicate-Of)", async () => {
    const files = [{ path: "a.js", content: `const pan = "${PAN2}";\n` }];
    const first = (await (await postScan(main.headers, { files })).json()) as ScanBody;
    const again = await postScan(main.headers, { files });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-duplicate-of")).toBe(first.id);
    expect(((await again.json()) as ScanBody).id).toBe(first.id);
    const changed = await postScan(main.headers, { files, options: { minSeverity: "critical" } });
    expect(changed.status).toBe(201);
  });

  it("replays an Idempotency-Key with the same body and rejects it with a different one", async () => {
    const body = { files: [{ path: "idem.js", content: "let x = 1;\n" }] };
    const first = await postScan(main.headers, body, { "idempotency-key": "deploy-42" });
    expect(first.status).toBe(201);
    const id = ((await first.json()) as ScanBody).id;
    const replay = await postScan(main.headers, body, { "idempotency-key": "deploy-42" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as ScanBody).id).toBe(id);
    const different = await postScan(main.headers, { files: [{ path: "idem.js", content: "let x = 2;\n" }] }, { "idempotency-key": "deploy-42" });
    await expectProblem(different, 422, "unprocessable");
  });
});

describe("POST /v1/scans (queued)", () => {
  it("answers 202 and the local queue consumer completes the scan, deleting the upload", async () => {
    const res = await postScan(main.headers, { files: [checkout()], options: { async: true } });
    expect(res.status).toBe(202);
    expect(res.headers.get("retry-after")).toBe("2");
    const queued = (await res.json()) as ScanBody;
    expect(queued.status).toBe("queued");
    expect(res.headers.get("location")).toBe(`/v1/scans/${queued.id}`);
    const done = (await waitForScan(main.headers, queued.id)) as ScanBody;
    expect(done.status).toBe("completed");
    expect(done.findings!.some((f) => f.ruleId === "card-number-in-source")).toBe(true);
    expect(await env.PROOFS.head(`uploads/${queued.id}.json`)).toBeNull();
  });

  it("queues scans over the synchronous byte threshold and gives the same findings as a sync scan", async () => {
    const filler = "// " + "x".repeat(100) + "\n";
    const big = { path: "src/big.js", content: filler.repeat(250) + `const card = "${PAN}";\n` };
    const res = await postScan(main.headers, { files: [big] });
    expect(res.status).toBe(202);
    const done = (await waitForScan(main.headers, ((await res.json()) as ScanBody).id)) as ScanBody;
    const card = done.findings!.find((f) => f.ruleId === "card-number-in-source")!;
    expect(card.location.startLine).toBe(251);
  });
});

describe("a submission is one project", () => {
  const project = [
    { path: "src/db.js", content: `module.exports = require("mysql2").createPool({ host: process.env.DB_HOST });\n` },
    {
      path: "src/dao/orders.js",
      content: `const pool = require("../db");\nexports.byRef = (ref) => pool.query("SELECT * FROM orders WHERE ref = '" + ref + "'");\n`,
    },
    {
      path: "src/routes/orders.js",
      content: `const router = require("express").Router();\nconst orders = require("../dao/orders");\nrouter.get("/:ref", async (req, res) => res.json(await orders.byRef(req.params.ref)));\nmodule.exports = router;\n`,
    },
  ];
  type FlowFinding = {
    ruleId: string;
    location: { path: string; startLine: number };
    flow: Array<{ location: { path: string } }>;
    proof?: { verdict: string };
  };
  const injection = (body: ScanBody) => (body.findings as FlowFinding[] | undefined)?.find((f) => f.ruleId === "sql-injection");

  it("finds a request read in a route and run as SQL in a DAO, in sync and queued scans alike", async () => {
    const sync = (await (await postScan(main.headers, { files: project })).json()) as ScanBody;
    const queuedRes = await postScan(main.headers, { files: project, options: { async: true } });
    const queued = (await waitForScan(main.headers, ((await queuedRes.json()) as ScanBody).id)) as ScanBody;
    for (const body of [sync, queued]) {
      const finding = injection(body)!;
      expect(finding.location).toMatchObject({ path: "src/dao/orders.js", startLine: 2 });
      expect(finding.flow.map((s) => s.location.path)).toEqual(["src/routes/orders.js", "src/routes/orders.js", "src/dao/orders.js"]);
    }
  });
});

describe("reading scans", () => {
  let scanId: string;
  beforeAll(async () => {
    scanId = ((await (await postScan(main.headers, { files: [checkout(), { path: "b.sql", content: "DELETE FROM orders;\n" }] })).json()) as ScanBody).id;
  });

  it("GET /v1/scans/{id} returns the scan to its project and 404 to any other", async () => {
    const res = await call(`/v1/scans/${scanId}`, { headers: main.headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ScanBody).id).toBe(scanId);
    const foreign = await expectProblem(await call(`/v1/scans/${scanId}`, { headers: other.headers }), 404, "not_found");
    const missing = await expectProblem(await call(`/v1/scans/scn_${"0".repeat(32)}`, { headers: other.headers }), 404, "not_found");
    expect(foreign.detail).toBe(missing.detail);
    await expectProblem(await call(`/v1/scans/not-an-id`, { headers: main.headers }), 404, "not_found");
  });

  it("GET /v1/scans pages newest first with a cursor and filters by status", async () => {
    const first = (await (await call("/v1/scans?limit=1", { headers: main.headers })).json()) as { scans: ScanBody[]; nextCursor: string };
    expect(first.scans).toHaveLength(1);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (await call(`/v1/scans?limit=1&cursor=${first.nextCursor}`, { headers: main.headers })).json()) as { scans: ScanBody[] };
    expect(second.scans[0]!.id).not.toBe(first.scans[0]!.id);
    const completed = (await (await call("/v1/scans?status=completed&limit=100", { headers: main.headers })).json()) as { scans: ScanBody[] };
    expect(completed.scans.every((s) => s.status === "completed")).toBe(true);
    const otherList = (await (await call("/v1/scans", { headers: other.headers })).json()) as { scans: ScanBody[] };
    expect(otherList.scans.map((s) => s.id)).not.toContain(scanId);
    await expectProblem(await call("/v1/scans?cursor=garbage", { headers: main.headers }), 400, "validation_failed");
    await expectProblem(await call("/v1/scans?limit=0", { headers: main.headers }), 400, "validation_failed");
  });

  it("GET /v1/scans/{id}/findings pages and filters by severity and rule", async () => {
    const all = (await (await call(`/v1/scans/${scanId}/findings?limit=1`, { headers: main.headers })).json()) as {
      findings: ScanBody["findings"];
      nextCursor: string | null;
    };
    expect(all.findings).toHaveLength(1);
    const byRule = (await (await call(`/v1/scans/${scanId}/findings?rule=card-number-in-source`, { headers: main.headers })).json()) as {
      findings: NonNullable<ScanBody["findings"]>;
    };
    expect(byRule.findings.length).toBeGreaterThanOrEqual(1);
    expect(byRule.findings.every((f) => f.ruleId === "card-number-in-source")).toBe(true);
    const sev = byRule.findings[0]!.severity;
    const bySeverity = (await (await call(`/v1/scans/${scanId}/findings?severity=${sev}`, { headers: main.headers })).json()) as {
      findings: NonNullable<ScanBody["findings"]>;
    };
    expect(bySeverity.findings.every((f) => f.severity === sev)).toBe(true);
    await expectProblem(await call(`/v1/scans/${scanId}/findings?severity=urgent`, { headers: main.headers }), 400, "validation_failed");
  });

  it("GET /v1/scans/{id}/sarif returns SARIF 2.1.0 with the scan's results", async () => {
    const res = await call(`/v1/scans/${scanId}/sarif`, { headers: main.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/sarif+json");
    const sarif = (await res.json()) as {
      version: string;
      runs: Array<{ tool: { driver: { informationUri: string } }; results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }>;
    };
    expect(sarif.version).toBe("2.1.0");
    // The rule pages a reader follows are this API's own reference.
    expect(new URL(sarif.runs[0]!.tool.driver.informationUri).pathname).toBe("/docs");
    const ids = sarif.runs[0]!.results.map((r) => r.ruleId);
    expect(ids).toContain("card-number-in-source");
    expect(sarif.runs[0]!.results.every((r) => r.partialFingerprints.primaryLocationLineHash)).toBe(true);
    expect(JSON.stringify(sarif)).not.toContain(PAN);
  });

  it("GET …/proof answers 404 for a finding without a proof", async () => {
    const scan = (await (await call(`/v1/scans/${scanId}`, { headers: main.headers })).json()) as ScanBody;
    await expectProblem(await call(`/v1/scans/${scanId}/findings/${scan.findings![0]!.id}/proof`, { headers: main.headers }), 404, "not_found");
  });

  it("DELETE /v1/scans/{id} removes the scan and its findings; other projects cannot", async () => {
    const id = ((await (await postScan(main.headers, { files: [checkout(PAN2)], options: { minSeverity: "low" } })).json()) as ScanBody).id;
    await expectProblem(await call(`/v1/scans/${id}`, { method: "DELETE", headers: other.headers }), 404, "not_found");
    expect((await call(`/v1/scans/${id}`, { method: "DELETE", headers: main.headers })).status).toBe(204);
    await expectProblem(await call(`/v1/scans/${id}`, { headers: main.headers }), 404, "not_found");
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?").bind(id).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe("auth and scopes", () => {
  let main: Awaited<ReturnType<typeof createProject>>;
  beforeAll(async () => {
    main = await createProject("Auth");
  });

  it("401 without a key, with an unknown key, and with a revoked key", async () => {
    const ip = { "cf-connecting-ip": freshIp() };
    await expectProblem(await call("/v1/scans", { headers: ip }), 401, "unauthorized");
    await expectProblem(await call("/v1/scans", { headers: { ...ip, authorization: `Bearer pca_test_${"a".repeat(43)}` } }), 401, "unauthorized");
    const extra = await call("/v1/keys", {
      method: "POST",
      headers: { ...main.headers, "content-type": "application/json" },
      body: JSON.stringify({ name: "ci" }),
    });
    const created = (await extra.json()) as { id: string; key: string };
    expect((await call("/v1/scans", { headers: { authorization: `Bearer ${created.key}` } })).status).toBe(200);
    expect((await call(`/v1/keys/${created.id}`, { method: "DELETE", headers: main.headers })).status).toBe(204);
    await expectProblem(await call("/v1/scans", { headers: { ...ip, authorization: `Bearer ${created.key}` } }), 401, "unauthorized");
  });

  it("403 when the key lacks the scope", async () => {
    const readOnly = await createProject("ReadOnly", ["scans:read"]);
    await expectProblem(await postScan(readOnly.headers, { files: [checkout()] }), 403, "forbidden");
    await expectProblem(await call("/v1/keys", { headers: readOnly.headers }), 403, "forbidden");
    expect((await call("/v1/scans", { headers: readOnly.headers })).status).toBe(200);
  });

  it("lists keys without secrets or hashes", async () => {
    const res = await call("/v1/keys", { headers: main.headers });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(main.key);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe("bad input", () => {
  let main: Awaited<ReturnType<typeof createProject>>;
  beforeAll(async () => {
    main = await createProject("BadInput");
  });

  it("400 lists each invalid field", async () => {
    const res = await postScan(main.headers, {
      files: [{ path: "../etc/passwd", content: "x" }, { path: "ok.js" }],
      options: { dialect: "oracle", bogus: true },
    });
    const body = await expectProblem(res, 400, "validation_failed");
    const pointers = (body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/files/0/path", "/files/1/content", "/options/dialect", "/options"]));
  });

  it("400 for absolute paths, control characters and unknown rule ids", async () => {
    for (const path of ["/abs/x.js", "C:\\x.js", "a\u0007b.js"]) {
      await expectProblem(await postScan(main.headers, { files: [{ path, content: "" }] }), 400, "validation_failed");
    }
    const res = await postScan(main.headers, { files: [{ path: "a.js", content: "" }], options: { rules: { "no-such-rule": "off" } } });
    const body = await expectProblem(res, 400, "validation_failed");
    expect((body.errors as Array<{ pointer: string }>)[0]!.pointer).toBe("/options/rules");
  });

  it("413 names the limit: files per scan, bytes per file, bytes per scan", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ path: `f${i}.js`, content: "" }));
    expect((await expectProblem(await postScan(main.headers, { files: many }), 413, "payload_too_large")).limit).toBe("maxFiles");
    const huge = { path: "huge.js", content: "x".repeat(200_001) };
    expect((await expectProblem(await postScan(main.headers, { files: [huge] }), 413, "payload_too_large")).limit).toBe("maxFileBytes");
    const three = [1, 2, 3].map((i) => ({ path: `p${i}.js`, content: "y".repeat(150_000) }));
    expect((await expectProblem(await postScan(main.headers, { files: three }), 413, "payload_too_large")).limit).toBe("maxScanBytes");
  });

  it("400 for a malformed Idempotency-Key, duplicate paths", async () => {
    await expectProblem(await postScan(main.headers, { files: [{ path: "a.js", content: "" }] }, { "idempotency-key": "has space" }), 400, "bad_request");
    await expectProblem(
      await postScan(main.headers, {
        files: [
          { path: "a.js", content: "" },
          { path: "a.js", content: "" },
        ],
      }),
      400,
      "validation_failed",
    );
  });
});

describe("no card data at rest", () => {
  it("D1 rows hold no unmasked card number from any submission", async () => {
    const tables = ["scans", "findings"];
    for (const table of tables) {
      const rows = await env.DB.prepare(`SELECT * FROM ${table}`).all();
      const dump = JSON.stringify(rows.results);
      expect(dump).not.toContain(PAN);
      expect(dump).not.toContain(PAN2);
    }
    const objects = await env.PROOFS.list();
    for (const o of objects.objects) {
      const text = await (await env.PROOFS.get(o.key))!.text();
      expect(text).not.toContain(PAN);
    }
  });
});
