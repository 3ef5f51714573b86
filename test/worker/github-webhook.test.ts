/**
 * POST /v1/github/webhook and the installation link, in workerd with the real local D1: deliveries
 * signed by GitHub's own library (@octokit/webhooks-methods) verify with our Web Crypto code and
 * nothing else does; a bad or missing signature is 401 with nothing recorded or queued; a
 * redelivered id starts nothing; pushes and pull requests of a linked installation are queued,
 * the rest acknowledged with a reason; installation events record the installation.
 */
import { sign, verify } from "@octokit/webhooks-methods";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { verifyGithubSignature } from "../../src/github/signature";
import { sweepRetention } from "../../src/scans/sweeps";
import installationCreated from "../fixtures/github/installation.created.json?raw";
import installationRepositoriesAdded from "../fixtures/github/installation_repositories.added.json?raw";
import ping from "../fixtures/github/ping.json?raw";
import pullRequestOpened from "../fixtures/github/pull_request.opened.json?raw";
import push from "../fixtures/github/push.json?raw";
import { deliver, deliveryId, INSTALLATION, linkInstallation, payload } from "./github-helpers";
import { ADMIN, call, createProject, expectProblem } from "./helpers";

const SECRET = env.GITHUB_WEBHOOK_SECRET!;
let send: ReturnType<typeof vi.spyOn>;
let projectId: string;

const deliveryRow = (id: string) =>
  env.DB.prepare("SELECT status, reason FROM github_deliveries WHERE id = ?").bind(id).first<{ status: string; reason: string | null }>();

beforeAll(async () => {
  projectId = (await createProject("GitHub webhook")).projectId;
});

beforeEach(() => {
  send = vi.spyOn(env.SCAN_JOBS, "send").mockResolvedValue(undefined as never);
});

afterEach(() => vi.restoreAllMocks());

describe("X-Hub-Signature-256, checked against GitHub's own library", () => {
  const bodies = [push, ping, '{"zen":"Ünïcödé ✓ 🚀","hook_id":1}', "{}"];

  it("accepts what @octokit/webhooks-methods signs, and @octokit verifies the same signatures", async () => {
    for (const body of bodies) {
      const signature = await sign(SECRET, body);
      expect(await verifyGithubSignature(SECRET, new TextEncoder().encode(body), signature)).toBe(true);
      expect(await verify(SECRET, body, signature)).toBe(true);
    }
  });

  it("refuses another secret, a changed byte, a missing or malformed header", async () => {
    const bytes = new TextEncoder().encode(push);
    const signature = await sign(SECRET, push);
    expect(await verifyGithubSignature(SECRET, bytes, await sign("another-secret", push))).toBe(false);
    expect(await verifyGithubSignature(SECRET, new TextEncoder().encode(push.replace("main", "main ")), signature)).toBe(false);
    expect(await verifyGithubSignature(SECRET, bytes, undefined)).toBe(false);
    expect(await verifyGithubSignature(SECRET, bytes, signature.replace("sha256=", "sha1="))).toBe(false);
    expect(await verifyGithubSignature(SECRET, bytes, signature.slice(0, -2))).toBe(false);
  });
});

