/**
 * The scan lifecycle on real local D1: createScan(), every allowed transition, every refused one
 * (a finished scan never changes), the compare-and-set of the sweep's re-queue, late results
 * that must not overwrite a finished scan, D1 refusing a status no one knows, and a scan of src/
 * showing that nothing but src/scans/lifecycle.ts writes the status column.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SCAN_STATUSES, type ScanStatus } from "../../src/db/schema";
import { summarize } from "../../src/engine/report/summary";
import type { Finding, ScanResult } from "../../src/engine/types";
import { database } from "../../src/db/client";
import { completion, createScan, failScan, requeueScan, startScan, TRANSITIONS, type Transition, UNFINISHED } from "../../src/scans/lifecycle";
import { storeResult } from "../../src/scans/run-scan";
import { createProject } from "./helpers";

let projectId: string;

beforeAll(async () => {
  projectId = (await createProject("Lifecycle")).projectId;
});

interface Row {
  status: ScanStatus;
  attempts: number;
  error: string | null;
  started_at: number | null;
  finished_at: number | null;
  findings_total: number;
  idempotency_key: string | null;
}
const row = (id: string) =>
  env.DB.prepare("SELECT status, attempts, error, started_at, finished_at, findings_total, idempotency_key FROM scans WHERE id = ?").bind(id).first<Row>();
const findingCount = async (id: string) => (await env.DB.prepare("SELECT count(*) AS n FROM findings WHERE scan_id = ?").bind(id).first<{ n: number }>())!.n;

/** A scan created through the lifecycle, then put in `status` as the test needs (the way a test sets up a row). */
async function scanIn(status: ScanStatus, attempts = 1): Promise<string> {
  const created = await createScan(env, {
    projectId,
    contentHash: "h",
    options: {},
    fileCount: 1,
    byteCount: 10,
    idempotencyKey: crypto.randomUUID(),
    runNow: false,
  });
  await env.DB.prepare("UPDATE scans SET status = ?, attempts = ?, started_at = ?, finished_at = ? WHERE id = ?")
    .bind(status, attempts, Date.now() - 1_000, status === "completed" || status === "failed" ? Date.now() - 500 : null, created.id)
    .run();
  return created.id;
}

/** Applies a transition the way its caller does; whether it applied. */
async function apply(transition: Transition, id: string): Promise<boolean> {
  switch (transition) {
    case "start":
      return startScan(env, id);
    case "complete":
      return storeResult(env, id, resultWith([finding("f1")]));
    case "fail":
      return failScan(env, id, "The submission was no longer stored.", { by: "server" });
    case "requeue": {
      const seen = (await row(id))!;
      return requeueScan(env, { id, status: seen.status, attempts: seen.attempts });
    }
  }
}

function finding(id: string): Finding {
  return {
    id,
    ruleId: "sql-write-without-where",
    severity: "low",
    confidence: "high",
    title: "UPDATE or DELETE without a WHERE clause",
    message: "DELETE without WHERE",
    cwe: ["CWE-840"],
    owasp: [],
    pci: ["6.2.4"],
    category: "sql-audit",
    tags: [],
    location: { path: "db/a.sql", startLine: 1, startColumn: 1, endLine: 1, endColumn: 10 },
    snippet: "DELETE FROM t;",
    flow: [],
    fingerprint: `fp-${id}`,
    remediation: "Add a WHERE clause.",
  };
}

function resultWith(findings: Finding[]): ScanResult {
  const result = { engineVersion: "test", findings, notifications: [], stats: {} } as unknown as ScanResult;
  expect(summarize(result).findings).toBe(findings.length);
  return result;
}

