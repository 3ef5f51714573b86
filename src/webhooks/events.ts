/**
 * The events we send and their payloads, shaped `{ type, timestamp, data }` as Standard Webhooks
 * recommends. A scan event carries the scan's id, status, counts by severity and by PCI DSS
 * requirement, and links (paths on this API): never source code, snippets, findings' text or
 * card data, so a payload is safe to land in any receiver's logs. A scan event's id is derived
 * from the scan and the type, so the same event emitted twice carries the same `webhook-id` and
 * receivers' dedupe drops the second.
 */
import type { ScanRow } from "../db/scan-queries";
import { sha256Hex } from "../scans/submission";

export const EVENT_TYPES = ["scan.completed", "scan.failed", "webhook.test"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** What an endpoint subscribes to; `webhook.test` is sent on request whatever the subscription. */
export const SUBSCRIBABLE_EVENTS = ["scan.completed", "scan.failed"] as const;
export type SubscribableEvent = (typeof SUBSCRIBABLE_EVENTS)[number];

export interface WebhookEvent {
  /** The `webhook-id`. */
  id: string;
  type: EventType;
  scanId: string | null;
  /** The JSON body, exactly as signed and sent. */
  body: string;
}

const SEVERITY_KEYS = ["critical", "high", "medium", "low", "info"] as const;

async function derivedId(text: string): Promise<string> {
  return `msg_${(await sha256Hex(text)).slice(0, 32)}`;
}

/** The event for a scan that ended (completed or failed). */
export async function scanEvent(scan: ScanRow): Promise<WebhookEvent> {
  const type = scan.status === "completed" ? "scan.completed" : "scan.failed";
  const summary = (scan.summary ?? {}) as { byPciRequirement?: Record<string, number> };
  const bySeverity = { critical: scan.findingsCritical, high: scan.findingsHigh, medium: scan.findingsMedium, low: scan.findingsLow, info: scan.findingsInfo };
  const links = { scan: `/v1/scans/${scan.id}`, findings: `/v1/scans/${scan.id}/findings`, sarif: `/v1/scans/${scan.id}/sarif` };
  const data = {
    scanId: scan.id,
    projectId: scan.projectId,
    status: scan.status,
    engineVersion: scan.engineVersion,
    fileCount: scan.fileCount,
    findings: {
      total: scan.findingsTotal,
      bySeverity: Object.fromEntries(SEVERITY_KEYS.map((k) => [k, bySeverity[k]])),
      byPciRequirement: summary.byPciRequirement ?? {},
    },
    ...(type === "scan.failed" ? { error: scan.error ?? "The scan failed." } : {}),
    createdAt: new Date(scan.createdAt).toISOString(),
    finishedAt: new Date(scan.finishedAt ?? scan.createdAt).toISOString(),
    links: type === "scan.completed" ? links : { scan: links.scan },
  };
  const body = JSON.stringify({ type, timestamp: data.finishedAt, data });
  return { id: await derivedId(`${type}:${scan.id}`), type, scanId: scan.id, body };
}

/** A `webhook.test` event for one endpoint. */
export function testEvent(endpointId: string, now: number): WebhookEvent {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = `msg_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const body = JSON.stringify({
    type: "webhook.test",
    timestamp: new Date(now).toISOString(),
    data: { endpointId, message: "A test event from PCI Auditor." },
  });
  return { id, type: "webhook.test", scanId: null, body };
}
