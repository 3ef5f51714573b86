/**
 * One delivery attempt, run by the queue consumer: check the endpoint (still enabled, URL still
 * passes the SSRF guard, circuit closed), claim the attempt, sign the stored body with every
 * live secret, POST it with a timeout and without following redirects, then log the attempt and
 * decide: delivered (2xx); retried later on 5xx, 429, timeouts and network errors along
 * RETRY_SCHEDULE_SECONDS (Retry-After honoured, the attempt index ×±10% jitter); given up on
 * other answers, when the schedule runs out, or when the endpoint has just been disabled.
 * `fetch` is injected: tests put a fake receiver behind the same call production makes.
 */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { Env } from "../env";
import { settings } from "../settings";
import { admitAttempt, recordEndpointFailure, recordEndpointSuccess, signingSecrets } from "./endpoints";
import { claimAttempt, deferAttempt, giveUp, giveUpPending, QUEUE_MAX_DELAY_SECONDS, recordAttempt, sendAttempt } from "./deliveries";
import { signedHeaders } from "./signature";
import { checkWebhookUrl } from "./url-guard";

/**
 * Delay after failed attempt n (index n-1), Standard Webhooks' example schedule: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about 27 hours.
 */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

/** What went wrong with an attempt, as the delivery log names it. */
export type ErrorClass = "timeout" | "network" | "server_error" | "rate_limited" | "redirect" | "gone" | "client_error";
const RETRYABLE: ReadonlySet<ErrorClass> = new Set(["timeout", "network", "server_error", "rate_limited"]);

export type AttemptOutcome = "delivered" | "retrying" | "gave_up" | "deferred" | "skipped";

export interface DeliveryDeps {
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
}

/**
 * Seconds to wait after failed attempt `attempt`: the schedule with ±10% jitter, at least the
 * receiver's Retry-After up to the longest delay the queue allows.
 */
export function nextAttemptDelaySeconds(attempt: number, retryAfterSeconds: number | null, random: () => number = Math.random): number {
  const base = RETRY_SCHEDULE_SECONDS[Math.min(attempt, RETRY_SCHEDULE_SECONDS.length) - 1]!;
  return Math.max(Math.round(base * (0.9 + 0.2 * random())), Math.min(retryAfterSeconds ?? 0, QUEUE_MAX_DELAY_SECONDS));
}

function retryAfter(res: Response, now: number): number | null {
  const value = res.headers.get("retry-after");
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function classify(status: number): ErrorClass | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return "redirect";
  if (status === 410) return "gone";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "client_error";
}

/** Makes attempt `job.attempt` of a delivery; what happened is in D1, the outcome is returned for the log line. */
export async function attemptDelivery(env: Env, job: { deliveryId: string; attempt: number }, deps: DeliveryDeps = {}): Promise<AttemptOutcome> {
  const now = deps.now?.() ?? Date.now();
  const db = database(env.DB);
  const found = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, job.deliveryId))
    .get();
  if (!found || found.delivery.status !== "pending" || found.delivery.attempts !== job.attempt - 1) return "skipped";
  const { delivery, endpoint } = found;
  if (endpoint.status !== "enabled") {
    await giveUp(db, delivery.id, "endpoint_disabled");
    return "gave_up";
  }
  if (!checkWebhookUrl(endpoint.url).ok) {
    await giveUp(db, delivery.id, "url_rejected");
    return "gave_up";
  }
  const admitted = await admitAttempt(db, endpoint, now);
  if (!admitted.go) {
    if (await deferAttempt(db, delivery.id, job.attempt, admitted.until, now)) await sendAttempt(env, delivery.id, job.attempt, (admitted.until - now) / 1000);
    return "deferred";
  }
  const { WEBHOOK_TIMEOUT_MS: timeoutMs, WEBHOOK_DISABLE_AFTER_HOURS: disableAfterHours } = settings(env);
  if (!(await claimAttempt(db, delivery.id, job.attempt, timeoutMs + 60_000, now))) return "skipped";

  const headers = await signedHeaders(await signingSecrets(env, endpoint, now), delivery.eventId, Math.floor(now / 1000), delivery.payload);
  const started = Date.now();
  let statusCode: number | null = null;
  let errorClass: ErrorClass | null;
  let waitAtLeast: number | null = null;
  try {
    const res = await (deps.fetch ?? fetch)(endpoint.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "pci-auditor-webhooks/1" },
      body: delivery.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    statusCode = res.status;
    errorClass = classify(res.status);
    waitAtLeast = retryAfter(res, now);
    // We never read what the receiver answers: the log keeps no bodies.
    await res.body?.cancel().catch(() => undefined);
  } catch (error) {
    errorClass = (error as Error)?.name === "TimeoutError" || (error as Error)?.name === "AbortError" ? "timeout" : "network";
  }
  const latencyMs = Date.now() - started;

  if (errorClass === null) {
    await recordAttempt(db, delivery.id, { attempt: job.attempt, statusCode, latencyMs, errorClass, status: "delivered", nextAttemptAt: null }, now);
    await recordEndpointSuccess(db, endpoint.id);
    return "delivered";
  }
  const disabled = await recordEndpointFailure(db, endpoint.id, { gone: errorClass === "gone", disableAfterMs: disableAfterHours * 3_600_000 }, now);
  const retry = RETRYABLE.has(errorClass) && job.attempt < MAX_ATTEMPTS && !disabled;
  const delay = retry ? nextAttemptDelaySeconds(job.attempt, waitAtLeast, deps.random) : 0;
  const nextAttemptAt = retry ? now + delay * 1000 : null;
  await recordAttempt(db, delivery.id, { attempt: job.attempt, statusCode, latencyMs, errorClass, status: retry ? "pending" : "failed", nextAttemptAt }, now);
  if (disabled) await giveUpPending(db, endpoint.id, "endpoint_disabled");
  if (!retry) return "gave_up";
  await sendAttempt(env, delivery.id, job.attempt + 1, delay);
  return "retrying";
}