describe("createScan", () => {
  it("creates a scan the caller runs now as running, first attempt, started", async () => {
    const before = Date.now();
    const scan = await createScan(env, { projectId, contentHash: "h", options: { dialect: "mysql" }, fileCount: 2, byteCount: 40, runNow: true });
    expect(scan).toMatchObject({ projectId, status: "running", attempts: 1, fileCount: 2, byteCount: 40, options: { dialect: "mysql" }, idempotencyKey: null });
    expect(scan.id).toMatch(/^scn_/);
    expect(scan.startedAt).toBeGreaterThanOrEqual(before);
    expect(await row(scan.id)).toMatchObject({ status: "running", attempts: 1 });
  });

  it("creates a scan for the queue as queued, no attempt yet, not started", async () => {
    const scan = await createScan(env, { projectId, contentHash: "h", options: {}, fileCount: 1, byteCount: 1, runNow: false });
    expect(scan).toMatchObject({ status: "queued", attempts: 0, startedAt: null });
  });

  it("throws on a second scan with the same idempotency key, so the caller replays the first", async () => {
    const scan = { projectId, contentHash: "h", options: {}, fileCount: 1, byteCount: 1, idempotencyKey: "k-dup", runNow: true };
    const first = await createScan(env, scan);
    const error = await createScan(env, scan).then(
      () => null,
      (e: Error) => e,
    );
    expect(String((error?.cause as Error | undefined)?.message)).toMatch(/UNIQUE constraint failed/);
    const holders = await env.DB.prepare("SELECT id FROM scans WHERE idempotency_key = 'k-dup'").all<{ id: string }>();
    expect(holders.results).toEqual([{ id: first.id }]);
  });
});

describe("allowed transitions", () => {
  const cases = (Object.keys(TRANSITIONS) as Transition[]).flatMap((t) => TRANSITIONS[t].from.map((from) => [t, from] as const));

  it("every transition leaves only queued or running", () => {
    expect(cases).toHaveLength(4 * UNFINISHED.length);
  });

  it.each(cases)("%s from %s", async (transition, from) => {
    const id = await scanIn(from, 2);
    expect(await apply(transition, id)).toBe(true);
    const after = (await row(id))!;
    expect(after.status).toBe(TRANSITIONS[transition].to);
    if (transition === "start") expect(after.attempts).toBe(3);
    if (transition === "complete") expect([after.findings_total, await findingCount(id), after.error]).toEqual([1, 1, null]);
    if (transition === "fail") expect(after).toMatchObject({ error: "The submission was no longer stored.", idempotency_key: null });
    if (transition === "complete" || transition === "fail") expect(after.finished_at).not.toBeNull();
    if (transition === "requeue") expect(after.attempts).toBe(2);
  });
});

describe("refused transitions: a finished scan never changes", () => {
  const finished = SCAN_STATUSES.filter((s) => !(UNFINISHED as readonly string[]).includes(s));
  const cases = (Object.keys(TRANSITIONS) as Transition[]).flatMap((t) => finished.map((from) => [t, from] as const));

  it("completed and failed are the finished states", () => {
    expect(finished).toEqual(["completed", "failed"]);
  });

  it.each(cases)("%s from %s", async (transition, from) => {
    const id = await scanIn(from);
    const before = await row(id);
    expect(await apply(transition, id)).toBe(false);
    expect(await row(id)).toEqual(before);
    expect(await findingCount(id)).toBe(0);
  });

  it("a transition of a scan that does not exist applies to nothing", async () => {
    expect(await startScan(env, "scn_missing")).toBe(false);
    expect(await failScan(env, "scn_missing", "x", { by: "server" })).toBe(false);
  });
});

describe("late writers", () => {
  it("a consumer that finishes after another completed the scan changes neither its findings nor its counts", async () => {
    const id = await scanIn("running");
    expect(await storeResult(env, id, resultWith([finding("f1"), finding("f2")]))).toBe(true);
    const completed = await row(id);
    expect(await storeResult(env, id, resultWith([finding("f9")]))).toBe(false);
    expect(await row(id)).toEqual(completed);
    expect((await env.DB.prepare("SELECT id FROM findings WHERE scan_id = ? ORDER BY id").bind(id).all<{ id: string }>()).results.map((r) => r.id)).toEqual([
      "f1",
      "f2",
    ]);
  });

  it("a consumer that finishes after the sweep failed the scan leaves it failed and without findings", async () => {
    const id = await scanIn("running");
    expect(await failScan(env, id, "The scan made no progress after 6 attempts.", { by: "server" })).toBe(true);
    expect(await storeResult(env, id, resultWith([finding("f1")]))).toBe(false);
    expect(await row(id)).toMatchObject({ status: "failed", error: "The scan made no progress after 6 attempts.", findings_total: 0 });
    expect(await findingCount(id)).toBe(0);
  });

  it("the completing update itself applies only to an unfinished scan (one that finished while its result was written)", async () => {
    for (const status of ["completed", "failed"] as const) {
      const id = await scanIn(status);
      const before = await row(id);
      const outcome = {
        findingsTotal: 7,
        findingsCritical: 7,
        findingsHigh: 0,
        findingsMedium: 0,
        findingsLow: 0,
        findingsInfo: 0,
        summary: {},
        notifications: [],
      };
      expect(await completion(database(env.DB), id, outcome).all()).toEqual([]);
      expect(await row(id)).toEqual(before);
    }
  });

  it("the sweep's re-queue does not apply to a scan a consumer took after the sweep read it", async () => {
    const id = await scanIn("queued", 1);
    const seen = (await row(id))!;
    expect(await startScan(env, id)).toBe(true);
    expect(await requeueScan(env, { id, status: seen.status, attempts: seen.attempts })).toBe(false);
    expect(await row(id)).toMatchObject({ status: "running", attempts: 2 });
  });
});

