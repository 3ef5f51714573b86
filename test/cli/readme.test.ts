/**
 * Every command-line use the README shows, run as written (main() in-process, as the bundled bin
 * runs it) on a project holding the README's own example file, and checked against what the
 * README promises: the findings and exit status, the reports each --format/--output pair
 * writes, the settings-file and suppression examples taking effect, --stdin, --changed-since,
 * --help naming every flag the README uses, and this repository scanning itself green. The
 * commands are read from the README, so a changed example is run as changed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { recordingIo, writeProject } from "./harness";

const REPO = path.join(import.meta.dirname, "..", "..");
const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
const cliSection = readme.slice(readme.indexOf("## The command-line scanner"), readme.indexOf("## A scan is a project"));

/** The file the README's HTTP example submits (its curl body), so both halves of the README scan the same code. */
const example = (JSON.parse(/-d '(\{"files":[^']*)'/.exec(readme)![1]!) as { files: Array<{ path: string; content: string }> }).files[0]!;

/** The first fenced block of a language in a README part. */
const block = (lang: string, text = cliSection) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text)![1]!;

/** Arguments of an inline `pci-auditor …`/flag example, split as a shell would (the README's need no quoting). */
const argv = (command: string) => command.trim().split(/\s+/);

let root: string;

const project = (name: string, files: Record<string, string>): string => writeProject(root, name, files);
const io = recordingIo;

