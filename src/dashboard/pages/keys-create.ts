/**
 * POST /dashboard/projects/{projectId}/keys — the create-key form. Answers the keys page with the
 * new key shown once (only its hash is stored), or with the form's problems (400).
 */
import { z } from "zod";
import { newApiKey, SCOPES } from "../../auth/api-keys";
import { database } from "../../db/client";
import { apiKeys } from "../../db/schema";
import { DisplayName } from "../../routes/display-name";
import { definePage } from "../page";
import { pageProject } from "../project-access";
import { renderKeysPage } from "./keys";

const KeyForm = z.object({
  name: DisplayName,
  scopes: z.array(z.enum(SCOPES)).min(1, "choose at least one scope"),
  kind: z.enum(["live", "test"]),
});

export const keysCreatePage = definePage({
  method: "post",
  path: "/dashboard/projects/{projectId}/keys",
  summary: "Create an API key",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const form = await c.req.parseBody({ all: true });
    const parsed = KeyForm.safeParse({ name: form.name, scopes: [form.scopes ?? []].flat(), kind: form.kind });
    if (!parsed.success) return renderKeysPage(c, project, { refused: parsed.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`) }, 400);
    const { name, scopes, kind } = parsed.data;
    const { key, row } = await newApiKey(kind, { projectId: project.id, name, scopes: [...new Set(scopes)], createdAt: Date.now() });
    await db.insert(apiKeys).values(row);
    return renderKeysPage(c, project, { created: { name, key } }, 201);
  },
});
