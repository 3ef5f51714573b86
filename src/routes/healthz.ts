/** GET /healthz — liveness that really touches D1, for uptime monitors and `npm start`. */
import { z } from "zod";
import { ENGINE_VERSION } from "../engine/version";
import { ApiError } from "../errors";
import type { RouteDef } from "./route";

const Health = z.object({
  status: z.literal("ok"),
  engineVersion: z.string(),
  checks: z.object({ d1: z.literal("ok") }),
});

export const healthz: RouteDef = {
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  summary: "Liveness, with a real D1 query",
  tags: ["operations"],
  auth: "none",
  responses: {
    200: { description: "The Worker is up and D1 answers", schema: Health },
    503: { description: "D1 did not answer" },
  },
  register(app) {
    app.get("/healthz", async (c) => {
      try {
        await c.env.DB.prepare("SELECT count(*) AS n FROM projects").first<{ n: number }>();
      } catch {
        throw new ApiError("unavailable", "D1 did not answer the health query.");
      }
      c.header("cache-control", "no-store");
      return c.json(Health.parse({ status: "ok", engineVersion: ENGINE_VERSION, checks: { d1: "ok" } }));
    });
  },
};
