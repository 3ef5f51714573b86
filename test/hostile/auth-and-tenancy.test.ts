/**
 * Hostile: the auth and scope matrix over every declared route, the order of checks (issue 11
 * item 7: who may call comes before what they sent, so a read-only key posting garbage gets
 * 403 and a 12 MB body is refused unread), and cross-tenant access (another project's scan,
 * finding, proof or key answers exactly like a missing one).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ROUTES } from "../../src/app";
import type { RouteDef } from "../../src/routes/route";
import { ADMIN, createProject, freshIp } from "../worker/helpers";
import { captureLogs, hostile, hostilePost, itLeavesNoCardDataOrSecrets, PANS, SECRETS } from "./harness";

const logs = captureLogs();

type Caller = "none" | "unknown key" | "revoked key" | "malformed" | "admin" | "read-only" | "write-only" | "keys-admin" | "all scopes";
const CALLERS: Caller[] = ["none", "unknown key", "revoked key", "malformed", "admin", "read-only", "write-only", "keys-admin", "all scopes"];
const SCOPES: Partial<Record<Caller, string[]>> = {
  "read-only": ["scans:read"],
  "write-only": ["scans:write"],
  "keys-admin": ["keys:admin"],
  "all scopes": ["scans:write", "scans:read", "keys:admin", "webhooks:admin"],
};

let owner: Awaited<ReturnType<typeof createProject>>;
let stranger: Awaited<ReturnType<typeof createProject>>;
const auth: Partial<Record<Caller, Record<string, string>>> = {};

beforeAll(async () => {
  owner = await createProject("Owner");
  stranger = await createProject("Stranger");
  for (const caller of ["read-only", "write-only", "keys-admin"] as const) auth[caller] = (await createProject(`Scoped ${caller}`, SCOPES[caller])).headers;
  auth["all scopes"] = owner.headers;
  auth.admin = ADMIN;
  auth["unknown key"] = { authorization: `Bearer pca_live_${"Z".repeat(43)}` };
  auth.malformed = { authorization: `Basic ${btoa(`${PANS[0]}:${SECRETS[0]}`)}` };
  const extra = await hostilePost("/v1/keys", owner.headers, { name: "to revoke" });
  await hostile(`/v1/keys/${extra.body.id as string}`, { method: "DELETE", headers: owner.headers });
  auth["revoked key"] = { authorization: `Bearer ${extra.body.key as string}` };
  auth.none = {};
});

/** What the route declares for the caller: 401, 403, or through (anything else). */
function expected(route: RouteDef, caller: Caller): 401 | 403 | "through" {
  if (route.auth === "none") return "through";
  // A signed route (the GitHub webhook) takes no bearer credentials, and none of these callers signs its body.
  if (route.auth === "signature") return 401;
  if (caller === "none" || caller === "unknown key" || caller === "revoked key" || caller === "malformed") return 401;
  if (route.auth === "admin") return caller === "admin" ? "through" : 403;
  if (caller === "admin") return 403;
  return route.scope && !SCOPES[caller]!.includes(route.scope) ? 403 : "through";
}

