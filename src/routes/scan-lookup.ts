/** Shared by the /v1/scans/{id}… routes: the path schema and the project-scoped scan lookup. */
import { z } from "zod";
import type { Db } from "../db/client";
import { getScan, type ScanRow } from "../db/scan-queries";
import { ApiError } from "../errors";

export const ScanParams = z.object({ id: z.string().regex(/^scn_[0-9a-f]{32}$/, "not a scan id") });

/** The project's scan, or 404 — identical for a missing scan and another project's scan. */
export async function scanOr404(db: Db, projectId: string, id: string): Promise<ScanRow> {
  const row = ScanParams.shape.id.safeParse(id).success ? await getScan(db, projectId, id) : undefined;
  if (!row) throw new ApiError("not_found", "No such scan.");
  return row;
}
