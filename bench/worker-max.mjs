#!/usr/bin/env node
/**
 * The largest submission the Worker accepts (`npm run bench:worker-max`): engine.scan() under
 * Node on the bundled engine with DEFAULT_LIMITS (10 MB in all, 1 MB a file, 2,000 files, 2 MB
 * analysed together), as the Worker's sync and queued scans call it. Three submissions, each just
 * under the limits:
 *
 *   projects    2,000 files (~5 KB on average) forming 80 apps of 25 files (bench/gen-tree.mjs,
 *               more endpoints per module so the total is just under 10 MB)
 *   libraries   ten ~1 MB files, each a webpack-style bundle of real CommonJS modules from
 *               node_modules (eslint, drizzle-orm, zod, hono, ajv, undici, …)
 *   app-bundles ten ~1 MB files, each a webpack-style bundle of generated app modules
 *
 * Each is built here and written to a temp file; then BENCH_WORKER_RUNS (2) times a fresh process
 * reads it and reports the time of scan() alone, its peak RSS (process.resourceUsage().maxRSS, Node's own ~45 MB included) and the heap
 * in use after it; then under --max-old-space-size=128, 96, 64, 48, 32 down to the first that
 * fails: whether it completes inside a 128 MB heap (a Worker isolate's limit; an approximation:
 * workerd counts the whole isolate), and about how much heap it needs.
 *
 *   npm run bench:worker-max
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Parser } from "acorn";
import { buildEngineBundle, bundlePath } from "./engine-bundle.mjs";
import { generateTree } from "./gen-tree.mjs";

const root = path.resolve(import.meta.dirname, "..");
const MAX_SCAN_BYTES = 10_000_000;
const MAX_FILE_BYTES = 1_000_000;
const RUNS = Number(process.env.BENCH_WORKER_RUNS ?? 2);
const HEAP_CAPS = [128, 96, 64, 48, 32];

/** CommonJS sources of installed packages (the folders are walked in path order). */
const LIBRARY_SOURCES = [
  ["node_modules/eslint/lib", /\.js$/],
  ["node_modules/drizzle-orm", /\.cjs$/],
  ["node_modules/zod", /\.cjs$/],
  ["node_modules/hono/dist/cjs", /\.js$/],
  ["node_modules/ajv/dist", /\.js$/],
  ["node_modules/undici/lib", /\.js$/],
  ["node_modules/@sentry/core/cjs", /\.js$/],
  ["node_modules/@sentry/utils/cjs", /\.js$/],
  ["node_modules/@eslint", /\.c?js$/],
  ["node_modules/@eslint-community", /\.c?js$/],
  ["node_modules/eslint-scope", /\.c?js$/],
  ["node_modules/semver", /\.js$/],
  ["node_modules/ws/lib", /\.js$/],
  ["node_modules/source-map-js/lib", /\.js$/],
  ["node_modules/esquery/dist", /\.js$/],
];

function walk(dir, pattern, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules") walk(abs, pattern, out);
    else if (e.isFile() && pattern.test(e.name) && !e.name.endsWith(".min.js")) out.push(abs);
  }
  return out;
}

/** Wraps modules `{ name, text }` into bundles of at most MAX_FILE_BYTES each, webpack-style. */
function bundles(modules, count, prefix) {
  const out = [];
  let parts = [];
  let size = 0;
  const head = (i) => `/* ${prefix}-${i}: CommonJS modules, webpack-style */\nvar __modules = {\n`;
  const tail = "};\n";
  for (const m of modules) {
    const part = `${JSON.stringify(m.name)}: function (module, exports, require) {\n${m.text}\n},\n`;
    const bytes = Buffer.byteLength(part);
    if (bytes + Buffer.byteLength(head(0)) + tail.length > MAX_FILE_BYTES) continue;
    if (size + bytes + Buffer.byteLength(head(out.length)) + tail.length > MAX_FILE_BYTES) {
      out.push({ path: `${prefix}-${out.length}.js`, content: head(out.length) + parts.join("") + tail });
      if (out.length === count) return out;
      parts = [];
      size = 0;
    }
    parts.push(part);
    size += bytes;
  }
  if (parts.length && out.length < count) out.push({ path: `${prefix}-${out.length}.js`, content: head(out.length) + parts.join("") + tail });
  return out;
}

/** Whether `text` parses as the body of a function (so the bundle stays valid JavaScript). */
function wraps(text) {
  try {
    Parser.parse(`(function (module, exports, require) {\n${text}\n})`, { ecmaVersion: "latest", sourceType: "script" });
    return true;
  } catch {
    return false;
  }
}

