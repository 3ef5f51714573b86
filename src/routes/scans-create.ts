/**
 * POST /v1/scans — submit files for a scan. Small scans run inside the request and answer 201
 * with the finished scan; large ones (over SYNC_SCAN_MAX_BYTES, or `options.async`) wait in R2,
 * a message naming the scan goes to the queue, and the answer is 202 with Location and
 * Retry-After. An identical submission within the dedupe window answers 200 with the earlier
 * scan. `Idempotency-Key` (stored as a hash, never verbatim): the same key and body give the same
 * answer, the same key with a different body is 422. As with Stripe, a scan that failed because
 * of the server releases its key (a retry runs again), and one that failed because of its input
 * keeps it (a retry gets the same 4xx). The daily byte quota is charged only for a scan actually
 * started: not for a 4xx, a replay or a duplicate, and refunded when the server fails it. A
 * publishable key (the widget) has smaller submission limits and its own byte quota, and its
 * replays and duplicates are found among its own scans only, the ones it may read.
 */
import type { Context } from "hono";
import { z } from "zod";
import { bytesQuota, isPublishable, publishableSubmissionLimits } from "../auth/publishable-keys";
import { database } from "../db/client";
import { findByIdempotencyKey, findDuplicate, getScan, type ScanRow } from "../db/scan-queries";
import type { AppEnv } from "../env";
import { settings } from "../settings";
import { ApiError, ERROR_CODES } from "../errors";
import { limiterFor } from "../limits/limiter";
import { log } from "../observability/log";
import { hasCardDataOrSecret } from "../observability/scrub";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { recordLimit } from "../middleware/rate-limit";
import { createScan, failScan } from "../scans/lifecycle";
import { runScan, unretryableReason } from "../scans/run-scan";
import { checkSubmission, contentHash, requestHash, ScanRequest, sha256Hex, submissionLimits } from "../scans/submission";
import { FINDING_EXAMPLE, QUEUED_SCAN_EXAMPLE, SCAN_EXAMPLE, ScanView } from "../scans/views";
import { fullScanView } from "./scan-lookup";
import { putUpload } from "../storage/objects";
import { defineRoute } from "./route";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const scansCreate = defineRoute({
  method: "post",
  path: "/v1/scans",
  operationId: "createScan",
  summary: "Scan files",
  description: "Small scans answer 201 with the finished scan; large or async scans answer 202 and finish in the background.",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:write",
  publishable: true,
  request: {
    body: ScanRequest,
    bodyExample: { files: [{ path: "src/orders.js", content: FINDING_EXAMPLE.snippet + "\n" }], options: { minSeverity: "medium" } },
    headers: ["Idempotency-Key"],
  },
  responses: {
    200: {
      description: "An identical submission was scanned recently: the earlier scan",
      schema: ScanView,
      headers: ["Location", "X-Duplicate-Of"],
      example: SCAN_EXAMPLE,
    },
    201: {
      description: "Finished scan (Idempotent-Replayed when it replays an Idempotency-Key)",
      schema: ScanView,
      headers: ["Location", "Idempotent-Replayed"],
      example: SCAN_EXAMPLE,
    },
    202: {
      description: "Queued scan: poll Location after Retry-After seconds",
      schema: ScanView,
      headers: ["Location", "Retry-After", "Idempotent-Replayed"],
      example: QUEUED_SCAN_EXAMPLE,
    },
    400: { description: "Invalid body, options or Idempotency-Key (each invalid field listed in `errors`)" },
    413: {
      description: "Body over MAX_BODY_BYTES, or too many files or bytes (`limit` names the one)",
      example: problemExample("payload_too_large", "/v1/scans", "A scan may hold at most 20 files; this one has 21.", { limit: "maxFiles", max: 20 }),
    },
    422: {
      description: "Idempotency-Key reused with a different body, or the input cannot be scanned (replayed with Idempotent-Replayed)",
      headers: ["Idempotent-Replayed"],
      example: problemExample("unprocessable", "/v1/scans", "This Idempotency-Key was used with a different request body."),
    },
    429: {
      description: "Rate limit or daily byte quota reached (`policy` names it)",
      headers: ["Retry-After"],
      example: problemExample("rate_limited", "/v1/scans", 'The "bytes" quota of 200000000 per 86400 s is used up; retry in 3600 s.', { policy: "bytes" }),
    },
    503: {
      description: "The scan could not be completed: retry with the same Idempotency-Key",
      headers: ["Retry-After"],
      example: problemExample("unavailable", "/v1/scans", "The scan could not be completed; retry with the same Idempotency-Key.", {
        scanId: "scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c",
      }),
    },
  },
  async handler(c, { body: request }) {
    const caller = projectCaller(c);
    const ownKey = isPublishable(caller) ? caller.keyId : undefined;
    const keyHash = await idempotencyKeyHash(c.req.header("idempotency-key"), ownKey);
    const limits = ownKey ? publishableSubmissionLimits(c.env, submissionLimits(c.env)) : submissionLimits(c.env);
    const bytes = checkSubmission(request, limits);
    const db = database(c.env.DB);
    // Only a replay compares request bodies, and only a keyed request can be replayed.
    const reqHash = keyHash ? await requestHash(request) : null;
    if (keyHash) {
      const earlier = await findByIdempotencyKey(db, caller.projectId, keyHash);
      if (earlier) return replay(c, earlier, reqHash);
    }
    const hash = await contentHash(request);
    const windowMs = settings(c.env).DEDUPE_WINDOW_SECONDS * 1000;
    if (!request.options.async) {
      const duplicate = await findDuplicate(db, caller.projectId, hash, Date.now() - windowMs, ownKey);
      if (duplicate) return respond(c, duplicate, 200, { "X-Duplicate-Of": duplicate.id });
    }

    const limiter = limiterFor(c.env);
    const cost = Math.max(1, bytes);
    const quota = bytesQuota(caller);
    recordLimit(c, await limiter.hit(quota.policy, quota.tenant, cost));
    const sync = !request.options.async && bytes <= limits.syncMaxBytes;
    let row: ScanRow;
    try {
      row = await createScan(c.env, {
        projectId: caller.projectId,
        contentHash: hash,
        options: request.options,
        fileCount: request.files.length,
        byteCount: bytes,
        idempotencyKey: keyHash,
        requestHash: reqHash,
        createdByKey: caller.kind === "key" ? caller.keyId : null,
        runNow: sync,
      });
    } catch (error) {
      // A concurrent request with the same Idempotency-Key won the insert: this one is a replay.
      const winner = keyHash ? await findByIdempotencyKey(db, caller.projectId, keyHash) : undefined;
      if (winner) {
        await limiter.refund(quota.policy, quota.tenant, cost).catch(() => undefined);
        return replay(c, winner, reqHash);
      }
      throw error;
    }

    const id = row.id;
    if (!sync) {
      c.set("scanLog", { scanId: id, bytes, files: request.files.length, queued: true });
      await putUpload(c.env.PROOFS, id, request);
      await c.env.SCAN_JOBS.send({ kind: "scan", scanId: id, projectId: caller.projectId });
      return respond(c, row, 202);
    }
    try {
      const result = await runScan(c.env, { scanId: id, projectId: caller.projectId, request });
      c.set("scanLog", { scanId: id, bytes, files: request.files.length, findings: result.stats.bySeverity });
      if (request.options.explain) c.executionCtx.waitUntil(c.env.SCAN_JOBS.send({ kind: "explain", scanId: id, projectId: caller.projectId }));
    } catch (error) {
      c.get("sentry")?.captureException(error);
      const reason = unretryableReason(error);
      log(reason ? "warn" : "error", "synchronous scan failed", {
        requestId: c.get("requestId"),
        scanId: id,
        error: (error as Error)?.name,
        detail: (error as Error)?.message,
      });
      if (reason !== null) {
        await failScan(c.env, id, reason, { by: "input", rejectedWith: "unprocessable" }).catch(() => undefined);
        throw new ApiError("unprocessable", reason, { scanId: id });
      }
      await failScan(c.env, id, "The scan's results could not be stored.", { by: "server" }).catch(() => undefined);
      await limiter.refund(quota.policy, quota.tenant, cost).catch(() => undefined);
      throw new ApiError("unavailable", "The scan could not be completed; retry with the same Idempotency-Key.", {
        scanId: id,
        headers: { "Retry-After": "5" },
      });
    }
    return respond(c, (await getScan(db, caller.projectId, id))!, 201);
  },
});

