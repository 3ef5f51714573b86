/**
 * Delivery behaviour against a fake receiver behind the consumer's fetch, on a simulated clock:
 * retries along a schedule of about a day on 5xx, 429 (honouring Retry-After), timeouts and
 * network errors; no retry on other 4xx or on redirects (never followed); the per-endpoint
 * circuit breaker; auto-disable after failing continuously, 410 Gone, and re-enabling by PATCH;
 * dead letters and lost messages; and the "nothing lost" count under a failing receiver.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEAD_LETTER_QUEUE, handleQueue } from "../../src/queue/consumer";
import { sweepDeliveries } from "../../src/webhooks/deliveries";
import { call, createProject, expectProblem } from "./helpers";
import { captureWebhookQueue, fakeReceiver, verify, type Received, type WebhookQueue } from "./webhook-receiver";

let queue: WebhookQueue;
beforeEach(() => {
  queue = captureWebhookQueue();
});
afterEach(() => vi.restoreAllMocks());

const json = (headers: Record<string, string>) => ({ ...headers, "content-type": "application/json" });
const HOUR = 3_600_000;

/** A project with one endpoint; `send()` queues a webhook.test event to it. */
async function endpoint(url = "https://hooks.example.com/pci") {
  const p = await createProject("Delivery");
  const res = await call("/v1/webhooks", { method: "POST", headers: json(p.headers), body: JSON.stringify({ url }) });
  const { id, secret } = (await res.json()) as { id: string; secret: string };
  return {
    id,
    secret,
    headers: p.headers,
    send: async () => expect((await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: p.headers })).status).toBe(202),
    view: async () => (await (await call(`/v1/webhooks/${id}`, { headers: p.headers })).json()) as Record<string, unknown>,
    log: async () =>
      (
        (await (await call(`/v1/webhooks/${id}/deliveries?limit=100`, { headers: p.headers })).json()) as {
          deliveries: Array<Record<string, unknown> & { attemptLog: Array<Record<string, unknown>> }>;
        }
      ).deliveries,
  };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(code === 204 ? null : "body the log must not keep", { status: code, headers });