function submission(kind) {
  if (kind === "projects") {
    // The most endpoints per module that keeps 80 apps × 25 files under 10 MB.
    let best;
    for (let functions = 0; functions < 100; functions++) {
      const tree = generateTree({ apps: 80, functions, libEvery: 0, seed: 1 });
      if (tree.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) > MAX_SCAN_BYTES) break;
      best = tree;
    }
    return best.files.map((f) => ({ path: f.path, content: f.text }));
  }
  if (kind === "libraries") {
    const modules = [];
    for (const [dir, pattern] of LIBRARY_SOURCES) {
      for (const abs of walk(path.join(root, dir), pattern)) {
        const text = readFileSync(abs, "utf8");
        if (wraps(text)) modules.push({ name: path.relative(path.join(root, "node_modules"), abs), text });
      }
    }
    return bundles(modules, 10, "vendor-bundle");
  }
  if (kind === "app-bundles") {
    const tree = generateTree({ apps: 600, functions: 4, libEvery: 0, seed: 2 }).files.filter((f) => f.path.endsWith(".js"));
    return bundles(
      tree.map((f) => ({ name: f.path, text: f.text })),
      10,
      "app-bundle",
    );
  }
  throw new Error(`unknown submission ${kind}`);
}

/** Child process: loads a submission the parent wrote (so building it costs this process nothing) and scans it. */
async function child(file) {
  const engine = await import(pathToFileURL(process.env.BENCH_BUNDLE).href);
  const files = JSON.parse(readFileSync(file, "utf8"));
  globalThis.gc?.();
  const before = process.resourceUsage().maxRSS / 1024;
  const t = performance.now();
  const result = await engine.scan({ files }, { limits: engine.DEFAULT_LIMITS });
  const ms = performance.now() - t;
  const peak = process.resourceUsage().maxRSS / 1024;
  const heapAfterMB = process.memoryUsage().heapUsed / 2 ** 20;
  const codes = {};
  const examples = {};
  for (const n of result.notifications) {
    codes[n.code] = (codes[n.code] ?? 0) + 1;
    examples[n.code] ??= n.message;
  }
  process.stdout.write(
    JSON.stringify({
      files: files.length,
      bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
      largestFile: Math.max(...files.map((f) => Buffer.byteLength(f.content))),
      ms,
      peakRssMB: peak,
      rssBeforeScanMB: before,
      heapAfterMB,
      filesScanned: result.stats.filesScanned,
      findings: result.findings.length,
      crossFile: result.findings.filter((f) => f.flow.some((s) => s.location.path !== f.location.path)).length,
      notifications: codes,
      examples,
    }),
  );
}

async function main() {
  if (process.argv[2] === "--child") return child(process.argv[3]);
  const bundle = bundlePath("worker-max");
  await buildEngineBundle(bundle);
  const env = { ...process.env, BENCH_BUNDLE: bundle };
  const rows = [];
  for (const kind of ["projects", "libraries", "app-bundles"]) {
    const input = path.join(path.dirname(bundle), `worker-max-${kind}-${process.pid}.json`);
    writeFileSync(input, JSON.stringify(submission(kind)));
    const runs = [];
    for (let i = 0; i < RUNS; i++)
      runs.push(
        JSON.parse(execFileSync(process.execPath, ["--expose-gc", import.meta.filename, "--child", input], { env, encoding: "utf8", maxBuffer: 1 << 24 })),
      );
    // Smaller and smaller old-space caps, down to the first that fails: the heap the scan needs.
    const caps = [];
    for (const mb of HEAP_CAPS) {
      try {
        const r = JSON.parse(
          execFileSync(process.execPath, [`--max-old-space-size=${mb}`, import.meta.filename, "--child", input], {
            env,
            encoding: "utf8",
            maxBuffer: 1 << 24,
            stdio: ["ignore", "pipe", "pipe"],
          }),
        );
        caps.push({ mb, ms: r.ms, peakRssMB: r.peakRssMB });
      } catch (error) {
        caps.push({
          mb,
          failed:
            String(error.stderr ?? error.message)
              .split("\n")
              .find((l) => /heap|memory|Error/i.test(l))
              ?.trim() ?? "exited non-zero",
        });
        break;
      }
    }
    rmSync(input, { force: true });
    rows.push({ kind, runs, caps });
    const r = runs[0];
    console.log(
      `${kind.padEnd(12)} ${r.files} files, ${(r.bytes / 1e6).toFixed(2)} MB (largest ${(r.largestFile / 1e3).toFixed(0)} KB): scan ${runs.map((x) => (x.ms / 1000).toFixed(2)).join(", ")} s; peak RSS ${runs.map((x) => x.peakRssMB.toFixed(0)).join(", ")} MB (${r.rssBeforeScanMB.toFixed(0)} before the scan); heap after ${r.heapAfterMB.toFixed(0)} MB; ` +
        `scanned ${r.filesScanned}, findings ${r.findings} (${r.crossFile} across files), notifications ${JSON.stringify(r.notifications)}; ` +
        `old space capped: ${caps.map((c) => (c.failed ? `${c.mb} MB fails (${c.failed.slice(0, 60)})` : `${c.mb} MB ok (${(c.ms / 1000).toFixed(1)} s, RSS ${c.peakRssMB.toFixed(0)} MB)`)).join(", ")}`,
    );
    for (const [code, message] of Object.entries(r.examples)) console.log(`    ${code}: ${message}`);
  }
  rmSync(bundle, { force: true });
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const out = path.join(root, "bench", "results", "worker-max.json");
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), rows }, null, 2));
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; raw figures: ${path.relative(root, out)}`,
  );
}

await main();
