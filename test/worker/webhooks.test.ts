/**
 * Outbound webhooks through the API, in workerd on the real local D1: registering an endpoint
 * (secret shown once, stored only sealed), listing, editing, deleting, scopes and tenancy; the
 * events a scan sends when it ends and the `webhook.test` event, each verified by the
 * `standardwebhooks` reference library as a real receiver would; the rotation window's two
 * signatures; redelivery; the delivery log's pages; OpenAPI listing every route.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { newId } from "../../src/auth/api-keys";
import { failScan } from "../../src/scans/lifecycle";
import { emitScanEvent } from "../../src/webhooks/emit";
import { openSecret, sealSecret } from "../../src/webhooks/secrets";
import { call, createProject, expectProblem, postScan } from "./helpers";
import { captureWebhookQueue, fakeReceiver, verify, type WebhookQueue } from "./webhook-receiver";

let project: Awaited<ReturnType<typeof createProject>>;
let queue: WebhookQueue;

beforeAll(async () => {
  project = await createProject("Webhooks");
});
beforeEach(() => {
  queue = captureWebhookQueue();
});
afterEach(() => vi.restoreAllMocks());

const json = (headers: Record<string, string>) => ({ ...headers, "content-type": "application/json" });

async function createWebhook(
  body: Record<string, unknown> = {},
  headers = project.headers,
): Promise<{ id: string; secret: string; body: Record<string, unknown> }> {
  const res = await call("/v1/webhooks", { method: "POST", headers: json(headers), body: JSON.stringify({ url: "https://hooks.example.com/pci", ...body }) });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Record<string, unknown>;
  expect(res.headers.get("location")).toBe(`/v1/webhooks/${created.id as string}`);
  return { id: created.id as string, secret: created.secret as string, body: created };
}

const ok = () => new Response(null, { status: 204 });

describe("registering an endpoint", () => {
  it("shows a Standard Webhooks secret once and stores it only sealed", async () => {
    const { id, secret, body } = await createWebhook({ description: "CI notifier" });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice("whsec_".length))).toHaveLength(32);
    expect(body).toMatchObject({ status: "enabled", events: ["scan.completed", "scan.failed"], description: "CI notifier", disabledReason: null });

    const got = (await (await call(`/v1/webhooks/${id}`, { headers: project.headers })).json()) as Record<string, unknown>;
    expect(got).not.toHaveProperty("secret");
    expect(JSON.stringify(got)).not.toContain(secret.slice(6));
    const listed = (await (await call("/v1/webhooks", { headers: project.headers })).json()) as { webhooks: Array<Record<string, unknown>> };
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));

    // The raw row: neither the secret nor its key bytes in any column.
    const row = await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?").bind(id).first<Record<string, unknown>>();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(secret.slice(6));
    expect(raw).not.toContain("whsec_");
    expect(String(row!.secret)).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(await openSecret(env, String(row!.secret), id)).toBe(secret);
  });

  it("a sealed secret copied onto another endpoint's row does not open", async () => {
    const sealed = await sealSecret(env, "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXh4", newId("whe"));
    await expect(openSecret(env, sealed, newId("whe"))).rejects.toThrow();
  });

  it("answers 503 problem+json while WEBHOOK_SECRET_KEY is not set, and stores nothing", async () => {
    const { id } = await createWebhook();
    const { createApp } = await import("../../src/app");
    const unset = { ...env, WEBHOOK_SECRET_KEY: undefined };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const before = await env.DB.prepare("SELECT id, secret FROM webhook_endpoints ORDER BY id").all();
    await expectProblem(
      await createApp().request(
        "https://api.test/v1/webhooks",
        { method: "POST", headers: json(project.headers), body: JSON.stringify({ url: "https://hooks.example.com/x" }) },
        unset,
        ctx,
      ),
      503,
      "unavailable",
    );
    await expectProblem(
      await createApp().request(`https://api.test/v1/webhooks/${id}/rotate-secret`, { method: "POST", headers: project.headers }, unset, ctx),
      503,
      "unavailable",
    );
    expect((await env.DB.prepare("SELECT id, secret FROM webhook_endpoints ORDER BY id").all()).results).toEqual(before.results);
  });

  it("refuses a project's 21st endpoint with 422", async () => {
    const many = await createProject("Many endpoints");
    for (let i = 0; i < 20; i++) await createWebhook({ url: `https://hooks.example.com/${i}` }, many.headers);
    const res = await call("/v1/webhooks", { method: "POST", headers: json(many.headers), body: JSON.stringify({ url: "https://hooks.example.com/21" }) });
    await expectProblem(res, 422, "unprocessable");
  });

  it("needs the webhooks:admin scope, and another project's endpoint is a 404", async () => {
    const scansOnly = await createProject("Scans only", ["scans:read", "scans:write"]);
    await expectProblem(
      await call("/v1/webhooks", { method: "POST", headers: json(scansOnly.headers), body: JSON.stringify({ url: "https://hooks.example.com/x" }) }),
      403,
      "forbidden",
    );
    await expectProblem(await call("/v1/webhooks", { headers: scansOnly.headers }), 403, "forbidden");
    const { id } = await createWebhook();
    const stranger = await createProject("Stranger");
    for (const [method, path] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/rotate-secret"],
      ["POST", "/test"],
      ["GET", "/deliveries"],
    ] as const) {
      const res = await call(`/v1/webhooks/${id}${path}`, {
        method,
        headers: json(stranger.headers),
        ...(method === "PATCH" ? { body: JSON.stringify({ enabled: false }) } : {}),
      });
      await expectProblem(res, 404, "not_found");
    }
    expect((await call(`/v1/webhooks/${id}`, { headers: project.headers })).status).toBe(200);
  });

  it("edits URL, events and description, refuses an empty or unknown edit, and deletes", async () => {
    const { id } = await createWebhook();
    const patched = await call(`/v1/webhooks/${id}`, {
      method: "PATCH",
      headers: json(project.headers),
      body: JSON.stringify({ url: "https://other.example.com/hook", events: ["scan.failed"], description: null }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ url: "https://other.example.com/hook", events: ["scan.failed"], description: null });
    await expectProblem(await call(`/v1/webhooks/${id}`, { method: "PATCH", headers: json(project.headers), body: "{}" }), 400, "validation_failed");
    await expectProblem(
      await call(`/v1/webhooks/${id}`, { method: "PATCH", headers: json(project.headers), body: JSON.stringify({ secret: "whsec_x" }) }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await call(`/v1/webhooks/${id}`, { method: "PATCH", headers: json(project.headers), body: JSON.stringify({ events: ["webhook.test"] }) }),
      400,
      "validation_failed",
    );
    expect((await call(`/v1/webhooks/${id}`, { method: "DELETE", headers: project.headers })).status).toBe(204);
    await expectProblem(await call(`/v1/webhooks/${id}`, { headers: project.headers }), 404, "not_found");
  });

  it("lists endpoints in cursor pages, newest first", async () => {
    const paged = await createProject("Paged");
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createWebhook({ url: `https://hooks.example.com/${i}` }, paged.headers)).id);
    const first = (await (await call("/v1/webhooks?limit=2", { headers: paged.headers })).json()) as { webhooks: Array<{ id: string }>; nextCursor: string };
    expect(first.webhooks.map((w) => w.id)).toEqual([ids[2], ids[1]]);
    const second = (await (await call(`/v1/webhooks?limit=2&cursor=${first.nextCursor}`, { headers: paged.headers })).json()) as {
      webhooks: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect(second).toEqual({ webhooks: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    await expectProblem(await call("/v1/webhooks?cursor=bm90LWEtY3Vyc29y", { headers: paged.headers }), 400, "validation_failed");
  });
});

describe("events a scan sends when it ends", () => {
  it("scan.completed: signed so the reference library verifies it, with counts and links and no code; the secret is never logged", async () => {
    const lines: string[] = [];
    for (const level of ["log", "warn", "error"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const receiverProject = await createProject("Receiver");
    const { secret } = await createWebhook({}, receiverProject.headers);
    const content = "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';\nconst card = '4916338506082832';\n";
    const res = await postScan(receiverProject.headers, {
      files: [
        { path: "db/grants.sql", content: content.split("\n")[0] },
        { path: "src/pay.js", content: content.split("\n")[1] },
      ],
    });
    expect(res.status).toBe(201);
    const scan = (await res.json()) as {
      id: string;
      summary: { findings: number; bySeverity: Record<string, number>; byPciRequirement: Record<string, number> };
    };
    expect(scan.summary.findings).toBeGreaterThan(0);

    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.url).toBe("https://hooks.example.com/pci");
    expect(got.headers["content-type"]).toBe("application/json");
    const payload = verify(secret, got) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(payload.type).toBe("scan.completed");
    expect(payload.data).toMatchObject({
      scanId: scan.id,
      status: "completed",
      findings: { total: scan.summary.findings, bySeverity: scan.summary.bySeverity, byPciRequirement: scan.summary.byPciRequirement },
      links: { scan: `/v1/scans/${scan.id}`, findings: `/v1/scans/${scan.id}/findings`, sarif: `/v1/scans/${scan.id}/sarif` },
    });
    expect(got.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    // No source, snippet or card number: not even masked.
    for (const leak of ["GRANT", "4916338506082832", "****", "snippet", "db/grants.sql"]) expect(got.body).not.toContain(leak);
    expect(() => verify(`whsec_${btoa("x".repeat(32))}`, got)).toThrow();
    expect(lines.some((l) => l.includes("webhook attempt"))).toBe(true);
    expect(lines.join("\n")).not.toContain(secret.slice("whsec_".length, 30));
  });

  it("end to end through the local queue and the Worker's own fetch: the event arrives, signed", async () => {
    vi.restoreAllMocks(); // no capture: the real local queue and consumer deliver
    const p = await createProject("End to end");
    const { id, secret } = await createWebhook({ url: "https://e2e.example.com/hook" }, p.headers);
    const received: Array<{ body: string; headers: Record<string, string>; at: number }> = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith("https://e2e.example.com/")) throw new TypeError("no network here");
      received.push({ body: await request.text(), headers: Object.fromEntries(request.headers), at: Date.now() });
      return new Response(null, { status: 204 });
    });
    const res = await postScan(p.headers, { files: [{ path: "db/grants.sql", content: "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';\n" }] });
    const scan = (await res.json()) as { id: string; finishedAt: string };
    for (let waited = 0; received.length === 0 && waited < 10_000; waited += 25) await new Promise((r) => setTimeout(r, 25));
    expect(received).toHaveLength(1);
    expect(new Webhook(secret).verify(received[0]!.body, received[0]!.headers)).toMatchObject({ type: "scan.completed", data: { scanId: scan.id } });
    for (let waited = 0; waited < 5_000; waited += 25) {
      const [d] = ((await (await call(`/v1/webhooks/${id}/deliveries`, { headers: p.headers })).json()) as { deliveries: Array<{ status: string }> })
        .deliveries;
      if (d?.status === "delivered") break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const [d] = ((await (await call(`/v1/webhooks/${id}/deliveries`, { headers: p.headers })).json()) as { deliveries: Array<Record<string, unknown>> })
      .deliveries;
    expect(d).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 204 });
    console.log(`scan completion to first delivery attempt (local queue): ${received[0]!.at - Date.parse(scan.finishedAt)} ms`);
  });

  it("scan.failed carries the reason, and only to endpoints subscribed to it", async () => {
    const p = await createProject("Failing scans");
    const failedOnly = await createWebhook({ url: "https://failed.example.com/", events: ["scan.failed"] }, p.headers);
    await createWebhook({ url: "https://completed.example.com/", events: ["scan.completed"] }, p.headers);
    const scanId = newId("scn");
    await env.DB.prepare(
      "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, created_at) VALUES (?, ?, 'running', 'h', '0', '{}', 1, 10, ?)",
    )
      .bind(scanId, p.projectId, Date.now())
      .run();
    await failScan(env, scanId, "The scan could not be completed after 6 attempts.", { by: "server" });
    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver);
    expect(receiver.received.map((r) => r.url)).toEqual(["https://failed.example.com/"]);
    expect(verify(failedOnly.secret, receiver.received[0]!)).toMatchObject({
      type: "scan.failed",
      data: { scanId, status: "failed", error: "The scan could not be completed after 6 attempts." },
    });
  });

  it("the same event emitted twice carries the same webhook-id, so receivers dedupe it", async () => {
    const p = await createProject("Twice");
    await createWebhook({}, p.headers);
    const scanId = newId("scn");
    await env.DB.prepare(
      "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, created_at) VALUES (?, ?, 'running', 'h', '0', '{}', 1, 10, ?)",
    )
      .bind(scanId, p.projectId, Date.now())
      .run();
    // The failure emits once; a second failScan is refused (the scan is final), so emit again directly, as a retried emit would.
    expect(await failScan(env, scanId, "first", { by: "server" })).toBe(true);
    expect(await failScan(env, scanId, "again", { by: "server" })).toBe(false);
    await emitScanEvent(env, scanId);
    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(receiver.received[1]!.headers["webhook-id"]);
  });
});

describe("test events, rotation and redelivery", () => {
  // A project per test: each stays well inside the per-project request quota.
  let owner: Awaited<ReturnType<typeof createProject>>;
  beforeEach(async () => {
    owner = await createProject("Events");
  });

  it("POST /test queues a webhook.test event that the reference library verifies", async () => {
    const { id, secret } = await createWebhook({}, owner.headers);
    const res = await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ webhookId: id, eventType: "webhook.test", status: "pending", attempts: 0 });
    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver);
    expect(verify(secret, receiver.received[0]!)).toMatchObject({ type: "webhook.test", data: { endpointId: id } });
    const log = (await (await call(`/v1/webhooks/${id}/deliveries`, { headers: owner.headers })).json()) as { deliveries: Array<Record<string, unknown>> };
    expect(log.deliveries[0]).toMatchObject({
      status: "delivered",
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      attemptLog: [{ attempt: 1, statusCode: 204, errorClass: null, nextAttemptAt: null }],
    });
  });

  it("after a rotation both secrets verify for 24 hours (two v1 signatures), then only the new one", async () => {
    const { id, secret: oldSecret } = await createWebhook({}, owner.headers);
    const rotated = await call(`/v1/webhooks/${id}/rotate-secret`, { method: "POST", headers: owner.headers });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = (await rotated.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const window = Date.parse(previousSecretExpiresAt) - Date.now();
    expect(window).toBeGreaterThan(23.9 * 3_600_000);
    expect(window).toBeLessThanOrEqual(24 * 3_600_000);

    const receiver = fakeReceiver(queue.clock, ok);
    await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    await queue.pump(receiver);
    const inWindow = receiver.received[0]!;
    expect(inWindow.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(inWindow.headers["webhook-signature"]!.split(" ").every((s) => s.startsWith("v1,"))).toBe(true);
    expect(verify(newSecret, inWindow)).toMatchObject({ type: "webhook.test" });
    expect(verify(oldSecret, inWindow)).toMatchObject({ type: "webhook.test" });

    // A day and an hour later the old secret no longer signs.
    queue.clock.now = Date.now() + 25 * 3_600_000;
    await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    await queue.pump(receiver);
    const after = receiver.received[1]!;
    expect(after.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(verify(newSecret, after)).toMatchObject({ type: "webhook.test" });
    expect(() => verify(oldSecret, after)).toThrow();
  });

  it("after WEBHOOK_SECRET_KEY changes, a rotation brings deliveries back: the unreadable old secret is left out", async () => {
    const { id } = await createWebhook({}, owner.headers);
    const { createApp } = await import("../../src/app");
    const newKeyEnv = { ...env, WEBHOOK_SECRET_KEY: btoa("another-32-byte-key-for-sealing!") };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const rotated = await createApp().request(`https://api.test/v1/webhooks/${id}/rotate-secret`, { method: "POST", headers: owner.headers }, newKeyEnv, ctx);
    const { secret } = (await rotated.json()) as { secret: string };
    await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver, { env: newKeyEnv });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(verify(secret, receiver.received[0]!)).toMatchObject({ type: "webhook.test" });
  });

  it("redelivers a given-up event as a new delivery with the same webhook-id; a pending one is a 409", async () => {
    const { id, secret } = await createWebhook({}, owner.headers);
    await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    await queue.pump(fakeReceiver(queue.clock, () => new Response("nope", { status: 400 })));
    const log = (await (await call(`/v1/webhooks/${id}/deliveries`, { headers: owner.headers })).json()) as {
      deliveries: Array<{ id: string; status: string; eventId: string }>;
    };
    const given = log.deliveries[0]!;
    expect(given.status).toBe("failed");

    const res = await call(`/v1/webhooks/${id}/deliveries/${given.id}/redeliver`, { method: "POST", headers: owner.headers });
    expect(res.status).toBe(202);
    const again = (await res.json()) as { id: string; eventId: string; status: string };
    expect(again).toMatchObject({ eventId: given.eventId, status: "pending" });
    expect(again.id).not.toBe(given.id);
    await expectProblem(await call(`/v1/webhooks/${id}/deliveries/${again.id}/redeliver`, { method: "POST", headers: owner.headers }), 409, "conflict");

    const receiver = fakeReceiver(queue.clock, ok);
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(given.eventId);
    expect(verify(secret, receiver.received[0]!)).toMatchObject({ type: "webhook.test" });
    const after = (await (await call(`/v1/webhooks/${id}/deliveries`, { headers: owner.headers })).json()) as {
      deliveries: Array<{ id: string; status: string }>;
    };
    expect(after.deliveries.map((d) => [d.id, d.status])).toEqual([
      [again.id, "delivered"],
      [given.id, "failed"],
    ]);
    await expectProblem(
      await call(`/v1/webhooks/${id}/deliveries/whd_${"0".repeat(32)}/redeliver`, { method: "POST", headers: owner.headers }),
      404,
      "not_found",
    );
  });

  it("pages the delivery log with a cursor", async () => {
    const { id } = await createWebhook({}, owner.headers);
    for (let i = 0; i < 3; i++) await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: owner.headers });
    const first = (await (await call(`/v1/webhooks/${id}/deliveries?limit=2`, { headers: owner.headers })).json()) as {
      deliveries: unknown[];
      nextCursor: string;
    };
    expect(first.deliveries).toHaveLength(2);
    const second = (await (await call(`/v1/webhooks/${id}/deliveries?limit=2&cursor=${first.nextCursor}`, { headers: owner.headers })).json()) as {
      deliveries: unknown[];
      nextCursor: string | null;
    };
    expect(second.deliveries).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });
  it("serves a full page of 100 deliveries with their attempts", async () => {
    const { id } = await createWebhook({}, owner.headers);
    const now = Date.now();
    const statements = [];
    for (let i = 0; i < 101; i++) {
      const did = newId("whd");
      statements.push(
        env.DB.prepare(
          "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at) VALUES (?, ?, ?, 'webhook.test', '{}', 'failed', 1, ?)",
        ).bind(did, id, newId("msg"), now - i),
        env.DB.prepare(
          "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, error_class, created_at) VALUES (?, 1, 500, 12, 'server_error', ?)",
        ).bind(did, now - i),
      );
    }
    await env.DB.batch(statements);
    const res = await call(`/v1/webhooks/${id}/deliveries?limit=100`, { headers: owner.headers });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { deliveries: Array<{ attemptLog: unknown[] }>; nextCursor: string | null };
    expect(page.deliveries).toHaveLength(100);
    expect(page.deliveries.every((d) => d.attemptLog.length === 1)).toBe(true);
    expect(page.nextCursor).not.toBeNull();
  });
});

describe("OpenAPI", () => {
  it("lists every webhook route with the webhooks:admin scope", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { operationId: string; security: Array<Record<string, string[]>> }>>;
    };
    const ops = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/webhooks"))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.security[0]!.apiKey!.join()}`));
    expect(ops.sort()).toEqual(
      [
        "DELETE /v1/webhooks/{id}",
        "GET /v1/webhooks",
        "GET /v1/webhooks/{id}",
        "GET /v1/webhooks/{id}/deliveries",
        "PATCH /v1/webhooks/{id}",
        "POST /v1/webhooks",
        "POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
        "POST /v1/webhooks/{id}/rotate-secret",
        "POST /v1/webhooks/{id}/test",
      ]
        .map((op) => `${op} webhooks:admin`)
        .sort(),
    );
  });
});
