#!/usr/bin/env node
/**
 * Engine benchmark (`npm run bench`): on the same real-world JavaScript from installed npm
 * packages, times acorn's parse alone (the floor, with and without locations), this engine's full
 * scan, and ESLint with eslint-plugin-security; prints throughput, the ratios engine/acorn and
 * eslint/engine, findings counts, and the engine's peak memory per file.
 *
 * Each contender runs in a process of its own, so no contender's garbage is collected on another's
 * clock (ESLint leaves hundreds of MB behind it per multi-MB file): a first, cold run is timed, then
 * the contender warms up for a fixed time and the median of the runs after that is its figure, as a
 * long-lived Worker isolate or editor process would see it. The processes of the contenders take
 * turns, twice over, so a busy machine slows them alike; the samples of both turns are pooled.
 *
 *   npm run bench                 # default corpus
 *   npm run bench -- FILE...      # your own files
 *   BENCH_RULES=no-dataflow npm run bench   # without the taint (injection) rules
 *   BENCH_ROUNDS=3 BENCH_SECONDS=8 npm run bench   # more turns, longer warm-up and measuring
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const bundle = path.join(root, "dist", "bench-engine.mjs");

const DEFAULT_CORPUS = [
  ["small", "node_modules/hono/dist/hono-base.js"],
  ["medium", "node_modules/zod/v4/core/schemas.js"],
  ["medium", "node_modules/acorn/dist/acorn.js"],
  ["large", "node_modules/drizzle-kit/api.js"],
];

async function buildEngine() {
  await esbuild.build({
    entryPoints: [path.join(root, "src/engine/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile: bundle,
    logLevel: "error",
  });
}

/** BENCH_RULES=no-dataflow switches the dataflow (injection) rules off, to measure Engine I alone. */
function ruleSettings(engine) {
  if (process.env.BENCH_RULES !== "no-dataflow") return undefined;
  return Object.fromEntries(engine.RULES.filter((r) => r.meta.category === "injection").map((r) => [r.id, "off"]));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONTENDERS = ["acorn-locations", "acorn", "engine", "eslint"];

/** The function a contender's process times, and what it reports of one result. */
async function contender(name, text, file) {
  if (name === "engine") {
    const engine = await import(bundle);
    const input = { files: [{ path: path.basename(file), content: text }] };
    const options = { limits: engine.CLI_LIMITS, rules: ruleSettings(engine) };
    return {
      run: () => engine.scan(input, options),
      describe: (r) => ({ findings: r.findings.length, proofs: r.findings.filter((f) => f.proof?.verdict === "proven").length, notifications: r.notifications.map((n) => n.code) }),
    };
  }
  if (name === "eslint") {
    const { Linter } = await import("eslint");
    const security = (await import("eslint-plugin-security")).default;
    const linter = new Linter({ configType: "flat" });
    const config = [{ plugins: { security }, rules: security.configs.recommended.rules, languageOptions: { ecmaVersion: "latest", sourceType: "module" } }];
    return { run: () => linter.verify(text, config), describe: (messages) => ({ warnings: messages.length }) };
  }
  const { Parser } = await import("acorn");
  const locations = name === "acorn-locations";
  const parse = () => {
    try {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "module", locations, allowHashBang: true });
    } catch {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "script", locations, allowHashBang: true, allowReturnOutsideFunction: true });
    }
  };
  return { run: parse, describe: () => ({}) };
}

/** Child process: one cold run, SECONDS of warm-up, then at least 5 runs or SECONDS of them. */
async function timeChild(name, file) {
  const text = readFileSync(file, "utf8");
  const { run, describe } = await contender(name, text, file);
  let t = performance.now();
  const result = await run();
  const cold = performance.now() - t;
  const warmUntil = performance.now() + SECONDS * 1000;
  while (performance.now() < warmUntil) await run();
  const samples = [];
  const started = performance.now();
  while (samples.length < 5 || (performance.now() - started < SECONDS * 1000 && samples.length < 200)) {
    t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ cold, samples, ...describe(result) }));
}

