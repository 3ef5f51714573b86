/** GET /v1/scans — the project's scans, newest first, with cursor pagination and a status filter. */
import { z } from "zod";
import { zValidator } from "@hono/zod-validator";
import { database } from "../db/client";
import { listScans } from "../db/scan-queries";
import { requireScope } from "../middleware/authenticate";
import { validationHook } from "../middleware/validation-hook";
import { decodeCursor, encodeCursor, SCAN_STATUSES, ScanView, toScanView } from "../scans/views";
import type { RouteDef } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(SCAN_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
});
const Cursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ scans: z.array(ScanView), nextCursor: z.string().nullable() });

export const scansList: RouteDef = {
  method: "get",
  path: "/v1/scans",
  operationId: "listScans",
  summary: "List scans",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { query: Query },
  responses: { 200: { description: "A page of scans", schema: Page }, 400: { description: "Invalid query" }, 401: { description: "No key" }, 403: { description: "Missing scope" } },
  register(app) {
    app.get("/v1/scans", zValidator("query", Query, validationHook), async (c) => {
      const caller = requireScope(c, "scans:read");
      const q = c.req.valid("query");
      const before = q.cursor ? decodeCursor(q.cursor, Cursor) : undefined;
      const rows = await listScans(database(c.env.DB), caller.projectId, { limit: q.limit + 1, status: q.status, before: before && { createdAt: before.c, id: before.i } });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ scans: page.map((r) => toScanView(r)), nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null });
    });
  },
};
