#!/usr/bin/env node
/**
 * A 5,000-file tree through the command line (`npm run bench:tree`): generates 200 apps × 25
 * files with bench/gen-tree.mjs in the OS temp folder (deterministic), then BENCH_TREE_RUNS (2)
 * times runs, in a fresh process,
 *
 *   /usr/bin/time -v node bin/pci-auditor.mjs scan <tree> --format json --output <report>
 *
 * and prints wall time, peak RSS (the whole process: Node, the tree's text, one group's syntax
 * trees, the report), the findings by rule, how many have a flow through more than one file, and
 * which of the planted vulnerable flows were found (a finding of the planted rule at the planted
 * line, or with a flow step there) — and the findings nothing was planted for. Build the command
 * first: `npm run build:cli`.
 *
 *   npm run bench:tree
 *   npm run bench:tree -- --apps 40          # a smaller tree (25 files an app)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { writeTree } from "./gen-tree.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const apps = opt("apps", 200);
const RUNS = Number(process.env.BENCH_TREE_RUNS ?? 2);

if (!existsSync(path.join(root, "dist", "cli.mjs"))) {
  console.error("dist/cli.mjs is missing: run `npm run build:cli` first.");
  process.exit(2);
}

const work = path.join(os.tmpdir(), "pci-auditor-bench-tree");
const dir = path.join(work, `tree-${apps}`);
const report = path.join(work, `tree-${apps}.json`);
mkdirSync(work, { recursive: true });
let t = performance.now();
const tree = writeTree(dir, { apps, functions: 4, libEvery: 10, seed: 1 });
const generateMs = performance.now() - t;
const bytes = tree.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
console.log(
  `tree: ${tree.files.length} files in ${apps} apps, ${(bytes / 1e6).toFixed(1)} MB, ${tree.planted.length} planted flows, ${dir} (generated in ${generateMs.toFixed(0)} ms)`,
);

const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const runs = [];
for (let i = 0; i < RUNS; i++) {
  rmSync(report, { force: true });
  const cli = [path.join(root, "bin", "pci-auditor.mjs"), "scan", path.relative(work, dir), "--format", "json", "--output", report];
  t = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ["-v", process.execPath, ...cli], { cwd: work, encoding: "utf8" })
    : spawnSync(process.execPath, cli, { cwd: work, encoding: "utf8" });
  const wallMs = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`the scan exited ${r.status}: ${r.stderr}`);
  const rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? "")?.[1] ?? NaN);
  const userS = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? "")?.[1] ?? NaN);
  const sysS = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? "")?.[1] ?? NaN);
  runs.push({ wallMs, peakRssMB: rssKB / 1024, cpuS: userS + sysS, exit: r.status });
  console.log(
    `run ${i + 1}: wall ${(wallMs / 1000).toFixed(1)} s, cpu ${(userS + sysS).toFixed(1)} s, peak RSS ${(rssKB / 1024).toFixed(0)} MB, exit ${r.status}`,
  );
}

const result = JSON.parse(readFileSync(report, "utf8"));
const shortPath = (p) => p.replace(/^.*?((?:api|svc)-\d{3}\/)/, "$1");
const byRule = {};
for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
const crossFile = result.findings.filter((f) => f.flow.some((s) => s.location.path !== f.location.path));
const at = (f, p) => f.ruleId === p.rule && [f.location, ...f.flow.map((s) => s.location)].some((l) => shortPath(l.path) === p.path && l.startLine === p.line);
const found = tree.planted.filter((p) => result.findings.some((f) => at(f, p)));
const unplanted = result.findings.filter((f) => !tree.planted.some((p) => at(f, p)));
// A planted flow reported elsewhere in its app (e.g. at a project logger's console call, not at
// the call that hands it card data) is neither missed nor a false positive: counted apart.
const app = (p) => p.split("/")[0];
const elsewhere = tree.planted.filter(
  (p) => !found.includes(p) && unplanted.some((f) => f.ruleId === p.rule && app(shortPath(f.location.path)) === app(p.path)),
);
const missed = tree.planted.filter((p) => !found.includes(p) && !elsewhere.includes(p));
const plantedByRule = {};
for (const p of tree.planted) {
  const s = (plantedByRule[p.rule] ??= { planted: 0, found: 0, elsewhere: 0 });
  s.planted++;
  if (found.includes(p)) s.found++;
  if (elsewhere.includes(p)) s.elsewhere++;
}
const notifications = {};
for (const n of result.notifications) notifications[n.code] = (notifications[n.code] ?? 0) + 1;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\n${tree.files.length}-file tree through the CLI — node ${process.version}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(
  `wall ${runs.map((r) => (r.wallMs / 1000).toFixed(1)).join(", ")} s (median ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(1)}); peak RSS ${runs.map((r) => r.peakRssMB.toFixed(0)).join(", ")} MB`,
);
console.log(
  `scanned ${result.stats.filesScanned}/${result.stats.files} files; findings ${result.findings.length} ${JSON.stringify(byRule)}; with a flow through more than one file ${crossFile.length}`,
);
console.log(
  `planted flows found at the planted line (or with a flow step there): ${found.length}/${tree.planted.length}; reported elsewhere in the same app: ${elsewhere.length}; missed: ${missed.length} ${JSON.stringify(plantedByRule)}`,
);
console.log(`findings not at a planted line: ${unplanted.length}`);
for (const f of unplanted.slice(0, 3))
  console.log(
    `  e.g. ${f.ruleId} ${shortPath(f.location.path)}:${f.location.startLine} ${f.snippet.split("\n")[0].trim().slice(0, 100)} (flow steps: ${f.flow.length})`,
  );
for (const p of elsewhere.slice(0, 3)) console.log(`  planted ${p.rule} ${p.path}:${p.line} reported elsewhere in its app`);
for (const p of missed.slice(0, 5)) console.log(`  missed ${p.rule} ${p.path}:${p.line}`);
console.log(`notifications ${JSON.stringify(notifications)}`);

mkdirSync(path.join(root, "bench", "results"), { recursive: true });
const out = path.join(root, "bench", "results", "tree.json");
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg(),
      files: tree.files.length,
      bytes,
      runs,
      findings: result.findings.length,
      byRule,
      crossFile: crossFile.length,
      plantedByRule,
      missed,
      elsewhere,
      unplanted: unplanted.map((f) => ({ rule: f.ruleId, path: shortPath(f.location.path), line: f.location.startLine })),
      notifications,
    },
    null,
    2,
  ),
);
console.log(`raw figures: ${path.relative(root, out)}; the tree stays in ${dir}`);
