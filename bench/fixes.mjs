#!/usr/bin/env node
/**
 * Proven fixes on the project's own fixture applications and projects (test/fixtures/apps,
 * test/fixtures/projects: each folder one scan), `npm run bench:fixes`: how many injection
 * findings get a proven, plausible or rejected fix or none (by rule and reason), and what
 * proposing and verifying them costs, as the ratio of the scan's CPU time with fixes to without
 * (each the median of BENCH_RUNS runs over all folders, after a warm-up).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { buildEngineBundle, bundlePath } from "./engine-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const outfile = bundlePath("fixes");
await buildEngineBundle(outfile);
const engine = await import(outfile);

const listFiles = (dir) => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? listFiles(path.join(dir, n)) : [path.join(dir, n)]));
const projects = ["apps", "projects"].flatMap((kind) =>
  readdirSync(path.join(root, "test/fixtures", kind))
    .map((name) => path.join(root, "test/fixtures", kind, name))
    .filter((dir) => statSync(dir).isDirectory())
    .map((dir) => listFiles(dir).map((f) => ({ path: path.relative(dir, f), content: readFileSync(f, "utf8") }))),
);

const counts = { injections: 0, proven: 0, plausible: 0, rejected: 0, none: 0 };
const perRule = new Map();
const reasons = new Map();
for (const files of projects) {
  for (const f of (await engine.scan({ files })).findings) {
    if (f.category !== "injection") continue;
    counts.injections++;
    const verdict = f.fix?.verdict ?? "none";
    counts[verdict]++;
    const row = perRule.get(f.ruleId) ?? { injections: 0, proven: 0 };
    row.injections++;
    if (verdict === "proven") row.proven++;
    perRule.set(f.ruleId, row);
    if (!f.fix)
      reasons.set(`${f.ruleId}: ${f.fixUnavailable ?? "no simulated sink"}`, (reasons.get(`${f.ruleId}: ${f.fixUnavailable ?? "no simulated sink"}`) ?? 0) + 1);
  }
}

const cpu = async (fixes) => {
  const start = process.cpuUsage();
  for (const files of projects) await engine.scan({ files }, { fixes });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
for (let i = 0; i < 3; i++) {
  await cpu(true);
  await cpu(false);
}
const on = [];
const off = [];
for (let i = 0; i < RUNS; i++) {
  on.push(await cpu(true));
  off.push(await cpu(false));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (n) => `${((100 * n) / counts.injections).toFixed(0)}%`;

console.log(`${projects.length} fixture folders, ${counts.injections} injection findings`);
console.log(`  proven    ${String(counts.proven).padStart(4)}  ${pct(counts.proven)}`);
console.log(`  plausible ${String(counts.plausible).padStart(4)}  ${pct(counts.plausible)}`);
console.log(`  rejected  ${String(counts.rejected).padStart(4)}  ${pct(counts.rejected)}`);
console.log(`  no fix    ${String(counts.none).padStart(4)}  ${pct(counts.none)}`);
console.log("\nproven per rule:");
for (const [rule, row] of [...perRule].sort()) console.log(`  ${rule.padEnd(24)} ${row.proven}/${row.injections}`);
console.log("\nno fix, why:");
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(3)}  ${reason}`);
console.log(
  `\nscan CPU with fixes / without: ${(median(on) / median(off)).toFixed(2)}× (${median(on).toFixed(0)} ms / ${median(off).toFixed(0)} ms, median of ${RUNS})`,
);
