/** main() in-process with a fake terminal: what depends on TTYs and the environment. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../src/cli/main";
import { ENGINE_VERSION } from "../../src/engine/index";

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "pca-main-"));
  mkdirSync(path.join(root, "many"));
  for (let i = 0; i < 25; i++) writeFileSync(path.join(root, "many", `f${String(i).padStart(2, "0")}.txt`), "plain text\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeIo(options: { stdoutTTY?: boolean; stderrTTY?: boolean; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    cwd: root,
    env: options.env ?? {},
    stdout: { write: (t: string) => out.push(t), isTTY: options.stdoutTTY ?? false },
    stderr: { write: (t: string) => err.push(t), isTTY: options.stderrTTY ?? false },
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("main", () => {
  it("prints help and version on stdout", async () => {
    const help = fakeIo();
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("Usage: pci-auditor scan PATH... [options]");
    const version = fakeIo();
    expect(await main(["--version"], version.io)).toBe(0);
    expect(version.stdout()).toBe(`pci-auditor ${ENGINE_VERSION}\n`);
  });

  it("reports usage errors on stderr with exit status 2", async () => {
    const run = fakeIo();
    expect(await main(["scan", "many", "--format", "xml"], run.io)).toBe(2);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe('pci-auditor: invalid value "xml" for --format: expected one of text, json, sarif\nRun `pci-auditor --help` for usage.\n');
  });

  it("shows progress on a terminal stderr when scanning many files, then clears it", async () => {
    const run = fakeIo({ stderrTTY: true });
    expect(await main(["scan", "many"], run.io)).toBe(0);
    expect(run.stderr()).toMatch(/^\rScanning \d+\/25 files…/);
    expect(run.stderr()).toContain("\rScanning 25/25 files…");
    expect(run.stderr().endsWith("\r\u001b[K")).toBe(true);
    expect(run.stdout()).toContain("in 25 files: 25 scanned, 0 skipped.");
  });

  it("shows no progress when stderr is not a terminal or files are few", async () => {
    const piped = fakeIo({ stderrTTY: false });
    await main(["scan", "many"], piped.io);
    expect(piped.stderr()).toBe("");
    const few = fakeIo({ stderrTTY: true });
    await main(["scan", "many/f00.txt"], few.io);
    expect(few.stderr()).toBe("");
  });

  it("writes several reports from one run", async () => {
    const run = fakeIo();
    expect(await main(["scan", "many", "--format", "json", "-o", "many.json", "--format", "text"], run.io)).toBe(0);
    expect(run.stdout()).toContain("0 findings in 25 files");
    const written = JSON.parse(readFileSync(path.join(root, "many.json"), "utf8")) as { stats: { files: number } };
    expect(written.stats.files).toBe(25);
  });

  it("colours on request: --color, --no-color and FORCE_COLOR over the terminal's default", async () => {
    const forced = fakeIo({ stdoutTTY: false, env: { FORCE_COLOR: "1" } });
    await main(["scan", "many"], forced.io);
    expect(forced.stdout()).toContain("\u001b[1m0 findings\u001b[22m");
    const flag = fakeIo({ stdoutTTY: false });
    await main(["scan", "many", "--color"], flag.io);
    expect(flag.stdout()).toContain("\u001b[");
    const off = fakeIo({ stdoutTTY: true, env: { FORCE_COLOR: "1" } });
    await main(["scan", "many", "--no-color"], off.io);
    expect(off.stdout()).not.toContain("\u001b[");
  });

  it("colours text only on a terminal stdout without NO_COLOR", async () => {
    const tty = fakeIo({ stdoutTTY: true });
    await main(["scan", "many"], tty.io);
    expect(tty.stdout()).toContain("\u001b[1m0 findings\u001b[22m");
    const noColor = fakeIo({ stdoutTTY: true, env: { NO_COLOR: "1" } });
    await main(["scan", "many"], noColor.io);
    expect(noColor.stdout()).not.toContain("\u001b[");
    const piped = fakeIo({ stdoutTTY: false });
    await main(["scan", "many"], piped.io);
    expect(piped.stdout()).not.toContain("\u001b[");
  });
});

describe("project settings, rules and baselines", () => {
  let repo: string;
  const ROUTE = [
    'import express from "express";',
    'import { pool } from "./db.js";',
    "const app = express();",
    'app.get("/orders", async (req, res) => res.json(await pool.query("SELECT * FROM orders WHERE id = " + req.query.id)));',
    "",
  ].join("\n");
  const NEW_ROUTE = 'app.get("/refunds", async (req, res) => res.json(await pool.query("SELECT * FROM refunds WHERE id = " + req.query.id)));\n';

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), "pca-settings-"));
    mkdirSync(path.join(repo, "src"));
    writeFileSync(path.join(repo, "src", "orders.js"), ROUTE);
    writeFileSync(path.join(repo, "src", "backfill.sql"), "UPDATE payments SET settled = 0;\n");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const inRepo = () => {
    const run = fakeIo();
    run.io.cwd = repo;
    return run;
  };
  const json = (text: string) =>
    JSON.parse(text) as { findings: Array<{ ruleId: string; location: { startLine: number } }>; notifications: Array<{ code: string; message: string }> };

  it("reads pci-auditor.config.json above the scanned folder; flags win over it", async () => {
    writeFileSync(
      path.join(repo, "pci-auditor.config.json"),
      JSON.stringify({ rules: { "sql-injection": "off", "sql-write-without-where": "high" }, failOn: "high" }),
    );
    try {
      const configured = inRepo();
      expect(await main(["scan", "src", "--format", "json"], configured.io)).toBe(1);
      expect(json(configured.stdout()).findings.map((f) => f.ruleId)).toEqual(["sql-write-without-where"]);
      const flags = inRepo();
      expect(await main(["scan", "src", "--format", "json", "--rule", "sql-write-without-where=off", "--fail-on", "critical"], flags.io)).toBe(0);
      expect(json(flags.stdout()).findings).toEqual([]);
    } finally {
      rmSync(path.join(repo, "pci-auditor.config.json"));
    }
  });

  it.each([
    [{ rulez: {} }, 'unknown key "rulez" in pci-auditor.config.json'],
    [{ rules: { sqli: "off" } }, 'unknown rule "sqli" in "rules" of pci-auditor.config.json'],
    [{ failOn: "loud" }, 'invalid value "loud" for "failOn" in pci-auditor.config.json'],
  ])("refuses a settings file with %j (exit 2)", async (config, message) => {
    writeFileSync(path.join(repo, "pci-auditor.config.json"), JSON.stringify(config));
    try {
      const run = inRepo();
      expect(await main(["scan", "src"], run.io)).toBe(2);
      expect(run.stderr()).toContain(message);
    } finally {
      rmSync(path.join(repo, "pci-auditor.config.json"));
    }
  });

  it.each(["json", "sarif"])("a %s baseline leaves known findings out; a new one still fails the run", async (format) => {
    const first = inRepo();
    expect(await main(["scan", "src", "--format", format, "--output", `base.${format}`], first.io)).toBe(1);

    const same = inRepo();
    expect(await main(["scan", "src", "--format", "json", "--baseline", `base.${format}`], same.io)).toBe(0);
    const sameReport = json(same.stdout());
    expect(sameReport.findings).toEqual([]);
    expect(sameReport.notifications.find((n) => n.code === "baseline")?.message).toMatch(
      /^2 findings already in the baseline base\.\w+ are not reported; 0 new\.$/,
    );

    // Code added above the known finding moves it down; a new injection is reported alone.
    writeFileSync(path.join(repo, "src", "orders.js"), ROUTE.replace("const app = express();", `const app = express();\n${NEW_ROUTE}`));
    try {
      const changed = inRepo();
      expect(await main(["scan", "src", "--format", "json", "--baseline", `base.${format}`], changed.io)).toBe(1);
      expect(json(changed.stdout()).findings.map((f) => [f.ruleId, f.location.startLine])).toEqual([["sql-injection", 4]]);
    } finally {
      writeFileSync(path.join(repo, "src", "orders.js"), ROUTE);
    }
  });

  it("--write-baseline writes the findings of the run, whatever the output format", async () => {
    const run = inRepo();
    expect(await main(["scan", "src", "--write-baseline", "next.json", "--fail-on", "none"], run.io)).toBe(0);
    const again = inRepo();
    expect(await main(["scan", "src", "--baseline", "next.json"], again.io)).toBe(0);
    expect(again.stdout()).toContain("0 findings");
  });

  it("names a baseline that is not a report", async () => {
    writeFileSync(path.join(repo, "notes.json"), '{"todo": []}');
    const run = inRepo();
    expect(await main(["scan", "src", "--baseline", "notes.json"], run.io)).toBe(2);
    expect(run.stderr()).toContain("baseline notes.json is neither a pci-auditor JSON report nor a SARIF log");
  });
});

describe("SARIF from a subfolder of a repository", () => {
  it("makes every URI relative to the repository root and names the root", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "pca-sarif-"));
    try {
      mkdirSync(path.join(repo, ".git"));
      mkdirSync(path.join(repo, "services", "pay", "src"), { recursive: true });
      writeFileSync(path.join(repo, "services", "pay", "src", "seed.js"), 'const card = "4916526018159086";\n');
      const run = fakeIo();
      run.io.cwd = path.join(repo, "services", "pay");
      expect(await main(["scan", "src", "--format", "sarif", "--fail-on", "none"], run.io)).toBe(0);
      const log = JSON.parse(run.stdout()) as {
        runs: Array<{
          originalUriBaseIds: Record<string, { uri: string }>;
          automationDetails: { id: string };
          results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }>;
        }>;
      };
      const [sarifRun] = log.runs;
      expect(sarifRun!.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: pathToFileURL(repo).href + "/" } });
      expect(sarifRun!.automationDetails).toEqual({ id: "pci-auditor/" });
      expect(sarifRun!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation)).toEqual([
        { uri: "services/pay/src/seed.js", uriBaseId: "%SRCROOT%" },
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe("--stdin and --changed-since", () => {
  it("scans standard input as the file --stdin-filename names", async () => {
    const run = fakeIo();
    run.io.stdin = (async function* () {
      yield 'app.get("/o", (req, res) => db.query("SELECT * FROM o WHERE id = " + ';
      yield "req.query.id));\n";
    })();
    expect(await main(["scan", "--stdin", "--stdin-filename", "src/routes/orders.js", "--format", "json"], run.io)).toBe(1);
    const report = JSON.parse(run.stdout()) as { findings: Array<{ ruleId: string; location: { path: string } }> };
    expect(report.findings.map((f) => [f.ruleId, f.location.path])).toEqual([["sql-injection", "src/routes/orders.js"]]);
  });

  it("reports only findings in files changed since a git ref, committed or not", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "pca-changed-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=ci@example.test", "-c", "user.name=ci", ...args], { cwd: repo, stdio: "pipe" });
    try {
      const seed = (name: string) => `export const ${name} = "${name === "old" ? "4916526018159086" : "5425824628194820"}";\n`;
      mkdirSync(path.join(repo, "src"));
      writeFileSync(path.join(repo, "src", "old.js"), seed("old"));
      writeFileSync(path.join(repo, "src", "edited.js"), "export const edited = 1;\n");
      git("init", "-q");
      git("add", ".");
      git("commit", "-q", "-m", "base");
      writeFileSync(path.join(repo, "src", "edited.js"), seed("edited"));
      writeFileSync(path.join(repo, "src", "added.js"), seed("added"));
      const run = fakeIo();
      run.io.cwd = repo;
      expect(await main(["scan", ".", "--changed-since", "HEAD", "--format", "json"], run.io)).toBe(1);
      const report = JSON.parse(run.stdout()) as { findings: Array<{ location: { path: string } }> };
      expect(report.findings.map((f) => f.location.path)).toEqual(["src/added.js", "src/edited.js"]);

      const unknown = fakeIo();
      unknown.io.cwd = repo;
      expect(await main(["scan", ".", "--changed-since", "no-such-branch"], unknown.io)).toBe(2);
      expect(unknown.stderr()).toContain('git could not compare with "no-such-branch"');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
