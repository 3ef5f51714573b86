/**
 * Queue message schemas (zod). A message only names its work (well under the 128 KB limit): the
 * submission waits in R2, a webhook's event in D1. "scan" runs a queued scan; "explain" adds AI
 * explanations to a completed one; "webhook" makes attempt number `attempt` of one webhook
 * delivery (a duplicate or stale message finds the attempt taken and does nothing);
 * "github-check" scans what a GitHub push or pull request changed and answers it with a check
 * run (src/github/check-job.ts), its progress kept on the GitHub delivery's D1 row.
 */
import { z } from "zod";

const Ids = { scanId: z.string().min(1).max(64), projectId: z.string().min(1).max(64) };

/** A commit to answer with a check run: what the webhook delivery named, checked. */
export const GithubCheckJob = z.object({
  kind: z.literal("github-check"),
  /** X-GitHub-Delivery: the D1 row holding the job's progress. */
  deliveryId: z.string().min(1).max(64),
  projectId: Ids.projectId,
  installationId: z.number().int().positive(),
  repository: z.string().regex(/^[\w.-]{1,100}\/[\w.-]{1,100}$/),
  headSha: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/),
  /** Pull request number: its files API lists the change. */
  pullRequest: z.number().int().positive().optional(),
  /** Push: the commit or branch the compare API starts from. */
  base: z.string().min(1).max(255).optional(),
  /** This API's origin as GitHub called it, for the link to the scan. */
  apiOrigin: z.url(),
  /** Times GitHub's rate limit put the job back on the queue. */
  deferrals: z.number().int().min(0).default(0),
});
export type GithubCheckJob = z.infer<typeof GithubCheckJob>;

export const ScanJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("scan"), ...Ids }),
  z.object({ kind: z.literal("explain"), ...Ids }),
  z.object({ kind: z.literal("webhook"), deliveryId: z.string().regex(/^whd_[0-9a-f]{32}$/), attempt: z.number().int().min(1).max(100) }),
  GithubCheckJob,
]);
export type ScanJob = z.infer<typeof ScanJob>;
export type WebhookJob = Extract<ScanJob, { kind: "webhook" }>;
