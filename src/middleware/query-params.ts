/**
 * Validates a route's query parameters with its declared zod schema: 400 `validation_failed`
 * listing every invalid parameter. A parameter given once is a string, given more often an array
 * (which the schema then refuses unless it takes one). The parsed value is `c.get("query")`.
 */
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { zodFieldErrors } from "./zod-errors";

export function queryParams(schema: z.ZodType): MiddlewareHandler<AppEnv> {
  return async function queryParamsMiddleware(c, next) {
    const raw = Object.fromEntries(Object.entries(c.req.queries()).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new ApiError("validation_failed", "One or more parameters are invalid.", { errors: zodFieldErrors(parsed.error) });
    c.set("query", parsed.data);
    await next();
  };
}
