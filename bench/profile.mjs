#!/usr/bin/env node
/**
 * Where the engine's warm time goes (`npm run bench:profile -- [ROW]`): bundles the engine, then
 * in a child under `node --cpu-prof` runs scan() on one corpus row (bench/corpus.mjs; default the
 * hono/dist/cjs project) for BENCH_SECONDS (4) of warm-up and BENCH_SECONDS of profiled runs, and
 * prints, for the profiled runs only, the self and inclusive (on the stack) shares of the top
 * functions and the self share per source module of the engine (esbuild marks each module's
 * code in the bundle with a `// src/...` comment; node_modules code is named by package).
 * The .cpuprofile stays in the OS temp folder for Chrome DevTools or speedscope.
 *
 *   npm run bench:profile
 *   npm run bench:profile -- node_modules/drizzle-kit/api.js
 *   npm run bench:profile -- --cli [ROW]   # one cold `pci-auditor scan ROW --format json` under
 *                                          # node --cpu-prof (run `npm run build:cli` first)
 *   BENCH_TOP=40 npm run bench:profile
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { DEFAULT_CORPUS, readRow } from "./corpus.mjs";
import { buildEngineBundle, bundlePath } from "./engine-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const TOP = Number(process.env.BENCH_TOP ?? 25);

async function child(target) {
  const engine = await import(pathToFileURL(process.env.BENCH_BUNDLE).href);
  const { Session } = await import("node:inspector/promises");
  const files = readRow(target).map((f) => ({ path: f.path, content: f.text }));
  const options = { limits: engine.CLI_LIMITS };
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) await engine.scan({ files }, options);
  // Profile only the warm runs: the inspector's profiler, started after the warm-up.
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000 || runs < 5) {
    await engine.scan({ files }, options);
    runs++;
  }
  const elapsed = performance.now() - start;
  const { profile } = await session.post("Profiler.stop");
  const out = path.join(path.dirname(process.env.BENCH_BUNDLE), `profile-${process.pid}.cpuprofile`);
  (await import("node:fs")).writeFileSync(out, JSON.stringify(profile));
  process.stdout.write(JSON.stringify({ out, runs, msPerRun: elapsed / runs }));
}

/** Bundle line → the engine module (or package) whose code it is, from esbuild's `// path` markers. */
function moduleIndex(bundleFile) {
  let lines;
  try {
    lines = readFileSync(bundleFile, "utf8").split("\n");
  } catch {
    return () => path.basename(bundleFile);
  }
  const marks = [];
  lines.forEach((l, i) => {
    const m = /^\/\/ (\S+\.(?:[cm]?[jt]sx?|json))$/.exec(l);
    if (m) marks.push([i, m[1].replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1 (package)")]);
  });
  if (marks.length === 0) return () => path.basename(bundleFile);
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    let found = `${path.basename(bundleFile)} (outside any module)`;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid][0] <= line) {
        found = marks[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Self and inclusive shares by function, and self shares by source module, of a .cpuprofile. */
export function analyse(profile) {
  const indexes = new Map();
  const where = (f) => {
    if (!f.url) return f.functionName.startsWith("(") ? f.functionName : "(native)";
    if (!f.url.startsWith("file://")) return f.url;
    const file = new URL(f.url).pathname;
    if (!indexes.has(file)) indexes.set(file, moduleIndex(file));
    return indexes.get(file)(f.lineNumber);
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keys = new Map();
  const key = (n) => {
    let k = keys.get(n.id);
    if (k === undefined) {
      const f = n.callFrame;
      k = f.url ? `${f.functionName || "(anonymous)"}  ${where(f)}:${f.lineNumber + 1}` : f.functionName || "(native)";
      keys.set(n.id, k);
    }
    return k;
  };
  const self = new Map();
  const incl = new Map();
  const modules = new Map();
  const total = profile.samples.length;
  for (const id of profile.samples) {
    const n = byId.get(id);
    const k = key(n);
    self.set(k, (self.get(k) ?? 0) + 1);
    const mod = where(n.callFrame);
    modules.set(mod, (modules.get(mod) ?? 0) + 1);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const ck = key(byId.get(cur));
      if (seen.has(ck)) continue;
      seen.add(ck);
      incl.set(ck, (incl.get(ck) ?? 0) + 1);
    }
  }
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  return { total, self: top(self, TOP), inclusive: top(incl, TOP + 10).filter((l) => !/\(root\)|\(program\)/.test(l)), modules: top(modules, TOP) };
}

function print(title, { total, self, inclusive, modules }) {
  console.log(
    `\n${title}, ${total} samples; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(`\nself time by engine module (or package):\n${modules.join("\n")}`);
  console.log(`\nself time by function:\n${self.join("\n")}`);
  console.log(`\ninclusive (on the stack) by function:\n${inclusive.join("\n")}`);
}

async function main() {
  if (process.argv[2] === "--child") return child(process.argv[3]);
  if (process.argv[2] === "--cli") return cli(process.argv[3] ?? DEFAULT_CORPUS.find(([label]) => label === "project")[1]);
  const rel = process.argv[2] ?? DEFAULT_CORPUS.find(([label]) => label === "project")[1];
  const target = path.resolve(root, rel);
  const bundle = bundlePath("profile");
  await buildEngineBundle(bundle);
  mkdirSync(path.dirname(bundle), { recursive: true });
  const r = JSON.parse(
    execFileSync(process.execPath, [import.meta.filename, "--child", target], {
      env: { ...process.env, BENCH_BUNDLE: bundle },
      encoding: "utf8",
      maxBuffer: 1 << 26,
    }),
  );
  print(
    `Profile of scan() on ${rel} — node ${process.version}, ${r.runs} warm runs, ${r.msPerRun.toFixed(1)} ms a run`,
    analyse(JSON.parse(readFileSync(r.out, "utf8"))),
  );
  console.log(`\nprofile: ${r.out} (bundle ${bundle}, kept so the profile's line numbers stay readable)`);
}

/** One cold command-line run under `node --cpu-prof` (dist/cli.mjs must be built), analysed the same way. */
function cli(rel) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pci-auditor-cli-profile-"));
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "200", path.join(root, "bin", "pci-auditor.mjs"), "scan", rel, "--format", "json"],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`the scan exited ${r.status}`);
  const file = path.join(
    dir,
    readdirSync(dir).find((f) => f.endsWith(".cpuprofile")),
  );
  print(
    `Profile of one cold \`pci-auditor scan ${rel} --format json\` — node ${process.version}, ${ms.toFixed(0)} ms wall under the profiler`,
    analyse(JSON.parse(readFileSync(file, "utf8"))),
  );
  console.log(`\nprofile: ${file}`);
}

await main();
