/**
 * POST /dashboard/projects/{projectId}/webhooks — the register-endpoint form, checked against the
 * API's own webhook request schema and registered as POST /v1/webhooks does. Answers the webhooks
 * page with the signing secret shown once, or with the form's problems (400).
 */
import { database } from "../../db/client";
import { registerWebhook, WebhookRequest } from "../../routes/webhooks-create";
import { definePage } from "../page";
import { pageProject } from "../project-access";
import { renderWebhooksPage } from "./webhooks";

export const webhooksCreatePage = definePage({
  method: "post",
  path: "/dashboard/projects/{projectId}/webhooks",
  summary: "Register a webhook endpoint",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const form = await c.req.parseBody({ all: true });
    const description = typeof form.description === "string" && form.description.trim() ? form.description : undefined;
    const parsed = WebhookRequest.safeParse({ url: form.url, events: [form.events ?? []].flat(), description });
    if (!parsed.success) return renderWebhooksPage(c, project, { refused: parsed.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`) }, 400);
    const { row, secret } = await registerWebhook(c.env, db, project.id, parsed.data);
    return renderWebhooksPage(c, project, { created: { url: row.url, secret } }, 201);
  },
});
