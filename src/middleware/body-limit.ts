/**
 * Request body size limit. Rejects by Content-Length before reading anything, and otherwise
 * (chunked uploads) counts bytes as the body streams and stops at the limit, so an oversized
 * body is never buffered whole.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export interface BodyLimitOptions {
  /** Maximum bytes, from the environment (limits are configuration). */
  maxBytes: (env: AppEnv["Bindings"]) => number;
}

const tooLarge = (maxBytes: number) => new ApiError("payload_too_large", `Request body exceeds the limit of ${maxBytes} bytes.`, { limit: maxBytes });

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  return async function bodyLimitMiddleware(c, next) {
    limitBody(c, options.maxBytes(c.env));
    await next();
  };
}

/**
 * Holds the request's body to `maxBytes`: throws 413 now when Content-Length says more, or makes
 * reading the body throw it once more has streamed. For a route with a tighter limit of its own
 * (the GitHub webhook), on top of the global one.
 */
export function limitBody(c: Context<AppEnv>, maxBytes: number): void {
  const raw = c.req.raw;
  if (!raw.body) return;
  const declared = c.req.header("content-length");
  if (declared !== undefined) {
    const n = Number(declared);
    if (!Number.isFinite(n) || n < 0) throw new ApiError("bad_request", "Invalid Content-Length header.");
    if (n > maxBytes) throw tooLarge(maxBytes);
    return;
  }
  let seen = 0;
  const counted = raw.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  c.req.raw = new Request(raw, { body: counted, duplex: "half" } as RequestInit);
}
