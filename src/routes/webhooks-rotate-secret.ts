/**
 * POST /v1/webhooks/{id}/rotate-secret — a new signing secret, shown once. For 24 hours the old
 * secret keeps signing beside it (two `v1,` signatures), so receivers can switch without losing
 * an event.
 */
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { rotateSecret } from "../webhooks/endpoints";
import { SECRET_EXAMPLE, WEBHOOK_EXAMPLE, WEBHOOK_NOT_FOUND, WebhookParams, webhookOr404, webhookView, WebhookWithSecret } from "./webhook-lookup";
import { defineRoute } from "./route";

export const webhooksRotateSecret = defineRoute({
  method: "post",
  path: "/v1/webhooks/{id}/rotate-secret",
  operationId: "rotateWebhookSecret",
  summary: "Rotate a webhook endpoint's signing secret",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: {
    200: {
      description: "The endpoint and its new secret, shown once; the old one signs too until previousSecretExpiresAt",
      schema: WebhookWithSecret,
      example: { ...WEBHOOK_EXAMPLE, previousSecretExpiresAt: "2026-12-04T09:30:00.000Z", secret: SECRET_EXAMPLE },
    },
    404: WEBHOOK_NOT_FOUND,
    503: {
      description: "Webhooks are not configured on this deployment (WEBHOOK_SECRET_KEY)",
      example: problemExample(
        "unavailable",
        `/v1/webhooks/${WEBHOOK_EXAMPLE.id}/rotate-secret`,
        "Webhooks are not configured on this deployment (WEBHOOK_SECRET_KEY).",
      ),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const { row, secret } = await rotateSecret(c.env, db, await webhookOr404(db, caller.projectId, c.req.param("id") ?? ""));
    return c.json({ ...webhookView(row), secret });
  },
});
