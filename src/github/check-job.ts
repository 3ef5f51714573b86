/**
 * The "github-check" queue job: what a push or pull request changed is scanned and answered with
 * the `pci-auditor` check run on its head commit. Steps, each recorded on the delivery's row so a
 * retried message resumes rather than repeats: open the check run (in progress) → list the
 * changed files → fetch their blobs within the scan limits → scan through runScan(), as every
 * scan → append annotations for findings on added lines, 50 per request → conclude. GitHub's rate
 * limits put the message back on the queue with GitHub's delay (not counted as a failure); a
 * refusal that no retry can fix (a 4xx, a bad App key) ends the job failed, with the check run
 * concluded as far as GitHub lets us.
 */
import { asc, eq } from "drizzle-orm";
import { database } from "../db/client";
import { getScan } from "../db/scan-queries";
import { findings } from "../db/schema";
import { SEVERITIES, type Severity } from "../engine/types";
import type { Env } from "../env";
import { limiterFor } from "../limits/limiter";
import { log } from "../observability/log";
import type { GithubCheckJob } from "../queue/messages";
import { createScan, failScan } from "../scans/lifecycle";
import { runScan, unretryableReason } from "../scans/run-scan";
import { contentHash, type ScanRequest } from "../scans/submission";
import { githubAppSettings, settings } from "../settings";
import { GithubApi, GithubApiError, GithubRateLimited, repoPath } from "./api";
import { appJwt, GithubKeyError, installationToken } from "./app-auth";
import { changedLinesOf, compareFiles, fetchSources, pullRequestFiles } from "./changed-files";
import { ANNOTATIONS_PER_REQUEST, annotationsFor, CHECK_NAME, checkOutput, conclusionFor, MAX_ANNOTATIONS, type Conclusion, type FailOn } from "./check-run";
import { finishDelivery, getDelivery, recordProgress } from "./deliveries";
import { getInstallation } from "./installations";

/** Rate-limit deferrals of one job before it is treated as failing (then the queue's own retries apply). */
export const MAX_DEFERRALS = 12;
/** Longest delay a Queue accepts for a message (12 hours). */
const MAX_DELAY_SECONDS = 43_200;

export interface CheckJobDeps {
  /** GitHub's API is reached through this (tests serve a fake GitHub behind it). */
  fetch?: typeof fetch;
}

/** The job cannot succeed, whatever the retries: ends failed with this reason. */
class CheckJobFailed extends Error {
  readonly retryable = false;
}

/**
 * One "github-check" message: ack when done or failed for good, re-queued with GitHub's delay when
 * rate limited, retried by the queue (via `retry`) on anything that may be transient.
 */
export async function handleGithubCheck(env: Env, job: GithubCheckJob, queue: { ack(): void; retry(): void }, deps: CheckJobDeps = {}): Promise<void> {
  try {
    await runGithubCheck(env, job, deps);
    queue.ack();
  } catch (error) {
    if (error instanceof GithubRateLimited && job.deferrals < MAX_DEFERRALS) {
      await env.SCAN_JOBS.send({ ...job, deferrals: job.deferrals + 1 }, { delaySeconds: Math.min(MAX_DELAY_SECONDS, error.retryAfterSeconds) });
      log("info", "github check deferred: rate limited", { deliveryId: job.deliveryId, delaySeconds: error.retryAfterSeconds, deferrals: job.deferrals + 1 });
      queue.ack();
      return;
    }
    if (error instanceof CheckJobFailed || error instanceof GithubKeyError || (error instanceof GithubApiError && !error.retryable)) {
      await abandonGithubCheck(env, job, error.message, deps);
      queue.ack();
      return;
    }
    log("warn", "github check failed; retrying", { deliveryId: job.deliveryId, error: (error as Error)?.name, detail: (error as Error)?.message });
    queue.retry();
  }
}

