#!/usr/bin/env node
/**
 * Engine benchmark (`npm run bench`): on the same real-world JavaScript from installed npm
 * packages, in one run, times acorn's parse alone (the floor, with and without locations), this
 * engine's full scan, and ESLint with eslint-plugin-security; prints throughput and the ratios
 * engine/acorn and eslint/engine, findings counts, and the engine's peak memory per file
 * (measured in a fresh child process). Medians of repeated runs after warm-up.
 *
 *   npm run bench                 # default corpus
 *   npm run bench -- FILE...      # your own files
 *   BENCH_RULES=no-dataflow npm run bench   # without the taint (injection) rules
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
  return import(bundle);
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

/**
 * Median milliseconds of each function, measured in interleaved rounds (one run of each per
 * round, at least 5 rounds or ~3 s of work) after warm-up, so a busy machine slows every
 * contender alike and the ratios stay meaningful.
 */
async function timeAll(fns) {
  for (const fn of fns) {
    await fn();
    await fn();
  }
  const samples = fns.map(() => []);
  const started = performance.now();
  while (samples[0].length < 5 || (performance.now() - started < 3000 && samples[0].length < 40)) {
    for (let i = 0; i < fns.length; i++) {
      const t = performance.now();
      await fns[i]();
      samples[i].push(performance.now() - t);
    }
  }
  return samples.map(median);
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

  const corpus = args.length ? args.map((f) => ["custom", f]) : DEFAULT_CORPUS;
  const engine = await buildEngine();
  const { Parser } = await import("acorn");
  const { Linter } = await import("eslint");
  const security = (await import("eslint-plugin-security")).default;
  const linter = new Linter({ configType: "flat" });
  const eslintConfig = [{ plugins: { security }, rules: security.configs.recommended.rules, languageOptions: { ecmaVersion: "latest", sourceType: "module" } }];

  const parse = (text, locations) => {
    try {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "module", locations, allowHashBang: true });
    } catch {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "script", locations, allowHashBang: true, allowReturnOutsideFunction: true });
    }
  };

  const rows = [];
  for (const [label, rel] of corpus) {
    const file = path.resolve(root, rel);
    const text = readFileSync(file, "utf8");
    const bytes = statSync(file).size;
    const input = { files: [{ path: path.basename(file), content: text }] };
    const options = { limits: engine.CLI_LIMITS, rules: ruleSettings(engine) };
    const result = await engine.scan(input, options);
    const eslintMessages = linter.verify(text, eslintConfig);
    const [acornLoc, acornBare, scanMs, eslintMs] = await timeAll([
      () => parse(text, true),
      () => parse(text, false),
      () => engine.scan(input, options),
      () => linter.verify(text, eslintConfig),
    ]);
    const mem = JSON.parse(execFileSync(process.execPath, ["--expose-gc", import.meta.filename, "--memory", file], { encoding: "utf8" }));
    rows.push({
      label,
      file: rel,
      bytes,
      acornLocMs: acornLoc,
      acornMs: acornBare,
      engineMs: scanMs,
      eslintMs,
      engineOverAcorn: scanMs / acornLoc,
      eslintOverEngine: eslintMs / scanMs,
      findings: result.findings.length,
      proofs: result.findings.filter((f) => f.proof?.verdict === "proven").length,
      eslintWarnings: eslintMessages.length,
      notifications: result.notifications.map((n) => n.code),
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
  console.log(`findings ${total("findings")}, proven ${total("proofs")}; eslint-plugin-security warnings ${total("eslintWarnings")}`);
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  writeFileSync(path.join(root, "bench", "results", "engine.json"), JSON.stringify({ node: process.version, rows }, null, 2));
}

await main();
