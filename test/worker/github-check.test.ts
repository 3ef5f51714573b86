/**
 * The "github-check" queue job against a fake GitHub (test/worker/fake-github.ts) served through
 * the fetch the job is given, on the real local D1, R2 and rate-limiter Durable Objects: a push is
 * scanned and answered with a check run whose annotations sit only on added lines, 50 per
 * request; a 300-file pull request does bounded work and says so; a secondary rate limit puts the
 * job back on the queue with GitHub's delay and the job then resumes without repeating itself;
 * a redelivery scans nothing twice; the App JWT is what GitHub requires.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { importPKCS8, jwtVerify } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { appJwt, pkcs8Pem, resetInstallationTokens } from "../../src/github/app-auth";
import { addedLines } from "../../src/github/changed-files";
import { conclusionFor } from "../../src/github/check-run";
import { resetBreakers } from "../../src/limits/circuit-breaker";
import { limiterFor } from "../../src/limits/limiter";
import { DEAD_LETTER_QUEUE, handleQueue } from "../../src/queue/consumer";
import type { GithubCheckJob } from "../../src/queue/messages";
import pullRequestOpened from "../fixtures/github/pull_request.opened.json?raw";
import push from "../fixtures/github/push.json?raw";
import { appPublicKey, FakeGithub, type FakeFile } from "./fake-github";
import { deliver, deliveryId, linkInstallation, payload } from "./github-helpers";
import { call, createProject } from "./helpers";

const QUEUE = "pci-auditor-scan-jobs";
const BEFORE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const HEAD = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

let project: Awaited<ReturnType<typeof createProject>>;
let github: FakeGithub;
let send: ReturnType<typeof vi.spyOn>;

/** A Luhn-valid Visa number, different for each seed. */
function pan(seed: number): string {
  const body = `491652${String(318_274_659 + seed * 7_919).slice(-9)}`;
  let sum = 0;
  [...body].reverse().forEach((d, i) => {
    let n = Number(d) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  });
  return body + String((10 - (sum % 10)) % 10);
}

