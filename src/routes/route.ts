/**
 * What every route file exports: its OpenAPI description (built from the same zod schemas that
 * validate requests) and a `register(app)` that app.ts calls explicitly. The list of routes also
 * drives 405 answers (which methods a path allows).
 */
import type { Hono } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Content type of the response body; defaults to application/json (problem+json for 4xx/5xx). */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteDef {
  method: HttpMethod;
  /** OpenAPI-style path: /v1/scans/{id} */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** "apiKey": Authorization: Bearer pca_…; "admin": Bearer ADMIN_TOKEN; "none": public. */
  auth: "apiKey" | "admin" | "none";
  /** Scope an API key needs. */
  scope?: string;
  request?: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
  responses: Record<number, RouteResponse>;
  register(app: Hono<AppEnv>): void;
}

/** The route path in Hono's syntax: /v1/scans/{id} → /v1/scans/:id */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}
