/** GET /healthz — liveness that really touches D1, for uptime monitors and `npm start`. */
import { z } from "zod";
import { ENGINE_VERSION } from "../engine/version";
import { ApiError } from "../errors";
import { problemExample } from "../openapi";
import { defineRoute } from "./route";

const Health = z
  .object({
    status: z.literal("ok"),
    engineVersion: z.string(),
    checks: z.object({ d1: z.literal("ok") }),
  })
  .meta({ id: "Health" });

export const healthz = defineRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  summary: "Liveness, with a real D1 query",
  tags: ["operations"],
  auth: "none",
  responses: {
    200: { description: "The Worker is up and D1 answers", schema: Health, example: { status: "ok", engineVersion: "0.1.0", checks: { d1: "ok" } } },
    503: { description: "D1 did not answer", example: problemExample("unavailable", "/healthz", "D1 did not answer the health query.") },
  },
  async handler(c) {
    try {
      await c.env.DB.prepare("SELECT count(*) AS n FROM projects").first<{ n: number }>();
    } catch {
      throw new ApiError("unavailable", "D1 did not answer the health query.");
    }
    c.header("cache-control", "no-store");
    return c.json(Health.parse({ status: "ok", engineVersion: ENGINE_VERSION, checks: { d1: "ok" } }));
  },
});
