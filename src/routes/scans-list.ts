/** GET /v1/scans — the project's scans, newest first, with cursor pagination and a status filter. */
import { z } from "zod";
import { database } from "../db/client";
import { listScans } from "../db/scan-queries";
import { projectCaller } from "../middleware/authenticate";
import { decodeCursor, encodeCursor, SCAN_EXAMPLE, SCAN_STATUSES, ScanView, toScanView } from "../scans/views";
import { defineRoute } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(SCAN_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
});
/** A page boundary: the last scan's creation time and id (the dashboard pages scans with it too). */
export const ScanCursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ scans: z.array(ScanView), nextCursor: z.string().nullable() }).meta({ id: "ScanPage" });

export const scansList = defineRoute({
  method: "get",
  path: "/v1/scans",
  operationId: "listScans",
  summary: "List scans",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { query: Query },
  responses: {
    200: {
      description: "A page of scans, newest first (without their findings)",
      schema: Page,
      example: {
        scans: [{ ...SCAN_EXAMPLE, findings: undefined, findingsTruncated: undefined }],
        nextCursor: "eyJjIjoxNzY0NzU0MjAwMDAwLCJpIjoic2NuXzBmM2EifQ",
      },
    },
  },
  async handler(c, { query: q }) {
    const caller = projectCaller(c);
    const before = q.cursor ? decodeCursor(q.cursor, ScanCursor) : undefined;
    const rows = await listScans(database(c.env.DB), caller.projectId, {
      limit: q.limit + 1,
      status: q.status,
      before: before && { createdAt: before.c, id: before.i },
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({
      scans: page.map((r) => toScanView(r)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
    });
  },
});
