/**
 * Builds the Hono app: middleware in the order DESIGN.md gives (request id → auth → rate limit →
 * the route's declared scope → body limit → the route's declared body and query validation, so
 * nothing is read for a caller who may not send it), the explicit route registry — each route
 * registered from its declaration (routes/route.ts) — and the one error envelope. A trailing
 * slash routes like its absence. Unknown paths answer 404 and known paths with the wrong method
 * 405 with `Allow`, both as problem+json. Every response carries RateLimit headers: API routes count against the
 * project, public routes (including the few under /v1 that authenticate otherwise, like the
 * GitHub webhook's signature) and unknown paths against the client address.
 */
import { Hono, type Context } from "hono";
import { except } from "hono/combine";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { AppEnv } from "./env";
import { ApiError, problem, reflected } from "./errors";
import { log } from "./observability/log";
import { authenticate, authorize } from "./middleware/authenticate";
import { bodyLimit } from "./middleware/body-limit";
import { jsonBody } from "./middleware/json-body";
import { queryParams } from "./middleware/query-params";
import { callerTenant, clientIp, rateLimit, rateLimitResponseHeaders } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { safeJsonOutput } from "./middleware/safe-json-output";
import { sentry } from "./middleware/sentry";
import { apiReference } from "./routes/api-reference";
import { githubInstallationsLink } from "./routes/github-installations-link";
import { githubWebhook } from "./routes/github-webhook";
import { healthz } from "./routes/healthz";
import { keysCreate } from "./routes/keys-create";
import { keysList } from "./routes/keys-list";
import { keysRevoke } from "./routes/keys-revoke";
import { openapiJson } from "./routes/openapi-json";
import { problems } from "./routes/problems";
import { projectsCreate } from "./routes/projects-create";
import { readyz } from "./routes/readyz";
import { honoPath, takesBearer, type RouteDef } from "./routes/route";
import { scansCreate } from "./routes/scans-create";
import { scansDelete } from "./routes/scans-delete";
import { scansFindings } from "./routes/scans-findings";
import { scansGet } from "./routes/scans-get";
import { scansList } from "./routes/scans-list";
import { scansProof } from "./routes/scans-proof";
import { scansSarif } from "./routes/scans-sarif";
import { webhooksCreate } from "./routes/webhooks-create";
import { webhooksDeliveries } from "./routes/webhooks-deliveries";
import { webhooksDelete } from "./routes/webhooks-delete";
import { webhooksGet } from "./routes/webhooks-get";
import { webhooksList } from "./routes/webhooks-list";
import { webhooksRedeliver } from "./routes/webhooks-redeliver";
import { webhooksRotateSecret } from "./routes/webhooks-rotate-secret";
import { webhooksTest } from "./routes/webhooks-test";
import { webhooksUpdate } from "./routes/webhooks-update";
import { settings } from "./settings";

/** Every route, in registration order. */
export const ROUTES: readonly RouteDef[] = [
  healthz,
  readyz,
  openapiJson(() => ROUTES),
  apiReference(() => ROUTES),
  problems,
  projectsCreate,
  keysCreate,
  keysList,
  keysRevoke,
  scansCreate,
  scansList,
  scansGet,
  scansFindings,
  scansSarif,
  scansProof,
  scansDelete,
  githubWebhook,
  githubInstallationsLink,
  webhooksCreate,
  webhooksList,
  webhooksGet,
  webhooksUpdate,
  webhooksDelete,
  webhooksRotateSecret,
  webhooksTest,
  webhooksDeliveries,
  webhooksRedeliver,
];

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use(requestId());
  app.use(requestLog());
  app.use(sentry());
  app.use(safeJsonOutput());
  app.use(rateLimitResponseHeaders());
  // Public routes under /v1 (the GitHub webhook authenticates by signature) skip the API key and
  // count against the client address like every public route.
  const publicApi = ROUTES.filter((r) => !takesBearer(r) && r.path.startsWith("/v1/")).map((r) => r.path);
  const isPublicApi = (c: Context<AppEnv>) => publicApi.includes(c.req.path.replace(/\/+$/, ""));
  const credentialed = (c: Context<AppEnv>) => c.req.path.startsWith("/v1/") && !isPublicApi(c);
  app.use("/v1/*", except(isPublicApi, authenticate()));
  app.use("/v1/*", except(isPublicApi, rateLimit({ policy: "requests", tenant: callerTenant })));
  app.use(except(credentialed, rateLimit({ policy: "public", tenant: clientIp })));
  for (const route of ROUTES) {
    if (takesBearer(route)) app.on(route.method.toUpperCase(), honoPath(route.path), authorize(route));
  }
  app.use(bodyLimit({ maxBytes: (env) => settings(env).MAX_BODY_BYTES }));
  // A known path asked with another method: hono's own 405 with Allow, from the routes registered below.
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => problem(c, new ApiError("method_not_allowed", `${reflected(c.req.method, 16)} is not allowed here.`, { headers: { Allow: methods.join(", ") } })),
    }),
  );

  for (const route of ROUTES) {
    const [method, path] = [route.method.toUpperCase(), honoPath(route.path)];
    if (route.request?.body) app.on(method, path, jsonBody(route.request.body));
    if (route.request?.query) app.on(method, path, queryParams(route.request.query));
    app.on(method, path, (c) => route.handler(c, { body: c.get("body"), query: c.get("query") }));
  }

  app.notFound((c) => problem(c, new ApiError("not_found", "No route matches this path.")));

  app.onError((error, c) => {
    if (error instanceof ApiError && error.status < 500) return problem(c, error);
    c.get("sentry")?.captureException(error);
    log("error", "request failed", { requestId: c.get("requestId"), route: c.req.routePath, error: (error)?.name ?? "Error", detail: (error)?.message });
    return problem(c, error instanceof ApiError ? error : new ApiError("internal"));
  });
  return app;
}
