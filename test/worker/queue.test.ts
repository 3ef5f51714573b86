/**
 * The queue consumer message by message, on the real local D1 and R2: a redelivered message for
 * a finished scan changes nothing, a half-written scan is completed exactly once, a missing
 * submission fails the scan with a reason, a transient failure retries with a delay, and a dead
 * letter marks its scan failed. Every accepted scan ends completed or failed.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetBreakers } from "../../src/limits/circuit-breaker";
import { newId } from "../../src/auth/api-keys";
import { DEAD_LETTER_QUEUE, handleQueue, retryDelaySeconds } from "../../src/queue/consumer";
import { putUpload } from "../../src/storage/objects";
import { createProject } from "./helpers";

const QUEUE = "pci-auditor-scan-jobs";
let projectId: string;

beforeAll(async () => {
  projectId = (await createProject("Queue")).projectId;
});

beforeEach(() => resetBreakers());

async function queuedScan(content = "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';\n"): Promise<string> {
  const id = newId("scn");
  await env.DB.prepare(
    "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, created_at) VALUES (?, ?, 'queued', 'h', '0', '{}', 1, ?, ?)",
  )
    .bind(id, projectId, content.length, Date.now())
    .run();
  await putUpload(env.PROOFS, id, { files: [{ path: "db/grants.sql", content }], options: {} });
  return id;
}

async function deliver(queue: string, scanId: string, attempts = 1) {
  const batch = createMessageBatch(queue, [{ id: `m-${scanId}-${attempts}`, timestamp: new Date(), attempts, body: { kind: "scan", scanId, projectId } }]);
  const ctx = createExecutionContext();
  await handleQueue(batch, env);
  return getQueueResult(batch, ctx);
}

const scanRow = (id: string) =>
  env.DB.prepare("SELECT status, error, findings_total, attempts FROM scans WHERE id = ?")
    .bind(id)
    .first<{ status: string; error: string | null; findings_total: number; attempts: number }>();
const findingCount = async (id: string) => (await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?").bind(id).first<{ n: number }>())!.n;

describe("scan job consumer", () => {
  it("completes a queued scan, acks, and deletes the submission", async () => {
    const id = await queuedScan();
    const result = await deliver(QUEUE, id);
    expect(result.explicitAcks).toEqual([`m-${id}-1`]);
    const row = await scanRow(id);
    expect(row!.status).toBe("completed");
    expect(row!.findings_total).toBeGreaterThan(0);
    expect(await env.PROOFS.head(`uploads/${id}.json`)).toBeNull();
  });

  it("acks a redelivered message for a finished scan without touching it", async () => {
    const id = await queuedScan();
    await deliver(QUEUE, id);
    const before = await findingCount(id);
    const again = await deliver(QUEUE, id, 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await findingCount(id)).toBe(before);
  });

  it("completes a half-written scan once, without duplicate findings", async () => {
    const id = await queuedScan();
    await deliver(QUEUE, id);
    const expected = await findingCount(id);
    // Simulate a crash after findings were written but before the status flipped.
    await env.DB.prepare("UPDATE scans SET status = 'running' WHERE id = ?").bind(id).run();
    await putUpload(env.PROOFS, id, { files: [{ path: "db/grants.sql", content: "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';\n" }], options: {} });
    await deliver(QUEUE, id, 2);
    expect((await scanRow(id))!.status).toBe("completed");
    expect(await findingCount(id)).toBe(expected);
  });

  it("fails the scan with a reason when its submission is gone", async () => {
    const id = await queuedScan();
    await env.PROOFS.delete(`uploads/${id}.json`);
    const result = await deliver(QUEUE, id);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await scanRow(id)).toMatchObject({ status: "failed", error: "The submission was no longer stored." });
  });

  it("retries a transient failure with a growing delay, then completes", async () => {
    const id = await queuedScan();
    // R2 stays unavailable through this delivery's own retries, then recovers.
    const spy = vi.spyOn(env.PROOFS, "get").mockRejectedValue(new Error("R2 unavailable"));
    const batch = createMessageBatch(QUEUE, [{ id: "transient", timestamp: new Date(), attempts: 3, body: { kind: "scan", scanId: id, projectId } }]);
    const retry = vi.spyOn(batch.messages[0]!, "retry");
    await handleQueue(batch, env);
    expect(retry).toHaveBeenCalledTimes(1);
    const delay = retry.mock.calls[0]![0]!.delaySeconds!;
    expect(delay).toBeGreaterThanOrEqual(16);
    expect(delay).toBeLessThanOrEqual(24);
    expect((await scanRow(id))!.status).toBe("queued");
    spy.mockRestore();
    await deliver(QUEUE, id, 2);
    expect((await scanRow(id))!.status).toBe("completed");
  });

  it("drops malformed messages with an ack instead of retrying them forever", async () => {
    const batch = createMessageBatch(QUEUE, [{ id: "bad", timestamp: new Date(), attempts: 1, body: { kind: "scan" } }]);
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["bad"]);
  });
});

describe("dead-letter consumer", () => {
  it("marks the scan failed with the reason and deletes its submission", async () => {
    const id = await queuedScan();
    await env.DB.prepare("UPDATE scans SET attempts = 6 WHERE id = ?").bind(id).run();
    const result = await deliver(DEAD_LETTER_QUEUE, id, 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await scanRow(id)).toMatchObject({ status: "failed", error: "The scan could not be completed after 6 attempts." });
    expect(await env.PROOFS.head(`uploads/${id}.json`)).toBeNull();
  });

  it("leaves a scan that completed in the meantime alone", async () => {
    const id = await queuedScan();
    await deliver(QUEUE, id);
    await deliver(DEAD_LETTER_QUEUE, id);
    expect((await scanRow(id))!.status).toBe("completed");
  });
});

describe("retry delays", () => {
  it("grow exponentially with jitter and are capped", () => {
    expect(retryDelaySeconds(1, () => 0.5)).toBe(5);
    expect(retryDelaySeconds(3, () => 0.5)).toBe(20);
    expect(retryDelaySeconds(30, () => 0.5)).toBe(600);
    expect(retryDelaySeconds(2, () => 0)).toBe(8);
    expect(retryDelaySeconds(2, () => 1)).toBe(12);
  });
});