describe("the status column", () => {
  it("D1 refuses a status the lifecycle does not know, on insert and on update", async () => {
    const id = await scanIn("queued");
    await expect(env.DB.prepare("UPDATE scans SET status = 'done' WHERE id = ?").bind(id).run()).rejects.toThrow(/scans\.status must be/);
    expect((await row(id))!.status).toBe("queued");
    await expect(
      env.DB.prepare(
        "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, created_at) VALUES ('scn_bad', ?, 'pending', 'h', '0', '{}', 1, 1, 0)",
      )
        .bind(projectId)
        .run(),
    ).rejects.toThrow(/scans\.status must be/);
  });
});

describe("one writer of the status column", () => {
  // Every source file of the Worker, as text (workerd has no file system; Vite inlines them).
  const sources = import.meta.glob<string>("../../src/**/*.ts", { query: "?raw", import: "default", eager: true });

  /** The argument text of the call whose "(" is at `open`, up to its matching ")". */
  function callArgument(text: string, open: number): string {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
    }
    return text.slice(open + 1);
  }

  /** Where a text writes scans.status: drizzle inserts into and updates of `scans` that set it, and raw SQL doing the same. */
  function statusWrites(text: string): string[] {
    const writes: string[] = [];
    for (const m of text.matchAll(/\.insert\(\s*scans\s*\)/g)) writes.push(`insert@${m.index}`);
    for (const m of text.matchAll(/\.update\(\s*scans\s*\)\s*\.set\(/g)) {
      if (/\bstatus\b/.test(callArgument(text, m.index + m[0].length - 1))) writes.push(`update@${m.index}`);
    }
    for (const m of text.matchAll(/\b(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+[`"']?scans\b/gi)) writes.push(`sql-insert@${m.index}`);
    for (const m of text.matchAll(/\bUPDATE\s+[`"']?scans[`"']?\s+SET\b([\s\S]*?)(?:\bWHERE\b|["'`;]|$)/gi)) {
      if (/\bstatus\b/i.test(m[1]!)) writes.push(`sql-update@${m.index}`);
    }
    return writes;
  }

  it("recognises each way of writing the column, and not updates of other columns", () => {
    expect(statusWrites(`db.update(scans).set({ startedAt: now, status: "queued" }).where(x)`)).toHaveLength(1);
    expect(statusWrites(`db.update(scans).set({ lastSeen: f(1) }).where(eq(scans.status, "running"))`)).toEqual([]);
    expect(statusWrites(`db.insert(scans).values(row)`)).toHaveLength(1);
    expect(statusWrites(`env.DB.prepare("UPDATE scans SET status = 'queued', started_at = ? WHERE id = ?")`)).toHaveLength(1);
    expect(statusWrites(`env.DB.prepare("UPDATE \`scans\` SET started_at = ? WHERE status = 'queued'")`)).toEqual([]);
    expect(statusWrites(`"INSERT INTO scans (id, status) VALUES (?, ?)"`)).toHaveLength(1);
  });

  it("finds them all in src/scans/lifecycle.ts (create, start, complete, fail, re-queue) and none anywhere else", () => {
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(50);
    const writers = Object.fromEntries(files.map((f) => [f.replace("../../", ""), statusWrites(sources[f]!)]).filter(([, w]) => w!.length > 0));
    expect(Object.keys(writers)).toEqual(["src/scans/lifecycle.ts"]);
    expect(writers["src/scans/lifecycle.ts"]).toHaveLength(5);
  });
});