/** Runs (or resumes) the job; throws GithubRateLimited, GithubApiError and transient errors. */
export async function runGithubCheck(env: Env, job: GithubCheckJob, deps: CheckJobDeps = {}): Promise<void> {
  const db = database(env.DB);
  const delivery = await getDelivery(db, job.deliveryId);
  if (delivery?.status !== "queued") return;
  const api = githubApi(env, job.installationId, deps);
  const checkRuns = `${repoPath(job.repository)}/check-runs`;

  let checkRunId = delivery.checkRunId;
  if (checkRunId === null) {
    const { data } = await api.request<{ id: number }>("POST", checkRuns, {
      name: CHECK_NAME,
      head_sha: job.headSha,
      status: "in_progress",
      external_id: job.deliveryId,
      started_at: new Date().toISOString(),
    });
    checkRunId = data.id;
    await recordProgress(db, job.deliveryId, { checkRunId });
  }
  const conclude = (conclusion: Conclusion, output: { title: string; summary: string }, detailsUrl?: string) =>
    api.request("PATCH", `${checkRuns}/${checkRunId}`, {
      status: "completed",
      conclusion,
      completed_at: new Date().toISOString(),
      ...(detailsUrl ? { details_url: detailsUrl } : {}),
      output,
    });

  const change = job.pullRequest
    ? await pullRequestFiles(api, job.repository, job.pullRequest)
    : await compareFiles(api, job.repository, job.base ?? job.headSha, job.headSha);
  let scanId = delivery.scanId;
  let notes = delivery.notes;
  let scan = scanId ? await getScan(db, job.projectId, scanId) : undefined;
  // Failed meanwhile (the stuck-scan sweep fails one whose worker died): say so, never conclude on no findings.
  if (scan?.status === "failed") throw new CheckJobFailed(`The scan failed: ${scan.error ?? "no reason recorded"}`);
  if (scan?.status !== "completed") {
    const limits = settings(env);
    const sources = await fetchSources(api, job.repository, change, {
      maxFiles: Math.min(limits.MAX_FILES, limits.GITHUB_MAX_FILES),
      maxFileBytes: limits.MAX_FILE_BYTES,
      maxScanBytes: limits.MAX_SCAN_BYTES,
    });
    notes = sources.notes;
    if (sources.files.length === 0) {
      await conclude("neutral", {
        title: "Nothing to scan",
        summary: ["No changed file could be scanned (all removed, binary or over the limits).", ...notes.map((n) => `- ${n}`)].join("\n"),
      });
      await finishDelivery(db, job.deliveryId, "completed");
      return;
    }
    const request: ScanRequest = { files: sources.files, options: {} };
    if (!scanId) {
      scanId = await createGithubScan(env, job.projectId, request);
      await recordProgress(db, job.deliveryId, { scanId, notes });
    }
    try {
      await runScan(env, { scanId, projectId: job.projectId, request });
    } catch (error) {
      const reason = unretryableReason(error);
      if (reason === null) throw error;
      await failScan(env, scanId, reason, { by: "input" });
      throw new CheckJobFailed(reason);
    }
    scan = await getScan(db, job.projectId, scanId);
    if (scan?.status === "failed") throw new CheckJobFailed(`The scan failed: ${scan.error ?? "no reason recorded"}`);
  }
  if (scan?.status !== "completed" || !scanId) throw new Error("The scan has not completed; the job retries.");

  const rows = await db
    .select({
      ruleId: findings.ruleId,
      severity: findings.severity,
      title: findings.title,
      message: findings.message,
      path: findings.path,
      startLine: findings.startLine,
      endLine: findings.endLine,
    })
    .from(findings)
    .where(eq(findings.scanId, scanId))
    .orderBy(asc(findings.severityRank), asc(findings.path), asc(findings.startLine));
  const annotations = annotationsFor(rows, changedLinesOf(change));
  const toSend = annotations.slice(0, MAX_ANNOTATIONS);
  const summary = (scan.summary ?? {}) as { bySeverity?: Record<Severity, number>; byPciRequirement?: Record<string, number> };
  const bySeverity = summary.bySeverity ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
  const failOn = ((await getInstallation(db, job.installationId))?.failOn ?? "high") as FailOn;
  const conclusion = conclusionFor(bySeverity, failOn);
  const scanUrl = `${job.apiOrigin}/v1/scans/${scanId}`;
  const output = checkOutput({
    bySeverity,
    byPciRequirement: summary.byPciRequirement ?? {},
    filesScanned: scan.fileCount,
    failOn,
    conclusion,
    annotations: { total: annotations.length, sent: toSend.length },
    notes,
    scanUrl,
  });

  for (let sent = delivery.annotationsSent; sent < toSend.length; sent += ANNOTATIONS_PER_REQUEST) {
    const batch = toSend.slice(sent, sent + ANNOTATIONS_PER_REQUEST);
    await api.request("PATCH", `${checkRuns}/${checkRunId}`, { output: { ...output, annotations: batch } });
    await recordProgress(db, job.deliveryId, { annotationsSent: sent + batch.length });
  }
  await conclude(conclusion, output, scanUrl);
  await finishDelivery(db, job.deliveryId, "completed");
  log("info", "github check", { deliveryId: job.deliveryId, scanId, conclusion, annotations: toSend.length });
}

