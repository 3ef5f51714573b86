/**
 * Hostile: queued scans under poison input (issue 11 item 4). Whatever a submission holds, its
 * scan ends completed or failed with a reason after one delivery; an error retrying cannot fix
 * (D1 refusing the results' size) fails the scan at once instead of six retries over minutes,
 * and is not held against the D1 circuit breaker; stored rows stay far below D1's limits however
 * many notifications or findings the engine returns; a scan the server failed releases its
 * Idempotency-Key.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Finding, Notification, ScanResult } from "../../src/engine/types";
import { breakerFor, resetBreakers } from "../../src/limits/circuit-breaker";
import { DEAD_LETTER_QUEUE, handleQueue } from "../../src/queue/consumer";
import { NOTIFICATIONS_PER_CODE } from "../../src/engine/report/output-boundary";
import { MAX_STORED_FINDINGS } from "../../src/scans/bounded-result";
import { storeResult } from "../../src/scans/run-scan";
import { createProject, waitForScan } from "../worker/helpers";
import { captureLogs, hostilePost, itLeavesNoCardDataOrSecrets, PANS, SECRETS } from "./harness";

const logs = captureLogs();
const QUEUE = "pci-auditor-scan-jobs";
const pan = PANS[2];
let project: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  project = await createProject("Poison");
});

const spies: Array<{ mockRestore(): void }> = [];
afterEach(() => {
  for (const spy of spies.splice(0)) spy.mockRestore();
  resetBreakers();
});

type ScanRow = { status: string; error: string | null; attempts: number; notifications: string; summary: string | null };
const scanRow = (id: string) => env.DB.prepare("SELECT status, error, attempts, notifications, summary FROM scans WHERE id = ?").bind(id).first<ScanRow>();

/** Accepts a queued scan without letting the local queue run it, so the test delivers it. */
async function acceptQueued(body: unknown, extra: Record<string, string> = {}): Promise<string> {
  const send = vi.spyOn(env.SCAN_JOBS, "send").mockResolvedValue(undefined as never);
  const { res, body: scan } = await hostilePost("/v1/scans", project.headers, body, extra);
  send.mockRestore();
  expect(res.status).toBe(202);
  return scan.id as string;
}

/** Delivers one message as the queue would; returns whether it was acked and whether it was retried. */
async function deliver(queue: string, scanId: string, attempts = 1) {
  const batch = createMessageBatch(queue, [
    { id: `${queue}-${scanId}-${attempts}`, timestamp: new Date(), attempts, body: { kind: "scan", scanId, projectId: project.projectId } },
  ]);
  const ack = vi.spyOn(batch.messages[0]!, "ack");
  const retry = vi.spyOn(batch.messages[0]!, "retry");
  await handleQueue(batch, env);
  return { acked: ack.mock.calls.length === 1, retried: retry.mock.calls.length === 1 };
}

describe("errors retrying cannot fix", () => {
  it("fail a queued scan at once with the reason, within one delivery, and leave the D1 breaker closed", async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await acceptQueued({ files: [{ path: `db/poison${i}.sql`, content: `SELECT ${i};\n` }], options: { async: true } }));
    spies.push(vi.spyOn(env.DB, "batch").mockRejectedValue(new Error("D1_ERROR: string or blob too big: SQLITE_TOOBIG")));
    for (const id of ids) expect(await deliver(QUEUE, id)).toEqual({ acked: true, retried: false });
    expect(breakerFor("d1").current).toBe("closed");
    for (const id of ids) {
      const row = (await scanRow(id))!;
      expect(row).toMatchObject({
        status: "failed",
        attempts: 1,
        error: "The scan's results are more than the database accepts (SQLITE_TOOBIG). Retrying cannot fix this.",
      });
      expect(await env.PROOFS.head(`uploads/${id}.json`)).toBeNull();
    }
  });

  it("while a transient error still goes back to the queue", async () => {
    const id = await acceptQueued({ files: [{ path: "db/later.sql", content: "SELECT 1;\n" }], options: { async: true } });
    spies.push(vi.spyOn(env.DB, "batch").mockRejectedValue(new Error("D1_ERROR: storage operation exceeded timeout")));
    expect(await deliver(QUEUE, id)).toEqual({ acked: false, retried: true });
    spies.splice(0).forEach((s) => s.mockRestore());
    expect(await deliver(QUEUE, id, 2)).toEqual({ acked: true, retried: false });
    expect((await scanRow(id))!.status).toBe("completed");
  });

  it("a queued scan the server failed (dead-lettered) releases its Idempotency-Key: the retry runs again", async () => {
    const body = { files: [{ path: "db/dlq.sql", content: "SELECT 2;\n" }], options: { async: true } };
    const id = await acceptQueued(body, { "idempotency-key": "dead-letter-1" });
    expect(await deliver(DEAD_LETTER_QUEUE, id)).toEqual({ acked: true, retried: false });
    expect((await scanRow(id))!.status).toBe("failed");
    const again = await acceptQueued(body, { "idempotency-key": "dead-letter-1" });
    expect(again).not.toBe(id);
    expect(await deliver(QUEUE, again)).toEqual({ acked: true, retried: false });
  });
});

