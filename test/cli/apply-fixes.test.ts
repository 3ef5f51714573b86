/**
 * `scan --fix` and `--fix-dry-run` on real projects in temporary folders (main() in-process, as
 * the bundled bin runs it): what is written, what is refused and why, and that a dry run changes
 * no byte. planFixes is also run directly on a scan result whose files changed afterwards.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixReport, planFixes, writeFixes } from "../../src/cli/apply-fixes";
import { collectFiles } from "../../src/cli/collect-files";
import { main } from "../../src/cli/main";
import { recordingIo, writeProject } from "./harness";
import { scanFiles } from "../../src/cli/scan-files";
import { CLI_LIMITS } from "../../src/engine/index";

const PAN = "4539148803436467"; // Luhn-valid Visa, not a published test card
const HEAD = ['const mysql = require("mysql2");', "const pool = mysql.createPool({});", 'const app = require("express")();'];
/** The route of the README's proven-fix example: the name goes into the SQL text. */
const VULNERABLE = `app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));`;
const PLACEHOLDER = `app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.name]));`;
const lines = (...l: string[]) => [...HEAD, ...l, ""].join("\n");

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "pca-fix-"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const project = (name: string, files: Record<string, string>): string => writeProject(root, name, files);
const io = recordingIo;

type Report = { findings: Array<{ ruleId: string; fix?: { verdict: string }; fixUnavailable?: string }> };

async function json(dir: string): Promise<Report> {
  const run = io(dir);
  await main(["scan", ".", "--format", "json", "--fail-on", "none"], run.io);
  return JSON.parse(run.stdout()) as Report;
}