describe("retries", () => {
  it("retries 5xx with growing delays over about a day, then gives up and records why", async () => {
    const e = await endpoint();
    await e.send();
    const receiver = fakeReceiver(queue.clock, status(503));
    await queue.pump(receiver);
    expect(receiver.received.length).toBe(8);
    const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i]!.at);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    const span = receiver.received.at(-1)!.at - receiver.received[0]!.at;
    expect(span).toBeGreaterThan(24 * HOUR);
    expect(span).toBeLessThan(30 * HOUR);
    // Every attempt is the same event (same webhook-id), freshly timestamped and signed.
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of receiver.received) expect(verify(e.secret, r)).toMatchObject({ type: "webhook.test" });

    const [d] = await e.log();
    expect(d).toMatchObject({ status: "failed", attempts: 8, lastStatusCode: 503, lastError: "server_error", nextAttemptAt: null });
    expect(d!.attemptLog).toHaveLength(8);
    expect(d!.attemptLog.every((a) => a.statusCode === 503 && a.errorClass === "server_error")).toBe(true);
    expect(d!.attemptLog.at(-1)!.nextAttemptAt).toBeNull();
    expect(JSON.stringify(d)).not.toContain("body the log must not keep");
  });

  it("does not retry other 4xx", async () => {
    const e = await endpoint();
    await e.send();
    const receiver = fakeReceiver(queue.clock, status(422));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    expect((await e.log())[0]).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 422, lastError: "client_error" });
  });

  it("waits at least Retry-After on 429", async () => {
    const e = await endpoint();
    await e.send();
    const receiver = fakeReceiver(queue.clock, (_r, i) =>
      i === 0 ? new Response(null, { status: 429, headers: { "retry-after": "120" } }) : new Response(null, { status: 200 }),
    );
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(120_000);
    expect((await e.log())[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("retries network errors and timeouts (the attempt is aborted at WEBHOOK_TIMEOUT_MS)", async () => {
    const e = await endpoint();
    await e.send();
    const receiver = fakeReceiver(queue.clock, async (_r, i) => {
      if (i === 0) throw new TypeError("Network connection lost.");
      if (i === 1) return new Promise<Response>(() => undefined); // never answers
      return new Response(null, { status: 200 });
    });
    // The receiver ignores the signal; the fetch the consumer calls races it, as the runtime's does.
    const abortable: typeof fetch = (input, init) =>
      Promise.race([
        receiver.fetch(input, init),
        new Promise<Response>((_, reject) => init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason))),
      ]);
    await queue.pump({ fetch: abortable }, { env: { ...env, WEBHOOK_TIMEOUT_MS: "50" } });
    const [d] = await e.log();
    expect(d!.attemptLog.map((a) => a.errorClass)).toEqual(["network", "timeout", null]);
    expect(d).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("never follows a redirect: one request, made with redirect: manual, and the delivery is given up", async () => {
    const e = await endpoint();
    await e.send();
    const receiver = fakeReceiver(queue.clock, status(302, { location: "https://169.254.169.254/latest/meta-data/" }));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.redirect).toBe("manual");
    expect((await e.log())[0]).toMatchObject({ status: "failed", lastStatusCode: 302, lastError: "redirect" });
  });

  it("re-checks the URL at delivery time and gives up on one that no longer passes", async () => {
    const e = await endpoint();
    await e.send();
    await env.DB.prepare("UPDATE webhook_endpoints SET url = 'https://169.254.169.254/' WHERE id = ?").bind(e.id).run();
    const receiver = fakeReceiver(queue.clock, status(200));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(0);
    expect((await e.log())[0]).toMatchObject({ status: "failed", attempts: 0, lastError: "url_rejected" });
  });
});

describe("circuit breaker and auto-disable", () => {
  it("opens after 5 straight failures: attempts wait for the cool-down, then one probe goes", async () => {
    const e = await endpoint();
    for (let i = 0; i < 6; i++) await e.send();
    let calls = 0;
    const receiver = fakeReceiver(queue.clock, () => (++calls <= 5 ? new Response(null, { status: 500 }) : new Response(null, { status: 200 })));
    // Only the first attempts of the six events, before any retry is due.
    const firstRound = queue.queued.length;
    await queue.pump(receiver, { maxSteps: firstRound });
    expect(receiver.received).toHaveLength(5);
    const view = await e.view();
    expect(view.circuitOpenUntil).not.toBeNull();
    expect(Date.parse(view.circuitOpenUntil as string)).toBeGreaterThan(queue.clock.now);
    const log = await e.log();
    expect(log.filter((d) => d.attempts === 0 && d.status === "pending")).toHaveLength(1);

    // After the cool-down the probe succeeds, the circuit closes and everything is delivered.
    await queue.pump(receiver);
    expect((await e.log()).every((d) => d.status === "delivered")).toBe(true);
    expect(await e.view()).toMatchObject({ circuitOpenUntil: null, failingSince: null });
  });

  it("disables an endpoint failing continuously for WEBHOOK_DISABLE_AFTER_HOURS, gives up its deliveries, and PATCH re-enables it", async () => {
    const e = await endpoint();
    await e.send();
    await e.send();
    const failing = fakeReceiver(queue.clock, status(500));
    await queue.pump(failing, { env: { ...env, WEBHOOK_DISABLE_AFTER_HOURS: "1" } });
    const view = await e.view();
    expect(view).toMatchObject({ status: "disabled", disabledReason: "failing" });
    const log = await e.log();
    expect(log.every((d) => d.status === "failed")).toBe(true);
    // It failed for an hour and more, well before the schedule ran out.
    expect(log.every((d) => (d.attempts as number) < 8)).toBe(true);
    const attempted = failing.received.length;

    // Disabled: no test event, no redelivery, and a scan's events skip it.
    await expectProblem(await call(`/v1/webhooks/${e.id}/test`, { method: "POST", headers: e.headers }), 409, "conflict");
    await expectProblem(
      await call(`/v1/webhooks/${e.id}/deliveries/${log[0]!.id as string}/redeliver`, { method: "POST", headers: e.headers }),
      409,
      "conflict",
    );

    const enabled = await call(`/v1/webhooks/${e.id}`, { method: "PATCH", headers: json(e.headers), body: JSON.stringify({ enabled: true }) });
    expect(await enabled.json()).toMatchObject({ status: "enabled", disabledReason: null, failingSince: null });
    await e.send();
    const healthy = fakeReceiver(queue.clock, status(204));
    await queue.pump(healthy);
    expect(failing.received).toHaveLength(attempted);
    expect(healthy.received).toHaveLength(1);
    expect(verify(e.secret, healthy.received[0]!)).toMatchObject({ type: "webhook.test" });
  });

  it("disables at once on 410 Gone", async () => {
    const e = await endpoint();
    await e.send();
    await e.send();
    const receiver = fakeReceiver(queue.clock, status(410));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    expect(await e.view()).toMatchObject({ status: "disabled", disabledReason: "gone" });
    expect((await e.log()).map((d) => d.lastError).sort()).toEqual(["endpoint_disabled", "gone"]);
  });

  it("PATCH enabled: false gives up pending deliveries", async () => {
    const e = await endpoint();
    await e.send();
    await call(`/v1/webhooks/${e.id}`, { method: "PATCH", headers: json(e.headers), body: JSON.stringify({ enabled: false }) });
    const receiver = fakeReceiver(queue.clock, status(200));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(0);
    expect((await e.log())[0]).toMatchObject({ status: "failed", lastError: "endpoint_disabled" });
    expect(await e.view()).toMatchObject({ status: "disabled", disabledReason: "manual" });
  });
});

describe("nothing lost", () => {
  it("a duplicate or stale message does not make a second attempt", async () => {
    const e = await endpoint();
    await e.send();
    queue.queued.push({ ...queue.queued[0]! });
    const receiver = fakeReceiver(queue.clock, status(200));
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
  });

  it("a dead-lettered delivery job is recorded as given up", async () => {
    const e = await endpoint();
    await e.send();
    const m = queue.queued.shift()!;
    const batch = createMessageBatch(DEAD_LETTER_QUEUE, [
      { id: "dl", timestamp: new Date(), attempts: 1, body: { kind: "webhook", deliveryId: m.deliveryId, attempt: m.attempt } },
    ]);
    await handleQueue(batch, env);
    expect((await e.log())[0]).toMatchObject({ status: "failed", lastError: "undeliverable_job" });
  });

  it("the cron sweep re-sends a delivery whose message was lost", async () => {
    const e = await endpoint();
    await e.send();
    queue.queued.length = 0; // the message is lost
    const receiver = fakeReceiver(queue.clock, status(200));
    expect((await sweepDeliveries(env, Date.now())).resent).toBe(0);
    const later = Date.now() + 20 * 60_000;
    expect((await sweepDeliveries(env, later)).resent).toBe(1);
    queue.clock.now = later;
    await queue.pump(receiver);
    expect(receiver.received).toHaveLength(1);
    expect((await e.log())[0]).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("the cron sweep deletes finished deliveries past RETENTION_DAYS with their attempts, never a pending one", async () => {
    const e = await endpoint();
    await e.send();
    await e.send();
    await queue.pump(fakeReceiver(queue.clock, status(200)), { maxSteps: 1 });
    const [pending, delivered] = (await e.log()).sort((a, b) => (a.status === "pending" ? -1 : b.status === "pending" ? 1 : 0));
    expect([pending!.status, delivered!.status]).toEqual(["pending", "delivered"]);
    const longAfter = Date.now() + 31 * 24 * HOUR;
    await env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?")
      .bind(longAfter, pending!.id as string)
      .run();
    expect((await sweepDeliveries(env, longAfter)).deleted).toBeGreaterThanOrEqual(1);
    expect((await e.log()).map((d) => d.id)).toEqual([pending!.id]);
    const orphans = await env.DB.prepare("SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?")
      .bind(delivered!.id as string)
      .first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });

  it("under a failing receiver every event ends delivered or recorded as given up", async () => {
    const p = await createProject("Nothing lost");
    const urls = ["https://ok.example.com/", "https://flaky.example.com/", "https://down.example.com/", "https://rejects.example.com/"];
    const ids: string[] = [];
    const secrets = new Map<string, string>();
    for (const url of urls) {
      const created = (await (await call("/v1/webhooks", { method: "POST", headers: json(p.headers), body: JSON.stringify({ url }) })).json()) as {
        id: string;
        secret: string;
      };
      ids.push(created.id);
      secrets.set(new URL(url).host, created.secret);
    }
    const EVENTS_PER_ENDPOINT = 6;
    for (let i = 0; i < EVENTS_PER_ENDPOINT; i++) for (const id of ids) await call(`/v1/webhooks/${id}/test`, { method: "POST", headers: p.headers });

    // flaky: each event fails twice (503, then a network error) before it is taken; down: 500 forever; rejects: 400.
    const seen = new Map<string, number>();
    const receiver = fakeReceiver(queue.clock, (r: Received) => {
      const host = new URL(r.url).host;
      const n = (seen.get(r.headers["webhook-id"]!) ?? 0) + 1;
      seen.set(r.headers["webhook-id"]!, n);
      if (host === "ok.example.com") return new Response(null, { status: 200 });
      if (host === "flaky.example.com") {
        if (n === 1) return new Response(null, { status: 503 });
        if (n === 2) throw new TypeError("Network connection lost.");
        return new Response(null, { status: 200 });
      }
      return new Response(null, { status: host === "down.example.com" ? 500 : 400 });
    });
    await queue.pump(receiver);

    const rows = await env.DB.prepare(`SELECT status, attempts, endpoint_id FROM webhook_deliveries WHERE endpoint_id IN (${ids.map(() => "?").join(",")})`)
      .bind(...ids)
      .all<{ status: string; attempts: number; endpoint_id: string }>();
    const total = urls.length * EVENTS_PER_ENDPOINT;
    const delivered = rows.results.filter((r) => r.status === "delivered").length;
    const givenUp = rows.results.filter((r) => r.status === "failed").length;
    expect(rows.results).toHaveLength(total);
    expect(rows.results.filter((r) => r.status === "pending")).toHaveLength(0);
    expect(delivered + givenUp).toBe(total);
    expect(delivered).toBe(2 * EVENTS_PER_ENDPOINT);
    const attempts = (await env.DB.prepare(
      `SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id IN (${ids.map(() => "?").join(",")}))`,
    )
      .bind(...ids)
      .first<{ n: number }>())!.n;
    expect(attempts).toBe(receiver.received.length);
    // Every request, first attempts and retries alike, passes the reference receiver's check.
    const verified = receiver.received.filter((r) => verify(secrets.get(new URL(r.url).host)!, r)).length;
    expect(verified).toBe(receiver.received.length);
    console.log(
      `webhook deliveries: ${total} events, ${attempts} attempts, ${delivered} delivered, ${givenUp} given up, ${total - delivered - givenUp} lost; signatures verified by standardwebhooks ${verified}/${receiver.received.length}`,
    );
  });
});
