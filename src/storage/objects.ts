/**
 * R2 layout: queued submissions wait at `uploads/{scanId}.json` until their scan ends; proofs too
 * large to keep in D1 live at `scans/{scanId}/proofs/{findingId}.json`.
 */
import type { Proof } from "../engine/types";
import type { ScanRequest } from "../scans/submission";

export const uploadKey = (scanId: string) => `uploads/${scanId}.json`;
export const proofKey = (scanId: string, findingId: string) => `scans/${scanId}/proofs/${findingId}.json`;

export async function putUpload(bucket: R2Bucket, scanId: string, request: ScanRequest): Promise<void> {
  await bucket.put(uploadKey(scanId), JSON.stringify(request), { httpMetadata: { contentType: "application/json" } });
}

export async function getUpload(bucket: R2Bucket, scanId: string): Promise<unknown | null> {
  const object = await bucket.get(uploadKey(scanId));
  return object ? object.json() : null;
}

export async function putProof(bucket: R2Bucket, key: string, proof: Proof): Promise<void> {
  await bucket.put(key, JSON.stringify(proof), { httpMetadata: { contentType: "application/json" } });
}

export async function getProof(bucket: R2Bucket, key: string): Promise<Proof | null> {
  const object = await bucket.get(key);
  return object ? ((await object.json()) as Proof) : null;
}

/** Deletes every object of a scan: its proofs and any submission still waiting. */
export async function deleteScanObjects(bucket: R2Bucket, scanId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `scans/${scanId}/`, cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  await bucket.delete(uploadKey(scanId));
}
