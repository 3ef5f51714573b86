/**
 * The package as users get it: `npm pack` of a scratch copy of the project (its package.json,
 * bin/ and build script, with src/ and node_modules/ linked, so the real dist/ is never rebuilt
 * under another test), installed from the tarball into an empty folder without the network,
 * then run through the `pci-auditor` link npm made: --version, and a scan that fails on a
 * finding. The CLI bundle holds everything it needs, so the install fetches nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "../../src/engine/index";

const REPO = path.join(import.meta.dirname, "..", "..");
let scratch: string;
let bin: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "pca-pack-"));
  const project = path.join(scratch, "project");
  mkdirSync(path.join(project, "bin"), { recursive: true });
  mkdirSync(path.join(project, "scripts"));
  for (const f of ["package.json", "README.md", "bin/pci-auditor.mjs", "scripts/build-cli.mjs"]) copyFileSync(path.join(REPO, f), path.join(project, f));
  symlinkSync(path.join(REPO, "src"), path.join(project, "src"));
  symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"));
  // `npm pack` runs `prepare`, which builds dist/ in the scratch project.
  execFileSync("npm", ["pack", "--pack-destination", scratch, "--silent"], { cwd: project, stdio: "pipe" });
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"))!;
  const app = path.join(scratch, "app");
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), '{ "name": "app", "private": true }\n');
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", path.join(scratch, tarball)], { cwd: app, stdio: "pipe" });
  bin = path.join(app, "node_modules", ".bin", "pci-auditor");
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the packed package", () => {
  it("installs from its tarball and answers --version", () => {
    const run = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`pci-auditor ${ENGINE_VERSION}\n`);
  });

  it("ships only the command: bin/ and the bundle, no sources or tests", () => {
    const installed = path.join(scratch, "app", "node_modules", "pci-auditor");
    expect(readdirSync(installed).sort()).toEqual(["README.md", "bin", "dist", "package.json"]);
  });

  it("scans and fails on a finding", () => {
    const work = path.join(scratch, "work");
    mkdirSync(work);
    writeFileSync(path.join(work, "seed.js"), 'const card = "4539148803436467";\n');
    const run = spawnSync(bin, ["scan", ".", "--format", "json"], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toEqual(["card-number-in-source"]);
  });
});
