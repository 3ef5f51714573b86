#!/usr/bin/env node
/**
 * Engine benchmark (`npm run bench`): on the same real-world JavaScript from installed npm
 * packages, times acorn's parse alone (the floor, with and without locations), this engine's full
 * scan, and ESLint with eslint-plugin-security; prints throughput, the ratios engine/acorn and
 * eslint/engine, findings counts, and the engine's peak memory per row.
 *
 * A row is one file or one folder. A folder is a project (node_modules/hono/dist/cjs by default):
 * acorn parses each of its JS/TS files, the engine scans all of them in ONE scan() call (whole-
 * project analysis: module graph, cross-file dataflow), and ESLint lints each file. A single file
 * is a project of one.
 *
 * Each contender runs in a process of its own, so no contender's garbage is collected on another's
 * clock (ESLint leaves hundreds of MB behind it per multi-MB file): a first, cold run is timed, then
 * the contender warms up for a fixed time and the median of the runs after that is its time in that
 * turn, as a long-lived Worker isolate or editor process would see it. The processes of the
 * contenders take turns, twice over, so a busy machine slows them alike; a contender's figure is
 * the mean of its turns' medians, and each ratio is also given per turn (lowest–highest).
 *
 *   npm run bench                 # default corpus
 *   npm run bench -- FILE...      # your own files
 *   BENCH_RULES=no-dataflow npm run bench   # without the taint (injection) rules
 *   BENCH_ROUNDS=3 BENCH_SECONDS=8 npm run bench   # more turns, longer warm-up and measuring
 *   BENCH_CLOCK=cpu npm run bench  # time on each process's CPU clock (for a busy, shared machine)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { DEFAULT_CORPUS, readRow } from "./corpus.mjs";
import { buildEngineBundle, bundlePath } from "./engine-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bundle = bundlePath("engine");

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

/** The function a contender's process times over a row's files, and what it reports of one result. */
async function contender(name, files) {
  if (name === "engine") {
    const engine = await import(pathToFileURL(bundle).href);
    const input = { files: files.map((f) => ({ path: f.path, content: f.text })) };
    const options = { limits: engine.CLI_LIMITS, rules: ruleSettings(engine) };
    return {
      run: () => engine.scan(input, options),
      describe: (r) => ({
        findings: r.findings.length,
        proofs: r.findings.filter((f) => f.proof?.verdict === "proven").length,
        crossFile: r.findings.filter((f) => f.flow.some((s) => s.location.path !== f.location.path)).length,
        notifications: [...new Set(r.notifications.map((n) => n.code))],
      }),
    };
  }
  if (name === "eslint") {
    const { Linter } = await import("eslint");
    const security = (await import("eslint-plugin-security")).default;
    const linter = new Linter({ configType: "flat" });
    const config = [{ plugins: { security }, rules: security.configs.recommended.rules, languageOptions: { ecmaVersion: "latest", sourceType: "module" } }];
    return {
      run: () => files.map((f) => linter.verify(f.text, config, { filename: f.path })),
      // A fatal message is a file ESLint could not parse: it then did no work on it.
      describe: (perFile) => ({
        warnings: perFile.reduce((n, m) => n + m.filter((x) => !x.fatal).length, 0),
        eslintFatal: perFile.filter((m) => m.some((x) => x.fatal)).length,
      }),
    };
  }
  const { Parser } = await import("acorn");
  const locations = name === "acorn-locations";
  const parse = (text) => {
    try {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "module", locations, allowHashBang: true });
    } catch {
      return Parser.parse(text, { ecmaVersion: "latest", sourceType: "script", locations, allowHashBang: true, allowReturnOutsideFunction: true });
    }
  };
  return { run: () => files.map((f) => parse(f.text)), describe: () => ({}) };
}

/**
 * The clock samples are read on: wall time (default), or with BENCH_CLOCK=cpu this process's CPU
 * time (user + system, all its threads: V8's GC helpers included), which other processes on a
 * busy machine disturb far less than the wall clock.
 */
const CLOCK = process.env.BENCH_CLOCK === "cpu" ? "cpu" : "wall";
const now =
  CLOCK === "cpu"
    ? () => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      }
    : () => performance.now();

/** Child process: one cold run, SECONDS of warm-up, then at least 5 runs or SECONDS of them. */
async function timeChild(name, target) {
  const { run, describe } = await contender(name, readRow(target));
  let t = now();
  const result = await run();
  const cold = now() - t;
  const warmUntil = performance.now() + SECONDS * 1000;
  while (performance.now() < warmUntil) await run();
  const samples = [];
  const started = performance.now();
  while (samples.length < 5 || (performance.now() - started < SECONDS * 1000 && samples.length < 200)) {
    t = now();
    await run();
    samples.push(now() - t);
  }
  process.stdout.write(JSON.stringify({ cold, samples, ...describe(result) }));
}

