/**
 * Shared by the /v1/webhooks routes: path schemas, the project-scoped lookups (another project's
 * endpoint or delivery answers exactly like a missing one), the request fields an endpoint
 * takes, and how endpoints and deliveries look over HTTP — never a secret, sealed or not, and
 * never a receiver's response body.
 */
import { z } from "zod";
import type { Db } from "../db/client";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_DISABLED_REASONS, WEBHOOK_ENDPOINT_STATUSES } from "../db/schema";
import { ApiError } from "../errors";
import { hasCardDataOrSecret } from "../observability/scrub";
import { problemExample } from "../openapi";
import { getDelivery, type AttemptRow, type DeliveryRow } from "../webhooks/deliveries";
import { getEndpoint, type EndpointRow } from "../webhooks/endpoints";
import { EVENT_TYPES, SUBSCRIBABLE_EVENTS } from "../webhooks/events";
import { checkWebhookUrl, WEBHOOK_URL_MAX } from "../webhooks/url-guard";
import { DisplayName } from "./display-name";

export const WebhookParams = z.object({ id: z.string().regex(/^whe_[0-9a-f]{32}$/, "not a webhook id") });
export const DeliveryParams = WebhookParams.extend({ deliveryId: z.string().regex(/^whd_[0-9a-f]{32}$/, "not a delivery id") });

/** An endpoint URL: https to a public host (webhooks/url-guard.ts), holding no card number or secret. */
export const WebhookUrl = z
  .string()
  .max(WEBHOOK_URL_MAX, { abort: true })
  .superRefine((url, ctx) => {
    const check = checkWebhookUrl(url);
    if (!check.ok) ctx.addIssue({ code: "custom", message: `refused: ${check.reason}` });
    else if (hasCardDataOrSecret(url)) ctx.addIssue({ code: "custom", message: "must not contain a card number or secret" });
  })
  .describe("https URL of a public host; no credentials, no private or reserved addresses");

export const WebhookEvents = z.array(z.enum(SUBSCRIBABLE_EVENTS)).min(1).max(SUBSCRIBABLE_EVENTS.length);

export const WebhookFields = { url: WebhookUrl, events: WebhookEvents, description: DisplayName.nullable() };

/** Why a disabled endpoint takes no test event or redelivery (409). */
export const ENDPOINT_DISABLED = "The endpoint is disabled; enable it with PATCH first.";

/** The project's endpoint, or 404. */
export async function webhookOr404(db: Db, projectId: string, id: string): Promise<EndpointRow> {
  const row = WebhookParams.shape.id.safeParse(id).success ? await getEndpoint(db, projectId, id) : undefined;
  if (!row) throw new ApiError("not_found", "No such webhook endpoint.");
  return row;
}

