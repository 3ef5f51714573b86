/**
 * Workers AI explanations (REFERENCE.md §6/§7: AI has no local form, so a fake with the binding's
 * `run` interface stands in): one batched call per scan, schema-checked, cached by fingerprint
 * and model; invalid answers, timeouts and an open breaker leave findings with their written
 * remediation and the scan complete.
 */
import { createExecutionContext, createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { workersAiExplainer } from "../../src/ai/workers-ai";
import { breakerFor, resetBreakers } from "../../src/limits/circuit-breaker";
import { handleQueue } from "../../src/queue/consumer";
import { call, createProject, postScan } from "./helpers";

const SQL = (table: string) => ({ path: `db/${table}.sql`, content: `GRANT ALL PRIVILEGES ON *.* TO '${table}'@'%';\nDELETE FROM ${table};\n` });

/** A fake AI binding that answers every requested id, reading ids from the prompt. */
function answeringAi() {
  return {
    run: vi.fn(async (_model: string, input: { messages: Array<{ content: string }> }) => {
      const ids = input.messages[1]!.content.split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
      return {
        response: {
          explanations: ids.map((id) => ({
            id,
            explanation: `Finding ${id.slice(0, 6)} lets an attacker reach card data.`,
            fix: "Use least-privilege grants and add a WHERE clause.",
          })),
        },
      };
    }),
  };
}

async function explain(projectId: string, scanId: string, ai: { run: unknown }, timeoutMs = 2_000) {
  const batch = createMessageBatch("pci-auditor-scan-jobs", [
    { id: `x-${scanId}`, timestamp: new Date(), attempts: 1, body: { kind: "explain", scanId, projectId } },
  ]);
  await handleQueue(batch, env, createExecutionContext(), { explainer: workersAiExplainer(ai as Pick<Ai, "run">, { model: "@cf/test/model", timeoutMs }) });
}

async function scanWith(headers: Record<string, string>, files: Array<{ path: string; content: string }>) {
  const res = await postScan(headers, { files, options: { explain: true } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

type Finding = { remediation: string; explanation?: { explanation: string; fix: string; model: string } };
const findingsOf = async (headers: Record<string, string>, id: string) =>
  ((await (await call(`/v1/scans/${id}/findings`, { headers })).json()) as { findings: Finding[] }).findings;

beforeEach(() => resetBreakers());

describe("AI explanations", () => {
  it("make one batched call per scan and store a validated explanation beside each finding", async () => {
    const { projectId, headers } = await createProject("AI");
    const send = vi.spyOn(env.SCAN_JOBS, "send");
    const id = await scanWith(headers, [SQL("orders")]);
    expect(send).toHaveBeenCalledWith({ kind: "explain", scanId: id, projectId });
    send.mockRestore();
    const ai = answeringAi();
    await explain(projectId, id, ai);
    expect(ai.run).toHaveBeenCalledTimes(1);
    const findings = await findingsOf(headers, id);
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const f of findings) expect(f.explanation).toMatchObject({ model: "@cf/test/model", fix: "Use least-privilege grants and add a WHERE clause." });
  });

  it("never pays twice for a repeated finding (cache by fingerprint and model)", async () => {
    const { projectId, headers } = await createProject("AI cache");
    const first = await scanWith(headers, [SQL("refunds")]);
    const ai = answeringAi();
    await explain(projectId, first, ai);
    const second = await scanWith(headers, [SQL("refunds"), { path: "README.txt", content: "notes\n" }]);
    await explain(projectId, second, ai);
    expect(ai.run).toHaveBeenCalledTimes(1);
    expect((await findingsOf(headers, second)).every((f) => f.explanation)).toBe(true);
  });

  it("drop answers that fail validation and keep the written remediation", async () => {
    const { projectId, headers } = await createProject("AI invalid");
    const id = await scanWith(headers, [SQL("invoices")]);
    const ai = { run: vi.fn(async () => ({ response: '{"explanations": [{"id": "nope", "explanation": 3}' })) };
    await explain(projectId, id, ai);
    const findings = await findingsOf(headers, id);
    expect(findings.every((f) => f.explanation === undefined && f.remediation.length > 20)).toBe(true);
    expect(((await (await call(`/v1/scans/${id}`, { headers })).json()) as { status: string }).status).toBe("completed");
  });

  it("give up on a model that does not answer in time, leaving the scan complete", async () => {
    const { projectId, headers } = await createProject("AI timeout");
    const id = await scanWith(headers, [SQL("payouts")]);
    const ai = { run: vi.fn(() => new Promise(() => undefined)) };
    await explain(projectId, id, ai, 30);
    expect(ai.run).toHaveBeenCalledTimes(2); // one call and one retry, then the job ends
    expect((await findingsOf(headers, id)).every((f) => f.explanation === undefined)).toBe(true);
  });

  it("stop calling once the AI breaker is open", async () => {
    const { projectId, headers } = await createProject("AI breaker");
    const failing = { run: vi.fn(async () => Promise.reject(new Error("AI service unavailable (503)"))) };
    const ids = [await scanWith(headers, [SQL("a1")]), await scanWith(headers, [SQL("a2")]), await scanWith(headers, [SQL("a3")])];
    for (const id of ids) await explain(projectId, id, failing);
    expect(breakerFor("ai").current).toBe("open");
    const callsBefore = failing.run.mock.calls.length;
    await explain(projectId, await scanWith(headers, [SQL("a4")]), failing);
    expect(failing.run.mock.calls.length).toBe(callsBefore);
  });

  it("send only masked snippets to the model", async () => {
    const { projectId, headers } = await createProject("AI masking");
    const pan = "4539148803436467";
    const id = await scanWith(headers, [{ path: "seed.sql", content: `INSERT INTO cards (pan) VALUES ('${pan}');\nGRANT ALL ON *.* TO 'x'@'%';\n` }]);
    const ai = answeringAi();
    await explain(projectId, id, ai);
    expect(ai.run).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(ai.run.mock.calls)).not.toContain(pan);
  });
});
