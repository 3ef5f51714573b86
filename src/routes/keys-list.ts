/** GET /v1/keys — the caller's project's API keys: prefixes and metadata, never hashes. */
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { database } from "../db/client";
import { apiKeys } from "../db/schema";
import { projectCaller } from "../middleware/authenticate";
import { KEY_EXAMPLE, KeyView, keyView } from "./key-view";
import { defineRoute } from "./route";

const KeyList = z.object({ keys: z.array(KeyView) }).meta({ id: "KeyList" });

export const keysList = defineRoute({
  method: "get",
  path: "/v1/keys",
  operationId: "listKeys",
  summary: "List this project's API keys",
  tags: ["keys"],
  auth: "apiKey",
  scope: "keys:admin",
  responses: { 200: { description: "Keys (no secrets), newest first", schema: KeyList, example: { keys: [KEY_EXAMPLE] } } },
  async handler(c) {
    const caller = projectCaller(c);
    const rows = await database(c.env.DB).select().from(apiKeys).where(eq(apiKeys.projectId, caller.projectId)).orderBy(desc(apiKeys.createdAt)).all();
    return c.json({ keys: rows.map(keyView) });
  },
});
