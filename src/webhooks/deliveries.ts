/**
 * Webhook deliveries: the one owner of the webhook_deliveries and webhook_attempts rows. A
 * delivery (one event to one endpoint) is written before its queue message is sent, so D1 — not
 * the queue — is the record: every delivery ends `delivered` or `failed` (given up, with the
 * reason), and one whose message was lost or whose consumer died mid-attempt is found by the
 * cron sweep and sent again. Each attempt is claimed with a conditional update, so a duplicate
 * or stale message does nothing. The log keeps status code, latency, error class and when the
 * next attempt is due: never a response body.
 */
import { and, desc, eq, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { newId } from "../auth/api-keys";
import { database, type Db } from "../db/client";
import { runBatched } from "../db/scan-queries";
import { webhookAttempts, webhookDeliveries } from "../db/schema";
import type { Env } from "../env";
import { settings } from "../settings";
import type { EndpointRow } from "./endpoints";
import type { WebhookEvent } from "./events";

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

/** Cloudflare Queues delays a message by at most 12 hours. */
export const QUEUE_MAX_DELAY_SECONDS = 43_200;
/** A message may arrive this early (clock skew between our clock and the queue's) and still be taken. */
const EARLY_SLACK_MS = 5_000;
/** A pending delivery this far past its due time has lost its message: the sweep sends another. */
export const STALLED_AFTER_MS = 15 * 60_000;
/** Delivery rows per INSERT: 12 columns × 8 = 96 bound parameters (D1 allows 100). */
const ROWS_PER_INSERT = 8;
/** Delivery ids per `IN (…)` list (D1 allows 100 bound parameters). */
const IDS_PER_QUERY = 90;

/** Sends the queue message for attempt `attempt` of a delivery, `delaySeconds` from now. */
export async function sendAttempt(env: Env, deliveryId: string, attempt: number, delaySeconds = 0): Promise<void> {
  await env.SCAN_JOBS.send({ kind: "webhook", deliveryId, attempt }, { delaySeconds: Math.min(QUEUE_MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))) });
}

/** Records one event for each endpoint and queues the first attempts. */
export async function enqueueEvent(
  env: Env,
  db: Db,
  event: WebhookEvent,
  endpoints: readonly Pick<EndpointRow, "id">[],
  now = Date.now(),
): Promise<DeliveryRow[]> {
  const rows = endpoints.map((e) => ({
    id: newId("whd"),
    endpointId: e.id,
    eventId: event.id,
    eventType: event.type,
    scanId: event.scanId,
    payload: event.body,
    status: "pending" as const,
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  }));
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) inserts.push(db.insert(webhookDeliveries).values(rows.slice(i, i + ROWS_PER_INSERT)));
  await runBatched(db, inserts);
  // A failed send leaves the row pending and due: the sweep sends it.
  if (rows.length) await env.SCAN_JOBS.sendBatch(rows.map((r) => ({ body: { kind: "webhook" as const, deliveryId: r.id, attempt: 1 } })));
  return rows.map((r) => ({ ...r, lastStatusCode: null, lastError: null, lastLatencyMs: null, deliveredAt: null }));
}

/** The same event to the same endpoint again, as a new delivery (same `webhook-id`, so receivers can dedupe). */
export async function redeliver(env: Env, db: Db, delivery: DeliveryRow, now = Date.now()): Promise<DeliveryRow> {
  const event: WebhookEvent = { id: delivery.eventId, type: delivery.eventType as WebhookEvent["type"], scanId: delivery.scanId, body: delivery.payload };
  const [row] = await enqueueEvent(env, db, event, [{ id: delivery.endpointId }], now);
  return row!;
}

export async function getDelivery(db: Db, endpointId: string, id: string): Promise<DeliveryRow | undefined> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)))
    .get();
}

