#!/usr/bin/env node
/**
 * Worst-case cost of one scan at the largest allowed size (DEFAULT_LIMITS: 10 files of 1 MB):
 * inputs built to make the engine work hard (distinct statements no SQL dialect parses, in .sql
 * files and as strings in code; JOIN chains that fail to parse; injection sinks with long SQL
 * templates; text dense with card-number candidates), next to two references measured in the
 * same run: acorn parsing about as many bytes of real JavaScript (acorn's own source), and a
 * scan of that JavaScript. Each case runs in a fresh process and reports its CPU time (user + system, which a
 * busy machine distorts less than wall time) and what the scan said it skipped.
 *
 *   node bench/hostile-input.mjs                                # this checkout's engine
 *   node bench/hostile-input.mjs /path/to/other/src/engine/index.ts   # another checkout's (before/after)
 *   BENCH_CASES=sql-files,js-strings node bench/hostile-input.mjs
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const entry = path.resolve(process.argv[2] ?? path.join(root, "src/engine/index.ts"));
const bundle = path.join(root, "dist", `bench-hostile-${Buffer.from(entry).toString("base64url").slice(-16)}.mjs`);
const FILES = 10;
const FILE_BYTES = 1_000_000;

/** Lines from `line(i)` until the file would pass FILE_BYTES. */
function fill(line) {
  let out = "";
  for (let i = 0; ; i++) {
    const next = line(i) + "\n";
    if (out.length + next.length > FILE_BYTES - 100) return out;
    out += next;
  }
}

const joins = (f, i) => `SELECT * FROM t${f}_${i} ` + Array.from({ length: 100 }, (_, k) => `JOIN t${k + 1} ON t${k + 1}.id = t${k}.id`).join(" ");
const condition = Array.from({ length: 250 }, (_, k) => `a${k} = ${k}`).join(" AND ");
/** Real JavaScript: copies of acorn's own source, as many as fit in a file. */
const realJs = () => {
  const text = readFileSync(path.join(root, "node_modules/acorn/dist/acorn.js"), "utf8");
  return Array.from({ length: FILES }, () => text.repeat(Math.floor(FILE_BYTES / Buffer.byteLength(text))));
};

/** Case name → the files of the scan (or, for the acorn floor, the texts to parse). */
const CASES = {
  "sql-files": () => Array.from({ length: FILES }, (_, f) => ({ path: `db/dump-${f}.sql`, content: fill((i) => `SELECT c${f}_${i} FROM WHERE x = ;`) })),
  "js-strings": () => Array.from({ length: FILES }, (_, f) => ({ path: `src/q-${f}.js`, content: fill((i) => `q("SELECT c${f}_${i} FROM WHERE x = ");`) })),
  "failing-joins": () => Array.from({ length: FILES }, (_, f) => ({ path: `db/joins-${f}.sql`, content: fill((i) => `${joins(f, i)} WHERE;`) })),
  sinks: () =>
    Array.from({ length: FILES }, (_, f) => ({
      path: `src/routes-${f}.js`,
      content: `app.get("/x", (req, res) => {\n${fill((i) => `  db.query("SELECT c${f}_${i} FROM t WHERE ${condition} AND id = '" + req.query.id + "'");`)}});\n`,
    })),
  "card-candidates": () =>
    Array.from({ length: FILES }, (_, f) => ({ path: `data/tracks-${f}.txt`, content: fill(() => ";4111111111111111=".repeat(11_000)) })),
  "real-js": () => realJs().map((content, f) => ({ path: `vendor/api-${f}.js`, content })),
  "acorn-floor": () => realJs(),
};

async function child(name) {
  const files = CASES[name]();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(typeof f === "string" ? f : f.content), 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let report;
  if (name === "acorn-floor") {
    const { Parser } = await import("acorn");
    for (const text of files) Parser.parse(text, { ecmaVersion: "latest", sourceType: "module", locations: true });
    report = {};
  } else {
    const engine = await import(bundle);
    const result = await engine.scan({ files });
    const skipped = result.notifications.filter((n) => /budget|cap/.test(n.code)).map((n) => `${n.code}: ${n.message.slice(0, 90)}`);
    report = { findings: result.findings.length, notifications: result.notifications.length, skipped: [...new Set(skipped)].slice(0, 3) };
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      name,
      mb: +(bytes / 1e6).toFixed(1),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      wallMs: Math.round(performance.now() - t0),
      ...report,
    }),
  );
}

if (process.env.BENCH_HOSTILE_CHILD) {
  await child(process.env.BENCH_HOSTILE_CHILD);
} else {
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile: bundle,
    logLevel: "error",
    nodePaths: [path.join(root, "node_modules")],
  });
  const only = process.env.BENCH_CASES?.split(",");
  console.log(`engine: ${path.relative(process.cwd(), entry) || entry}\n`);
  const rows = [];
  for (const name of Object.keys(CASES)) {
    if (only && !only.includes(name)) continue;
    try {
      const out = execFileSync(process.execPath, [import.meta.filename], {
        env: { ...process.env, BENCH_HOSTILE_CHILD: name },
        encoding: "utf8",
        timeout: Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000,
      });
      rows.push(JSON.parse(out.trim().split("\n").at(-1)));
    } catch (error) {
      rows.push({ name, error: error.code === "ETIMEDOUT" ? "timed out" : String(error.message).split("\n")[0] });
    }
  }
  const floor = rows.find((r) => r.name === "acorn-floor")?.cpuMs;
  console.log("case              MB   CPU ms  wall ms  ×acorn  findings  notes");
  for (const r of rows) {
    if (r.error) console.log(`${r.name.padEnd(16)}  ${r.error}`);
    else
      console.log(
        `${r.name.padEnd(16)} ${String(r.mb).padStart(4)} ${String(r.cpuMs).padStart(8)} ${String(r.wallMs).padStart(8)} ${floor ? (r.cpuMs / floor).toFixed(1).padStart(6) + "×" : "      "} ${String(r.findings ?? "").padStart(9)}  ${(r.skipped ?? []).join(" | ")}`,
      );
  }
}