/**
 * The stored form of an Idempotency-Key (its SHA-256), after refusing keys no client should send.
 * A publishable key's are hashed with its id: they live in its own namespace, never replaying (or
 * colliding with) another key's scan it could not read.
 */
async function idempotencyKeyHash(key: string | undefined, ownKey: string | undefined): Promise<string | null> {
  if (key === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError("bad_request", "Idempotency-Key must be 1–255 printable ASCII characters.");
  if (hasCardDataOrSecret(key)) throw new ApiError("bad_request", "Idempotency-Key must not hold a card number or secret.");
  return sha256Hex(ownKey ? `${ownKey}:${key}` : key);
}

/** The first answer again: the scan, or the 4xx its input got when it failed inside the request. */
async function replay(c: Context<AppEnv>, earlier: ScanRow, reqHash: string | null): Promise<Response> {
  if (earlier.requestHash !== reqHash) {
    throw new ApiError("unprocessable", "This Idempotency-Key was used with a different request body.");
  }
  const replayed = { "Idempotent-Replayed": "true" };
  if (earlier.status === "failed" && earlier.rejectedWith && Object.hasOwn(ERROR_CODES, earlier.rejectedWith)) {
    throw new ApiError(earlier.rejectedWith, earlier.error ?? undefined, { scanId: earlier.id, headers: replayed });
  }
  return respond(c, earlier, earlier.status === "queued" || earlier.status === "running" ? 202 : 201, replayed);
}

async function respond(c: Context<AppEnv>, row: ScanRow, status: 200 | 201 | 202, headers: Record<string, string> = {}): Promise<Response> {
  const view = await fullScanView(database(c.env.DB), row);
  c.header("Location", view.links.self);
  if (status === 202) c.header("Retry-After", "2");
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(view satisfies z.infer<typeof ScanView>, status);
}
