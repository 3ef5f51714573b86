/**
 * The cron sweeps on real local D1, R2 and Queues: stuck scans are re-queued while they can
 * resume (a transient queue failure retried) and failed with a reason when they cannot; retention deletes old scans with their
 * findings and R2 objects and removes submissions left behind by finished scans.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../../src/auth/api-keys";
import { MAX_SCAN_ATTEMPTS, sweepRetention, sweepStuckScans } from "../../src/scans/sweeps";
import { putUpload } from "../../src/storage/objects";
import { createProject } from "./helpers";

const HOUR = 3_600_000;
let projectId: string;

beforeAll(async () => {
  projectId = (await createProject("Sweeps")).projectId;
});

async function scanRow(status: string, opts: { createdAt: number; startedAt?: number | null; attempts?: number; upload?: boolean }): Promise<string> {
  const id = newId("scn");
  await env.DB.prepare(
    "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, attempts, created_at, started_at) VALUES (?, ?, ?, 'h', '0', '{}', 1, 1, ?, ?, ?)",
  )
    .bind(id, projectId, status, opts.attempts ?? 1, opts.createdAt, opts.startedAt ?? null)
    .run();
  if (opts.upload) await putUpload(env.PROOFS, id, { files: [{ path: "a.js", content: "x" }], options: {} });
  return id;
}

const status = async (id: string) =>
  await env.DB.prepare("SELECT status, error FROM scans WHERE id = ?").bind(id).first<{ status: string; error: string | null }>();

describe("stuck-scan sweep", () => {
  it("re-queues stuck scans that can resume and fails the rest with a reason", async () => {
    const now = Date.now();
    const old = now - 2 * HOUR;
    const resumable = await scanRow("running", { createdAt: old, startedAt: old, upload: true });
    const exhausted = await scanRow("running", { createdAt: old, startedAt: old, attempts: MAX_SCAN_ATTEMPTS, upload: true });
    const lost = await scanRow("running", { createdAt: old, startedAt: old });
    const fresh = await scanRow("running", { createdAt: now, startedAt: now, upload: true });
    // Held, not sent: a real message would start a scan in the consumer that outlives this file.
    const send = vi.spyOn(env.SCAN_JOBS, "send").mockResolvedValue(undefined as never);
    const report = await sweepStuckScans(env, now);
    expect(report.requeued).toEqual([resumable]);
    expect(send).toHaveBeenCalledWith({ kind: "scan", scanId: resumable, projectId });
    expect(report.failed.sort()).toEqual([exhausted, lost].sort());
    expect(await status(resumable)).toMatchObject({ status: "queued" });
    expect(await status(exhausted)).toMatchObject({ status: "failed", error: `The scan made no progress after ${MAX_SCAN_ATTEMPTS} attempts.` });
    expect(await status(lost)).toMatchObject({ status: "failed", error: "The scan stopped before it completed and cannot be resumed." });
    expect(await status(fresh)).toMatchObject({ status: "running" });
    expect(await env.PROOFS.head(`uploads/${exhausted}.json`)).toBeNull();
    send.mockRestore();
    // A re-queued scan is not re-queued again by the next sweep.
    expect((await sweepStuckScans(env, now + 60_000)).requeued).not.toContain(resumable);
  });

  it("re-queues a scan stuck in the queue, retrying a transient failure to enqueue it", async () => {
    const now = Date.now();
    const old = now - 2 * HOUR;
    const resumable = await scanRow("queued", { createdAt: old, startedAt: old, upload: true });
    const send = vi
      .spyOn(env.SCAN_JOBS, "send")
      .mockRejectedValueOnce(new Error("Network connection lost."))
      .mockResolvedValue(undefined as never);
    const report = await sweepStuckScans(env, now);
    expect(report.requeued).toContain(resumable);
    expect(send.mock.calls.filter(([m]) => (m as { scanId: string }).scanId === resumable)).toHaveLength(2);
    send.mockRestore();
    expect(await status(resumable)).toMatchObject({ status: "queued" });
  });
});

describe("retention sweep", () => {
  it("deletes scans past retention with their findings and R2 objects", async () => {
    const now = Date.now();
    const ancient = await scanRow("completed", { createdAt: now - 40 * 24 * HOUR });
    await env.DB.prepare(
      "INSERT INTO findings (scan_id, id, rule_id, severity, severity_rank, confidence, title, message, path, start_line, start_column, end_line, end_column, fingerprint, snippet, details) VALUES (?, 'f1', 'r', 'low', 3, 'high', 't', 'm', 'a.js', 1, 1, 1, 2, 'fp', 's', '{}')",
    )
      .bind(ancient)
      .run();
    await env.PROOFS.put(`scans/${ancient}/proofs/f1.json`, "{}");
    const recent = await scanRow("completed", { createdAt: now - 24 * HOUR });
    const report = await sweepRetention(env, now);
    expect(report.deleted).toContain(ancient);
    expect(report.deleted).not.toContain(recent);
    expect(await status(ancient)).toBeNull();
    expect((await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?").bind(ancient).first<{ n: number }>())!.n).toBe(0);
    expect(await env.PROOFS.head(`scans/${ancient}/proofs/f1.json`)).toBeNull();
  });

  it("removes submissions left in R2 by finished scans, keeping those of live ones", async () => {
    const now = Date.now();
    const finished = await scanRow("failed", { createdAt: now, upload: true });
    const live = await scanRow("queued", { createdAt: now, upload: true });
    await sweepRetention(env, now + 2 * HOUR);
    expect(await env.PROOFS.head(`uploads/${finished}.json`)).toBeNull();
    expect(await env.PROOFS.head(`uploads/${live}.json`)).not.toBeNull();
  });
});
