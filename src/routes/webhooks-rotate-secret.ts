/**
 * POST /v1/webhooks/{id}/rotate-secret — a new signing secret, shown once. For 24 hours the old
 * secret keeps signing beside it (two `v1,` signatures), so receivers can switch without losing
 * an event.
 */
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { rotateSecret } from "../webhooks/endpoints";
import { WebhookParams, webhookOr404, webhookView, WebhookWithSecret } from "./webhook-lookup";
import type { RouteDef } from "./route";

export const webhooksRotateSecret: RouteDef = {
  method: "post",
  path: "/v1/webhooks/{id}/rotate-secret",
  operationId: "rotateWebhookSecret",
  summary: "Rotate a webhook endpoint's signing secret",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: {
    200: { description: "The endpoint and its new secret, shown once", schema: WebhookWithSecret },
    403: { description: "Missing webhooks:admin" },
    404: { description: "No such endpoint in this project" },
    503: { description: "Webhooks are not configured on this deployment" },
  },
  register(app) {
    app.post("/v1/webhooks/:id/rotate-secret", async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const db = database(c.env.DB);
      const { row, secret } = await rotateSecret(c.env, db, await webhookOr404(db, caller.projectId, c.req.param("id")));
      return c.json({ ...webhookView(row), secret });
    });
  },
};
