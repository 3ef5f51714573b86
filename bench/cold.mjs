#!/usr/bin/env node
/**
 * Cold whole-process command line against the cold parse floor (`npm run bench:cold`): for each
 * corpus row (bench/corpus.mjs, or the files and folders given), times in fresh processes
 *
 *   node                 a bare `node -e 0` (Node's own start-up, for reference)
 *   floor                node bench/parse-floor.mjs ROW: imports acorn, reads and parses the row (locations on)
 *   floor-plain          the same without locations
 *   cli                  node bin/pci-auditor.mjs scan ROW --format json, compile cache off
 *                        (NODE_DISABLE_COMPILE_CACHE=1)
 *   cli-cached           the same with Node's module compile cache on and filled: a private
 *                        folder per row (NODE_COMPILE_CACHE, which bin/pci-auditor.mjs's
 *                        module.enableCompileCache() then uses), filled by one untimed run
 *
 * taking turns BENCH_COLD_RUNS (7) times, and prints the median of each, its min–max, and
 * cli / floor (with and without locations; the engine parses plain JavaScript without), on the
 * wall clock and, where /usr/bin/time is, on each process's CPU time. The report goes to /dev/null; exit status 1 (findings) is expected. Build the
 * command first: `npm run build:cli`.
 *
 *   npm run bench:cold
 *   npm run bench:cold -- FILE|DIR...
 *   BENCH_COLD_RUNS=11 npm run bench:cold
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_CORPUS, readRow } from "./corpus.mjs";

const root = path.resolve(import.meta.dirname, "..");
const RUNS = Math.max(5, Number(process.env.BENCH_COLD_RUNS ?? 7));

if (!existsSync(path.join(root, "dist", "cli.mjs"))) {
  console.error("dist/cli.mjs is missing: run `npm run build:cli` first (bin/pci-auditor.mjs would build it on the first timed run).");
  process.exit(2);
}

const { NODE_COMPILE_CACHE: _, NODE_DISABLE_COMPILE_CACHE: __, ...baseEnv } = process.env;

function commands(target, cacheDir) {
  const cli = [path.join(root, "bin", "pci-auditor.mjs"), "scan", target, "--format", "json"];
  return {
    node: { args: ["-e", "0"], env: baseEnv },
    floor: { args: [path.join(root, "bench", "parse-floor.mjs"), target], env: baseEnv },
    "floor-plain": { args: [path.join(root, "bench", "parse-floor.mjs"), target, "--no-locations"], env: baseEnv },
    cli: { args: cli, env: { ...baseEnv, NODE_DISABLE_COMPILE_CACHE: "1" } },
    "cli-cached": { args: cli, env: { ...baseEnv, NODE_COMPILE_CACHE: cacheDir } },
  };
}

// CPU time (user + system, all threads) of each process, from /usr/bin/time when there is one:
// on a busy machine it moves far less than the wall clock.
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const timeOut = path.join(os.tmpdir(), `pci-auditor-cold-time-${process.pid}.txt`);

/** One fresh process: its wall time and (with /usr/bin/time) CPU time, in ms. */
function run({ args, env }) {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ["-f", "%U %S", "-o", timeOut, process.execPath, ...args], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
    : spawnSync(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - t;
  if (r.status !== 0 && !(r.status === 1 && args.includes("scan"))) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const cpu = TIME
    ? readFileSync(timeOut, "utf8")
        .trim()
        .split("\n")
        .pop()
        .split(" ")
        .reduce((n, x) => n + Number(x) * 1000, 0)
    : NaN;
  return { ms, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const corpus = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_CORPUS.map(([, rel]) => rel);
const rows = [];
for (const rel of corpus) {
  const target = path.resolve(root, rel);
  const files = readRow(target);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "pci-auditor-compile-cache-"));
  const cmds = commands(path.relative(root, target) || ".", cacheDir);
  // One untimed run of each: fills the compile cache (its cache-miss time is reported apart) and the OS file cache.
  const firstFill = run(cmds["cli-cached"]);
  for (const name of Object.keys(cmds)) if (name !== "cli-cached") run(cmds[name]);
  const samples = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const [name, cmd] of Object.entries(cmds)) samples[name].push(run(cmd));
  const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs });
  const wall = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, stat(xs.map((x) => x.ms))]));
  const cpu = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, stat(xs.map((x) => x.cpu))]));
  rmSync(cacheDir, { recursive: true, force: true });
  rows.push({ row: rel, files: files.length, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text), 0), cacheFillMs: firstFill.ms, wall, cpu });
}

const pad = (s, n) => String(s).padStart(n);
const cell = (s) => pad(`${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`, 17);
function table(clock) {
  console.log(`\n${clock === "wall" ? "wall clock" : "CPU time (user + system, /usr/bin/time)"} — ms, median (min–max) of ${RUNS}`);
  console.log(
    [
      "row".padEnd(30),
      pad("KB", 6),
      pad("node -e 0", 17),
      pad("floor (acorn+loc)", 17),
      pad("floor (plain)", 17),
      pad("cli", 17),
      pad("cli, cache", 17),
      pad("cli/floor", 10),
      pad("/plain", 7),
      pad("cached/floor", 13),
      pad("/plain", 7),
    ].join(" "),
  );
  for (const r of rows) {
    const t = r[clock];
    console.log(
      [
        r.row.replace("node_modules/", "").padEnd(30),
        pad((r.bytes / 1024).toFixed(0), 6),
        cell(t.node),
        cell(t.floor),
        cell(t["floor-plain"]),
        cell(t.cli),
        cell(t["cli-cached"]),
        pad(`${(t.cli.median / t.floor.median).toFixed(2)}×`, 10),
        pad(`${(t.cli.median / t["floor-plain"].median).toFixed(2)}×`, 7),
        pad(`${(t["cli-cached"].median / t.floor.median).toFixed(2)}×`, 13),
        pad(`${(t["cli-cached"].median / t["floor-plain"].median).toFixed(2)}×`, 7),
      ].join(" "),
    );
  }
}
console.log(
  `\nCold processes — node ${process.version}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
table("wall");
if (TIME) table("cpu");
console.log(`first cli run into an empty compile cache (fills it), wall: ${rows.map((r) => r.cacheFillMs.toFixed(0)).join(", ")} ms`);
rmSync(timeOut, { force: true });
mkdirSync(path.join(root, "bench", "results"), { recursive: true });
const out = path.join(root, "bench", "results", "cold.json");
writeFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), runs: RUNS, rows }, null, 2),
);
console.log(`raw figures: ${path.relative(root, out)}`);