describe("POST /v1/github/webhook", () => {
  it("answers 401 to a bad or missing signature, records nothing and queues nothing", async () => {
    await linkInstallation(projectId);
    const id = deliveryId();
    await expectProblem(await deliver("push", push, { id, signature: await sign("not-the-secret", push) }), 401, "unauthorized");
    await expectProblem(await deliver("push", push, { id, signature: null }), 401, "unauthorized");
    // Signed over other bytes than those sent.
    await expectProblem(await deliver("push", push, { id, signature: await sign(SECRET, payload(push, { after: "f".repeat(40) })) }), 401, "unauthorized");
    expect(send).not.toHaveBeenCalled();
    expect(await deliveryRow(id)).toBeNull();
  });

  it("queues a check job for a push of a linked installation, and a redelivery starts nothing", async () => {
    await linkInstallation(projectId);
    const id = deliveryId();
    const res = await deliver("push", push, { id });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivery: id, event: "push", outcome: "queued" });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0]).toMatchObject({
      kind: "github-check",
      deliveryId: id,
      projectId,
      installationId: INSTALLATION,
      repository: "acme/payments",
      headSha: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
      base: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      apiOrigin: "https://api.test",
    });

    const again = await deliver("push", push, { id });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ delivery: id, outcome: "duplicate" });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("compares a new branch with the default branch, and ignores deleted branches and tags", async () => {
    await linkInstallation(projectId);
    const res = await deliver("push", payload(push, { ref: "refs/heads/refunds", before: "0".repeat(40), created: true }));
    expect(res.status).toBe(202);
    expect(send.mock.calls[0]![0]).toMatchObject({ base: "main", headSha: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c" });
    for (const patch of [{ deleted: true, after: "0".repeat(40) }, { ref: "refs/tags/v1.0.0" }]) {
      const ignored = await deliver("push", payload(push, patch));
      expect(ignored.status).toBe(202);
      expect(await ignored.json()).toMatchObject({ outcome: "ignored", reason: expect.any(String) });
    }
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("queues pull requests opened, synchronized or reopened, and ignores other actions", async () => {
    await linkInstallation(projectId);
    for (const action of ["opened", "synchronize", "reopened"])
      expect((await deliver("pull_request", payload(pullRequestOpened, { action }))).status).toBe(202);
    expect(send).toHaveBeenCalledTimes(3);
    expect(send.mock.calls[0]![0]).toMatchObject({ kind: "github-check", pullRequest: 7, headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821" });
    const closed = await deliver("pull_request", payload(pullRequestOpened, { action: "closed" }));
    expect(await closed.json()).toMatchObject({ outcome: "ignored", reason: expect.stringContaining("closed") });
    const issues = await deliver("issues", '{"action":"opened"}');
    expect(issues.status).toBe(202);
    expect(await issues.json()).toMatchObject({ outcome: "ignored" });
    expect(send).toHaveBeenCalledTimes(3);
  });

  it("keeps delivery ids for the retention period, then forgets them", async () => {
    const id = deliveryId();
    expect((await deliver("ping", ping, { id })).status).toBe(202);
    await sweepRetention(env, Date.now() + (Number(env.RETENTION_DAYS ?? 30) - 1) * 86_400_000);
    expect(await deliveryRow(id)).not.toBeNull();
    await sweepRetention(env, Date.now() + (Number(env.RETENTION_DAYS ?? 30) + 1) * 86_400_000);
    expect(await deliveryRow(id)).toBeNull();
  });

  it("answers ping", async () => {
    const res = await deliver("ping", ping);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ event: "ping", outcome: "recorded" });
  });

  it("ignores pushes of an installation no administrator linked, saying how to link it", async () => {
    const id = deliveryId();
    const res = await deliver("push", payload(push, { installation: { id: 999 } }), { id });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ outcome: "ignored", reason: expect.stringContaining("PUT /v1/github/installations/999") });
    expect(send).not.toHaveBeenCalled();
    expect((await deliveryRow(id))?.status).toBe("ignored");
  });

  it("refuses a missing delivery id or event, a payload that is not the event's, and non-JSON, queuing nothing", async () => {
    const signed = async (body: string, headers: Record<string, string>) =>
      call("/v1/github/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": await sign(SECRET, body), ...headers },
        body,
      });
    await expectProblem(await signed(push, { "x-github-event": "push" }), 400, "bad_request");
    await expectProblem(await signed(push, { "x-github-event": "Push!", "x-github-delivery": deliveryId() }), 400, "bad_request");
    await expectProblem(await deliver("push", payload(push, { repository: { full_name: "../../etc" } })), 400, "validation_failed");
    await expectProblem(await deliver("push", "not json"), 400, "invalid_json");
    expect(send).not.toHaveBeenCalled();
  });

  it("answers 413 past GITHUB_WEBHOOK_MAX_BYTES without reading the body", async () => {
    const big = payload(push, { padding: "x".repeat(Number(env.GITHUB_WEBHOOK_MAX_BYTES)) });
    const body = await expectProblem(await deliver("push", big), 413, "payload_too_large");
    expect(body.limit).toBe(Number(env.GITHUB_WEBHOOK_MAX_BYTES));
    expect(send).not.toHaveBeenCalled();
  });

  it("answers 503 when the deployment has no GitHub App", async () => {
    const app = createApp();
    const ctx = createExecutionContext();
    const headers = {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": deliveryId(),
      "x-hub-signature-256": await sign(SECRET, ping),
    };
    const res = await app.request(
      "https://api.test/v1/github/webhook",
      { method: "POST", headers, body: ping },
      { ...env, GITHUB_WEBHOOK_SECRET: undefined },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await expectProblem(res, 503, "unavailable");
    // With the secret but no App key: deliveries verify, but a push cannot be scanned.
    const pushHeaders = { ...headers, "x-github-event": "push", "x-hub-signature-256": await sign(SECRET, push) };
    const noKey = await app.request(
      "https://api.test/v1/github/webhook",
      { method: "POST", headers: pushHeaders, body: push },
      { ...env, GITHUB_APP_PRIVATE_KEY: undefined },
      createExecutionContext(),
    );
    await expectProblem(noKey, 503, "unavailable");
    expect(send).not.toHaveBeenCalled();
  });

  it("needs no API key, and counts against the client address", async () => {
    const res = await deliver("ping", ping);
    expect(res.status).toBe(202);
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"public"/);
  });
});

