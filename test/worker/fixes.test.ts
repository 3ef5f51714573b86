/**
 * Proven fixes over HTTP, inside workerd with real local D1 and R2: a scan stores each injection
 * finding's fix (or why it has none) with the finding, the finding views carry it, and
 * GET …/findings/{findingId}/fix answers the patch — which, applied to the submitted file, gives
 * code the scanner no longer flags — or a 404 that says why there is none. A fix too large for D1
 * is kept in R2, one too large to store is replaced by its reason, and card numbers in the patched
 * lines never come back unmasked.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding, ScanResult } from "../../src/engine/types";
import { FIX_MAX_CHARS } from "../../src/scans/bounded-result";
import { createScan } from "../../src/scans/lifecycle";
import { storeResult } from "../../src/scans/run-scan";
import { call, createProject, expectProblem, postScan } from "./helpers";

const MYSQL = `const mysql = require("mysql2");\nconst pool = mysql.createPool({});\nconst app = require("express")();\n`;
const files = {
  /** A value quoted into the WHERE clause: a placeholder fixes it. */
  dao: { path: "src/dao.js", content: `${MYSQL}app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));\n` },
  /** A column name from the request: a placeholder cannot bind a name, so there is no mechanical fix. */
  order: { path: "src/order.js", content: `${MYSQL}app.get("/b", (req, res) => pool.query("SELECT * FROM t ORDER BY " + req.query.col));\n` },
  /** A card number in the SQL text the fix rewrites. */
  notes: {
    path: "src/notes.js",
    content: `${MYSQL}app.get("/c", (req, res) => pool.query("SELECT * FROM t WHERE note = '4111 1111 1111 1111' AND id = " + req.query.id));\n`,
  },
};

interface Replacement {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  text: string;
}
interface FixBody {
  verdict: string;
  origin: string;
  diff: string;
  changes: Array<{ path: string; replacements: Replacement[] }>;
  check?: { payload: string };
}
interface FindingBody {
  id: string;
  ruleId: string;
  category: string;
  location: { path: string };
  fix?: FixBody;
  fixRef?: string;
  fixUnavailable?: string;
}
type ScanBody = { id: string; status: string; findings: FindingBody[] };

/** Applies SARIF-style replacements (1-based lines and columns, end exclusive) to a file's text, last first. */
function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1]! + column - 1;
  const sorted = [...replacements].sort((a, b) => offset(b.startLine, b.startColumn) - offset(a.startLine, a.startColumn));
  return sorted.reduce((out, r) => out.slice(0, offset(r.startLine, r.startColumn)) + r.text + out.slice(offset(r.endLine, r.endColumn)), text);
}

const fixOf = (headers: Record<string, string>, scanId: string, findingId: string) => call(`/v1/scans/${scanId}/findings/${findingId}/fix`, { headers });

let owner: Awaited<ReturnType<typeof createProject>>;
let other: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  owner = await createProject("Fixes");
  other = await createProject("Fixes: another tenant");
});

