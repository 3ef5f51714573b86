/**
 * Webhook endpoints: the one owner of the webhook_endpoints rows (STYLE.md §14). Creation, edits,
 * secret rotation, enabling and disabling, and the endpoint's delivery health all change here:
 * a per-endpoint circuit breaker kept in D1 (queue consumers run anywhere, so the state cannot
 * live in one isolate) and the auto-disable after failing continuously for
 * WEBHOOK_DISABLE_AFTER_HOURS. Every read and write is scoped to the project.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { newId } from "../auth/api-keys";
import type { Db } from "../db/client";
import { webhookEndpoints, type WebhookDisabledReason } from "../db/schema";
import type { Env } from "../env";
import { generateSecret, openSecret, sealSecret } from "./secrets";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** Consecutive failed attempts that open an endpoint's circuit. */
export const BREAKER_THRESHOLD = 5;
/** How long an open circuit holds attempts back before one probe goes through. */
export const BREAKER_COOL_DOWN_MS = 5 * 60_000;
/** How long the secret replaced by a rotation keeps signing beside the new one. */
export const ROTATION_WINDOW_MS = 24 * 3_600_000;

export interface EndpointFields {
  url: string;
  description: string | null;
  events: string[];
}

/** A new endpoint and its secret (returned once; only its sealed form is stored). */
export async function createEndpoint(
  env: Env,
  db: Db,
  projectId: string,
  fields: EndpointFields,
  now = Date.now(),
): Promise<{ row: EndpointRow; secret: string }> {
  const id = newId("whe");
  const secret = generateSecret();
  const row = await db
    .insert(webhookEndpoints)
    .values({ id, projectId, ...fields, secret: await sealSecret(env, secret, id), status: "enabled", createdAt: now, updatedAt: now })
    .returning()
    .get();
  return { row, secret };
}

export async function getEndpoint(db: Db, projectId: string, id: string): Promise<EndpointRow | undefined> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.projectId, projectId), eq(webhookEndpoints.id, id)))
    .get();
}

/** The project's endpoints, newest first, `limit` after the cursor. */
export async function listEndpoints(db: Db, projectId: string, opts: { limit: number; before?: { createdAt: number; id: string } }): Promise<EndpointRow[]> {
  const conditions = [eq(webhookEndpoints.projectId, projectId)];
  if (opts.before) conditions.push(sql`(${webhookEndpoints.createdAt}, ${webhookEndpoints.id}) < (${opts.before.createdAt}, ${opts.before.id})`);
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(...conditions))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(opts.limit)
    .all();
}

/** The project's enabled endpoints subscribed to an event type. */
export async function subscribedEndpoints(db: Db, projectId: string, eventType: string): Promise<EndpointRow[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.projectId, projectId), eq(webhookEndpoints.status, "enabled")))
    .all();
  return rows.filter((r) => r.events.includes(eventType));
}

/**
 * Applies an edit. `enabled: true` re-enables the endpoint and forgets its failure streak and
 * breaker; `enabled: false` disables it by hand.
 */
export async function updateEndpoint(db: Db, row: EndpointRow, patch: Partial<EndpointFields> & { enabled?: boolean }, now = Date.now()): Promise<EndpointRow> {
  const { enabled, ...fields } = patch;
  const state =
    enabled === true && row.status === "disabled"
      ? { status: "enabled" as const, disabledReason: null, disabledAt: null, failingSince: null, consecutiveFailures: 0, circuitOpenUntil: null }
      : enabled === false && row.status === "enabled"
        ? { status: "disabled" as const, disabledReason: "manual" as const, disabledAt: now }
        : {};
  return db
    .update(webhookEndpoints)
    .set({ ...fields, ...state, updatedAt: now })
    .where(eq(webhookEndpoints.id, row.id))
    .returning()
    .get();
}

/** A new secret; the current one keeps signing beside it for ROTATION_WINDOW_MS. */
export async function rotateSecret(env: Env, db: Db, row: EndpointRow, now = Date.now()): Promise<{ row: EndpointRow; secret: string }> {
  const secret = generateSecret();
  const updated = await db
    .update(webhookEndpoints)
    .set({ secret: await sealSecret(env, secret, row.id), previousSecret: row.secret, previousSecretExpiresAt: now + ROTATION_WINDOW_MS, updatedAt: now })
    .where(eq(webhookEndpoints.id, row.id))
    .returning()
    .get();
  return { row: updated, secret };
}

export async function deleteEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
}

/**
 * The secrets that sign an attempt now: the current one, and the previous one inside its rotation
 * window. A previous secret sealed under a WEBHOOK_SECRET_KEY since replaced is left out, so a
 * rotation after a key change brings deliveries back at once.
 */
export async function signingSecrets(env: Env, row: EndpointRow, now = Date.now()): Promise<string[]> {
  const secrets = [await openSecret(env, row.secret, row.id)];
  if (row.previousSecret && (row.previousSecretExpiresAt ?? 0) > now) {
    const previous = await openSecret(env, row.previousSecret, row.id).catch(() => null);
    if (previous) secrets.push(previous);
  }
  return secrets;
}

/**
 * The breaker's answer for an attempt now: go, or wait until a time. Past an open circuit's
 * cool-down exactly one caller wins the probe (a conditional update moves the deadline on);
 * the others wait for the probe's outcome.
 */
export async function admitAttempt(db: Db, row: EndpointRow, now = Date.now()): Promise<{ go: true } | { go: false; until: number }> {
  const openUntil = row.circuitOpenUntil;
  if (openUntil === null) return { go: true };
  if (openUntil > now) return { go: false, until: openUntil };
  const claimed = await db
    .update(webhookEndpoints)
    .set({ circuitOpenUntil: now + BREAKER_COOL_DOWN_MS })
    .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.circuitOpenUntil, openUntil)))
    .returning({ id: webhookEndpoints.id });
  return claimed.length === 1 ? { go: true } : { go: false, until: now + BREAKER_COOL_DOWN_MS };
}

/** An attempt succeeded: the failure streak ends and the circuit closes. */
export async function recordEndpointSuccess(db: Db, id: string): Promise<void> {
  await db.update(webhookEndpoints).set({ failingSince: null, consecutiveFailures: 0, circuitOpenUntil: null }).where(eq(webhookEndpoints.id, id));
}

/**
 * An attempt failed: the streak grows, the circuit opens at BREAKER_THRESHOLD, and the endpoint
 * is disabled when it answered 410 Gone or has failed for `disableAfterMs`. Returns whether
 * this call disabled it.
 */
export async function recordEndpointFailure(db: Db, id: string, opts: { gone: boolean; disableAfterMs: number }, now = Date.now()): Promise<boolean> {
  const after = await db
    .update(webhookEndpoints)
    .set({
      consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now})`,
      circuitOpenUntil: sql`case when ${webhookEndpoints.consecutiveFailures} + 1 >= ${BREAKER_THRESHOLD} then ${now + BREAKER_COOL_DOWN_MS} else ${webhookEndpoints.circuitOpenUntil} end`,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning({ failingSince: webhookEndpoints.failingSince, status: webhookEndpoints.status })
    .get();
  if (!after || after.status !== "enabled") return false;
  const reason: WebhookDisabledReason | null = opts.gone ? "gone" : now - (after.failingSince ?? now) >= opts.disableAfterMs ? "failing" : null;
  if (!reason) return false;
  const disabled = await db
    .update(webhookEndpoints)
    .set({ status: "disabled", disabledReason: reason, disabledAt: now, updatedAt: now })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.status, "enabled")))
    .returning({ id: webhookEndpoints.id });
  return disabled.length === 1;
}
