/**
 * Queue message schemas (zod). A message only names its work (well under the 128 KB limit): the
 * submission waits in R2, a webhook's event in D1. "scan" runs a queued scan; "explain" adds AI
 * explanations to a completed one; "webhook" makes attempt number `attempt` of one webhook
 * delivery (a duplicate or stale message finds the attempt taken and does nothing).
 */
import { z } from "zod";

const Ids = { scanId: z.string().min(1).max(64), projectId: z.string().min(1).max(64) };

export const ScanJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("scan"), ...Ids }),
  z.object({ kind: z.literal("explain"), ...Ids }),
  z.object({ kind: z.literal("webhook"), deliveryId: z.string().regex(/^whd_[0-9a-f]{32}$/), attempt: z.number().int().min(1).max(100) }),
]);
export type ScanJob = z.infer<typeof ScanJob>;
export type WebhookJob = Extract<ScanJob, { kind: "webhook" }>;
