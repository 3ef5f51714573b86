/**
 * POST /dashboard/projects/{projectId}/keys — the create-key form, checked against the API's own
 * key request schema. Answers the keys page with the new key shown once (only its hash is
 * stored), or with the form's problems (400).
 */
import { database } from "../../db/client";
import { createKey, KeyRequest } from "../../routes/keys-create";
import { definePage } from "../page";
import { pageProject } from "../project-access";
import { renderKeysPage } from "./keys";

/** The origins field: one per line, or separated by spaces or commas. */
const originsOf = (text: unknown) => (typeof text === "string" && text.trim() ? text.split(/[\s,]+/).filter(Boolean) : undefined);

export const keysCreatePage = definePage({
  method: "post",
  path: "/dashboard/projects/{projectId}/keys",
  summary: "Create an API key",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const form = await c.req.parseBody({ all: true });
    const publishable = form.kind === "publishable";
    // The scope boxes are for secret keys; a publishable key holds what its kind allows.
    const scopes = publishable ? undefined : [form.scopes ?? []].flat();
    const parsed = KeyRequest.safeParse({ name: form.name, kind: form.kind, scopes, allowedOrigins: originsOf(form.allowedOrigins) });
    if (!parsed.success) return renderKeysPage(c, project, { refused: parsed.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`) }, 400);
    const { key } = await createKey(db, project.id, parsed.data);
    return renderKeysPage(c, project, { created: { name: parsed.data.name, key } }, 201);
  },
});
