/** GET /v1/keys — the caller's project's API keys: prefixes and metadata, never hashes. */
import { z } from "zod";
import { database } from "../db/client";
import { listKeys } from "../db/key-queries";
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
    const rows = await listKeys(database(c.env.DB), caller.projectId);
    return c.json({ keys: rows.map(keyView) });
  },
});
