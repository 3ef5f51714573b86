/** GET /openapi.json — the OpenAPI 3.1 document, generated from the routes' zod schemas. */
import type { Hono } from "hono";
import type { AppEnv } from "../env";
import { buildOpenApi } from "../openapi";
import type { RouteDef } from "./route";

/** Takes the full route list (itself included) so the document describes every route. */
export function openapiJson(routes: () => readonly RouteDef[]): RouteDef {
  let cached: Record<string, unknown> | undefined;
  return {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApi",
    summary: "This API's OpenAPI 3.1 document",
    tags: ["operations"],
    auth: "none",
    responses: { 200: { description: "OpenAPI document" } },
    register(app: Hono<AppEnv>) {
      app.get("/openapi.json", (c) => c.json((cached ??= buildOpenApi(routes()))));
    },
  };
}
