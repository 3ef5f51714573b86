/**
 * The `pci-auditor` command end to end: bin/pci-auditor.mjs running the esbuild bundle in a
 * child Node process on temporary folders. The bin and build script are copied into a scratch
 * project (with src/ and node_modules/ linked) so these tests build their own dist/ and never
 * race with another run over the real one.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_VERSION, RULES } from "../../src/engine/index";
import type { JsonReport } from "../../src/engine/report/json";
import type { SarifLog } from "../../src/engine/report/sarif";
import { sarifSchemaErrors } from "../engine/report/sarif-schema";

const REPO = path.join(import.meta.dirname, "..", "..");
const PAN = "4539148803436467"; // Luhn-valid Visa, not a published test card
let scratch: string;
/** A clean project: nothing to report whatever the rules. */
let work: string;
/** A project with a card number and whole-table SQL writes. */
let risky: string;

/** A throwaway project holding copies of bin/ and scripts/, with src/ and node_modules/ linked. */
function scratchProject(dir: string): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  mkdirSync(path.join(dir, "scripts"), { recursive: true });
  copyFileSync(path.join(REPO, "bin", "pci-auditor.mjs"), path.join(dir, "bin", "pci-auditor.mjs"));
  copyFileSync(path.join(REPO, "scripts", "build-cli.mjs"), path.join(dir, "scripts", "build-cli.mjs"));
  symlinkSync(path.join(REPO, "src"), path.join(dir, "src"));
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

