/**
 * Builds the OpenAPI 3.1 document from the route list: every schema comes from the zod
 * definitions that validate requests (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
import { z } from "zod";
import { ERROR_CODES } from "./errors";
import { ENGINE_VERSION } from "./engine/version";
import type { RouteDef } from "./routes/route";

const Problem = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "code", "requestId"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    code: { type: "string", enum: Object.keys(ERROR_CODES) },
    requestId: { type: "string" },
    errors: { type: "array", maxItems: 20, items: { type: "object", properties: { pointer: { type: "string" }, message: { type: "string" } } } },
    errorsOmitted: { type: "integer", description: "Field errors past the 20 listed" },
  },
};

const toSchema = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any" });

export function buildOpenApi(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [["path", r.request?.params], ["query", r.request?.query]] as const) {
      if (!schema) continue;
      const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      const isError = Number(status) >= 400;
      const contentType = res.contentType ?? (isError ? "application/problem+json" : "application/json");
      responses[status] = {
        description: res.description,
        ...(res.headers ? { headers: Object.fromEntries(Object.entries(res.headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) } : {}),
        ...(res.schema || isError ? { content: { [contentType]: { schema: res.schema ? toSchema(res.schema, "output") : Problem } } } : {}),
      };
    }
    (paths[r.path] ??= {})[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      ...(r.auth === "none" ? { security: [] } : { security: [{ [r.auth === "admin" ? "adminToken" : "apiKey"]: r.scope ? [r.scope] : [] }] }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.request?.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.request.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "PCI Auditor & Live Attack Simulator API",
      version: ENGINE_VERSION,
      description: "Finds what breaks PCI DSS in JavaScript/TypeScript and SQL source and proves each injection by simulating the attack on a parse of the code.",
    },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "Project API key (pca_live_… or pca_test_…)" },
        adminToken: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN secret" },
      },
      schemas: { Problem },
    },
    paths,
  };
}
