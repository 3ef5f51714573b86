/** GET /openapi.json — the OpenAPI 3.1 document, generated from the route declarations. */
import { z } from "zod";
import { buildOpenApi } from "../openapi";
import { defineRoute, type RouteDef } from "./route";

const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document" });

/** Takes the full route list (itself included) so the document describes every route. */
export function openapiJson(routes: () => readonly RouteDef[]): RouteDef {
  let cached: Record<string, unknown> | undefined;
  return defineRoute({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApi",
    summary: "This API's OpenAPI 3.1 document",
    tags: ["operations"],
    auth: "none",
    responses: { 200: { description: "OpenAPI document", schema: OpenApiDocument } },
    handler: (c) => c.json((cached ??= buildOpenApi(routes()))),
  });
}
