/** GET /v1/scans/{id}/findings — findings page by page (most severe first), filtered by severity or rule. */
import { z } from "zod";
import { database } from "../db/client";
import { listFindings } from "../db/scan-queries";
import { SEVERITIES } from "../engine/types";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { decodeCursor, encodeCursor, FINDING_EXAMPLE, FindingView, toFindingView } from "../scans/views";
import { ScanParams, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  severity: z.enum(SEVERITIES).optional(),
  rule: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/)
    .optional(),
  cursor: z.string().max(400).optional(),
});
const Cursor = z.object({ r: z.number().int(), p: z.string(), l: z.number().int(), i: z.string() });
const Page = z.object({ findings: z.array(FindingView), nextCursor: z.string().nullable() }).meta({ id: "FindingPage" });

export const scansFindings = defineRoute({
  method: "get",
  path: "/v1/scans/{id}/findings",
  operationId: "listFindings",
  summary: "List a scan's findings",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  publishable: true,
  request: { params: ScanParams, query: Query },
  responses: {
    200: { description: "A page of findings", schema: Page, example: { findings: [FINDING_EXAMPLE], nextCursor: null } },
    404: { description: "No such scan", example: problemExample("not_found", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c/findings", "No such scan.") },
  },
  async handler(c, { query: q }) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const scan = await scanOr404(db, caller, c.req.param("id") ?? "");
    const after = q.cursor ? decodeCursor(q.cursor, Cursor) : undefined;
    const rows = await listFindings(db, scan.id, {
      limit: q.limit + 1,
      severity: q.severity,
      ruleId: q.rule,
      after: after && { rank: after.r, path: after.p, line: after.l, id: after.i },
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({
      findings: page.map((r) => toFindingView(scan.id, r)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ r: last.severityRank, p: last.path, l: last.startLine, i: last.id }) : null,
    });
  },
});