describe("scan --fix", () => {
  it("rewrites the vulnerable query to its placeholder form, and a new scan finds no SQL injection there", async () => {
    const dir = project("fix", { "src/dao.js": lines(VULNERABLE) });
    expect((await json(dir)).findings.map((f) => [f.ruleId, f.fix?.verdict])).toEqual([["sql-injection", "proven"]]);
    const run = io(dir);
    // The finding is critical, but fixed it no longer fails the run.
    expect(await main(["scan", ".", "--fix"], run.io)).toBe(0);
    expect(readFileSync(path.join(dir, "src/dao.js"), "utf8")).toBe(lines(PLACEHOLDER));
    expect(run.stdout()).toContain("\nFixes\n  src/dao.js:4:29  sql-injection  fixed: Sends the SQL text as a constant with `?` placeholders");
    expect(run.stdout()).toMatch(/\n1 fix written to 1 file\.\n$/);
    expect((await json(dir)).findings.filter((f) => f.ruleId === "sql-injection")).toEqual([]);
  });

  it("writes several fixes into one line, each at its own place", async () => {
    const twice = `app.get("/c", (req, res) => { pool.query("SELECT 1 FROM t WHERE a = '" + req.query.a + "'"); pool.query("SELECT 2 FROM t WHERE b = '" + req.query.b + "'"); });`;
    const dir = project("two-on-a-line", { "dao.js": lines(twice) });
    const run = io(dir);
    expect(await main(["scan", ".", "--fix"], run.io)).toBe(0);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(
      lines(
        `app.get("/c", (req, res) => { pool.query("SELECT 1 FROM t WHERE a = ?", [req.query.a]); pool.query("SELECT 2 FROM t WHERE b = ?", [req.query.b]); });`,
      ),
    );
    expect(run.stdout()).toContain("2 fixes written to 1 file.");
  });

  it("keeps a byte order mark and CRLF line breaks", async () => {
    const crlf = (text: string) => "\uFEFF" + text.replace(/\n/g, "\r\n");
    const dir = project("crlf", { "dao.js": crlf(lines(VULNERABLE)) });
    expect(await main(["scan", ".", "--fix"], io(dir).io)).toBe(0);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(crlf(lines(PLACEHOLDER)));
  });

  it("reports a finding without a fix as such, and leaves its file alone", async () => {
    const table = 'app.get("/t", (req, res) => pool.query("SELECT * FROM " + req.query.table));';
    const dir = project("unavailable", { "dao.js": lines(table) });
    const run = io(dir);
    expect(await main(["scan", ".", "--fix"], run.io)).toBe(1);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(lines(table));
    expect(run.stdout()).toContain("\n  dao.js:4:29  sql-injection  no fix: the data is used as a table name");
    expect(run.stdout()).toMatch(/\n0 fixes written to 0 files, 1 finding without a fix\.\n$/);
  });

  it("refuses a fix whose new text holds a card number the report masked", async () => {
    // The escaped tab makes the fix rewrite the whole literal, card number included (a fix that cuts only around the value keeps it as written).
    const withPan = `app.get("/a", (req, res) => pool.query("SELECT * FROM cards\\tWHERE pan <> '${PAN}' AND owner = '" + req.query.name + "'"));`;
    const dir = project("masked", { "dao.js": lines(withPan) });
    const run = io(dir);
    expect(await main(["scan", ".", "--fix", "--rule", "card-number-in-source=off"], run.io)).toBe(1);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(lines(withPan));
    expect(run.stdout()).toContain("proven fix not applied: its new text may hold a card number or secret the report masked");
    expect(run.stdout()).not.toContain(PAN);
  });

  it("applies a fix that cuts only around the value, keeping a card number in the same query as written", async () => {
    const withPan = `app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE pan <> '${PAN}' AND owner = '" + req.query.name + "'"));`;
    const dir = project("masked-same-line", { "dao.js": lines(withPan) });
    expect(await main(["scan", ".", "--fix", "--rule", "card-number-in-source=off"], io(dir).io)).toBe(0);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(
      lines(`app.get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE pan <> '${PAN}' AND owner = ?", [req.query.name]));`),
    );
  });

  it("applies a fix whose surrounding lines hold a masked card number, keeping the number", async () => {
    const comment = `// refund card ${PAN} by hand`;
    const dir = project("masked-context", { "dao.js": lines(comment, VULNERABLE) });
    expect(await main(["scan", ".", "--fix", "--rule", "card-number-in-source=off"], io(dir).io)).toBe(0);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(lines(comment, PLACEHOLDER));
  });

  it("sends the fix list to standard error when a JSON report is on standard output", async () => {
    const dir = project("json-out", { "dao.js": lines(VULNERABLE) });
    const run = io(dir);
    expect(await main(["scan", ".", "--fix", "--format", "json"], run.io)).toBe(0);
    expect((JSON.parse(run.stdout()) as Report).findings[0]!.fix!.verdict).toBe("proven");
    expect(run.stderr()).toContain("1 fix written to 1 file.");
  });
});

describe("scan --fix-dry-run", () => {
  it("prints the diff of a proven fix and changes no byte", async () => {
    const before = lines(VULNERABLE);
    const dir = project("dry", { "src/dao.js": before });
    const run = io(dir);
    expect(await main(["scan", ".", "--fix-dry-run"], run.io)).toBe(1);
    expect(readFileSync(path.join(dir, "src/dao.js"), "utf8")).toBe(before);
    expect(run.stdout()).toContain(
      [
        "Fixes (dry run: no file was changed)",
        "  src/dao.js:4:29  sql-injection  proven fix: Sends the SQL text as a constant with `?` placeholders and the value as bound parameters (mysql).",
        "    --- a/src/dao.js",
        "    +++ b/src/dao.js",
        "    @@ -1,4 +1,4 @@",
        ...HEAD.map((l) => "     " + l),
        "    -" + VULNERABLE,
        "    +" + PLACEHOLDER,
        "1 fix would be written to 1 file.",
        "",
      ].join("\n"),
    );
  });

  it("works on standard input, which it cannot write", async () => {
    const run = io(root, lines(VULNERABLE));
    expect(await main(["scan", "--stdin", "--stdin-filename", "dao.js", "--fix-dry-run"], run.io)).toBe(1);
    expect(run.stdout()).toContain("    +" + PLACEHOLDER + "\n1 fix would be written to 1 file.\n");
  });
});

