/**
 * The one error envelope (STYLE.md §3): a closed list of error codes, each with its HTTP status
 * and title, rendered as RFC 9457 application/problem+json carrying the request id. Handlers
 * throw ApiError; app.onError renders it, and renders anything else as a bare 500.
 *
 * Errors must not become a way to make the API repeat input back: 10 MB of unknown JSON key in
 * must not be 10 MB (or a card number) out. Anything quoted from a request goes through
 * `reflected()`, and `problem()` bounds and scrubs every string of every problem it renders.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./env";
import { clipScrubbed, scrubText } from "./observability/scrub";
import { escapeUnsafeChars } from "./unsafe-chars";

export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  invalid_json: { status: 400, title: "Malformed JSON body" },
  validation_failed: { status: 400, title: "Request validation failed" },
  unauthorized: { status: 401, title: "Missing or invalid credentials" },
  forbidden: { status: 403, title: "Insufficient permissions" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  unprocessable: { status: 422, title: "Unprocessable request" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** JSON pointer-like path of the invalid field, e.g. "/files/0/path". */
  pointer: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } & Record<string, unknown> = {},
  ) {
    super(detail ?? ERROR_CODES[code].title);
  }

  get status(): ContentfulStatusCode {
    return ERROR_CODES[this.code].status;
  }
}

/**
 * Where a problem type is documented: an absolute URI on the deployment that answered (RFC 9457
 * §3.1.1 asks for one), served by the problems route. The host is the request's, so it passes the
 * masker like everything else we answer.
 * @example problemType("not_found", "https://api.example.com/v1/scans/x") // "https://api.example.com/problems/not_found"
 */
export const problemType = (code: ErrorCode, requestUrl: string) => `${scrubText(new URL(requestUrl).origin)}/problems/${code}`;

/** Longest piece of a request quoted in an error (a key, a path, a content type). */
const REFLECTED_MAX = 64;
/** Longest string anywhere in a problem body (detail, field messages, pointers, extensions). */
const TEXT_MAX = 400;
/** Longest `instance` (the request path). */
const INSTANCE_MAX = 200;
/** Field errors listed at most; the rest are counted in `errorsOmitted`. */
const FIELD_ERRORS_MAX = 20;

/**
 * A piece of the request quoted back in an error: card numbers and secrets masked, control and
 * bidi characters shown as `\uXXXX`, at most `max` characters.
 * @example `Expected JSON, got ${JSON.stringify(reflected(contentType))}.`
 */
export function reflected(text: string, max = REFLECTED_MAX): string {
  return escapeUnsafeChars(clipScrubbed(text, max));
}

/** Every string of a problem's extensions bounded and scrubbed; nesting and arrays bounded too. */
function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return reflected(value, TEXT_MAX);
  if (value === null || typeof value !== "object") return value;
  if (depth > 3) return undefined;
  if (Array.isArray(value)) return value.slice(0, FIELD_ERRORS_MAX).map((v) => bounded(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, FIELD_ERRORS_MAX)
      .map(([k, v]) => [reflected(k), bounded(v, depth + 1)]),
  );
}

/** The request path as `instance`: decoded to find card numbers written with %20 and the like, masked, capped, re-encoded. */
function instanceOf(url: string): string {
  const path = new URL(url).pathname;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: mask the raw form.
  }
  return encodeURI(clipScrubbed(decoded, INSTANCE_MAX).replace(/…$/, ""));
}

/** Renders a problem+json response for an error code. */
export function problem(c: Context<AppEnv>, error: ApiError): Response {
  const { headers, errors, ...extensions } = error.extra;
  const members = {
    type: problemType(error.code, c.req.url),
    title: ERROR_CODES[error.code].title,
    status: error.status,
    ...(error.detail ? { detail: reflected(error.detail, TEXT_MAX) } : {}),
    instance: instanceOf(c.req.url),
    code: error.code,
    requestId: c.get("requestId"),
  };
  const body = {
    ...members,
    ...(bounded(extensions) as Record<string, unknown>),
    ...(errors ? { errors: bounded(errors) } : {}),
    ...(errors && errors.length > FIELD_ERRORS_MAX ? { errorsOmitted: errors.length - FIELD_ERRORS_MAX } : {}),
    // An extension never replaces a standard member (a `status` extension once turned 409 into "queued").
    ...members,
  };
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("content-type", "application/problem+json");
  return c.body(JSON.stringify(body), error.status);
}
