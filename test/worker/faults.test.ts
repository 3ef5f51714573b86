/**
 * Nothing is lost under injected faults: queued scans are driven through the consumer as the
 * queue would (redelivery with growing attempts, then the dead-letter queue) while D1 batches and
 * R2 reads fail intermittently, and one scan's submission can never be read. Every accepted scan
 * must end completed or failed with a reason, and a failed scan has no half-written findings.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetBreakers } from "../../src/limits/circuit-breaker";
import { DEAD_LETTER_QUEUE, handleQueue } from "../../src/queue/consumer";
import { createProject, postScan } from "./helpers";

const MAX_DELIVERIES = 6; // wrangler.toml max_retries = 5, plus the first delivery

let headers: Record<string, string>;
let projectId: string;

beforeAll(async () => {
  ({ headers, projectId } = await createProject("Faults"));
});

afterEach(() => vi.restoreAllMocks());

/** Delivers one message like the queue would, returning whether it was acked. */
async function deliver(queue: string, scanId: string, attempts: number): Promise<boolean> {
  const batch = createMessageBatch(queue, [
    { id: `${queue}-${scanId}-${attempts}`, timestamp: new Date(), attempts, body: { kind: "scan", scanId, projectId } },
  ]);
  const ack = vi.spyOn(batch.messages[0]!, "ack");
  await handleQueue(batch, env);
  return ack.mock.calls.length === 1;
}

describe("injected faults", () => {
  it("end every accepted scan completed or failed with a reason, never half-written", async () => {
    // Accept 12 scans; stop the local queue from running them so this test drives delivery.
    const send = vi.spyOn(env.SCAN_JOBS, "send").mockResolvedValue(undefined as never);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await postScan(headers, {
        files: [{ path: `db/m${i}.sql`, content: `GRANT ALL PRIVILEGES ON *.* TO 'u${i}'@'%';\nDELETE FROM t${i};\n` }],
        options: { async: true },
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    send.mockRestore();
    const doomed = ids[5]!;

    // Faults: every third D1 batch fails, every fourth R2 read fails, and the doomed scan's submission never reads.
    let batches = 0;
    const realBatch = env.DB.batch.bind(env.DB);
    vi.spyOn(env.DB, "batch").mockImplementation(async (statements) => {
      if (++batches % 3 === 0) throw new Error("D1_ERROR: storage operation exceeded timeout");
      return realBatch(statements);
    });
    let reads = 0;
    const realGet = env.PROOFS.get.bind(env.PROOFS);
    vi.spyOn(env.PROOFS, "get").mockImplementation(async (key: string, options?: R2GetOptions) => {
      if (key.includes(doomed) || ++reads % 4 === 0) throw new Error("R2 service unavailable");
      return realGet(key, options) as never;
    });

    const deadLettered: string[] = [];
    for (const id of ids) {
      resetBreakers();
      let acked = false;
      for (let attempt = 1; attempt <= MAX_DELIVERIES && !acked; attempt++) acked = await deliver("pci-auditor-scan-jobs", id, attempt);
      if (!acked) {
        deadLettered.push(id);
        expect(await deliver(DEAD_LETTER_QUEUE, id, 1)).toBe(true);
      }
    }

    const rows = await env.DB.prepare(`SELECT id, status, error, findings_total FROM scans WHERE id IN (${ids.map(() => "?").join(",")})`)
      .bind(...ids)
      .all<{ id: string; status: string; error: string | null; findings_total: number }>();
    const byStatus = (s: string) => rows.results.filter((r) => r.status === s);
    expect(rows.results).toHaveLength(ids.length);
    expect(byStatus("completed").length + byStatus("failed").length).toBe(ids.length);
    expect(deadLettered).toEqual([doomed]);
    const failed = rows.results.find((r) => r.id === doomed)!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/could not be completed after \d+ attempts/);
    const written = await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?").bind(doomed).first<{ n: number }>();
    expect(written!.n).toBe(0);
    for (const r of byStatus("completed")) expect(r.findings_total).toBeGreaterThanOrEqual(2);
    console.info(
      JSON.stringify({
        figure: "faults",
        accepted: ids.length,
        completed: byStatus("completed").length,
        failed: byStatus("failed").length,
        d1Batches: batches,
        r2Reads: reads,
      }),
    );
  });
});