/** The endpoint's delivery, or 404. */
export async function deliveryOr404(db: Db, endpoint: EndpointRow, id: string): Promise<DeliveryRow> {
  const row = DeliveryParams.shape.deliveryId.safeParse(id).success ? await getDelivery(db, endpoint.id, id) : undefined;
  if (!row) throw new ApiError("not_found", "No such delivery.");
  return row;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const WebhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(SUBSCRIBABLE_EVENTS)),
    status: z.enum(WEBHOOK_ENDPOINT_STATUSES),
    disabledReason: z.enum(WEBHOOK_DISABLED_REASONS).nullable().describe("Why it is disabled: by PATCH, after failing continuously, or after a 410 Gone"),
    disabledAt: z.string().nullable(),
    failingSince: z.string().nullable().describe("Start of the current run of failed attempts"),
    circuitOpenUntil: z.string().nullable().describe("No attempt is made before this time"),
    previousSecretExpiresAt: z.string().nullable().describe("Until then the secret replaced by the last rotation signs too"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Webhook", description: "A webhook endpoint: never its secret" });

/** An endpoint as the API shows it (OpenAPI examples). */
export const WEBHOOK_EXAMPLE: z.infer<typeof WebhookView> = {
  id: "whe_3c9a0f2b7d1e4f5a8b6c9d0e1f2a3b4c",
  url: "https://ci.example.com/pci-auditor",
  description: "CI notifier",
  events: ["scan.completed", "scan.failed"],
  status: "enabled",
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  circuitOpenUntil: null,
  previousSecretExpiresAt: null,
  createdAt: "2026-12-03T09:30:00.000Z",
  updatedAt: "2026-12-03T09:30:00.000Z",
};

/** The 404 of the /v1/webhooks/{id} routes: a missing endpoint and another project's answer alike. */
export const WEBHOOK_NOT_FOUND = {
  description: "No such endpoint in this project",
  example: problemExample("not_found", `/v1/webhooks/${WEBHOOK_EXAMPLE.id}`, "No such webhook endpoint."),
};
/** The 409 of the routes that send to an endpoint. */
export const WEBHOOK_DISABLED_CONFLICT = {
  description: "The endpoint is disabled",
  example: problemExample("conflict", `/v1/webhooks/${WEBHOOK_EXAMPLE.id}/test`, ENDPOINT_DISABLED),
};

export function webhookView(r: EndpointRow, now = Date.now()): z.infer<typeof WebhookView> {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events as Array<(typeof SUBSCRIBABLE_EVENTS)[number]>,
    status: r.status,
    disabledReason: r.disabledReason,
    disabledAt: iso(r.disabledAt),
    failingSince: iso(r.failingSince),
    circuitOpenUntil: r.circuitOpenUntil !== null && r.circuitOpenUntil > now ? iso(r.circuitOpenUntil) : null,
    previousSecretExpiresAt: r.previousSecretExpiresAt !== null && r.previousSecretExpiresAt > now ? iso(r.previousSecretExpiresAt) : null,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** An endpoint with its secret: only the answers of creation and rotation carry it. */
export const WebhookWithSecret = WebhookView.extend({ secret: z.string().describe("whsec_…: shown once; verify deliveries with it") }).meta({
  id: "WebhookWithSecret",
});
export const SECRET_EXAMPLE = "whsec_…";

const AttemptView = z
  .object({
    attempt: z.number().int(),
    at: z.string(),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    errorClass: z.string().nullable().describe("timeout, network, server_error, rate_limited, redirect, gone or client_error"),
    nextAttemptAt: z.string().nullable(),
  })
  .meta({ id: "WebhookAttempt", description: "One HTTP attempt of a delivery (no bodies)" });

export const DeliveryView = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    eventId: z.string().describe("The webhook-id header: the same across retries and redeliveries of one event"),
    eventType: z.enum(EVENT_TYPES),
    scanId: z.string().nullable(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).describe("pending, delivered, or failed (given up)"),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable().describe("Error class of the last attempt, or why the delivery was given up"),
    lastLatencyMs: z.number().int().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attemptLog: z.array(AttemptView).optional(),
  })
  .meta({ id: "WebhookDelivery", description: "One event to one endpoint: retried until delivered or given up" });

/** A delivery as the log shows it (OpenAPI examples). */
export const DELIVERY_EXAMPLE: z.infer<typeof DeliveryView> = {
  id: "whd_8b6c9d0e1f2a3b4c3c9a0f2b7d1e4f5a",
  webhookId: WEBHOOK_EXAMPLE.id,
  eventId: "msg_0e1f2a3b4c3c9a0f2b7d1e4f5a8b6c9d",
  eventType: "scan.completed",
  scanId: "scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c",
  status: "delivered",
  attempts: 2,
  nextAttemptAt: null,
  lastStatusCode: 204,
  lastError: null,
  lastLatencyMs: 184,
  createdAt: "2026-12-03T09:30:01.000Z",
  deliveredAt: "2026-12-03T09:30:06.300Z",
  attemptLog: [
    { attempt: 1, at: "2026-12-03T09:30:01.100Z", statusCode: 503, latencyMs: 95, errorClass: "server_error", nextAttemptAt: "2026-12-03T09:30:06.100Z" },
    { attempt: 2, at: "2026-12-03T09:30:06.100Z", statusCode: 204, latencyMs: 184, errorClass: null, nextAttemptAt: null },
  ],
};

/** A delivery just queued, nothing attempted yet (the test event's and a redelivery's answer). */
export const QUEUED_DELIVERY_EXAMPLE: z.infer<typeof DeliveryView> = {
  ...DELIVERY_EXAMPLE,
  status: "pending",
  attempts: 0,
  nextAttemptAt: DELIVERY_EXAMPLE.createdAt,
  lastStatusCode: null,
  lastLatencyMs: null,
  deliveredAt: null,
  attemptLog: undefined,
};

export function deliveryView(r: DeliveryRow, attempts?: AttemptRow[]): z.infer<typeof DeliveryView> {
  return {
    id: r.id,
    webhookId: r.endpointId,
    eventId: r.eventId,
    eventType: r.eventType as (typeof EVENT_TYPES)[number],
    scanId: r.scanId,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.nextAttemptAt),
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    lastLatencyMs: r.lastLatencyMs,
    createdAt: iso(r.createdAt)!,
    deliveredAt: iso(r.deliveredAt),
    ...(attempts
      ? {
          attemptLog: attempts.map((a) => ({
            attempt: a.attempt,
            at: iso(a.createdAt)!,
            statusCode: a.statusCode,
            latencyMs: a.latencyMs,
            errorClass: a.errorClass,
            nextAttemptAt: iso(a.nextAttemptAt),
          })),
        }
      : {}),
  };
}