describe("GET /v1/scans/{id}/findings/{findingId}/fix", () => {
  let scan: ScanBody;
  const sqlFinding = (path: string) => scan.findings.find((f) => f.ruleId === "sql-injection" && f.location.path === path)!;

  beforeAll(async () => {
    const res = await postScan(owner.headers, { files: [files.dao, files.order, files.notes] });
    expect(res.status).toBe(201);
    scan = (await res.json()) as ScanBody;
    expect(scan.status).toBe("completed");
  });

  it("answers a proven fix whose replacements, applied to the submitted file, bind the value as a parameter", async () => {
    const res = await fixOf(owner.headers, scan.id, sqlFinding("src/dao.js").id);
    expect(res.status).toBe(200);
    const fix = (await res.json()) as FixBody;
    expect(fix).toMatchObject({ verdict: "proven", origin: "mechanical" });
    expect(fix.diff).toContain("--- a/src/dao.js\n+++ b/src/dao.js\n");
    expect(fix.diff).toContain(`\n-app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));\n`);
    expect(fix.diff).toContain(`\n+app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.name]));\n`);
    expect(fix.changes.map((c) => c.path)).toEqual(["src/dao.js"]);
    const patched = applyReplacements(files.dao.content, fix.changes[0]!.replacements);
    expect(patched).toBe(`${MYSQL}app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.name]));\n`);

    // The patched file, scanned again, has no SQL injection left.
    const rescan = (await (await postScan(owner.headers, { files: [{ path: files.dao.path, content: patched }] })).json()) as ScanBody;
    expect(rescan.status).toBe("completed");
    expect(rescan.findings.filter((f) => f.ruleId === "sql-injection")).toEqual([]);
  });

  it("the scan and its findings pages carry each finding's fix or the reason it has none", async () => {
    expect(sqlFinding("src/dao.js").fix?.verdict).toBe("proven");
    expect(sqlFinding("src/order.js").fix).toBeUndefined();
    expect(sqlFinding("src/order.js").fixUnavailable).toContain("ORDER BY");
    const page = (await (await call(`/v1/scans/${scan.id}/findings?rule=sql-injection`, { headers: owner.headers })).json()) as { findings: FindingBody[] };
    const listed = page.findings.find((f) => f.location.path === "src/dao.js")!;
    const fetched = (await (await fixOf(owner.headers, scan.id, listed.id)).json()) as FixBody;
    expect(listed.fix).toEqual(fetched);
  });

  it("404 with the engine's reason for an injection finding that has no fix", async () => {
    const problem = await expectProblem(await fixOf(owner.headers, scan.id, sqlFinding("src/order.js").id), 404, "not_found");
    expect(problem.detail).toMatch(/^This finding has no fix: the data is used in ORDER BY/);
    expect(problem.fixUnavailable).toBe(sqlFinding("src/order.js").fixUnavailable);
    expect((problem.detail as string).length).toBeLessThanOrEqual(401);
  });

  it("404 for a finding that is not an injection", async () => {
    const card = scan.findings.find((f) => f.ruleId === "card-number-in-source")!;
    expect(card.category).not.toBe("injection");
    const problem = await expectProblem(await fixOf(owner.headers, scan.id, card.id), 404, "not_found");
    expect(problem.detail).toContain("not an injection finding");
    expect(problem.fixUnavailable).toBeUndefined();
  });

  it("404 for an unknown or malformed finding id, and for another tenant's scan exactly as for a missing one", async () => {
    for (const id of ["0abc", "not-a-finding"]) {
      const problem = await expectProblem(await fixOf(owner.headers, scan.id, id), 404, "not_found");
      expect(problem.detail).toBe("No such finding.");
    }
    const dao = sqlFinding("src/dao.js").id;
    const foreign = await expectProblem(await fixOf(other.headers, scan.id, dao), 404, "not_found");
    const missing = await expectProblem(await fixOf(other.headers, `scn_${"0".repeat(32)}`, dao), 404, "not_found");
    expect(foreign.detail).toBe("No such scan.");
    expect(foreign.detail).toBe(missing.detail);
  });

  it("a card number in the patched SQL is masked in the fix as answered and as stored", async () => {
    const res = await fixOf(owner.headers, scan.id, sqlFinding("src/notes.js").id);
    expect(res.status).toBe(200);
    const text = await res.text();
    const fix = JSON.parse(text) as FixBody;
    expect(fix.verdict).toBe("proven");
    expect(fix.diff).toContain(`AND id = ?", [req.query.id]));`);
    for (const leaked of ["4111111111111111", "4111 1111 1111 1111"]) {
      expect(text).not.toContain(leaked);
      expect(JSON.stringify(scan)).not.toContain(leaked);
    }
    const rows = await env.DB.prepare("SELECT details FROM findings WHERE scan_id = ?").bind(scan.id).all<{ details: string }>();
    expect(rows.results.some((r) => r.details.includes('"diff"'))).toBe(true);
    for (const leaked of ["4111111111111111", "4111 1111 1111 1111"]) expect(JSON.stringify(rows.results)).not.toContain(leaked);
  });
});

describe("a publishable key (the widget)", () => {
  it("reads the fix of a scan it created, and another key of the same project gets 404", async () => {
    const page = "https://portal.example.com";
    const publishable = async () => {
      const res = await call("/v1/keys", {
        method: "POST",
        headers: { ...owner.headers, "content-type": "application/json" },
        body: JSON.stringify({ name: "widget", kind: "publishable", allowedOrigins: [page] }),
      });
      expect(res.status).toBe(201);
      return { authorization: `Bearer ${((await res.json()) as { key: string }).key}`, origin: page };
    };
    const [mine, sibling] = [await publishable(), await publishable()];
    const scan = (await (await postScan(mine, { files: [files.dao] })).json()) as ScanBody;
    const finding = scan.findings.find((f) => f.ruleId === "sql-injection")!;
    const res = await fixOf(mine, scan.id, finding.id);
    expect(res.status).toBe(200);
    expect(((await res.json()) as FixBody).verdict).toBe("proven");
    const problem = await expectProblem(await fixOf(sibling, scan.id, finding.id), 404, "not_found");
    expect(problem.detail).toBe("No such scan.");
  });
});