type Report = {
  findings: Array<{ ruleId: string; severity: string; location: { path: string } }>;
  suppressed?: Array<{ ruleId: string }>;
  notifications: Array<{ code: string }>;
};
type Sarif = { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> };

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "pca-readme-"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the README's command-line examples", () => {
  it("the scan command of the README's shell block fails on the example's SQL injection and writes SARIF and text", async () => {
    const commands = block("sh")
      .split("\n")
      .filter((l) => l.startsWith("npx pci-auditor "));
    expect(commands).toHaveLength(1);
    const args = argv(commands[0]!).slice(2);
    expect(args).toEqual(["scan", ".", "--format", "sarif", "--output", "results.sarif", "--format", "text", "--fail-on", "high"]);
    const dir = project("shell-block", { [example.path]: example.content });
    const run = io(dir);
    expect(await main(args, run.io)).toBe(1);
    expect(run.stdout()).toContain("sql-injection");
    const sarif = JSON.parse(readFileSync(path.join(dir, "results.sarif"), "utf8")) as Sarif;
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain("sql-injection");
  });

  it("the settings file example is accepted and takes effect: rule off, minimum severity, exclude", async () => {
    const files = {
      "src/reset.js": 'export const reset = (db) => db.query("DELETE FROM sessions");\n',
      "src/test-card.js": 'export const sample = "4242424242424242";\n',
      "scripts/seed.js": 'export const card = "4539148803436467";\n',
    };
    const without = io(project("settings-bare", files));
    expect(await main(["scan", ".", "--format", "json"], without.io)).toBe(1);
    const found = (r: string) => (JSON.parse(r) as Report).findings.map((f) => [f.location.path, f.ruleId, f.severity]);
    expect(found(without.stdout())).toEqual([
      ["scripts/seed.js", "card-number-in-source", "high"],
      ["src/reset.js", "sql-write-without-where", "low"],
      ["src/test-card.js", "card-number-in-source", "info"],
    ]);

    const run = io(project("settings", { ...files, "pci-auditor.config.json": block("json") }));
    expect(await main(["scan", ".", "--format", "json"], run.io)).toBe(0);
    expect(run.stderr()).toBe("");
    expect(found(run.stdout())).toEqual([]);
  });

  it("the inline suppressions of the README's example are honoured, with their reasons, and none is reported invalid", async () => {
    const lines = block("js").split("\n");
    const nextLine = lines.find((l) => l.includes("pci-auditor-ignore-next-line"))!;
    expect(nextLine).toContain("sql-injection -- ");
    // The README's two lines inside a route, where `table` comes from the request; a twin without the comment.
    const route = (directive: string[]) => ({
      "src/routes/report.js": [
        'import express from "express";',
        'import { db } from "../db.js";',
        "const app = express();",
        'app.get("/r", async (req, res) => {',
        "  const table = req.query.table;",
        ...directive.map((l) => "  " + l),
        "  " + lines[lines.indexOf(nextLine) + 1],
        "  res.json(rows);",
        "});",
        "",
      ].join("\n"),
      "src/db.js": 'import mysql from "mysql2/promise";\nexport const db = mysql.createPool({});\n',
    });
    const unsuppressed = io(project("unsuppressed", route([])));
    expect(await main(["scan", ".", "--format", "json"], unsuppressed.io)).toBe(1);
    expect((JSON.parse(unsuppressed.stdout()) as Report).findings.map((f) => f.ruleId)).toContain("sql-injection");
    const dir = project("suppressions", route([nextLine]));
    const run = io(dir);
    expect(await main(["scan", ".", "--format", "json"], run.io)).toBe(0);
    const report = JSON.parse(run.stdout()) as Report;
    expect(report.findings.map((f) => f.ruleId)).not.toContain("sql-injection");
    expect(report.suppressed!.map((f) => f.ruleId)).toContain("sql-injection");
    expect(report.notifications.map((n) => n.code)).not.toContain("invalid-suppression");
  });

  it("--stdin --stdin-filename scans standard input as the named file", async () => {
    const flags = /`(--stdin --stdin-filename \S+)`/.exec(cliSection)![1]!;
    const run = io(root, example.content);
    expect(await main(["scan", ...argv(flags), "--format", "json"], run.io)).toBe(1);
    const report = JSON.parse(run.stdout()) as Report;
    expect(report.findings.map((f) => [f.ruleId, f.location.path])).toContainEqual(["sql-injection", "src/routes/pay.ts"]);
  });

  it("several reports from one run: each --output goes with the --format before it, the other to stdout", async () => {
    const flags = /`(--format sarif -o r\.sarif --format text)`/.exec(cliSection)![1]!;
    const dir = project("several", { [example.path]: example.content });
    const run = io(dir);
    expect(await main(["scan", ".", ...argv(flags)], run.io)).toBe(1);
    expect(run.stdout()).toContain("sql-injection");
    expect((JSON.parse(readFileSync(path.join(dir, "r.sarif"), "utf8")) as Sarif).runs[0]!.results.map((r) => r.ruleId)).toContain("sql-injection");
  });

  it("--changed-since origin/main (the action example's args) reports only what changed since the ref", async () => {
    const args = /args: "([^"]+)"/.exec(cliSection)![1]!;
    expect(args).toBe("--changed-since origin/main");
    const dir = project("changed", { "src/old.js": 'export const old = "4916526018159086";\n' });
    const git = (...a: string[]) => execFileSync("git", ["-c", "user.email=ci@example.test", "-c", "user.name=ci", ...a], { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    mkdirSync(path.dirname(path.join(dir, example.path)), { recursive: true });
    writeFileSync(path.join(dir, example.path), example.content);
    const run = io(dir);
    expect(await main(["scan", ".", ...argv(args), "--format", "json"], run.io)).toBe(1);
    const paths = (JSON.parse(run.stdout()) as Report).findings.map((f) => f.location.path);
    expect(paths).toContain(example.path);
    expect(paths).not.toContain("src/old.js");
  });

  it("--fix-dry-run prints the README's fix and changes nothing; --fix writes it, and the file scans clean of SQL injection", async () => {
    const [, before, after] = /`--fix` writes them, turning\s+`([^`]+)`\s+into\s+`([^`]+)`/.exec(cliSection)!;
    const file = (call: string) =>
      ['const mysql = require("mysql2");', "const pool = mysql.createPool({});", `require("express")().get("/cards", (req, res) => ${call});`, ""].join("\n");
    const dir = project("fix", { "src/dao.js": file(before!) });
    const dry = io(dir);
    expect(await main(["scan", ".", "--fix-dry-run"], dry.io)).toBe(1);
    expect(dry.stdout()).toContain("fix: proven — ");
    expect(dry.stdout()).toContain(`    +${file(after!).split("\n")[2]}\n`);
    expect(readFileSync(path.join(dir, "src/dao.js"), "utf8")).toBe(file(before!));

    const fix = io(dir);
    expect(await main(["scan", ".", "--fix"], fix.io)).toBe(0);
    expect(readFileSync(path.join(dir, "src/dao.js"), "utf8")).toBe(file(after!));
    const rescan = io(dir);
    await main(["scan", ".", "--format", "json"], rescan.io);
    expect((JSON.parse(rescan.stdout()) as Report).findings.map((f) => f.ruleId)).not.toContain("sql-injection");
  });

  it("`pci-auditor --help` lists every flag the README uses", async () => {
    const run = io(root);
    expect(await main(["--help"], run.io)).toBe(0);
    const used = new Set([...cliSection.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((flag) => !run.stdout().includes(flag))).toEqual([]);
  });

  it("this repository scans itself green, as the README says: nothing above info", async () => {
    expect(readme).toContain("This repository scans itself green: `pci-auditor scan .`");
    const run = io(REPO);
    expect(await main(["scan", ".", "--format", "json"], run.io)).toBe(0);
    const report = JSON.parse(run.stdout()) as Report;
    expect(report.findings.filter((f) => f.severity !== "info")).toEqual([]);
  }, 120_000);
});
