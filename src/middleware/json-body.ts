/**
 * Reads and validates a JSON request body with a zod schema: 415 for a non-JSON content type,
 * 400 `invalid_json` for malformed JSON, 400 `validation_failed` listing every invalid field.
 * The parsed value is available to the handler as `c.get("body")`.
 */
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { ApiError, reflected } from "../errors";
import { zodFieldErrors } from "./zod-errors";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Validates the body against `schema`; handlers read it back with `c.get("body") as z.infer<typeof schema>`. */
export function jsonBody(schema: z.ZodType): MiddlewareHandler<AppEnv> {
  return async function jsonBodyMiddleware(c, next) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new ApiError("unsupported_media_type", `Expected Content-Type application/json, got ${type ? JSON.stringify(reflected(type)) : "none"}.`);
    }
    let text: string;
    try {
      text = await c.req.text();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError("bad_request", "Could not read the request body.");
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // V8's message quotes the input, which may hold card data: report only the position.
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      throw new ApiError("invalid_json", at ? `Body is not valid JSON (error at character ${at}).` : "Body is not valid JSON.");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ApiError("validation_failed", "One or more fields are invalid.", { errors: zodFieldErrors(parsed.error) });
    }
    c.set("body", parsed.data);
    await next();
  };
}