/** Every contender's processes on one file, taking turns ROUNDS times; samples pooled per contender. */
function timeFile(file) {
  const runs = Object.fromEntries(CONTENDERS.map((c) => [c, { samples: [], cold: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of CONTENDERS) {
      const { samples, cold, ...described } = JSON.parse(execFileSync(process.execPath, [import.meta.filename, "--time", name, file], { encoding: "utf8", maxBuffer: 1 << 24 }));
      runs[name].samples.push(...samples);
      runs[name].cold.push(cold);
      Object.assign(runs[name], described);
    }
  }
  return Object.fromEntries(CONTENDERS.map((c) => [c, { ...runs[c], ms: median(runs[c].samples), coldMs: median(runs[c].cold) }]));
}

async function memoryChild(file) {
  const engine = await import(bundle);
  const content = readFileSync(file, "utf8");
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const baseline = process.resourceUsage().maxRSS * 1024;
  await engine.scan({ files: [{ path: path.basename(file), content }] }, { limits: engine.CLI_LIMITS, rules: ruleSettings(engine) });
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ peakRss: peak, addedPeak: Math.max(0, peak - Math.max(before, baseline)) }));
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--memory") return memoryChild(args[1]);
  if (args[0] === "--time") return timeChild(args[1], args[2]);

  const corpus = args.length ? args.map((f) => ["custom", f]) : DEFAULT_CORPUS;
  await buildEngine();

  const rows = [];
  for (const [label, rel] of corpus) {
    const file = path.resolve(root, rel);
    const bytes = statSync(file).size;
    const t = timeFile(file);
    const mem = JSON.parse(execFileSync(process.execPath, ["--expose-gc", import.meta.filename, "--memory", file], { encoding: "utf8" }));
    rows.push({
      label,
      file: rel,
      bytes,
      acornLocMs: t["acorn-locations"].ms,
      acornMs: t.acorn.ms,
      engineMs: t.engine.ms,
      eslintMs: t.eslint.ms,
      engineColdMs: t.engine.coldMs,
      eslintColdMs: t.eslint.coldMs,
      engineOverAcorn: t.engine.ms / t["acorn-locations"].ms,
      eslintOverEngine: t.eslint.ms / t.engine.ms,
      findings: t.engine.findings,
      proofs: t.engine.proofs,
      eslintWarnings: t.eslint.warnings,
      notifications: t.engine.notifications,
      samples: Object.fromEntries(CONTENDERS.map((c) => [c, t[c].samples.length])),
      peakRssMB: mem.peakRss / 2 ** 20,
      addedPeakMB: mem.addedPeak / 2 ** 20,
    });
  }

  const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  const pad = (s, n) => String(s).padStart(n);
  console.log(`\nEngine benchmark — node ${process.version}, ${rows.length} files (medians), rules: ${process.env.BENCH_RULES ?? "all"}\n`);
  console.log(["file".padEnd(44), pad("KB", 7), pad("acorn+loc", 10), pad("acorn", 8), pad("engine", 8), pad("eslint", 9), pad("eng/acorn", 10), pad("eslint/eng", 11), pad("findings", 9), pad("eslint", 7), pad("peakMB", 8)].join(" "));
  for (const r of rows) {
    console.log(
      [
        r.file.replace("node_modules/", "").padEnd(44),
        pad((r.bytes / 1024).toFixed(0), 7),
        pad(r.acornLocMs.toFixed(2), 10),
        pad(r.acornMs.toFixed(2), 8),
        pad(r.engineMs.toFixed(2), 8),
        pad(r.eslintMs.toFixed(1), 9),
        pad(r.engineOverAcorn.toFixed(2) + "×", 10),
        pad(r.eslintOverEngine.toFixed(1) + "×", 11),
        pad(r.findings, 9),
        pad(r.eslintWarnings, 7),
        pad(r.peakRssMB.toFixed(0), 8),
      ].join(" "),
    );
  }
  const total = (k) => rows.reduce((s, r) => s + r[k], 0);
  const bytes = total("bytes");
  console.log(`\nthroughput MB/s: acorn+locations ${mbps(bytes, total("acornLocMs"))}, acorn ${mbps(bytes, total("acornMs"))}, engine ${mbps(bytes, total("engineMs"))}, eslint+security ${mbps(bytes, total("eslintMs"))}`);
  console.log(`corpus ratios: engine/acorn(with locations) ${(total("engineMs") / total("acornLocMs")).toFixed(2)}×, engine/acorn(no locations) ${(total("engineMs") / total("acornMs")).toFixed(2)}×, eslint/engine ${(total("eslintMs") / total("engineMs")).toFixed(1)}×`);
  console.log(`first runs in fresh processes (cold): engine ${total("engineColdMs").toFixed(0)} ms, eslint+security ${total("eslintColdMs").toFixed(0)} ms, eslint/engine ${(total("eslintColdMs") / total("engineColdMs")).toFixed(1)}×`);
  console.log(`findings ${total("findings")}, proven ${total("proofs")}; eslint-plugin-security warnings ${total("eslintWarnings")}`);
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  writeFileSync(path.join(root, "bench", "results", "engine.json"), JSON.stringify({ node: process.version, rows }, null, 2));
}

await main();
