/** Shared by the scan routes: the path schemas, the project-scoped lookups and the full scan view. */
import { z } from "zod";
import { isPublishable } from "../auth/publishable-keys";
import type { Db } from "../db/client";
import { getFinding, getScan, listFindings, type FindingRow, type ScanRow } from "../db/scan-queries";
import { toScanView, type ScanView } from "../scans/views";
import type { Caller } from "../env";
import { ApiError } from "../errors";

export const ScanParams = z.object({ id: z.string().regex(/^scn_[0-9a-f]{32}$/, "not a scan id") });

/**
 * The caller's scan, or 404 — identical for a missing scan, another project's scan, and (for a
 * publishable key) a scan another key created.
 */
export async function scanOr404(db: Db, caller: Exclude<Caller, { kind: "admin" }>, id: string): Promise<ScanRow> {
  const row = ScanParams.shape.id.safeParse(id).success ? await getScan(db, caller.projectId, id) : undefined;
  if (!row || (isPublishable(caller) && row.createdByKey !== caller.keyId)) throw new ApiError("not_found", "No such scan.");
  return row;
}

export const FindingParams = ScanParams.extend({ findingId: z.string().regex(/^[0-9a-f]{1,64}$/) });

/** A finding of a scan scanOr404() returned, or 404 (a malformed id is a missing one). */
export async function findingOr404(db: Db, scan: ScanRow, findingId: string): Promise<FindingRow> {
  const row = FindingParams.shape.findingId.safeParse(findingId).success ? await getFinding(db, scan.id, findingId) : undefined;
  if (!row) throw new ApiError("not_found", "No such finding.");
  return row;
}

/** Findings included inline in a scan response; the rest are paged at /findings. */
export const INLINE_FINDINGS = 1000;

/** A scan as the API shows it: a completed scan carries its first INLINE_FINDINGS findings. */
export async function fullScanView(db: Db, row: ScanRow): Promise<ScanView> {
  if (row.status !== "completed") return toScanView(row);
  const rows = await listFindings(db, row.id, { limit: INLINE_FINDINGS + 1 });
  return toScanView(row, rows.slice(0, INLINE_FINDINGS), rows.length > INLINE_FINDINGS);
}
