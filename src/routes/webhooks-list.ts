/** GET /v1/webhooks — the project's webhook endpoints, newest first, with cursor pagination. */
import { z } from "zod";
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { decodeCursor, encodeCursor } from "../scans/views";
import { listEndpoints } from "../webhooks/endpoints";
import { WEBHOOK_EXAMPLE, WebhookView, webhookView } from "./webhook-lookup";
import { defineRoute } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
const Cursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ webhooks: z.array(WebhookView), nextCursor: z.string().nullable() }).meta({ id: "WebhookPage" });

export const webhooksList = defineRoute({
  method: "get",
  path: "/v1/webhooks",
  operationId: "listWebhooks",
  summary: "List webhook endpoints",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { query: Query },
  responses: {
    200: { description: "A page of endpoints, newest first (no secrets)", schema: Page, example: { webhooks: [WEBHOOK_EXAMPLE], nextCursor: null } },
  },
  async handler(c, { query: q }) {
    const caller = projectCaller(c);
    const before = q.cursor ? decodeCursor(q.cursor, Cursor) : undefined;
    const rows = await listEndpoints(database(c.env.DB), caller.projectId, { limit: q.limit + 1, before: before && { createdAt: before.c, id: before.i } });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({
      webhooks: page.map((r) => webhookView(r)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
    });
  },
});
