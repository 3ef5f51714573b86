/**
 * Builds the Hono app: middleware in the order DESIGN.md gives (request id → auth → rate limit →
 * the route's declared scope → body limit → the route's declared body and query validation, so
 * nothing is read for a caller who may not send it; CORS preflights are answered before
 * authentication, as they carry no key), the explicit route registry — each route
 * registered from its declaration (routes/route.ts) — and the one error envelope. A trailing
 * slash routes like its absence. Unknown paths answer 404 and known paths with the wrong method
 * 405 with `Allow`, both as problem+json. Every response carries RateLimit headers: API routes count against the
 * project, public routes (including the few under /v1 that authenticate otherwise, like the
 * GitHub webhook's signature) and unknown paths against the client address. The dashboard's pages
 * (src/dashboard/pages.ts) are registered the same way from their own declarations, and its errors
 * are the same envelope rendered as an HTML page.
 */
import { Hono, type Context } from "hono";
import { except } from "hono/combine";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { AppEnv } from "./env";
import { ApiError, problem, reflected } from "./errors";
import { log } from "./observability/log";
import { originHasPublishableKey } from "./auth/publishable-keys";
import { authenticate, authorize } from "./middleware/authenticate";
import { bodyLimit } from "./middleware/body-limit";
import { jsonBody } from "./middleware/json-body";
import { queryParams } from "./middleware/query-params";
import { cors, isPreflight } from "./middleware/cors";
import { callerRequestPolicy, callerTenant, clientIp, rateLimit, rateLimitResponseHeaders } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { safeJsonOutput } from "./middleware/safe-json-output";
import { sentry } from "./middleware/sentry";
import { PAGES } from "./dashboard/pages";
import { isDashboardPath } from "./dashboard/page";
import { errorPage } from "./dashboard/render";
import { csrfProtection } from "./middleware/csrf";
import { pageHeaders } from "./middleware/page-headers";
import { requireSession } from "./middleware/session";
import { apiReference } from "./routes/api-reference";
import { dashboardLoginLinks } from "./routes/dashboard-login-links";
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
import { scansFix } from "./routes/scans-fix";
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
import { widgetScript } from "./routes/widget-script";
import { widgetVersioned } from "./routes/widget-versioned";
import { settings } from "./settings";

/** Every route, in registration order. */
export const ROUTES: readonly RouteDef[] = [
  healthz,
  readyz,
  openapiJson(() => ROUTES),
  apiReference(() => ROUTES),
  problems,
  widgetScript,
  widgetVersioned,
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
  scansFix,
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
  dashboardLoginLinks,
];

/** An error as the one envelope renders it: problem+json for the API, an HTML page on the dashboard. */
function answerError(c: Context<AppEnv>, error: ApiError): Response | Promise<Response> {
  return isDashboardPath(c.req.path) ? errorPage(c, error) : problem(c, error);
}

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use(requestId());
  app.use(requestLog());
  app.use(sentry());
  app.use(safeJsonOutput());
  app.use(rateLimitResponseHeaders());
  const publicLimit = rateLimit({ policy: "public", tenant: clientIp });
  // Public routes under /v1 (the GitHub webhook authenticates by signature) skip the API key and
  // count against the client address like every public route.
  const publicApi = ROUTES.filter((r) => !takesBearer(r) && r.path.startsWith("/v1/")).map((r) => r.path);
  const isPublicApi = (c: Context<AppEnv>) => publicApi.includes(c.req.path.replace(/\/+$/, ""));
  const credentialed = (c: Context<AppEnv>) => c.req.path.startsWith("/v1/") && !isPublicApi(c);
  app.use(except(credentialed, publicLimit));
  // A preflight carries no key: it counts against its client address, and is answered on its origin alone.
  app.use(
    "/v1/*",
    except((c: Context<AppEnv>) => !isPreflight(c) || isPublicApi(c), publicLimit),
  );
  app.use("/v1/*", cors({ originAllowed: (c, origin) => originHasPublishableKey(c.env.DB, origin) }));
  app.use("/v1/*", except(isPublicApi, authenticate()));
  app.use("/v1/*", except(isPublicApi, rateLimit({ policy: callerRequestPolicy, tenant: callerTenant })));
  for (const route of ROUTES) {
    if (takesBearer(route)) app.on(route.method.toUpperCase(), honoPath(route.path), authorize(route));
  }
  app.use(bodyLimit({ maxBytes: (env) => settings(env).MAX_BODY_BYTES }));
  // A known path asked with another method: hono's own 405 with Allow, from the routes registered below.
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        answerError(c, new ApiError("method_not_allowed", `${reflected(c.req.method, 16)} is not allowed here.`, { headers: { Allow: methods.join(", ") } })),
    }),
  );

  for (const route of ROUTES) {
    const [method, path] = [route.method.toUpperCase(), honoPath(route.path)];
    if (route.request?.body) app.on(method, path, jsonBody(route.request.body));
    if (route.request?.query) app.on(method, path, queryParams(route.request.query));
    app.on(method, path, (c) => route.handler(c, { body: c.get("body"), query: c.get("query") }));
  }

  // The dashboard: HTML pages with their own headers (CSP), a session for signed-in pages and a CSRF check on their forms.
  app.use("/dashboard/*", pageHeaders());
  for (const page of PAGES) {
    const [method, path] = [page.method.toUpperCase(), honoPath(page.path)];
    if (page.auth === "session") app.on(method, path, requireSession());
    if (page.auth === "session" && page.method === "post") app.on(method, path, csrfProtection());
    app.on(method, path, page.handler);
  }

  app.notFound((c) => answerError(c, new ApiError("not_found", "No route matches this path.")));

  app.onError((error, c) => {
    if (error instanceof ApiError && error.status < 500) return answerError(c, error);
    c.get("sentry")?.captureException(error);
    log("error", "request failed", { requestId: c.get("requestId"), route: c.req.routePath, error: error?.name ?? "Error", detail: error?.message });
    return answerError(c, error instanceof ApiError ? error : new ApiError("internal"));
  });
  return app;
}