describe("large fixes", () => {
  it("a fix over the inline threshold is kept in R2, linked from the finding and served by the route, and deleted with its scan", async () => {
    // One SELECT built over 150 lines: its fix's renderings of the query are over the inline threshold.
    const columns = Array.from({ length: 150 }, (_, i) => `  "t.column_number_${i} AS alias_for_column_number_${i}, " +`).join("\n");
    const content = `${MYSQL}app.get("/r", (req, res) =>\n  pool.query(\n  "SELECT " +\n${columns}\n  "t.id FROM t WHERE owner = '" + req.query.name + "'"));\n`;
    const res = await postScan(owner.headers, { files: [{ path: "src/report.js", content }] });
    expect(res.status).toBe(201);
    const scan = (await res.json()) as ScanBody;
    const finding = scan.findings.find((f) => f.ruleId === "sql-injection")!;
    expect(finding.fix).toBeUndefined();
    expect(finding.fixRef).toBe(`/v1/scans/${scan.id}/findings/${finding.id}/fix`);

    const key = `scans/${scan.id}/fixes/${finding.id}.json`;
    const row = await env.DB.prepare("SELECT details FROM findings WHERE scan_id = ? AND id = ?").bind(scan.id, finding.id).first<{ details: string }>();
    expect(JSON.parse(row!.details)).toMatchObject({ fixKey: key });
    expect(row!.details).not.toContain('"diff"');
    expect(await env.PROOFS.head(key)).not.toBeNull();

    const fixRes = await call(finding.fixRef!, { headers: owner.headers });
    expect(fixRes.status).toBe(200);
    const fix = (await fixRes.json()) as FixBody;
    expect(fix.verdict).toBe("proven");
    // Of the 150 concatenated lines only the last, which holds the value, changes; the value becomes a bound parameter.
    expect(fix.diff.split("\n").filter((l) => /^[-+](?![-+])/.test(l))).toEqual([
      `-  "t.id FROM t WHERE owner = '" + req.query.name + "'"));`,
      `+  "t.id FROM t WHERE owner = ?", [req.query.name]));`,
    ]);
    expect(applyReplacements(content, fix.changes[0]!.replacements)).toBe(
      content.replace(`"t.id FROM t WHERE owner = '" + req.query.name + "'"));`, `"t.id FROM t WHERE owner = ?", [req.query.name]));`),
    );
    // SARIF offers the fix kept in R2 like an inline one.
    const sarif = (await (await call(`/v1/scans/${scan.id}/sarif`, { headers: owner.headers })).json()) as {
      runs: Array<{
        results: Array<{ ruleId: string; fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }> }>;
      }>;
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === "sql-injection")!;
    expect(result.fixes?.[0]?.artifactChanges[0]?.replacements.map((r) => r.insertedContent.text)).toEqual(fix.changes[0]!.replacements.map((r) => r.text));

    expect((await call(`/v1/scans/${scan.id}`, { method: "DELETE", headers: owner.headers })).status).toBe(204);
    expect(await env.PROOFS.head(key)).toBeNull();
  });

  it(`a fix over ${FIX_MAX_CHARS} characters is not stored: the finding says why instead`, async () => {
    const created = await createScan(env, {
      projectId: owner.projectId,
      contentHash: "huge-fix",
      options: {},
      fileCount: 1,
      byteCount: 10,
      idempotencyKey: crypto.randomUUID(),
      runNow: false,
    });
    await env.DB.prepare("UPDATE scans SET status = 'running', started_at = ? WHERE id = ?").bind(Date.now(), created.id).run();
    const line = `  "SELECT * FROM t WHERE owner = '" + req.query.name + "'" +`;
    const finding: Finding = {
      id: "f00000000000000000a1",
      ruleId: "sql-injection",
      severity: "critical",
      confidence: "high",
      title: "SQL injection: untrusted data in SQL text",
      message: "req.query.name (query string) flows into pool.query() as SQL text.",
      cwe: ["CWE-89"],
      owasp: ["A03:2021"],
      pci: ["6.2.4"],
      category: "injection",
      tags: ["dataflow"],
      location: { path: "src/huge.js", startLine: 1, startColumn: 1, endLine: 1, endColumn: 10 },
      snippet: "pool.query(…)",
      flow: [],
      fingerprint: "fp-huge",
      remediation: "Pass values as bound parameters.",
      fix: {
        verdict: "proven",
        origin: "mechanical",
        description: "Sends the SQL text as a constant with `?` placeholders.",
        evidence: "Re-run.",
        diff: `--- a/src/huge.js\n+++ b/src/huge.js\n${`-${line}\n`.repeat(Math.ceil(FIX_MAX_CHARS / line.length))}`,
        changes: [{ path: "src/huge.js", replacements: [] }],
      },
    };
    const result = { engineVersion: "test", findings: [finding], notifications: [], stats: {} } as unknown as ScanResult;
    expect(await storeResult(env, created.id, result)).toBe(true);

    const problem = await expectProblem(await fixOf(owner.headers, created.id, finding.id), 404, "not_found");
    expect(problem.fixUnavailable).toMatch(new RegExp(`^the patch is \\d+ characters, more than the ${FIX_MAX_CHARS} a scan stores`));
    const listed = (await (await call(`/v1/scans/${created.id}/findings`, { headers: owner.headers })).json()) as { findings: FindingBody[] };
    expect(listed.findings[0]).toMatchObject({ id: finding.id, fixUnavailable: problem.fixUnavailable });
    expect(listed.findings[0]!.fix).toBeUndefined();
    expect((await env.PROOFS.list({ prefix: `scans/${created.id}/` })).objects).toEqual([]);
  });
});
