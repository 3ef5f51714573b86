/**
 * What every route file exports: one declaration — method, path, who may call it, request and
 * response schemas, headers, examples — and a `handler`. app.ts registers the method and path,
 * the scope check and the body/query validation from the declaration, and src/openapi.ts builds
 * the OpenAPI document from the same object, so the two cannot drift. The problem responses every
 * route shares (401/403 for credentials, 400/413/415 for a body, 429, 500) are derived, not
 * repeated; a route declares only the outcomes of its own (404, 409, 422, 503…).
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { Scope } from "../auth/api-keys";
import type { AppEnv } from "../env";
import type { RequestHeaderName, ResponseHeaderName } from "../openapi";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface RouteResponse {
  description: string;
  /** The body's schema; a 4xx/5xx without one is a problem+json. */
  schema?: z.ZodType;
  /** Content type of the response body; defaults to application/json (problem+json for 4xx/5xx). */
  contentType?: string;
  /** Headers this response sets besides the ones every response carries (RateLimit, X-Request-Id). */
  headers?: readonly ResponseHeaderName[];
  /** A realistic body, checked against `schema` by the OpenAPI test. */
  example?: unknown;
}

export interface RouteRequest<B extends z.ZodType, Q extends z.ZodType> {
  /** A JSON body: 415 when not JSON, 400 when malformed or invalid, 413 past MAX_BODY_BYTES. */
  body?: B;
  /** A realistic body, checked against `body` by the OpenAPI test. */
  bodyExample?: z.input<B>;
  /** Query parameters: 400 listing every invalid one. */
  query?: Q;
  /**
   * Path parameters, documented only: a lookup treats a malformed id like a missing one (404),
   * so an id's shape tells nothing a 404 would not.
   */
  params?: z.ZodObject;
  /** Request headers the route reads (X-Request-Id is read on every route). */
  headers?: readonly RequestHeaderName[];
}

/** What the handler receives: the validated body and query (undefined when not declared). */
export interface RouteInput<B extends z.ZodType, Q extends z.ZodType> {
  body: z.output<B>;
  query: z.output<Q>;
}

export interface RouteDef<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** OpenAPI-style path: /v1/scans/{id} */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /**
   * "apiKey": Authorization: Bearer pca_… (or a Clerk session) holding `scope`; "admin": Bearer
   * ADMIN_TOKEN; "signature": no bearer credentials, the handler checks a signature over the body
   * (the GitHub webhook's X-Hub-Signature-256) and answers 401 without a valid one; "none": public.
   */
  auth: "apiKey" | "admin" | "signature" | "none";
  /** Scope an API key needs; required when auth is "apiKey". */
  scope?: Scope;
  /**
   * Publishable keys (the widget) may call this route: creating a scan, or reading one the same
   * key created (its scan lookup enforces that; they need no scans:read). Other routes refuse them.
   */
  publishable?: true;
  request?: RouteRequest<B, Q>;
  /** This route's own outcomes; the shared problem responses are added from `auth` and `request`. */
  responses: Record<number, RouteResponse>;
  handler(c: Context<AppEnv>, input: RouteInput<B, Q>): Response | Promise<Response>;
}

/** A route declaration, its handler typed by its own body and query schemas. */
export function defineRoute<B extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever>(route: RouteDef<B, Q>): RouteDef {
  return route;
}

/** Whether the route takes bearer credentials (authenticate() and the scope check run for it). */
export function takesBearer(route: Pick<RouteDef, "auth">): boolean {
  return route.auth === "apiKey" || route.auth === "admin";
}

/** The route path in Hono's syntax: /v1/scans/{id} → /v1/scans/:id */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}