/** Clients for the installation: App JWT for the token exchange, the installation token for the rest. */
function githubApi(env: Env, installationId: number, deps: CheckJobDeps): GithubApi {
  const app = githubAppSettings(env)?.app;
  if (!app) throw new CheckJobFailed("The GitHub App is not configured on this deployment (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY).");
  const appApi = new GithubApi(async () => `Bearer ${await appJwt(app.id, app.privateKey)}`, deps.fetch);
  return new GithubApi(async () => `token ${await installationToken(appApi, installationId)}`, deps.fetch);
}

/** The scan for a GitHub check (lifecycle.ts, as every scan), charged to the project's daily byte quota like any scan. */
async function createGithubScan(env: Env, projectId: string, request: ScanRequest): Promise<string> {
  const bytes = request.files.reduce((n, f) => n + new TextEncoder().encode(f.content).byteLength, 0);
  const limiter = limiterFor(env);
  const cost = Math.max(1, bytes);
  const decision = await limiter.hit("bytes", projectId, cost);
  if (!decision.allowed)
    throw new CheckJobFailed(`The project's daily scan quota is used up; push again in ${decision.retryAfterSeconds} s or raise the quota.`);
  try {
    const row = await createScan(env, {
      projectId,
      contentHash: await contentHash(request),
      options: request.options,
      fileCount: request.files.length,
      byteCount: bytes,
      runNow: true,
    });
    return row.id;
  } catch (error) {
    // No scan was made: the retry charges again, so give this charge back.
    await limiter.refund("bytes", projectId, cost).catch(() => undefined);
    throw error;
  }
}

/**
 * Ends a job that cannot succeed: the delivery failed with the reason, its scan failed if one was
 * left running, and the check run concluded "neutral" with the reason when GitHub still lets us.
 */
export async function abandonGithubCheck(env: Env, job: GithubCheckJob, reason: string, deps: CheckJobDeps = {}): Promise<void> {
  const db = database(env.DB);
  const delivery = await getDelivery(db, job.deliveryId);
  if (delivery?.status !== "queued") return;
  if (delivery.scanId) {
    // A scan already finished is left as it is (the lifecycle refuses to fail it).
    await failScan(env, delivery.scanId, reason, { by: "server" });
  }
  if (delivery.checkRunId !== null) {
    await githubApiOrNull(env, job, deps)
      ?.request("PATCH", `${repoPath(job.repository)}/check-runs/${delivery.checkRunId}`, {
        status: "completed",
        conclusion: "neutral",
        completed_at: new Date().toISOString(),
        output: { title: "The scan could not be completed", summary: reason },
      })
      .catch((error) => log("warn", "github check run not concluded", { deliveryId: job.deliveryId, error: (error as Error)?.name }));
  }
  await finishDelivery(db, job.deliveryId, "failed", reason);
  log("warn", "github check failed", { deliveryId: job.deliveryId, reason });
}

function githubApiOrNull(env: Env, job: GithubCheckJob, deps: CheckJobDeps): GithubApi | null {
  try {
    return githubApi(env, job.installationId, deps);
  } catch {
    return null;
  }
}
