/**
 * The route registry walked against the running Worker: each declaration is well-formed (a scope
 * or public, credentials exactly under /v1, path parameters declared, ids unique), and what it
 * documents is what the API does — every documented status is produced here or by the test named
 * for it, every answer matches the documented schema and content type, carries the headers its
 * status documents as always present, and RateLimit headers on every answer, errors included.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { SCOPES } from "../../src/auth/api-keys";
import { ROUTES } from "../../src/app";
import { Problem, RESPONSE_HEADERS, routeResponses } from "../../src/openapi";
import { takesBearer, type RouteDef } from "../../src/routes/route";
import { WIDGET_VERSION } from "../../src/widget/bundle.generated";
import { ADMIN, call, createProject, freshIp } from "./helpers";

const op = (r: RouteDef) => r.operationId;
const byId = (id: string) => ROUTES.find((r) => r.operationId === id)!;

describe("the route registry", () => {
  it("declares each route well: a scope or public, credentials exactly under /v1, unique ids and paths", () => {
    expect(new Set(ROUTES.map(op)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    for (const r of ROUTES) {
      if (r.auth === "apiKey") expect(SCOPES, op(r)).toContain(r.scope);
      else expect(r.scope, op(r)).toBeUndefined();
      // authenticate() runs on /v1/* only: a credentialed route elsewhere would never see a caller.
      if (takesBearer(r)) expect(r.path.startsWith("/v1/"), op(r)).toBe(true);
      // A route under /v1 without bearer credentials is exempted by its exact path, so it cannot take path parameters.
      if (!takesBearer(r) && r.path.startsWith("/v1/")) expect(r.path, op(r)).not.toContain("{");
      const inPath = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(Object.keys(r.request?.params?.shape ?? {}).sort(), op(r)).toEqual(inPath);
    }
  });
});

/** What one request to a route answered: checked against the route's declaration. */
const seen = new Map<string, Set<number>>();

async function expectDocumented(route: RouteDef, res: Response): Promise<void> {
  const where = `${op(route)} → ${res.status}`;
  (seen.get(op(route)) ?? seen.set(op(route), new Set()).get(op(route))!).add(res.status);
  const documented = routeResponses(route)[res.status];
  expect(documented, `${where} is documented`).toBeDefined();
  for (const name of ["RateLimit", "RateLimit-Policy", "X-Request-Id"]) expect(res.headers.get(name), `${where} ${name}`).not.toBeNull();
  for (const name of documented!.headers ?? []) {
    if ("required" in RESPONSE_HEADERS[name] && RESPONSE_HEADERS[name].required) expect(res.headers.get(name), `${where} ${name}`).not.toBeNull();
  }
  if (res.status === 204) return;
  const type = res.headers.get("content-type") ?? "";
  if (res.status >= 400) {
    expect(type, where).toBe("application/problem+json");
    const body = Problem.parse(await res.json());
    expect(body.status, where).toBe(res.status);
    expect(body.type, where).toBe(`https://api.test/problems/${body.code}`);
    return;
  }
  expect(type.split(";")[0], where).toBe(documented!.contentType ?? "application/json");
  if (documented!.schema) documented!.schema.parse(await res.json());
}