describe("planFixes", () => {
  async function scanned(dir: string) {
    const files = await collectFiles(["."], { cwd: dir, exclude: [], defaultExcludes: true, gitignore: true });
    return { files, result: await scanFiles(files, { limits: CLI_LIMITS }) };
  }

  it("refuses a fix to a file that changed after the scan", async () => {
    const dir = project("changed", { "dao.js": lines(VULNERABLE) });
    const { files, result } = await scanned(dir);
    // Same length, so every position of the fix is still inside the line: only the text differs.
    const edited = lines(VULNERABLE.replace("owner", "admin"));
    writeFileSync(path.join(dir, "dao.js"), edited);
    const plan = await planFixes(result.findings, files);
    expect(plan.outcomes.map((o) => [o.status, "reason" in o ? o.reason : ""])).toEqual([["skipped", "dao.js has changed since it was scanned"]]);
    expect(plan.writes).toEqual([]);
    expect(readFileSync(path.join(dir, "dao.js"), "utf8")).toBe(edited);
  });

  it("writes only files the scan read, whatever path a fix names", async () => {
    const dir = project("inside", { "dao.js": lines(VULNERABLE) });
    const outside = project("outside", { "dao.js": lines(VULNERABLE) });
    const { files, result } = await scanned(dir);
    const finding = result.findings[0]!;
    const elsewhere = { ...finding, fix: { ...finding.fix!, changes: finding.fix!.changes.map((c) => ({ ...c, path: "../outside/dao.js" })) } };
    const plan = await planFixes([elsewhere], files);
    expect(plan.outcomes.map((o) => [o.status, "reason" in o ? o.reason : ""])).toEqual([["skipped", "../outside/dao.js is not a file this scan read"]]);
    await writeFixes(plan);
    expect(readFileSync(path.join(outside, "dao.js"), "utf8")).toBe(lines(VULNERABLE));
  });

  it("never writes a plausible or rejected fix, and lists each with its evidence", async () => {
    const dir = project("not-proven", { "dao.js": lines(VULNERABLE) });
    const { files, result } = await scanned(dir);
    const finding = result.findings[0]!;
    const as = (verdict: "plausible" | "rejected", evidence: string) => ({ ...finding, fix: { ...finding.fix!, verdict, evidence } });
    const plan = await planFixes([as("plausible", "The dataflow budget ran out."), as("rejected", "The patch changes what the code does.")], files);
    expect(plan.writes).toEqual([]);
    const list = fixReport(plan, true).split("\n");
    expect(list.slice(1, 3)).toEqual([
      `  dao.js:4:29  sql-injection  plausible fix not applied: ${finding.fix!.description} The dataflow budget ran out.`,
      `  dao.js:4:29  sql-injection  rejected fix not applied: ${finding.fix!.description} The patch changes what the code does.`,
    ]);
    expect(list[3]).toBe("0 fixes would be written to 0 files, 2 not proven.");
  });

  it("applies one fix once when two findings carry it, and holds back one that overlaps it", async () => {
    const dir = project("overlap", { "dao.js": lines(VULNERABLE) });
    const { files, result } = await scanned(dir);
    const finding = result.findings[0]!;
    const [first, second] = finding.fix!.changes[0]!.replacements;
    // Another fix over the same text (as a second proposal for the sink would be).
    const changes = [{ path: "dao.js", replacements: [{ ...first!, text: "? /* rival */" }, second!] }];
    const rival = { ...finding, fix: { ...finding.fix!, changes, diff: finding.fix!.diff.replace("owner = ?", "owner = ? /* rival */") } };
    const plan = await planFixes([finding, { ...finding }, rival], files);
    expect(plan.outcomes.map((o) => [o.status, "reason" in o ? o.reason : ""])).toEqual([
      ["applied", ""],
      ["applied", ""],
      ["skipped", "it changes the same code as a fix above; scan again once that one is written"],
    ]);
    expect(new TextDecoder().decode(plan.writes[0]!.content)).toBe(lines(PLACEHOLDER));
    expect(
      fixReport(plan, true)
        .split("\n")
        .filter((l) => l.startsWith("    +++ b/dao.js")),
    ).toHaveLength(1);
  });
});
