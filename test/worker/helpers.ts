/** Test helpers for Worker tests: calling the Worker, creating projects and keys, reading problems. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export const ADMIN = { authorization: "Bearer test-admin-token" };

let ip = 0;
/** A distinct client address per call site, so per-IP limits in one test do not leak into another. */
export function freshIp(): string {
  ip++;
  return `198.51.100.${ip % 250}`;
}

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`https://api.test${path}`, init));
}

export async function createProject(name = "Payments", scopes?: string[]): Promise<{ projectId: string; key: string; headers: Record<string, string> }> {
  const res = await call("/v1/projects", {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name, keyKind: "test" }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { project: { id: string }; apiKey: { key: string } };
  let key = body.apiKey.key;
  if (scopes) {
    const limited = await call("/v1/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "limited", scopes, kind: "test" }),
    });
    expect(limited.status).toBe(201);
    key = ((await limited.json()) as { key: string }).key;
  }
  return { projectId: body.project.id, key, headers: { authorization: `Bearer ${key}` } };
}

export function postScan(headers: Record<string, string>, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return call("/v1/scans", { method: "POST", headers: { ...headers, "content-type": "application/json", ...extra }, body: JSON.stringify(body) });
}

export async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://api.test/problems/${code}` });
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  return body;
}

/** Polls a scan until it leaves queued/running (the local queue consumer runs it). */
export async function waitForScan(headers: Record<string, string>, id: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(`/v1/scans/${id}`, { headers });
    const body = (await res.json()) as Record<string, unknown>;
    if (body.status === "completed" || body.status === "failed") return body;
    if (Date.now() > deadline) throw new Error(`scan ${id} still ${String(body.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