/** Documented statuses this file does not produce, and the test that does. */
const ELSEWHERE: Record<string, string> = {
  "*429": "rate-limits.test.ts (project, bytes and per-address policies) and hostile/limits.test.ts",
  "*500": "sentry.test.ts (a route that throws)",
  "createScan 200": "scans.test.ts (an identical submission, X-Duplicate-Of)",
  "createScan 202": "scans.test.ts (a large or async scan)",
  "createScan 422": "scans.test.ts and hostile/idempotency.test.ts (a key reused with another body)",
  "createScan 503": "hostile/idempotency.test.ts (a failed store releases the key)",
  "getHealth 503": "foundation.test.ts (D1 cannot answer)",
  "createWebhook 422": "webhooks.test.ts (a project's 21st endpoint)",
  "createWebhook 503": "webhooks.test.ts (WEBHOOK_SECRET_KEY not set)",
  "rotateWebhookSecret 503": "webhooks.test.ts (WEBHOOK_SECRET_KEY not set)",
  "updateWebhook 404": "webhooks.test.ts (another project's endpoint, with a valid body)",
  "testWebhook 409": "webhooks-delivery.test.ts (an endpoint disabled after failing)",
  "redeliverWebhook 409": "webhooks.test.ts (a pending delivery) and webhooks-delivery.test.ts (a disabled endpoint)",
  "receiveGithubWebhook 200": "github-webhook.test.ts (a redelivery)",
  "receiveGithubWebhook 202": "github-webhook.test.ts (push, pull_request, installation, ping, ignored events)",
  "receiveGithubWebhook 400": "github-webhook.test.ts (missing delivery id, malformed payload)",
  "receiveGithubWebhook 401": "github-webhook.test.ts (bad or missing signature)",
  "receiveGithubWebhook 413": "github-webhook.test.ts (over GITHUB_WEBHOOK_MAX_BYTES)",
  "receiveGithubWebhook 503": "github-webhook.test.ts (no GITHUB_WEBHOOK_SECRET)",
  "linkGithubInstallation 200": "github-webhook.test.ts (linking an installation)",
  "linkGithubInstallation 404": "github-webhook.test.ts (an unknown project)",
};

let owner: Awaited<ReturnType<typeof createProject>>;
/** The webhook routes' caller: a project of their own keeps each inside the per-project request quota. */
let hooks: Awaited<ReturnType<typeof createProject>>;
/** A key holding every scope but the one named. */
const without: Partial<Record<string, Record<string, string>>> = {};

beforeAll(async () => {
  owner = await createProject("Registry walk");
  hooks = await createProject("Registry walk: webhooks");
  for (const scope of SCOPES)
    without[scope] = (
      await createProject(
        `Without ${scope}`,
        SCOPES.filter((s) => s !== scope),
      )
    ).headers;
});

const at = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  call(path, { ...init, headers: { "cf-connecting-ip": freshIp(), ...headers } });
const samplePath = (r: RouteDef) =>
  r.path
    .replace("{file}", "0000000000000000.js")
    .replace("{id}", "scn_" + "0".repeat(32))
    .replace("{keyId}", "key_" + "0".repeat(32))
    .replace("{findingId}", "0abc")
    .replace("{code}", "no_such_code")
    .replace("{deliveryId}", "whd_" + "0".repeat(32))
    .replace("{installationId}", "4242");
const credentials = (r: RouteDef) => (r.auth === "admin" ? ADMIN : r.scope === "webhooks:admin" ? hooks.headers : owner.headers);

