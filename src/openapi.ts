/**
 * Builds the OpenAPI 3.1 document from the route declarations: every schema comes from the zod
 * definitions that validate requests and shape responses (z.toJSONSchema, JSON Schema 2020-12 as
 * OpenAPI 3.1 uses). Schemas named with `.meta({ id })` become `components.schemas` and are
 * referenced by `$ref`; the headers the API sends and reads are shared components too, and the
 * problem responses every route can give are derived here from what the route declares (who may
 * call it, whether it takes a body or a query), in one place with the middleware that produces them.
 */
import { z } from "zod";
import { ENGINE_VERSION } from "./engine/version";
import { ERROR_CODES, type ErrorCode } from "./errors";
import { takesBearer, type RouteDef, type RouteResponse } from "./routes/route";

/** Headers the API sends, documented once and referenced from each response that carries them. */
export const RESPONSE_HEADERS = {
  RateLimit: {
    description:
      "The policy closest to its limit: remaining quota (r) and seconds until it resets (t). Set on every response the rate limiter answered (draft-ietf-httpapi-ratelimit-headers-11).",
    schema: { type: "string" },
    example: '"requests";r=119;t=60',
  },
  "RateLimit-Policy": {
    description: 'Every policy this request counted against: quota (q) per window (w) seconds; the daily byte quota has qu="content-bytes".',
    schema: { type: "string" },
    example: '"requests";q=120;w=60',
  },
  "X-Request-Id": {
    description: "The request's id (the caller's own X-Request-Id when well-formed); problem bodies carry it as requestId.",
    required: true,
    schema: { type: "string" },
    example: "4b1f0c8e-6a53-4c1e-9a3e-0f5c2d7e8b91",
  },
  "Retry-After": {
    description: "Seconds to wait before retrying (429, 503) or polling a queued scan (202).",
    schema: { type: "integer", minimum: 0 },
    example: 2,
  },
  "WWW-Authenticate": { description: "The credentials this API takes.", required: true, schema: { type: "string" }, example: 'Bearer realm="pci-auditor"' },
  Location: {
    description: "The URL of the resource created or found.",
    required: true,
    schema: { type: "string", format: "uri-reference" },
    example: "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c",
  },
  "Idempotent-Replayed": {
    description: "Present when this answer replays the first answer to the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  },
  "Cache-Control": {
    description: "How long the response may be cached.",
    required: true,
    schema: { type: "string" },
    example: "public, max-age=31536000, immutable",
  },
  Link: {
    description: "The current versioned URL of the widget (rel=canonical), for pinning it with Subresource Integrity.",
    required: true,
    schema: { type: "string" },
    example: '</widget/605a07ccc95d458c.js>; rel="canonical"',
  },
  "X-Duplicate-Of": {
    description: "The earlier scan an identical submission (within DEDUPE_WINDOW_SECONDS) was answered with.",
    required: true,
    schema: { type: "string" },
    example: "scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c",
  },
} as const;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Headers every response carries. */
const EVERY_RESPONSE: readonly ResponseHeaderName[] = ["RateLimit", "RateLimit-Policy", "X-Request-Id"];

/** Headers the API reads, documented once as `components.parameters`. */
export const REQUEST_HEADERS = {
  "X-Request-Id": {
    description: "Your id for this request (8–128 of A–Z a–z 0–9 . _ : -), echoed back and logged; otherwise one is generated.",
    schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{8,128}$" },
  },
  "Idempotency-Key": {
    description:
      "Makes a retry safe: the same key and body give the first answer again (Idempotent-Replayed: true); the same key with another body is 422. Stored as a SHA-256 hash.",
    schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
    example: "build-1234",
  },
  "X-GitHub-Event": {
    description: "GitHub webhook: the event's name (push, pull_request, installation, installation_repositories, ping).",
    schema: { type: "string", maxLength: 64 },
    example: "push",
  },
  "X-GitHub-Delivery": {
    description: "GitHub webhook: the delivery's GUID; a redelivery carries the same one and is not handled twice.",
    schema: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$" },
    example: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  },
} as const;
export type RequestHeaderName = keyof typeof REQUEST_HEADERS;

/** The body of every error (RFC 9457), as src/errors.ts renders it. */
export const Problem = z
  .object({
    type: z.url().describe("Absolute URI of the problem type; GET it for the code's status and title"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().describe("The request path"),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
    errors: z
      .array(z.object({ pointer: z.string(), message: z.string() }))
      .max(20)
      .optional(),
    errorsOmitted: z.number().int().optional().describe("Field errors past the 20 listed"),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 9457 problem details, with a closed list of codes and the request id" });

/** A problem body as the API would render it for `code` (examples in the document). */
export function problemExample(code: ErrorCode, path: string, detail: string, extra: Record<string, unknown> = {}): z.infer<typeof Problem> {
  const { status, title } = ERROR_CODES[code];
  return {
    type: `https://pci-auditor.example.com/problems/${code}`,
    title,
    status,
    detail,
    instance: path,
    code,
    requestId: "4b1f0c8e-6a53-4c1e-9a3e-0f5c2d7e8b91",
    ...extra,
  };
}

/** The problem responses every route shares, keyed by status: what each means and which headers it adds. */
const SHARED_PROBLEMS = {
  400: {
    name: "BadRequest",
    code: "validation_failed",
    description: "Malformed JSON, or invalid fields or parameters (each listed in `errors`)",
    detail: "One or more fields are invalid.",
    extra: { errors: [{ pointer: "/files/0/path", message: "must be a relative path" }] },
  },
  401: {
    name: "Unauthorized",
    code: "unauthorized",
    description: "Missing, invalid or revoked credentials",
    detail: "Send an API key as Authorization: Bearer pca_….",
    headers: ["WWW-Authenticate"],
  },
  403: {
    name: "Forbidden",
    code: "forbidden",
    description: "The credentials lack this route's scope (or are not the admin token)",
    detail: "This API key lacks the scans:write scope.",
    extra: { scope: "scans:write" },
  },
  413: {
    name: "PayloadTooLarge",
    code: "payload_too_large",
    description: "The body is over MAX_BODY_BYTES, or the files over a submission limit (named in `limit`)",
    detail: "Request body exceeds the limit of 12000000 bytes.",
    extra: { limit: 12000000 },
  },
  415: {
    name: "UnsupportedMediaType",
    code: "unsupported_media_type",
    description: "The body is not application/json",
    detail: 'Expected Content-Type application/json, got "text/plain".',
  },
  429: {
    name: "TooManyRequests",
    code: "rate_limited",
    description: "A rate-limit policy is used up (named in `policy`)",
    detail: 'The "requests" quota of 120 per 60 s is used up; retry in 12 s.',
    extra: { policy: "requests" },
    headers: ["Retry-After"],
  },
  500: { name: "InternalError", code: "internal", description: "The server failed; the request id finds the log line", detail: "Internal error" },
} as const satisfies Record<
  number,
  { name: string; code: ErrorCode; description: string; detail: string; extra?: Record<string, unknown>; headers?: readonly ResponseHeaderName[] }
>;
type SharedStatus = keyof typeof SHARED_PROBLEMS;

/**
 * Every status a route can answer: its declared responses, and the shared problems its
 * declaration implies — 401/403 when it takes credentials, 400/413/415 for a JSON body, 400 for a
 * query, and 429 and 500 everywhere (the rate limiter runs on every route).
 */
export function routeResponses(route: RouteDef): Record<number, RouteResponse & { shared?: SharedStatus }> {
  const shared: SharedStatus[] = [429, 500];
  if (takesBearer(route)) shared.push(401, 403);
  if (route.request?.body) shared.push(400, 413, 415);
  if (route.request?.query) shared.push(400);
  const out: Record<number, RouteResponse & { shared?: SharedStatus }> = {};
  for (const status of shared) {
    const p: { description: string; headers?: readonly ResponseHeaderName[] } = SHARED_PROBLEMS[status];
    out[status] = { description: p.description, headers: p.headers ?? [], shared: status };
  }
  return { ...out, ...route.responses };
}

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const idOf = (schema: z.ZodType) => z.globalRegistry.get(schema)?.id;

/** A named schema's `$ref`; every body schema must be named so clients get a type for it. */
function schemaRef(schema: z.ZodType, where: string) {
  const id = idOf(schema);
  if (!id) throw new Error(`${where}: body schemas must be named with .meta({ id })`);
  return ref("schemas", id);
}

type Json = Record<string, unknown>;

/** The named schemas reachable from `roots`, converted for requests ("input": defaults optional) or responses ("output"). */
function reachable(io: "input" | "output", roots: Set<string>): Record<string, Json> {
  const all = z.toJSONSchema(z.globalRegistry, { io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` }).schemas as Record<string, Json>;
  const found: Record<string, Json> = {};
  const visit = (id: string) => {
    if (found[id]) return;
    const { $schema: _s, $id: _i, ...schema } = all[id]!;
    found[id] = schema;
    for (const m of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(m[1]!);
  };
  for (const id of roots) visit(id);
  return found;
}

/** components.schemas: request-side schemas in their input form, response-side in their output form. */
function componentSchemas(routes: readonly RouteDef[]): Record<string, Json> {
  const inputs = new Set<string>();
  const outputs = new Set<string>(["Problem"]);
  for (const r of routes) {
    if (r.request?.body) inputs.add(idOf(r.request.body)!);
    for (const res of Object.values(r.responses)) if (res.schema) outputs.add(idOf(res.schema)!);
  }
  const input = reachable("input", inputs);
  const output = reachable("output", outputs);
  for (const id of Object.keys(input)) {
    if (output[id] && JSON.stringify(output[id]) !== JSON.stringify(input[id]))
      throw new Error(`Schema ${id} differs between requests and responses: name the two forms apart`);
  }
  return Object.fromEntries(Object.entries({ ...output, ...input }).sort(([a], [b]) => a.localeCompare(b)));
}

function headerRefs(names: readonly ResponseHeaderName[]) {
  return Object.fromEntries([...EVERY_RESPONSE, ...names].map((h) => [h, ref("headers", h)]));
}

function responseObject(status: number, res: RouteResponse, where: string): Json {
  const isError = status >= 400;
  const contentType = res.contentType ?? (isError ? "application/problem+json" : "application/json");
  const schema = res.schema ? schemaRef(res.schema, where) : isError ? ref("schemas", "Problem") : res.contentType ? { type: "string" } : undefined;
  return {
    description: res.description,
    headers: headerRefs(res.headers ?? []),
    ...(schema ? { content: { [contentType]: { schema, ...(res.example !== undefined ? { example: res.example } : {}) } } } : {}),
  };
}

function parameters(route: RouteDef): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", route.request?.params],
    ["query", route.request?.query],
  ] as const) {
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, { description, ...s }] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: s });
    }
  }
  for (const h of route.request?.headers ?? []) out.push(ref("parameters", h));
  out.push(ref("parameters", "X-Request-Id"));
  return out;
}

function operation(r: RouteDef): Json {
  const where = `${r.method.toUpperCase()} ${r.path}`;
  const responses: Record<string, Json> = {};
  for (const [status, res] of Object.entries(routeResponses(r))) {
    responses[status] =
      res.shared && !(status in r.responses) ? ref("responses", SHARED_PROBLEMS[res.shared].name) : responseObject(Number(status), res, where);
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: r.tags,
    security:
      r.auth === "none"
        ? []
        : r.auth === "signature"
          ? [{ githubSignature: [] }]
          : [{ [r.auth === "admin" ? "adminToken" : "apiKey"]: r.scope ? [r.scope] : [] }],
    parameters: parameters(r),
    ...(r.request?.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: schemaRef(r.request.body, where),
                ...(r.request.bodyExample !== undefined ? { example: r.request.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApi(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[r.path] ??= {})[r.method] = operation(r);
  const sharedResponses = Object.fromEntries(
    Object.entries(SHARED_PROBLEMS).map(([status, p]) => [
      p.name,
      responseObject(
        Number(status),
        {
          description: p.description,
          headers: "headers" in p ? p.headers : [],
          example: problemExample(p.code, "/v1/scans", p.detail, "extra" in p ? p.extra : {}),
        },
        p.name,
      ),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "PCI Auditor & Live Attack Simulator API",
      version: ENGINE_VERSION,
      description:
        "Finds what breaks PCI DSS in JavaScript/TypeScript and SQL source and proves each injection by simulating the attack on a parse of the code. " +
        "Errors are application/problem+json (RFC 9457) whose absolute `type` URI is served by GET /problems/{code}. " +
        "A known path asked with a method it does not have answers 405 with an `Allow` header listing the methods it has.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "The deployment serving this document" }],
    tags: [
      { name: "scans", description: "Submit source for a scan; read its findings, proofs and SARIF" },
      { name: "keys", description: "The project's API keys" },
      {
        name: "github",
        description: "The GitHub App: deliveries in (pushes and pull requests scanned, answered with a check run) and installations linked to projects",
      },
      { name: "administration", description: "Deployment administration (admin token)" },
      { name: "widget", description: "The embeddable scan widget, used with a publishable key" },
      { name: "operations", description: "Health, readiness and this reference" },
    ],
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "Project API key: a secret key (pca_live_… or pca_test_…) from servers only — refused with 403 when the request carries an Origin — or a publishable key (pca_pub_…) from a web page on one of its allowed origins, which may create scans and read the ones it created; or a Clerk session token of the project's organization",
        },
        adminToken: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN secret" },
        githubSignature: {
          type: "apiKey",
          in: "header",
          name: "X-Hub-Signature-256",
          description: "GitHub webhook deliveries: sha256= and the hex HMAC-SHA256 of the raw body under GITHUB_WEBHOOK_SECRET",
        },
      },
      schemas: componentSchemas(routes),
      responses: sharedResponses,
      headers: RESPONSE_HEADERS,
      parameters: Object.fromEntries(Object.entries(REQUEST_HEADERS).map(([name, p]) => [name, { name, in: "header", required: false, ...p }])),
    },
    paths,
  };
}
