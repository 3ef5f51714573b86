/**
 * The foundation's promises, inside workerd with real local D1: health really queries D1, the
 * schema has the indexes the API's queries need, and every bad input gets problem+json with the
 * request id (404, 405 + Allow, 400 malformed JSON, 413, 415), never a bare 500.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, expectProblem } from "./helpers";

describe("GET /healthz", () => {
  it("answers 200 after a real D1 query", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", checks: { d1: "ok" } });
  });

  it("answers 503 problem+json when D1 cannot answer the query", async () => {
    await env.DB.exec("ALTER TABLE projects RENAME TO projects_moved");
    try {
      await expectProblem(await call("/healthz"), 503, "unavailable");
    } finally {
      await env.DB.exec("ALTER TABLE projects_moved RENAME TO projects");
    }
  });
});

describe("request ids", () => {
  it("echoes a well-formed caller id and replaces a malformed one", async () => {
    const good = await call("/healthz", { headers: { "x-request-id": "ci-run-12345678" } });
    expect(good.headers.get("x-request-id")).toBe("ci-run-12345678");
    const bad = await call("/nope", { headers: { "x-request-id": "<script>alert(1)</script>" } });
    const body = await expectProblem(bad, 404, "not_found");
    expect(body.requestId).not.toContain("<");
  });
});

describe("bad input", () => {
  it("answers 404 for an unknown route", async () => {
    await expectProblem(await call("/nothing-here"), 404, "not_found");
  });

  it("answers 405 with Allow for a known path and the wrong method", async () => {
    const res = await call("/healthz", { method: "DELETE" });
    await expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    const post = await call("/v1/projects", { method: "GET", headers: ADMIN });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("POST");
  });

  it("answers 400 invalid_json for malformed JSON without echoing the body", async () => {
    const res = await call("/v1/projects", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: '{"name": "4111111111111111' });
    const body = await expectProblem(res, 400, "invalid_json");
    expect(JSON.stringify(body)).not.toContain("4111111111111111");
  });

  it("answers 400 validation_failed listing each invalid field", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "", keyKind: "gold", extra: 1 }),
    });
    const body = await expectProblem(res, 400, "validation_failed");
    const pointers = (body.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort();
    expect(pointers).toEqual(["/", "/keyKind", "/name"]);
  });

  it("answers 415 for a body that is not JSON", async () => {
    const res = await call("/v1/projects", { method: "POST", headers: { ...ADMIN, "content-type": "text/plain" }, body: "name=x" });
    await expectProblem(res, 415, "unsupported_media_type");
  });

  it("answers 413 from Content-Length before reading the body", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json", "content-length": "999999999" },
      body: "{}",
    });
    const body = await expectProblem(res, 413, "payload_too_large");
    expect(body.limit).toBe(Number(env.MAX_BODY_BYTES));
  });

  it("answers 413 for a streamed body without Content-Length once it passes the limit", async () => {
    const limit = Number(env.MAX_BODY_BYTES);
    const chunk = new Uint8Array(1 << 20).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > limit + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await call("/v1/projects", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectProblem(res, 413, "payload_too_large");
  });

  it("answers 401 for administration without the admin token", async () => {
    const res = await call("/v1/projects", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer wrong" }, body: "{}" });
    await expectProblem(res, 401, "unauthorized");
  });
});

describe("POST /v1/projects", () => {
  it("creates a project and a prefixed key stored only as a hash", async () => {
    const res = await call("/v1/projects", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "Payments", keyKind: "test" }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { project: { id: string }; apiKey: { key: string; prefix: string } };
    expect(body.apiKey.key).toMatch(/^pca_test_[0-9A-Za-z]{43}$/);
    expect(body.apiKey.key.startsWith(body.apiKey.prefix)).toBe(true);
    const rows = await env.DB.prepare("SELECT hash, prefix FROM api_keys WHERE project_id = ?").bind(body.project.id).all<{ hash: string; prefix: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows.results)).not.toContain(body.apiKey.key);
  });
});

describe("schema", () => {
  it("has every table and the indexes the API's queries use", async () => {
    const rows = await env.DB.prepare(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
    ).all<{ type: string; name: string; tbl_name: string }>();
    const tables = rows.results
      .filter((r) => r.type === "table")
      .map((r) => r.name)
      .sort();
    expect(tables).toEqual([
      "ai_explanations",
      "ai_fix_patches",
      "api_keys",
      "dashboard_login_tokens",
      "dashboard_sessions",
      "findings",
      "github_deliveries",
      "github_installations",
      "projects",
      "scans",
      "webhook_attempts",
      "webhook_deliveries",
      "webhook_endpoints",
    ]);
    const indexes = rows.results.filter((r) => r.type === "index").map((r) => r.name);
    for (const name of [
      "api_keys_hash_idx",
      "scans_project_created_idx",
      "scans_project_status_idx",
      "scans_project_hash_idx",
      "findings_scan_severity_idx",
      "findings_scan_rule_idx",
      "webhook_endpoints_project_idx",
      "webhook_deliveries_endpoint_idx",
      "webhook_deliveries_due_idx",
      "dashboard_sessions_expires_idx",
    ]) {
      expect(indexes).toContain(name);
    }
    const plan = await env.DB.prepare("EXPLAIN QUERY PLAN SELECT * FROM scans WHERE project_id = ? ORDER BY created_at DESC LIMIT 20")
      .bind("p")
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join(" ")).toContain("scans_project_created_idx");
  });
});

describe("GET /openapi.json", () => {
  it("describes the routes that exist from their zod schemas, named schemas by $ref", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    type Media = { schema: { $ref?: string } };
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, Media> }; responses: Record<string, { $ref?: string; content?: Record<string, Media> }> }>
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/healthz", "/openapi.json", "/v1/projects"]));
    const body = doc.paths["/v1/projects"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(body.$ref).toBe("#/components/schemas/ProjectRequest");
    expect(Object.keys(doc.components.schemas.ProjectRequest!.properties).sort()).toEqual(["clerkOrgId", "keyKind", "name"]);
    const sarif = doc.paths["/v1/scans/{id}/sarif"]!.get!.responses["200"]!.content!;
    expect(Object.keys(sarif)).toEqual(["application/sarif+json"]);
    expect(doc.paths["/v1/scans"]!.post!.responses["401"]!.$ref).toBe("#/components/responses/Unauthorized");
  });
});

describe("GET /docs", () => {
  it("renders every route, its responses and their headers as a readable page without scripts", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    for (const path of ["/healthz", "/v1/scans", "/v1/scans/{id}/sarif", "/v1/keys"]) expect(html).toContain(`<code>${path}</code>`);
    const createScan = html.slice(html.indexOf('<section id="post/v1/scans">'), html.indexOf("</section>", html.indexOf('<section id="post/v1/scans">')));
    for (const status of ["200", "201", "202", "400", "401", "403", "413", "415", "422", "429", "500", "503"])
      expect(createScan).toContain(`<td><b>${status}</b></td>`);
    for (const header of ["Location", "Retry-After", "Idempotent-Replayed", "X-Duplicate-Of", "RateLimit", "X-Request-Id"])
      expect(createScan).toContain(`<a href="#header-${header}"><code>${header}</code></a>`);
    expect(createScan).toContain('<a href="#schema-Scan">Scan</a>');
    expect(html).toContain('<section id="schema-Scan">');
    expect(html).toContain('<tr id="header-WWW-Authenticate">');
    expect(html).not.toContain("<script");
  });
});
