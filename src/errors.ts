/**
 * The one error envelope (STYLE.md §3): a closed list of error codes, each with its HTTP status
 * and title, rendered as RFC 9457 application/problem+json carrying the request id. Handlers
 * throw ApiError; app.onError renders it, and renders anything else as a bare 500.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./env";

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

/** Where a problem type is documented (served by the problems route). */
export const problemType = (code: ErrorCode) => `/problems/${code}`;

/** Renders a problem+json response for an error code. */
export function problem(c: Context<AppEnv>, error: ApiError): Response {
  const { headers, ...extensions } = error.extra;
  const body = {
    type: problemType(error.code),
    title: ERROR_CODES[error.code].title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    instance: new URL(c.req.url).pathname,
    code: error.code,
    requestId: c.get("requestId"),
    ...extensions,
  };
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("content-type", "application/problem+json");
  return c.body(JSON.stringify(body), error.status);
}