describe("auth and scope matrix over every route", () => {
  it("answers each caller as the route declares, before reading a malformed body", async () => {
    let checked = 0;
    for (const route of ROUTES) {
      const path = route.path.replace(/\{\w+\}/g, "x");
      for (const caller of CALLERS) {
        const init: RequestInit = { method: route.method.toUpperCase(), headers: { ...auth[caller], "cf-connecting-ip": freshIp() } };
        if (route.request?.body) Object.assign(init, { body: `{"broken": ${PANS[1]}`, headers: { ...init.headers, "content-type": "application/json" } });
        const { res } = await hostile(path, init);
        const want = expected(route, caller);
        if (want === "through") expect([401, 403], `${caller} → ${route.method} ${route.path}`).not.toContain(res.status);
        else expect(res.status, `${caller} → ${route.method} ${route.path}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBe(ROUTES.length * CALLERS.length);
  });

  it("refuses a Clerk-shaped token that does not verify with 401", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("{}", { status: 404 }));
    const { res } = await hostile("/v1/scans", {
      headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln", "cf-connecting-ip": freshIp() },
    });
    fetchSpy.mockRestore();
    expect(res.status).toBe(401);
  });
});

describe("order of checks (issue 11 item 7)", () => {
  /** A body that counts what the Worker pulls from it, and is not filled ahead of a read. */
  function countedBody(totalBytes: number) {
    const chunk = new Uint8Array(1 << 20).fill(0x20);
    const counter = { pulled: 0 };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (counter.pulled >= totalBytes) return controller.close();
          counter.pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, counter };
  }

  it("a read-only key posting a malformed scan gets 403, not 400", async () => {
    const { res, body } = await hostilePost("/v1/scans", auth["read-only"]!, "{not json");
    expect(res.status).toBe(403);
    expect(body.code).toBe("forbidden");
  });

  it("a read-only key posting 12 MB gets 403 without the body being read", async () => {
    const { stream, counter } = countedBody(12_000_000);
    const { res } = await hostile("/v1/scans", {
      method: "POST",
      headers: { ...auth["read-only"], "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(403);
    // At most the one chunk the runtime buffers ahead; reading it would take past the 2 MB limit.
    expect(counter.pulled).toBeLessThanOrEqual(1 << 20);
  });

  it("a key that may post gets 413 for a declared 12 MB body before reading it, and for a streamed one as soon as it passes the limit", async () => {
    const declared = await hostile("/v1/scans", {
      method: "POST",
      headers: { ...owner.headers, "content-type": "application/json", "content-length": "12000000" },
      body: "{}",
    });
    expect(declared.res.status).toBe(413);
    const { stream, counter } = countedBody(12_000_000);
    const streamed = await hostile("/v1/scans", {
      method: "POST",
      headers: { ...owner.headers, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(Number(env.MAX_BODY_BYTES) + (2 << 20));
  });

  it("a stranger to administration gets 401 before a body is looked at", async () => {
    const { res } = await hostile("/v1/projects", {
      method: "POST",
      headers: { authorization: `Bearer ${SECRETS[0]}`, "content-type": "text/plain", "cf-connecting-ip": freshIp() },
      body: "x".repeat(100_000),
    });
    expect(res.status).toBe(401);
  });
});

describe("cross-tenant access answers exactly like a missing resource", () => {
  const comparable = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined });

  it("for scans, findings, SARIF, proofs, deletion and keys", async () => {
    const content = `const express = require("express");\nconst { exec } = require("child_process");\nconst app = express();\napp.get("/fetch", (req, res) => {\n  exec("curl -H Authorization:${SECRETS[0]} https://api.example.com/" + req.query.path);\n  res.end();\n});\n`;
    const created = await hostilePost("/v1/scans", owner.headers, { files: [{ path: "src/fetch.js", content }] });
    expect(created.res.status).toBe(201);
    const scanId = created.body.id as string;
    const finding = (created.body.findings as Array<{ id: string; proof?: unknown }>).find((f) => f.proof)!;
    expect(finding).toBeDefined();
    const missingScan = `scn_${"0".repeat(32)}`;
    const cases: Array<[string, string, string]> = [
      ["GET", `/v1/scans/${scanId}`, `/v1/scans/${missingScan}`],
      ["GET", `/v1/scans/${scanId}/findings`, `/v1/scans/${missingScan}/findings`],
      ["GET", `/v1/scans/${scanId}/sarif`, `/v1/scans/${missingScan}/sarif`],
      ["GET", `/v1/scans/${scanId}/findings/${finding.id}/proof`, `/v1/scans/${missingScan}/findings/${finding.id}/proof`],
      ["DELETE", `/v1/scans/${scanId}`, `/v1/scans/${missingScan}`],
    ];
    const ownerKeys = await hostile("/v1/keys", { headers: owner.headers });
    const ownerKeyId = (ownerKeys.body.keys as Array<{ id: string }>)[0]!.id;
    cases.push(["DELETE", `/v1/keys/${ownerKeyId}`, `/v1/keys/key_${"0".repeat(32)}`]);
    for (const [method, foreign, missing] of cases) {
      const a = await hostile(foreign, { method, headers: stranger.headers });
      const b = await hostile(missing, { method, headers: stranger.headers });
      expect(a.res.status, `${method} ${foreign}`).toBe(404);
      expect(comparable(a.body)).toEqual(comparable(b.body));
    }
    // The owner still has everything the stranger tried to delete.
    expect((await hostile(`/v1/scans/${scanId}`, { headers: owner.headers })).res.status).toBe(200);
    expect((await hostile("/v1/keys", { headers: owner.headers })).res.status).toBe(200);
  });

  it("lists never show another project's scans", async () => {
    const mine = await hostile("/v1/scans?limit=100", { headers: stranger.headers });
    const ownerScans = await env.DB.prepare("SELECT id FROM scans WHERE project_id = ?").bind(owner.projectId).all<{ id: string }>();
    const shown = (mine.body.scans as Array<{ id: string }>).map((s) => s.id);
    for (const { id } of ownerScans.results) expect(shown).not.toContain(id);
  });
});

itLeavesNoCardDataOrSecrets("auth-and-tenancy", logs);