describe("every route answers as it documents", () => {
  it("refuses callers and input as the shared problem responses say", async () => {
    for (const r of ROUTES) {
      const method = r.method.toUpperCase();
      if (takesBearer(r)) {
        await expectDocumented(r, await at(samplePath(r), {}, { method }));
        await expectDocumented(r, await at(samplePath(r), r.auth === "admin" ? owner.headers : without[r.scope!]!, { method }));
      }
      if (r.request?.body) {
        const post = (headers: Record<string, string>, body: BodyInit) => at(samplePath(r), { ...credentials(r), ...headers }, { method, body });
        await expectDocumented(r, await post({ "content-type": "text/plain" }, "{}"));
        await expectDocumented(r, await post({ "content-type": "application/json" }, "{"));
        await expectDocumented(r, await post({ "content-type": "application/json" }, " ".repeat(Number(env.MAX_BODY_BYTES) + 1)));
      }
      if (r.request?.query) await expectDocumented(r, await at(`${samplePath(r)}?limit=0`, credentials(r)));
      if (r.request?.params) await expectDocumented(r, await at(samplePath(r), credentials(r), { method }));
    }
  });

  it("answers with the documented bodies and headers, fed the documented request examples", async () => {
    const get = (id: string, path: string) => at(path, credentials(byId(id)));
    for (const id of ["getHealth", "getReadiness", "getOpenApi", "getApiReference"]) await expectDocumented(byId(id), await get(id, byId(id).path));
    await expectDocumented(byId("getProblemType"), await get("getProblemType", "/problems/rate_limited"));
    await expectDocumented(byId("getWidgetScript"), await get("getWidgetScript", "/widget.js"));
    await expectDocumented(byId("getWidgetVersion"), await get("getWidgetVersion", `/widget/${WIDGET_VERSION}.js`));

    const project = await at(
      "/v1/projects",
      { ...ADMIN, "content-type": "application/json" },
      { method: "POST", body: JSON.stringify({ ...(byId("createProject").request!.bodyExample as object), name: "From the example" }) },
    );
    await expectDocumented(byId("createProject"), project);
    await expectDocumented(byId("createDashboardLoginLink"), await at("/v1/dashboard/login-links", ADMIN, { method: "POST" }));

    const scanRes = await at(
      "/v1/scans",
      { ...owner.headers, "content-type": "application/json" },
      { method: "POST", body: JSON.stringify(byId("createScan").request!.bodyExample) },
    );
    const scan = (await scanRes.clone().json()) as { id: string; findings: Array<{ id: string; ruleId: string }> };
    await expectDocumented(byId("createScan"), scanRes);
    expect(scan.findings.map((f) => f.ruleId)).toContain("sql-injection");
    await expectDocumented(byId("listScans"), await get("listScans", "/v1/scans"));
    await expectDocumented(byId("getScan"), await get("getScan", `/v1/scans/${scan.id}`));
    await expectDocumented(byId("listFindings"), await get("listFindings", `/v1/scans/${scan.id}/findings`));
    await expectDocumented(byId("getScanSarif"), await get("getScanSarif", `/v1/scans/${scan.id}/sarif`));
    await expectDocumented(byId("getFindingProof"), await get("getFindingProof", `/v1/scans/${scan.id}/findings/${scan.findings[0]!.id}/proof`));
    // The example's `db` is of no known client, so its finding has no fix (404 with the reason); a mysql2 pool's has one.
    const injection = scan.findings.find((f) => f.ruleId === "sql-injection")!;
    await expectDocumented(byId("getFindingFix"), await get("getFindingFix", `/v1/scans/${scan.id}/findings/${injection.id}/fix`));
    const fixer = await createProject("Registry walk: fixes");
    const fixable = (await (
      await at(
        "/v1/scans",
        { ...fixer.headers, "content-type": "application/json" },
        {
          method: "POST",
          body: JSON.stringify({
            files: [
              {
                path: "src/cards.js",
                content: `const pool = require("mysql2").createPool({});\napp.get("/cards", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));\n`,
              },
            ],
          }),
        },
      )
    ).json()) as typeof scan;
    const fixRes = await at(`/v1/scans/${fixable.id}/findings/${fixable.findings.find((f) => f.ruleId === "sql-injection")!.id}/fix`, fixer.headers);
    expect(fixRes.status).toBe(200);
    await expectDocumented(byId("getFindingFix"), fixRes);

    const keyRes = await at(
      "/v1/keys",
      { ...owner.headers, "content-type": "application/json" },
      { method: "POST", body: JSON.stringify(byId("createKey").request!.bodyExample) },
    );
    const key = (await keyRes.clone().json()) as { id: string };
    await expectDocumented(byId("createKey"), keyRes);
    await expectDocumented(byId("listKeys"), await get("listKeys", "/v1/keys"));
    await expectDocumented(byId("revokeKey"), await at(`/v1/keys/${key.id}`, owner.headers, { method: "DELETE" }));

    // A scan that has not completed has no SARIF yet (set here: the local queue would finish a real one at its own pace).
    await env.DB.prepare("UPDATE scans SET status = 'running' WHERE id = ?").bind(scan.id).run();
    await expectDocumented(byId("getScanSarif"), await get("getScanSarif", `/v1/scans/${scan.id}/sarif`));
    await env.DB.prepare("UPDATE scans SET status = 'completed' WHERE id = ?").bind(scan.id).run();
    await expectDocumented(byId("deleteScan"), await at(`/v1/scans/${scan.id}`, owner.headers, { method: "DELETE" }));

    // Webhooks, from the documented examples; deliveries stay in D1 (no queue message leaves).
    const send = vi.spyOn(env.SCAN_JOBS, "sendBatch").mockResolvedValue(undefined as never);
    const hookRes = await at(
      "/v1/webhooks",
      { ...hooks.headers, "content-type": "application/json" },
      { method: "POST", body: JSON.stringify(byId("createWebhook").request!.bodyExample) },
    );
    const hook = (await hookRes.clone().json()) as { id: string };
    await expectDocumented(byId("createWebhook"), hookRes);
    const hookAt = (suffix = "", init: RequestInit = {}) =>
      at(`/v1/webhooks/${hook.id}${suffix}`, { ...hooks.headers, ...(init.body ? { "content-type": "application/json" } : {}) }, init);
    await expectDocumented(byId("listWebhooks"), await at("/v1/webhooks", hooks.headers));
    await expectDocumented(byId("getWebhook"), await hookAt());
    await expectDocumented(byId("updateWebhook"), await hookAt("", { method: "PATCH", body: JSON.stringify(byId("updateWebhook").request!.bodyExample) }));
    const testRes = await hookAt("/test", { method: "POST" });
    const delivery = (await testRes.clone().json()) as { id: string };
    await expectDocumented(byId("testWebhook"), testRes);
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'failed', last_error = 'client_error' WHERE id = ?").bind(delivery.id).run();
    await expectDocumented(byId("listWebhookDeliveries"), await hookAt("/deliveries"));
    await expectDocumented(byId("redeliverWebhook"), await hookAt(`/deliveries/${delivery.id}/redeliver`, { method: "POST" }));
    await expectDocumented(byId("rotateWebhookSecret"), await hookAt("/rotate-secret", { method: "POST" }));
    await expectDocumented(byId("deleteWebhook"), await hookAt("", { method: "DELETE" }));
    send.mockRestore();

    const head = vi.spyOn(env.PROOFS, "head").mockRejectedValue(new Error("R2 is down"));
    try {
      await expectDocumented(byId("getReadiness"), await get("getReadiness", "/readyz"));
    } finally {
      head.mockRestore();
    }
  });

  it("every documented status was produced here or by the test named for it", () => {
    const unproduced = ROUTES.flatMap((r) =>
      Object.keys(routeResponses(r))
        .map(Number)
        .filter((status) => !seen.get(op(r))?.has(status) && !ELSEWHERE[`*${status}`] && !ELSEWHERE[`${op(r)} ${status}`])
        .map((status) => `${op(r)} ${status}`),
    );
    expect(unproduced).toEqual([]);
  });
});

describe("RateLimit headers on every response", () => {
  it("public routes, unknown paths, wrong methods and API errors all carry them", async () => {
    const answers = [
      await at("/no/such/path"),
      await at("/healthz", {}, { method: "PATCH" }),
      await at("/v1/no/such/path"),
      await at("/v1/no/such/path", owner.headers),
      await at("/v1/scans", owner.headers, { method: "PUT" }),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 405, 401, 404, 405]);
    for (const res of answers) {
      expect(res.headers.get("ratelimit-policy"), String(res.status)).toMatch(/^"(public|ip|requests)";q=\d+;w=\d+/);
      expect(res.headers.get("ratelimit"), String(res.status)).toMatch(/^"(public|ip|requests)";r=\d+;t=\d+$/);
    }
  });
});
