/** GET /v1/keys — the caller's project's API keys: prefixes and metadata, never hashes. */
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { database } from "../db/client";
import { apiKeys } from "../db/schema";
import { requireScope } from "../middleware/authenticate";
import { KeyView, keyView } from "./key-view";
import type { RouteDef } from "./route";

export const keysList: RouteDef = {
  method: "get",
  path: "/v1/keys",
  operationId: "listKeys",
  summary: "List this project's API keys",
  tags: ["keys"],
  auth: "apiKey",
  scope: "keys:admin",
  responses: { 200: { description: "Keys (no secrets)", schema: z.object({ keys: z.array(KeyView) }) }, 403: { description: "Missing keys:admin" } },
  register(app) {
    app.get("/v1/keys", async (c) => {
      const caller = requireScope(c, "keys:admin");
      const rows = await database(c.env.DB).select().from(apiKeys).where(eq(apiKeys.projectId, caller.projectId)).orderBy(desc(apiKeys.createdAt)).all();
      return c.json({ keys: rows.map(keyView) });
    });
  },
};