/** A patch adding every line of a new file. */
const newFilePatch = (lines: string[]) => `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;

beforeAll(async () => {
  project = await createProject("GitHub checks");
  await linkInstallation(project.projectId);
});

beforeEach(() => {
  github = new FakeGithub();
  resetInstallationTokens();
  resetBreakers();
  send = vi.spyOn(env.SCAN_JOBS, "send").mockResolvedValue(undefined as never);
});

afterEach(() => vi.restoreAllMocks());

/** Delivers a signed event and returns the job the webhook queued. */
async function queuedJob(event: string, body: string, id = deliveryId()): Promise<GithubCheckJob> {
  const res = await deliver(event, body, { id });
  expect(res.status).toBe(202);
  const job = send.mock.calls.at(-1)?.[0] as GithubCheckJob;
  expect(job).toMatchObject({ kind: "github-check", deliveryId: id });
  return job;
}

/** Runs one message through the consumer with the fake GitHub. */
async function runJob(job: GithubCheckJob, attempts = 1, queue = QUEUE) {
  const batch = createMessageBatch(queue, [{ id: `m-${job.deliveryId}-${attempts}-${job.deferrals}`, timestamp: new Date(), attempts, body: job }]);
  await handleQueue(batch, env, undefined, { explainer: null, github: { fetch: github.fetch } });
  return getQueueResult(batch, createExecutionContext());
}

const scanCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM scans WHERE project_id = ?").bind(project.projectId).first<{ n: number }>())!.n;
const onlyRun = () => {
  expect(github.checkRuns.size).toBe(1);
  return [...github.checkRuns.values()][0]!;
};

/** The push fixture's change: a new file of 60 card numbers, one line added among old ones, a removed file, a README. */
function pushChange() {
  const cards = Array.from({ length: 60 }, (_, i) => `export const CARD_${i} = "${pan(i)}";`);
  const orders = ["// Orders", `const OLD_CARD = "${pan(100)}";`, `const NEW_CARD = "${pan(101)}";`, "module.exports = { OLD_CARD, NEW_CARD };"];
  const files: FakeFile[] = [
    { filename: "src/cards.js", status: "added", sha: github.blob(cards.join("\n") + "\n"), patch: newFilePatch(cards) },
    {
      filename: "src/orders.js",
      status: "modified",
      sha: github.blob(orders.join("\n") + "\n"),
      patch: `@@ -1,3 +1,4 @@\n ${orders[0]}\n ${orders[1]}\n+${orders[2]}\n ${orders[3]}`,
    },
    { filename: "src/legacy.js", status: "removed", sha: "e".repeat(40), patch: `@@ -1 +0,0 @@\n-const OLD = "${pan(102)}";` },
    { filename: "README.md", status: "modified", sha: github.blob("# Payments\n"), patch: "@@ -0,0 +1 @@\n+# Payments" },
  ];
  github.comparisons.set(`${BEFORE}...${HEAD}`, files);
  return { cards, orders, pans: [...Array.from({ length: 60 }, (_, i) => pan(i)), pan(100), pan(101), pan(102)] };
}

describe("a push", () => {
  it("is scanned and answered with a check run annotating only added lines, 50 annotations per request", async () => {
    const { pans } = pushChange();
    const job = await queuedJob("push", push);
    const result = await runJob(job);
    expect(result.explicitAcks).toEqual([`m-${job.deliveryId}-1-0`]);
    expect(result.retryMessages).toEqual([]);

    const run = onlyRun();
    expect(run).toMatchObject({ name: "pci-auditor", head_sha: HEAD, status: "completed", conclusion: "failure" });
    const annotated = run.annotations.map((a) => `${String(a.path)}:${String(a.start_line)}`).sort();
    const expected = [...Array.from({ length: 60 }, (_, i) => `src/cards.js:${i + 1}`), "src/orders.js:3"].sort();
    expect(annotated).toEqual(expected);
    const patches = github.requestsTo("PATCH", /check-runs\/\d+$/);
    const perRequest = patches.map((r) => ((r.body!.output as { annotations?: unknown[] }).annotations ?? []).length);
    expect(perRequest).toEqual([50, 11, 0]);
    expect(patches.at(-1)!.body).toMatchObject({ status: "completed", conclusion: "failure" });

    // The removed file was never fetched; the rest were.
    expect(github.requestsTo("GET", /git\/blobs\/e{40}/)).toEqual([]);
    expect(github.requestsTo("GET", /git\/blobs\//)).toHaveLength(3);

    // The summary counts findings by severity and PCI requirement and links the scan, which exists.
    const summary = run.output!.summary;
    expect(summary).toMatch(/\| critical \| \d+ \|/);
    expect(summary).toMatch(/\| PCI DSS requirement \| Findings \|/);
    const scanUrl = /https:\/\/api\.test\/v1\/scans\/(scn_[0-9a-f]{32})/.exec(summary);
    expect(scanUrl).not.toBeNull();
    expect(run.details_url).toBe(scanUrl![0]);
    const scan = (await (await call(`/v1/scans/${scanUrl![1]}`, { headers: project.headers })).json()) as {
      status: string;
      files: number;
      summary: { bySeverity: Record<string, number> };
    };
    expect(scan).toMatchObject({ status: "completed", files: 3 });
    expect(summary).toContain(`| critical | ${scan.summary.bySeverity.critical} |`);
    // The line already there (orders.js:2) has a finding in the scan, but the change did not add it: no annotation.
    const listed = (await (await call(`/v1/scans/${scanUrl![1]}/findings?limit=500`, { headers: project.headers })).json()) as {
      findings: Array<{ location: { path: string; startLine: number } }>;
    };
    expect(listed.findings.map((f) => `${f.location.path}:${f.location.startLine}`)).toContain("src/orders.js:2");

    // No card number reaches GitHub: not in the summary, titles, messages or anything sent.
    const sent = JSON.stringify(github.requests.map((r) => r.body ?? null));
    for (const p of pans) expect(sent).not.toContain(p);
  });

  it("is scanned once: a redelivered webhook and a redelivered queue message start nothing new", async () => {
    pushChange();
    const id = deliveryId();
    const job = await queuedJob("push", push, id);
    await runJob(job);
    const scans = await scanCount();
    const requests = github.requests.length;

    expect((await deliver("push", push, { id })).status).toBe(200);
    expect(send).toHaveBeenCalledTimes(1);
    const again = await runJob(job, 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await scanCount()).toBe(scans);
    expect(github.requests.length).toBe(requests);
    expect(github.checkRuns.size).toBe(1);
  });

  it("mints the installation token once and reuses it until near its expiry", async () => {
    pushChange();
    await runJob(await queuedJob("push", push));
    await runJob(await queuedJob("push", push));
    expect(github.requestsTo("POST", /access_tokens$/)).toHaveLength(1);
    expect(github.jwts).toHaveLength(1);
  });
});

describe("a pull request touching 300 files", () => {
  it("lists them all, fetches no more than one scan holds, and says so in the summary", async () => {
    const files: FakeFile[] = Array.from({ length: 300 }, (_, i) => {
      const lines = [`export const f${i} = ${i};`];
      return { filename: `src/f${String(i).padStart(3, "0")}.js`, status: "added", sha: github.blob(lines.join("\n") + "\n"), patch: newFilePatch(lines) };
    });
    github.pullFiles.set(7, files);
    const job = await queuedJob("pull_request", pullRequestOpened);
    expect((await runJob(job)).explicitAcks).toHaveLength(1);

    expect(github.requestsTo("GET", /pulls\/7\/files/)).toHaveLength(4);
    const maxFiles = Number(env.MAX_FILES);
    expect(github.requestsTo("GET", /git\/blobs\//)).toHaveLength(maxFiles);
    const run = onlyRun();
    expect(run).toMatchObject({ status: "completed", conclusion: "success", head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821" });
    expect(run.output!.summary).toContain(`Only ${maxFiles} of the 300 changed files were scanned`);
    expect(run.output!.summary).toContain(`Scanned ${maxFiles} changed files`);
  });
});

describe("GitHub's rate limits", () => {
  it("a secondary limit re-queues the job with GitHub's delay instead of failing it, and the job then resumes", async () => {
    pushChange();
    github.answerNext(/git\/blobs\//, () =>
      Response.json(
        { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
        { status: 403, headers: { "retry-after": "90" } },
      ),
    );
    const job = await queuedJob("push", push);
    const first = await runJob(job);
    expect(first.explicitAcks).toHaveLength(1);
    expect(first.retryMessages).toEqual([]);
    expect(send).toHaveBeenCalledTimes(2);
    const [requeued, options] = send.mock.calls[1]! as [GithubCheckJob, { delaySeconds: number }];
    expect(requeued).toMatchObject({ ...job, deferrals: 1 });
    expect(options).toEqual({ delaySeconds: 90 });
    expect(onlyRun().status).toBe("in_progress");

    expect((await runJob(requeued)).explicitAcks).toHaveLength(1);
    expect(onlyRun()).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(github.requestsTo("POST", /check-runs$/)).toHaveLength(1);
  });

  it("an exhausted primary limit waits until x-ratelimit-reset", async () => {
    pushChange();
    const reset = Math.floor(Date.now() / 1000) + 600;
    github.answerNext(/compare\//, () =>
      Response.json({ message: "API rate limit exceeded" }, { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) } }),
    );
    await runJob(await queuedJob("push", push));
    const [, options] = send.mock.calls[1]! as [GithubCheckJob, { delaySeconds: number }];
    expect(options.delaySeconds).toBeGreaterThan(590);
    expect(options.delaySeconds).toBeLessThanOrEqual(600);
  });

  it("a refusal no retry can fix ends the job failed, with the check run concluded", async () => {
    // The compare API answers 404 for a base GitHub does not know.
    const job = await queuedJob("push", push);
    const result = await runJob(job);
    expect(result.explicitAcks).toHaveLength(1);
    expect(onlyRun()).toMatchObject({ status: "completed", conclusion: "neutral" });
    const row = await env.DB.prepare("SELECT status, reason FROM github_deliveries WHERE id = ?")
      .bind(job.deliveryId)
      .first<{ status: string; reason: string }>();
    expect(row).toMatchObject({ status: "failed", reason: expect.stringContaining("404") });
  });
});

describe("the project's daily byte quota", () => {
  it("used up, ends the check neutral with the reason and makes no scan", async () => {
    pushChange();
    const spent = await createProject("Quota spent");
    await linkInstallation(spent.projectId);
    try {
      const quota = (JSON.parse(env.RATE_LIMIT_POLICIES) as { bytes: { quota: number } }).bytes.quota;
      expect((await limiterFor(env).hit("bytes", spent.projectId, quota)).allowed).toBe(true);
      const job = await queuedJob("push", push);
      expect((await runJob(job)).explicitAcks).toHaveLength(1);
      expect(onlyRun()).toMatchObject({ status: "completed", conclusion: "neutral", output: { summary: expect.stringContaining("quota is used up") } });
      const scans = await env.DB.prepare("SELECT count(*) AS n FROM scans WHERE project_id = ?").bind(spent.projectId).first<{ n: number }>();
      expect(scans!.n).toBe(0);
    } finally {
      await linkInstallation(project.projectId);
    }
  });
});

describe("a job that keeps failing", () => {
  it("dead-lettered, ends failed with its check run concluded, and nothing is left in progress", async () => {
    pushChange();
    // GitHub fails every blob fetch: the job opens its check run, then cannot scan.
    for (let i = 0; i < 3; i++) github.answerNext(/git\/blobs\//, () => Response.json({ message: "Server Error" }, { status: 502 }));
    const job = await queuedJob("push", push);
    expect((await runJob(job)).retryMessages).toHaveLength(1);
    expect(onlyRun().status).toBe("in_progress");
    expect((await runJob(job, 6, DEAD_LETTER_QUEUE)).explicitAcks).toHaveLength(1);
    expect(onlyRun()).toMatchObject({ status: "completed", conclusion: "neutral", output: { summary: expect.stringContaining("after 6 attempts") } });
    const row = await env.DB.prepare("SELECT status FROM github_deliveries WHERE id = ?").bind(job.deliveryId).first<{ status: string }>();
    expect(row?.status).toBe("failed");
  });
});

describe("changed lines and conclusions", () => {
  it.each([
    ["one hunk: context, a deletion, two additions", "@@ -10,4 +10,5 @@ function pay() {\n a\n-b\n+B\n+C\n d\n e", [11, 12]],
    ["two hunks, the second further down", "@@ -1,2 +1,3 @@\n x\n+y\n z\n@@ -40,2 +41,2 @@\n p\n-q\n+Q", [2, 42]],
    ["a new file without a trailing newline", "@@ -0,0 +1,2 @@\n+one\n+two\n\\ No newline at end of file", [1, 2]],
    ["only deletions", "@@ -5,2 +4,0 @@\n-gone\n-also gone", []],
  ])("added lines of %s", (_name, patch, lines) => {
    expect([...addedLines(patch)]).toEqual(lines);
  });

  it("fails on a finding at or above the fail-on level, never with none", () => {
    const counts = { critical: 0, high: 0, medium: 2, low: 5, info: 9 };
    expect(conclusionFor(counts, "high")).toBe("success");
    expect(conclusionFor(counts, "medium")).toBe("failure");
    expect(conclusionFor({ ...counts, critical: 1 }, "critical")).toBe("failure");
    expect(conclusionFor({ ...counts, critical: 1 }, "none")).toBe("success");
  });
});

describe("the App JWT", () => {
  it("verifies with the App's public key and carries iat, exp and iss as GitHub requires", async () => {
    const now = Date.now();
    const token = await appJwt(env.GITHUB_APP_ID!, env.GITHUB_APP_PRIVATE_KEY!, now);
    const { payload: claims, protectedHeader } = await jwtVerify(token, await appPublicKey(), { algorithms: ["RS256"], issuer: env.GITHUB_APP_ID! });
    expect(protectedHeader.alg).toBe("RS256");
    const seconds = Math.floor(now / 1000);
    // iat a minute in the past (clock drift), exp at most 10 minutes after now.
    expect(claims.iat).toBe(seconds - 60);
    expect(claims.exp! - seconds).toBeLessThanOrEqual(600);
    expect(claims.exp!).toBeGreaterThan(seconds);
  });

  it("accepts the PKCS#1 key file GitHub hands out", async () => {
    // GitHub's download is the PKCS#1 RSAPrivateKey that this PKCS#8 key wraps (after a 26-byte header).
    const der = Uint8Array.from(atob(env.GITHUB_APP_PRIVATE_KEY!.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
    const pkcs1 = btoa(String.fromCharCode(...der.subarray(26))).replace(/(.{64})/g, "$1\n");
    const githubPem = `-----BEGIN RSA PRIVATE KEY-----\n${pkcs1}\n-----END RSA PRIVATE KEY-----\n`;
    await importPKCS8(pkcs8Pem(githubPem), "RS256");
    const token = await appJwt("123456", githubPem.replace(/\n/g, "\\n"));
    await expect(jwtVerify(token, await appPublicKey())).resolves.toBeTruthy();
  });
});
