/**
 * AI-proposed patches (REFERENCE.md §6/§7: Workers AI has no local form, so a fake with the
 * binding's `run` interface stands in), on the real local D1 and rate limiter: the model is
 * asked only about injection findings without a proven fix, sees only masked-identical windows,
 * and what it writes is shown with the verdict the engine's re-attack gives it — proven, or
 * rejected with the evidence. Answers are cached by window; a failing model changes nothing.
 */
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { workersAiFixer } from "../../src/ai/workers-ai";
import { newId } from "../../src/auth/api-keys";
import { resetBreakers } from "../../src/limits/circuit-breaker";
import { runScan } from "../../src/scans/run-scan";
import { ScanRequest } from "../../src/scans/submission";
import { createProject } from "./helpers";

let projectId: string;

beforeAll(async () => {
  projectId = (await createProject("AI fixes")).projectId;
});

beforeEach(() => resetBreakers());

const ROUTES = `const express = require("express");\nconst dao = require("./dao");\nconst app = express();\napp.get("/orders", async (req, res) => res.json(await dao.sorted(req.query.sort)));\napp.get("/cards", async (req, res) => res.json(await dao.byOwner(req.query.owner)));\n`;
const DAO = (extra = "") =>
  `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\n${extra}exports.sorted = (sort) => pool.query("SELECT * FROM orders ORDER BY " + sort);\nexports.byOwner = (owner) => pool.query("SELECT last4 FROM cards WHERE owner = '" + owner + "'");\n`;

/** A fake model that answers each finding whose window holds `ORDER BY` with `line` in place of that line. */
function modelWriting(line: (original: string) => string) {
  return {
    run: vi.fn(async (_model: string, input: { messages: Array<{ content: string }> }) => {
      const items = input.messages[1]!.content.split("\n").map((l) => JSON.parse(l) as { id: string; lines: string[] });
      const patches = items.flatMap((item) => {
        const target = item.lines.find((l) => l.includes("ORDER BY"));
        if (!target) return [];
        const n = Number(target.slice(0, target.indexOf(":")));
        const original = target.slice(target.indexOf(":") + 2);
        return [{ id: item.id, startLine: n, endLine: n, text: line(original), description: "Map the sort column through an allowlist of column names." }];
      });
      return { response: { patches } };
    }),
  };
}

const ALLOWLIST = (original: string) =>
  original.replace(`"SELECT * FROM orders ORDER BY " + sort`, `"SELECT * FROM orders ORDER BY " + (["id", "total"].includes(sort) ? sort : "id")`);
const PLACEHOLDER = (original: string) => original.replace(`"SELECT * FROM orders ORDER BY " + sort`, `"SELECT * FROM orders ORDER BY ?", [sort]`);

async function scanWith(ai: { run: unknown }, dao: string, options: Record<string, unknown> = { explain: true }) {
  const id = newId("scn");
  await env.DB.prepare(
    "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, created_at) VALUES (?, ?, 'running', 'h', '0', '{}', 2, 1, ?)",
  )
    .bind(id, projectId, Date.now())
    .run();
  const request = ScanRequest.parse({
    files: [
      { path: "routes.js", content: ROUTES },
      { path: "dao.js", content: dao },
    ],
    options,
  });
  const result = await runScan(
    env,
    { scanId: id, projectId, request },
    { fixer: workersAiFixer(ai as Pick<Ai, "run">, { model: "@cf/test/fixer", timeoutMs: 2_000 }) },
  );
  const sql = result.findings.filter((f) => f.ruleId === "sql-injection");
  return { sorted: sql.find((f) => f.snippet.includes("ORDER BY"))!, byOwner: sql.find((f) => f.snippet.includes("owner ="))! };
}

describe("AI-proposed fixes", () => {
  it("a patch the re-attack proves is shown as proven, marked as the model's; the mechanical fix elsewhere is left alone", async () => {
    const ai = modelWriting(ALLOWLIST);
    const { sorted, byOwner } = await scanWith(ai, DAO());
    expect(sorted.fix?.origin).toBe("ai");
    expect(sorted.fix?.verdict).toBe("proven");
    expect(sorted.fixUnavailable).toBeUndefined();
    expect(sorted.fix?.diff).toContain(
      `+exports.sorted = (sort) => pool.query("SELECT * FROM orders ORDER BY " + (["id", "total"].includes(sort) ? sort : "id"));`,
    );
    expect(byOwner.fix?.origin).toBe("mechanical");
    // Only the finding without a proven fix was asked about.
    const prompt = (ai.run.mock.calls[0]![1] as { messages: Array<{ content: string }> }).messages[1]!.content;
    expect(prompt.split("\n")).toHaveLength(1);
  });

  it("a patch that changes the query is shown as rejected, with why", async () => {
    const { sorted } = await scanWith(modelWriting(PLACEHOLDER), DAO("// placeholder variant\n"));
    expect(sorted.fix?.origin).toBe("ai");
    expect(sorted.fix?.verdict).toBe("rejected");
    expect(sorted.fix?.evidence).toMatch(/another structure/);
  });

  it("the same window is answered from the cache, and verified again", async () => {
    const first = modelWriting(ALLOWLIST);
    await scanWith(first, DAO("// cached variant\n"));
    expect(first.run).toHaveBeenCalledTimes(1);
    const second = modelWriting(ALLOWLIST);
    const { sorted } = await scanWith(second, DAO("// cached variant\n"));
    expect(second.run).not.toHaveBeenCalled();
    expect(sorted.fix?.verdict).toBe("proven");
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM ai_fix_patches WHERE model = '@cf/test/fixer'").first<{ n: number }>();
    expect(rows!.n).toBeGreaterThan(0);
  });

  it("a window the masker would change is never sent: the model would see a card number it cannot quote", async () => {
    const ai = modelWriting(ALLOWLIST);
    const { sorted } = await scanWith(ai, DAO(`const TEST_CARD = "4111 1111 1111 1111";\n`));
    expect(ai.run).not.toHaveBeenCalled();
    expect(sorted.fix).toBeUndefined();
    expect(sorted.fixUnavailable).toMatch(/allowlist/);
  });

  it("a patch in which the model writes a card number is neither stored nor applied", async () => {
    const ai = modelWriting((original) => original.replace(`" + sort`, ` /* 4111 1111 1111 1111 */ " + sort`));
    const { sorted } = await scanWith(ai, DAO("// card in the answer\n"));
    expect(ai.run).toHaveBeenCalledTimes(1);
    expect(sorted.fix).toBeUndefined();
    const rows = await env.DB.prepare("SELECT patch FROM ai_fix_patches").all<{ patch: string }>();
    expect(rows.results.some((r) => r.patch.includes("4111"))).toBe(false);
  });

  it("a failing model leaves the engine's findings as they were and the scan completes", async () => {
    const ai = { run: vi.fn(async () => Promise.reject(new Error("model overloaded"))) };
    const { sorted, byOwner } = await scanWith(ai, DAO("// failing variant\n"));
    expect(ai.run).toHaveBeenCalled();
    expect(sorted.fix).toBeUndefined();
    expect(sorted.fixUnavailable).toMatch(/allowlist/);
    expect(byOwner.fix?.verdict).toBe("proven");
  });

  it("a scan that did not ask for explanations asks the model nothing", async () => {
    const ai = modelWriting(ALLOWLIST);
    const { sorted } = await scanWith(ai, DAO("// no explain\n"), {});
    expect(ai.run).not.toHaveBeenCalled();
    expect(sorted.fix).toBeUndefined();
  });
});
