/**
 * R2 layout: queued submissions wait at `uploads/{scanId}.json` until their scan ends; proofs and
 * fixes too large to keep in D1 live at `scans/{scanId}/proofs/{findingId}.json` and
 * `scans/{scanId}/fixes/{findingId}.json`. Every call goes through retries with backoff and the R2
 * circuit breaker.
 */
import type { Fix, Proof } from "../engine/types";
import { withRetry } from "../limits/retry";
import type { ScanRequest } from "../scans/submission";

export const uploadKey = (scanId: string) => `uploads/${scanId}.json`;
export const proofKey = (scanId: string, findingId: string) => `scans/${scanId}/proofs/${findingId}.json`;
export const fixKey = (scanId: string, findingId: string) => `scans/${scanId}/fixes/${findingId}.json`;

export async function putUpload(bucket: R2Bucket, scanId: string, request: ScanRequest): Promise<void> {
  const body = JSON.stringify(request);
  await withRetry("r2", () => bucket.put(uploadKey(scanId), body, { httpMetadata: { contentType: "application/json" } }));
}

export async function getUpload(bucket: R2Bucket, scanId: string): Promise<unknown> {
  return withRetry("r2", async () => {
    const object = await bucket.get(uploadKey(scanId));
    return object ? object.json() : null;
  });
}

/** Stores a finding's proof or fix already serialised (the caller measured it to decide it belongs in R2). */
export async function putFindingObject(bucket: R2Bucket, key: string, body: string): Promise<void> {
  await withRetry("r2", () => bucket.put(key, body, { httpMetadata: { contentType: "application/json" } }));
}

/** A proof or fix putFindingObject stored at `key`, or null when there is none. */
export async function getFindingObject<T extends Proof | Fix>(bucket: R2Bucket, key: string): Promise<T | null> {
  return withRetry("r2", async () => {
    const object = await bucket.get(key);
    return object ? await object.json<T>() : null;
  });
}

/** Deletes every object of a scan: its proofs and any submission still waiting. */
export async function deleteScanObjects(bucket: R2Bucket, scanId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await withRetry("r2", () => bucket.list({ prefix: `scans/${scanId}/`, cursor }));
    if (page.objects.length) await withRetry("r2", () => bucket.delete(page.objects.map((o) => o.key)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  await deleteUpload(bucket, scanId);
}

export async function deleteUpload(bucket: R2Bucket, scanId: string): Promise<void> {
  await withRetry("r2", () => bucket.delete(uploadKey(scanId)));
}