/** An endpoint's deliveries, newest first, with their attempts. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  opts: { limit: number; before?: { createdAt: number; id: string } },
): Promise<Array<DeliveryRow & { attemptLog: AttemptRow[] }>> {
  const conditions = [eq(webhookDeliveries.endpointId, endpointId)];
  if (opts.before) conditions.push(sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${opts.before.createdAt}, ${opts.before.id})`);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(opts.limit)
    .all();
  const attempts: AttemptRow[] = [];
  for (let i = 0; i < rows.length; i += IDS_PER_QUERY) {
    const ids = rows.slice(i, i + IDS_PER_QUERY).map((r) => r.id);
    attempts.push(...(await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(webhookAttempts.attempt).all()));
  }
  return rows.map((r) => ({ ...r, attemptLog: attempts.filter((a) => a.deliveryId === r.id) }));
}

/** Delivery `id` is pending, its attempt `attempt` is the next one, and it is due (or about to be). */
function dueAttempt(id: string, attempt: number, now: number) {
  return and(
    eq(webhookDeliveries.id, id),
    eq(webhookDeliveries.status, "pending"),
    eq(webhookDeliveries.attempts, attempt - 1),
    or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now + EARLY_SLACK_MS)),
  );
}

/** Takes attempt `attempt` (due now), holding the delivery for `leaseMs`; false when it is not this message's to take. */
export async function claimAttempt(db: Db, id: string, attempt: number, leaseMs: number, now = Date.now()): Promise<boolean> {
  const claimed = await db
    .update(webhookDeliveries)
    .set({ attempts: attempt, nextAttemptAt: now + leaseMs })
    .where(dueAttempt(id, attempt, now))
    .returning({ id: webhookDeliveries.id });
  return claimed.length === 1;
}

/** Moves a due attempt to `until` (the endpoint's circuit is open); false when it is not due or already taken. */
export async function deferAttempt(db: Db, id: string, attempt: number, until: number, now = Date.now()): Promise<boolean> {
  const moved = await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: until })
    .where(dueAttempt(id, attempt, now))
    .returning({ id: webhookDeliveries.id });
  return moved.length === 1;
}

export interface AttemptRecord {
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  errorClass: string | null;
  /** The delivery after this attempt: delivered, given up, or pending until `nextAttemptAt`. */
  status: "delivered" | "failed" | "pending";
  nextAttemptAt: number | null;
}

/** Logs an attempt and moves the delivery to its outcome, in one batch. */
export async function recordAttempt(db: Db, id: string, a: AttemptRecord, now = Date.now()): Promise<void> {
  await db.batch([
    db.insert(webhookAttempts).values({
      deliveryId: id,
      attempt: a.attempt,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      errorClass: a.errorClass,
      nextAttemptAt: a.nextAttemptAt,
      createdAt: now,
    }),
    db
      .update(webhookDeliveries)
      .set({
        status: a.status,
        nextAttemptAt: a.nextAttemptAt,
        lastStatusCode: a.statusCode,
        lastError: a.errorClass,
        lastLatencyMs: a.latencyMs,
        ...(a.status === "delivered" ? { deliveredAt: now } : {}),
      })
      .where(eq(webhookDeliveries.id, id)),
  ]);
}

/** Gives up a pending delivery without an attempt, saying why (e.g. "endpoint_disabled"). */
export async function giveUp(db: Db, id: string, reason: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: reason, nextAttemptAt: null })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, "pending")));
}

/** Gives up every pending delivery to an endpoint (it was disabled). */
export async function giveUpPending(db: Db, endpointId: string, reason: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: reason, nextAttemptAt: null })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")));
}

/**
 * The cron sweep: sends a new message for each pending delivery stalled past its due time (lost
 * message, consumer stopped mid-attempt) and deletes finished deliveries past RETENTION_DAYS.
 */
export async function sweepDeliveries(env: Env, now = Date.now()): Promise<{ resent: number; deleted: number }> {
  const db = database(env.DB);
  const stalled = await db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lt(webhookDeliveries.nextAttemptAt, now - STALLED_AFTER_MS)))
    .limit(100)
    .all();
  for (const d of stalled) {
    await db.update(webhookDeliveries).set({ nextAttemptAt: now }).where(eq(webhookDeliveries.id, d.id));
    await sendAttempt(env, d.id, d.attempts + 1);
  }
  const cutoff = now - settings(env).RETENTION_DAYS * 86_400_000;
  const deleted = await db
    .delete(webhookDeliveries)
    .where(and(ne(webhookDeliveries.status, "pending"), lt(webhookDeliveries.createdAt, cutoff)))
    .returning({ id: webhookDeliveries.id });
  return { resent: stalled.length, deleted: deleted.length };
}