function write(rel: string, content: string | Uint8Array, root = work) {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Runs the command in `cwd` (default: the work folder) without colour. */
function cli(args: string[], cwd = work, project = path.join(scratch, "project")): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(project, "bin", "pci-auditor.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
}

function json(args: string[], cwd = work): { status: number | null; report: JsonReport; stderr: string } {
  const run = cli([...args, "--format", "json"], cwd);
  return { status: run.status, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "pca-cli-"));
  const project = scratchProject(path.join(scratch, "project"));
  const build = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: project, encoding: "utf8" });
  expect(build.stderr).toBe("");
  expect(build.status).toBe(0);

  work = path.join(scratch, "work");
  write("src/app.js", "export function total(items) {\n  return items.reduce((sum, i) => sum + i.price, 0);\n}\n");
  write("src/util/format.ts", "export const money = (n: number): string => `$${n.toFixed(2)}`;\n");
  write("db/schema.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL);\n");
  write("assets/logo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  write("node_modules/dep/index.js", "module.exports = 1;\n");
  write("src/generated/api.ts", "export const generated = true;\n");

  risky = path.join(scratch, "risky");
  write(
    "src/checkout.ts",
    `import { charge } from "./gateway";\n\nconst FALLBACK_CARD = "${PAN}";\n\nexport const pay = () => charge(FALLBACK_CARD);\n`,
    risky,
  );
  write("src/cleanup.js", 'export async function logoutEveryone(db) {\n  await db.query("DELETE FROM sessions");\n}\n', risky);
  write("db/reset.sql", "-- reset before the nightly import\nUPDATE accounts SET balance = 0;\n", risky);
  // Parses as PostgreSQL only (RETURNING), so it is SQL to the rules only with --dialect postgresql.
  write("postgres/reset.js", 'export async function resetBalances(db) {\n  return db.query("UPDATE accounts SET balance = 0 RETURNING id");\n}\n', risky);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("pci-auditor", () => {
  it("prints its version and help", () => {
    const version = cli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`pci-auditor ${ENGINE_VERSION}\n`);
    const help = cli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: pci-auditor scan PATH... [options]");
  });

  it("scans folders recursively in path order, skipping default excludes and binary files", () => {
    const { report } = json(["scan", "."]);
    expect(report.stats.files).toBe(5);
    expect(report.stats.filesScanned).toBe(4);
    expect(report.stats.filesSkipped).toBe(1);
    expect(report.notifications).toContainEqual({ level: "note", code: "binary-file", path: "assets/logo.png", message: "Binary file skipped." });
    expect(report.notifications.some((n) => n.path?.startsWith("node_modules/"))).toBe(false);
    expect(report.stats.rulesRun).toBe(RULES.length);
  });

  it("exits 0 with a text report when nothing is at or above --fail-on", () => {
    const run = cli(["scan", "src/app.js", "src/util"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("0 findings in 2 files: 2 scanned, 0 skipped.\n");
  });

  it("writes valid SARIF describing every rule", () => {
    const run = cli(["scan", ".", "--format", "sarif", "--sarif-category", "pci"]);
    const log = JSON.parse(run.stdout) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id).sort());
    expect(log.runs[0].automationDetails).toEqual({ id: "pci/" });
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toContainEqual({
      level: "note",
      message: { text: "Binary file skipped." },
      descriptor: { id: "binary-file" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "assets/logo.png", uriBaseId: "%SRCROOT%" } } }],
    });
  });

  it("honours --exclude and --no-default-excludes", () => {
    const excluded = json(["scan", ".", "--exclude", "generated", "--exclude", "**/*.png"]).report;
    expect(excluded.stats.files).toBe(3);
    const everything = json(["scan", ".", "--no-default-excludes"]).report;
    expect(everything.stats.files).toBe(6);
  });

  it("reports paths relative to the current folder with forward slashes", () => {
    const { report } = json(["scan", "../assets"], path.join(work, "src"));
    expect(report.notifications.map((n) => n.path)).toEqual(["../assets/logo.png"]);
  });

  it("skips files over --max-file-bytes with an error notification", () => {
    const { report } = json(["scan", "src", "--max-file-bytes", "70"]);
    expect(report.notifications).toContainEqual({
      level: "error",
      code: "file-too-large",
      path: "src/app.js",
      message: "File is 86 bytes, over the 70-byte limit per file; it was not scanned.",
    });
    expect(report.stats.filesScanned).toBe(2);
  });

  it("writes the report to --output and leaves that file out of the scan", () => {
    const out = path.join(work, "report.json");
    for (let i = 0; i < 2; i++) {
      const run = cli(["scan", ".", "--format", "json", "--output", "report.json"]);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe("");
      expect((JSON.parse(readFileSync(out, "utf8")) as JsonReport).stats.files).toBe(5);
    }
    rmSync(out);
  });

  describe("exits 2 with a message naming the problem", () => {
    it.each([
      [["scan", "src", "missing/file.js"], "pci-auditor: cannot read missing/file.js: no such file or directory\n"],
      [
        ["scan", "src", "--format", "xml"],
        'pci-auditor: invalid value "xml" for --format: expected one of text, json, sarif\nRun `pci-auditor --help` for usage.\n',
      ],
      [
        ["scan", "src", "--fail-on", "urgent"],
        'pci-auditor: invalid value "urgent" for --fail-on: expected one of critical, high, medium, low, info, none\nRun `pci-auditor --help` for usage.\n',
      ],
      [
        ["scan", "src", "--colour"],
        "pci-auditor: Unknown option '--colour'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--colour\"\nRun `pci-auditor --help` for usage.\n",
      ],
      [["scan"], "pci-auditor: missing PATH: name at least one file or folder to scan\nRun `pci-auditor --help` for usage.\n"],
      [[], "pci-auditor: missing command: expected `pci-auditor scan PATH...`\nRun `pci-auditor --help` for usage.\n"],
      [["scan", "src", "--output", "no/such/dir/out.txt"], "pci-auditor: cannot write no/such/dir/out.txt: no such file or directory\n"],
    ])("%j", (args, stderr) => {
      const run = cli(args);
      expect(run.stderr).toBe(stderr);
      expect(run.stdout).toBe("");
      expect(run.status).toBe(2);
    });

    it("for a path that is neither a file nor a folder", () => {
      const fifo = path.join(scratch, "pipe");
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const run = cli(["scan", fifo]);
      expect(run.stderr).toBe(`pci-auditor: cannot scan ${fifo}: not a regular file or folder\n`);
      expect(run.status).toBe(2);
    });
  });

  describe("on code with findings", () => {
    // card-number-in-source reports a card number in a constant as high; sql-write-without-where
    // reports whole-table writes as low (in JS strings only when the SQL parses: an AST is needed).
    const expected = [
      ["db/reset.sql", 2, 1, "low", "sql-write-without-where"],
      ["src/checkout.ts", 3, 24, "high", "card-number-in-source"],
      ["src/cleanup.js", 2, 19, "low", "sql-write-without-where"],
    ];

    it("finds them, in path order, through the bundled SQL parser", () => {
      const { status, report } = json(["scan", "src", "db"], risky);
      expect(status).toBe(1);
      expect(report.findings.map((f) => [f.location.path, f.location.startLine, f.location.startColumn, f.severity, f.ruleId])).toEqual(expected);
      expect(report.findings[0]!.confidence).toBe("high"); // the .sql statement parsed
      expect(report.summary.byPciRequirement).toMatchObject({ "3.5.1": 1, "6.2.4": 2 });
    });

    it("prints them grouped by file in the text report", () => {
      const run = cli(["scan", "src", "db"], risky);
      const lines = run.stdout.split("\n");
      expect(lines.filter((l) => !l.startsWith(" ") && l.includes("/"))).toEqual(["db/reset.sql", "src/checkout.ts", "src/cleanup.js"]);
      expect(lines).toContain('        const FALLBACK_CARD = "453914******6467";');
      expect(run.stdout).toMatch(/^ {2}3:24 {2}high {2}card-number-in-source {2}\S/m);
      expect(run.stdout).toMatch(/^ {2}2:19 {2}low {2}sql-write-without-where {2}\S/m);
      expect(run.stdout.endsWith("3 findings (1 high, 2 low) in 3 files: 3 scanned, 0 skipped.\n")).toBe(true);
    });

    it("writes them as valid SARIF results", () => {
      const log = JSON.parse(cli(["scan", "src", "db", "--format", "sarif"], risky).stdout) as SarifLog;
      expect(sarifSchemaErrors(log)).toEqual([]);
      const run = log.runs[0];
      expect(
        run.results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region?.startLine]),
      ).toEqual([
        ["sql-write-without-where", "note", "db/reset.sql", 2],
        ["card-number-in-source", "error", "src/checkout.ts", 3],
        ["sql-write-without-where", "note", "src/cleanup.js", 2],
      ]);
      const card = run.tool.driver.rules.find((r) => r.id === "card-number-in-source")!;
      expect(card.properties["security-severity"]).toBe("8.0");
      expect(card.properties.tags).toContain("pci-dss-3.5.1");
    });

    it("never prints the card number itself", () => {
      for (const format of ["text", "json", "sarif"]) {
        expect(cli(["scan", "src", "--format", format], risky).stdout).not.toContain(PAN);
      }
    });

    it.each([
      [["--fail-on", "high"], 1],
      [[], 1],
      [["--fail-on", "critical"], 0],
      [["--fail-on", "none"], 0],
      [["--fail-on", "low"], 1],
    ])("exits by --fail-on: %j → %i", (args, status) => {
      expect(cli(["scan", "src", "db", ...args], risky).status).toBe(status);
    });

    it("exits 0 when only findings below --fail-on remain, and drops those below --min-severity", () => {
      expect(cli(["scan", "db"], risky).status).toBe(0);
      expect(cli(["scan", "db", "--fail-on", "info"], risky).status).toBe(1);
      const { status, report } = json(["scan", "src", "db", "--min-severity", "medium", "--fail-on", "low"], risky);
      expect(report.findings.map((f) => f.ruleId)).toEqual(["card-number-in-source"]);
      expect(status).toBe(1);
      const low = json(["scan", "db", "--min-severity", "medium", "--fail-on", "low"], risky);
      expect(low.report.findings).toEqual([]);
      expect(low.status).toBe(0);
    });

    it("parses SQL in code with the --dialect given", () => {
      expect(json(["scan", "postgres"], risky).report.findings).toEqual([]);
      const { status, report } = json(["scan", "postgres", "--dialect", "postgresql", "--fail-on", "low"], risky);
      expect(report.findings.map((f) => [f.ruleId, f.location.startLine, f.location.startColumn])).toEqual([["sql-write-without-where", 2, 20]]);
      expect(status).toBe(1);
    });
  });

  it("scans a folder as one project: a request read in a route reaches the query in a DAO", () => {
    const app = path.join(scratch, "app");
    write("db.js", 'module.exports = require("mysql2").createPool({ host: process.env.DB_HOST });\n', app);
    write("dao/users.js", 'const pool = require("../db");\nexports.find = (id) => pool.query("SELECT * FROM users WHERE id = " + id);\n', app);
    write(
      "routes/users.js",
      'const router = require("express").Router();\nconst users = require("../dao/users");\nrouter.get("/:id", (req, res) => users.find(req.params.id));\nmodule.exports = router;\n',
      app,
    );
    const { status, report } = json(["scan", "."], app);
    expect(status).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === "sql-injection")!;
    expect(finding.location).toMatchObject({ path: "dao/users.js", startLine: 2 });
    expect(finding.flow.map((s) => s.location.path)).toEqual(["routes/users.js", "routes/users.js", "dao/users.js"]);
    const sarif = JSON.parse(cli(["scan", ".", "--format", "sarif"], app).stdout) as SarifLog;
    const uris = sarif.runs[0]!.results.flatMap(
      (r) => r.codeFlows?.[0].threadFlows[0].locations.map((l) => l.location.physicalLocation.artifactLocation.uri) ?? [],
    );
    expect(new Set(uris)).toEqual(new Set(["routes/users.js", "dao/users.js"]));
  });

  it("--fix writes the proven fix of a query a route reaches through a DAO, in the DAO, and the project then scans clean", () => {
    const app = path.join(scratch, "fix-app");
    write("db.js", 'module.exports = require("mysql2").createPool({ host: process.env.DB_HOST });\n', app);
    write("dao/users.js", 'const pool = require("../db");\nexports.find = (id) => pool.query("SELECT * FROM users WHERE id = " + id);\n', app);
    write(
      "routes/users.js",
      'const users = require("../dao/users");\nrequire("express").Router().get("/:id", (req, res) => users.find(req.params.id));\n',
      app,
    );
    const dry = cli(["scan", ".", "--fix-dry-run"], app);
    expect(dry.status).toBe(1);
    expect(dry.stdout).toContain('    +exports.find = (id) => pool.query("SELECT * FROM users WHERE id = ?", [id]);\n');
    const run = cli(["scan", ".", "--fix"], app);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("  dao/users.js:2:24  sql-injection  fixed: ");
    expect(readFileSync(path.join(app, "dao/users.js"), "utf8")).toBe(
      'const pool = require("../db");\nexports.find = (id) => pool.query("SELECT * FROM users WHERE id = ?", [id]);\n',
    );
    expect(json(["scan", "."], app).report.findings.map((f) => f.ruleId)).not.toContain("sql-injection");
  });

  it("builds dist/cli.mjs on first run when it is missing", () => {
    const fresh = scratchProject(path.join(scratch, "fresh"));
    expect(existsSync(path.join(fresh, "dist", "cli.mjs"))).toBe(false);
    const run = cli(["--version"], work, fresh);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`pci-auditor ${ENGINE_VERSION}\n`);
    expect(existsSync(path.join(fresh, "dist", "cli.mjs"))).toBe(true);
  }, 60_000);
});