describe("installations", () => {
  const installation = () =>
    env.DB.prepare("SELECT account, project_id, fail_on, repositories FROM github_installations WHERE id = ?")
      .bind(INSTALLATION)
      .first<{ account: string | null; project_id: string | null; fail_on: string; repositories: string }>();

  it("records the installation and its repositories from its events, keeping the administrator's link", async () => {
    await linkInstallation(projectId, "critical");
    expect((await deliver("installation", installationCreated)).status).toBe(202);
    expect(await installation()).toMatchObject({ account: "acme", project_id: projectId, fail_on: "critical", repositories: '["acme/payments"]' });
    expect((await deliver("installation_repositories", installationRepositoriesAdded)).status).toBe(202);
    expect(JSON.parse((await installation())!.repositories)).toEqual(["acme/checkout", "acme/payments"]);
    const removed = payload(installationRepositoriesAdded, {
      action: "removed",
      repositories_added: [],
      repositories_removed: [{ id: 186853002, full_name: "acme/payments" }],
    });
    await deliver("installation_repositories", removed);
    expect(JSON.parse((await installation())!.repositories)).toEqual(["acme/checkout"]);
    await deliver("installation", payload(installationCreated, { action: "deleted" }));
    expect(await installation()).toBeNull();
  });

  it("keeps repository names masked, as every label it stores", async () => {
    const named = payload(installationCreated, { repositories: [{ id: 1, full_name: "acme/pan-4111111111111111" }] });
    expect((await deliver("installation", named)).status).toBe(202);
    const stored = (await installation())!.repositories;
    expect(stored).not.toContain("4111111111111111");
    expect(JSON.parse(stored)).toEqual(["acme/pan-411111******1111"]);
    await deliver("installation", payload(installationCreated, { action: "deleted" }));
  });

  it("are linked to a project by the administrator only, and only to a project that exists", async () => {
    const res = await linkInstallation(projectId);
    expect(await res.json()).toMatchObject({ installationId: INSTALLATION, projectId, failOn: "high" });
    const put = (headers: Record<string, string>, body: unknown) =>
      call(`/v1/github/installations/${INSTALLATION}`, {
        method: "PUT",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await expectProblem(await put(ADMIN, { projectId: `prj_${"0".repeat(32)}` }), 404, "not_found");
    const owner = await createProject("Claimant");
    await expectProblem(await put(owner.headers, { projectId: owner.projectId }), 403, "forbidden");
    await expectProblem(await put(ADMIN, { projectId, failOn: "sometimes" }), 400, "validation_failed");
  });
});
