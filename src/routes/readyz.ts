/**
 * GET /readyz — readiness for uptime monitors: D1 answers a query, R2 answers a HEAD, the queue
 * binding is configured, and no circuit breaker is open. 200 when ready, 503 (problem+json with
 * the same `checks`) when not.
 */
import { z } from "zod";
import { breakerStates } from "../limits/circuit-breaker";
import { ApiError } from "../errors";
import { problemExample } from "../openapi";
import { defineRoute } from "./route";

const Check = z.enum(["ok", "failing", "configured", "missing"]);
const Ready = z
  .object({
    status: z.literal("ready"),
    checks: z.object({ d1: Check, r2: Check, queue: Check }),
    breakers: z.record(z.string(), z.enum(["closed", "open", "half-open"])),
  })
  .meta({ id: "Readiness" });

export const readyz = defineRoute({
  method: "get",
  path: "/readyz",
  operationId: "getReadiness",
  summary: "Readiness: D1, R2, queue and circuit breakers",
  tags: ["operations"],
  auth: "none",
  responses: {
    200: { description: "Ready", schema: Ready, example: { status: "ready", checks: { d1: "ok", r2: "ok", queue: "configured" }, breakers: { d1: "closed" } } },
    503: {
      description: "A dependency is failing or a breaker is open (the problem carries `checks` and `breakers`)",
      example: problemExample("unavailable", "/readyz", "Not ready.", { checks: { d1: "ok", r2: "failing", queue: "configured" }, breakers: { d1: "closed" } }),
    },
  },
  async handler(c) {
    const [d1, r2] = await Promise.all([
      c.env.DB.prepare("SELECT 1 AS one")
        .first()
        .then(
          () => "ok" as const,
          () => "failing" as const,
        ),
      c.env.PROOFS.head("readyz-probe").then(
        () => "ok" as const,
        () => "failing" as const,
      ),
    ]);
    const queue = c.env.SCAN_JOBS ? ("configured" as const) : ("missing" as const);
    const breakers = breakerStates();
    const checks = { d1, r2, queue };
    c.header("cache-control", "no-store");
    if (d1 !== "ok" || r2 !== "ok" || queue === "missing" || Object.values(breakers).includes("open")) {
      throw new ApiError("unavailable", "Not ready.", { checks, breakers });
    }
    return c.json(Ready.parse({ status: "ready", checks, breakers }));
  },
});