/**
 * Every contender's processes on one row, taking turns ROUNDS times. A contender's figure is the
 * median of each turn's runs, averaged over the turns; the turns' own ratios give the spread.
 */
function timeFile(file) {
  const runs = Object.fromEntries(CONTENDERS.map((c) => [c, { samples: [], cold: [], rounds: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of CONTENDERS) {
      const { samples, cold, ...described } = JSON.parse(
        execFileSync(process.execPath, [import.meta.filename, "--time", name, file], {
          encoding: "utf8",
          maxBuffer: 1 << 24,
          env: { ...process.env, BENCH_BUNDLE: bundle },
        }),
      );
      runs[name].samples.push(...samples);
      runs[name].cold.push(cold);
      runs[name].rounds.push(median(samples));
      Object.assign(runs[name], described);
    }
  }
  // Each turn weighs the same whatever its sample count, so a ratio of two figures always lies
  // between the lowest and highest ratio of the turns.
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return Object.fromEntries(CONTENDERS.map((c) => [c, { ...runs[c], ms: mean(runs[c].rounds), coldMs: median(runs[c].cold) }]));
}

/** min–max over turns of a/b, each turn's medians. */
function spread(a, b) {
  const r = a.rounds.map((x, i) => x / b.rounds[i]);
  return [Math.min(...r), Math.max(...r)];
}

async function memoryChild(target) {
  const engine = await import(pathToFileURL(bundle).href);
  const files = readRow(target).map((f) => ({ path: f.path, content: f.text }));
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const baseline = process.resourceUsage().maxRSS * 1024;
  await engine.scan({ files }, { limits: engine.CLI_LIMITS, rules: ruleSettings(engine) });
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ peakRss: peak, addedPeak: Math.max(0, peak - Math.max(before, baseline)) }));
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--memory") return memoryChild(args[1]);
  if (args[0] === "--time") return timeChild(args[1], args[2]);

  const corpus = args.length ? args.map((f) => ["custom", f]) : DEFAULT_CORPUS;
  await buildEngineBundle(bundle);

  const rows = [];
  for (const [label, rel] of corpus) {
    const file = path.resolve(root, rel);
    const rowFiles = readRow(file);
    const bytes = rowFiles.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    const t = timeFile(file);
    const mem = JSON.parse(
      execFileSync(process.execPath, ["--expose-gc", import.meta.filename, "--memory", file], {
        encoding: "utf8",
        env: { ...process.env, BENCH_BUNDLE: bundle },
      }),
    );
    const [engAcornLo, engAcornHi] = spread(t.engine, t["acorn-locations"]);
    const [engPlainLo, engPlainHi] = spread(t.engine, t.acorn);
    const [eslintLo, eslintHi] = spread(t.eslint, t.engine);
    rows.push({
      label,
      file: rel,
      files: rowFiles.length,
      bytes,
      acornLocMs: t["acorn-locations"].ms,
      acornMs: t.acorn.ms,
      engineMs: t.engine.ms,
      eslintMs: t.eslint.ms,
      engineColdMs: t.engine.coldMs,
      eslintColdMs: t.eslint.coldMs,
      engineOverAcorn: t.engine.ms / t["acorn-locations"].ms,
      engineOverAcornPlain: t.engine.ms / t.acorn.ms,
      eslintOverEngine: t.eslint.ms / t.engine.ms,
      spreadEngineOverAcorn: [engAcornLo, engAcornHi],
      spreadEngineOverAcornPlain: [engPlainLo, engPlainHi],
      spreadEslintOverEngine: [eslintLo, eslintHi],
      roundMedians: Object.fromEntries(CONTENDERS.map((c) => [c, t[c].rounds])),
      findings: t.engine.findings,
      proofs: t.engine.proofs,
      crossFile: t.engine.crossFile,
      eslintWarnings: t.eslint.warnings,
      eslintFatal: t.eslint.eslintFatal,
      notifications: t.engine.notifications,
      samples: Object.fromEntries(CONTENDERS.map((c) => [c, t[c].samples.length])),
      peakRssMB: mem.peakRss / 2 ** 20,
      addedPeakMB: mem.addedPeak / 2 ** 20,
    });
  }

  const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  const pad = (s, n) => String(s).padStart(n);
  console.log(
    `\nEngine benchmark — node ${process.version}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; ${rows.length} rows (medians), rules: ${process.env.BENCH_RULES ?? "all"}, clock: ${CLOCK}\n`,
  );
  const range = ([lo, hi], digits) => `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
  console.log(
    "times in ms: each turn's median, averaged over the turns; ratios: of those, [lowest–highest of the turns]; eng/acorn = engine / acorn with locations, eng/plain = engine / acorn without",
  );
  console.log(
    [
      "row".padEnd(36),
      pad("files", 5),
      pad("KB", 6),
      pad("acorn+loc", 9),
      pad("acorn", 8),
      pad("engine", 8),
      pad("eslint", 8),
      pad("eng/acorn", 20),
      pad("eng/plain", 20),
      pad("eslint/eng", 18),
      pad("find", 5),
      pad("xfile", 5),
      pad("eslint", 6),
      pad("peakMB", 6),
    ].join(" "),
  );
  for (const r of rows) {
    console.log(
      [
        r.file.replace("node_modules/", "").padEnd(36),
        pad(r.files, 5),
        pad((r.bytes / 1024).toFixed(0), 6),
        pad(r.acornLocMs.toFixed(2), 9),
        pad(r.acornMs.toFixed(2), 8),
        pad(r.engineMs.toFixed(2), 8),
        pad(r.eslintMs.toFixed(1), 8),
        pad(`${r.engineOverAcorn.toFixed(2)}× [${range(r.spreadEngineOverAcorn, 2)}]`, 20),
        pad(`${r.engineOverAcornPlain.toFixed(2)}× [${range(r.spreadEngineOverAcornPlain, 2)}]`, 20),
        pad(`${r.eslintOverEngine.toFixed(1)}× [${range(r.spreadEslintOverEngine, 1)}]`, 18),
        pad(r.findings, 5),
        pad(r.crossFile, 5),
        pad(r.eslintWarnings, 6),
        pad(r.peakRssMB.toFixed(0), 6),
      ].join(" "),
    );
  }
  const fatal = rows.filter((r) => r.eslintFatal > 0);
  if (fatal.length) console.log(`ESLint could not parse ${fatal.map((r) => `${r.eslintFatal} file(s) of ${r.file}`).join(", ")}: it did no work on them`);
  const notes = rows.filter((r) => r.notifications?.length);
  if (notes.length) console.log(`engine notifications: ${notes.map((r) => `${r.file}: ${r.notifications.join(", ")}`).join("; ")}`);
  const total = (k) => rows.reduce((s, r) => s + r[k], 0);
  const bytes = total("bytes");
  console.log(
    `\nthroughput MB/s: acorn+locations ${mbps(bytes, total("acornLocMs"))}, acorn ${mbps(bytes, total("acornMs"))}, engine ${mbps(bytes, total("engineMs"))}, eslint+security ${mbps(bytes, total("eslintMs"))}`,
  );
  // Per turn: the sum over rows of each contender's median in that turn.
  const turnTotal = (c) => Array.from({ length: ROUNDS }, (_, i) => rows.reduce((s, r) => s + r.roundMedians[c][i], 0));
  const turnRange = (a, b, digits) => {
    const ta = turnTotal(a);
    const tb = turnTotal(b);
    const r = ta.map((x, i) => x / tb[i]);
    return `[${Math.min(...r).toFixed(digits)}–${Math.max(...r).toFixed(digits)}]`;
  };
  console.log(
    `corpus ratios: engine/acorn(with locations) ${(total("engineMs") / total("acornLocMs")).toFixed(2)}× ${turnRange("engine", "acorn-locations", 2)}, engine/acorn(no locations) ${(total("engineMs") / total("acornMs")).toFixed(2)}× ${turnRange("engine", "acorn", 2)}, eslint/engine ${(total("eslintMs") / total("engineMs")).toFixed(1)}× ${turnRange("eslint", "engine", 1)}`,
  );
  console.log(
    `first runs in fresh processes (cold): engine ${total("engineColdMs").toFixed(0)} ms, eslint+security ${total("eslintColdMs").toFixed(0)} ms, eslint/engine ${(total("eslintColdMs") / total("engineColdMs")).toFixed(1)}×`,
  );
  console.log(
    `findings ${total("findings")} (across files ${total("crossFile")}), proven ${total("proofs")}; eslint-plugin-security warnings ${total("eslintWarnings")}`,
  );
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const out = path.join(root, "bench", "results", "engine.json");
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        clock: CLOCK,
        node: process.version,
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        loadavg: os.loadavg(),
        rules: process.env.BENCH_RULES ?? "all",
        rows,
      },
      null,
      2,
    ),
  );
  console.log(`raw figures: ${path.relative(root, out)}`);
  if (!process.env.BENCH_BUNDLE) rmSync(bundle, { force: true });
}

await main();