describe("poison submissions through the real local queue", () => {
  const POISON: Record<string, string> = {
    "db/unparseable.sql": Array.from({ length: 4_000 }, (_, i) => `SELEC ${i} FRM t${i} WHER ${pan};`).join("\n"),
    "src/nested.js": "(".repeat(40_000) + "x" + ")".repeat(40_000),
    "src/one-line.js": "a+".repeat(90_000) + "a;",
    "src/cards.js": Array.from({ length: 3_000 }, (_, i) => `const c${i} = "${pan}";`).join("\n"),
    "src/controls.js": "\u0000\u001b[2J\u202e".repeat(20_000),
    "src/secrets.js": Array.from({ length: 2_000 }, (_, i) => `const k${i} = "${SECRETS[0]}";`).join("\n"),
  };

  it("end completed or failed with a reason after one attempt, with notifications capped per code and rows far below D1's limits", async () => {
    const ids: string[] = [];
    for (const [path, content] of Object.entries(POISON)) {
      const { res, body } = await hostilePost("/v1/scans", project.headers, { files: [{ path, content }], options: { async: true } });
      expect(res.status, path).toBe(202);
      ids.push(body.id as string);
    }
    for (const id of ids) {
      const done = await waitForScan(project.headers, id, 90_000);
      const row = (await scanRow(id))!;
      expect(row.attempts).toBe(1);
      if (done.status === "failed") expect(row.error).toMatch(/\S/);
      else expect(done.status).toBe("completed");
      const notifications = JSON.parse(row.notifications) as Notification[];
      const perCode = new Map<string, number>();
      for (const n of notifications) perCode.set(n.code, (perCode.get(n.code) ?? 0) + 1);
      for (const [code, n] of perCode) expect(n, code).toBeLessThanOrEqual(NOTIFICATIONS_PER_CODE + 1);
      expect(row.notifications.length).toBeLessThan(64_000);
    }
    const largest = await env.DB.prepare("SELECT max(length(notifications)) AS n, max(length(summary)) AS s FROM scans").first<{ n: number; s: number }>();
    expect(largest!.n).toBeLessThan(64_000);
  }, 120_000);
});

describe("what the store keeps, whatever the engine returns", () => {
  it("40,000 notifications and 10,050 findings are stored bounded (they once gave SQLITE_TOOBIG)", async () => {
    const id = await acceptQueued({ files: [{ path: "db/many.sql", content: "SELECT 3;\n" }], options: { async: true } });
    const finding = (i: number): Finding => ({
      id: `f${i.toString(16).padStart(19, "0")}`,
      ruleId: "sql-write-without-where",
      severity: i % 2 ? "low" : "high",
      confidence: "high",
      title: "UPDATE or DELETE without a WHERE clause",
      message: `Statement ${i} holds ${pan} and ${"m".repeat(3_000)}`,
      cwe: ["CWE-840"],
      owasp: [],
      pci: ["6.2.4"],
      category: "sql-audit",
      tags: [],
      location: { path: `db/${pan}.sql`, startLine: i + 1, startColumn: 1, endLine: i + 1, endColumn: 10 },
      snippet: `DELETE FROM t${i}; -- ${pan}`,
      flow: [],
      fingerprint: `fp${i}`,
      remediation: "Add a WHERE clause.",
    });
    const notifications: Notification[] = Array.from({ length: 40_000 }, (_, i) => ({
      level: "warning",
      code: "sql-parse-error",
      path: "db/many.sql",
      line: i + 1,
      message: `Statement ${i} near ${pan} did not parse.`,
    }));
    const result = {
      engineVersion: "test",
      findings: Array.from({ length: MAX_STORED_FINDINGS + 50 }, (_, i) => finding(i)),
      notifications,
      stats: {},
    } as unknown as ScanResult;
    await storeResult(env, id, result);

    const row = (await scanRow(id))!;
    expect(row.status).toBe("completed");
    const stored = JSON.parse(row.notifications) as Notification[];
    expect(stored.filter((n) => n.code === "sql-parse-error")).toHaveLength(NOTIFICATIONS_PER_CODE + 1);
    expect(stored.at(-1)!.message).toBe(`…and ${40_000 - NOTIFICATIONS_PER_CODE} more "sql-parse-error" notifications, not listed.`);
    expect(stored.some((n) => n.code === "finding-cap")).toBe(true);
    const findings = await env.DB.prepare("SELECT count(*) AS n, max(length(message)) AS m, sum(severity = 'high') AS high FROM findings WHERE scan_id = ?")
      .bind(id)
      .first<{ n: number; m: number; high: number }>();
    expect(findings).toEqual({ n: MAX_STORED_FINDINGS, m: expect.any(Number), high: (MAX_STORED_FINDINGS + 50) / 2 });
    expect(findings!.m).toBeLessThanOrEqual(1_001);
    await env.PROOFS.delete(`uploads/${id}.json`);
  }, 120_000);
});

itLeavesNoCardDataOrSecrets("queue-poison", logs);
