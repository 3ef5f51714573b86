#!/usr/bin/env node
/**
 * API benchmark (`npm run bench:api`): drives `npm start`'s local server (wrangler dev --local)
 * with autocannon on loopback, a bounded number of requests per scenario:
 *   1. GET /healthz (a D1 query: the floor of a routed request),
 *   2. POST /v1/scans with a ~9 KB realistic file, synchronous, every body distinct (no dedupe),
 *   3. the same with the rate limiter switched off (RATE_LIMITING=off: a second server),
 *   4. the same identical body repeated (dedupe answers with the earlier scan).
 * Prints req/s, p50 and p99 latency, the ratio scan/healthz and the limiter's added latency.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";

const root = path.resolve(import.meta.dirname, "..");
const AMOUNT = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const source = readFileSync(path.join(root, "bench/corpus/checkout-service.js"), "utf8");
// Generous policies so the limiter is consulted on every request but never denies one.
const POLICIES = JSON.stringify({
  requests: { quota: 1_000_000, window: 60 },
  bytes: { quota: 100_000_000_000, window: 86_400 },
  ip: { quota: 1000, window: 60 },
});

async function startServer(port, extraVars) {
  const args = ["scripts/dev.mjs", "--var", `RATE_LIMIT_POLICIES:${POLICIES}`, ...extraVars.flatMap((v) => ["--var", v])];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  for (let i = 0; i < 600; i++) {
    const key = /Development API key: (\S+)/.exec(out)?.[1];
    if (key) return { child, key };
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`server did not start:\n${out}`);
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, amount: AMOUNT, timeout: 30, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function scanRequests(key, distinct) {
  let n = 0;
  return {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    requests: [
      {
        setupRequest(req) {
          const content = distinct ? `${source}\n// request ${n++}\n` : source;
          return { ...req, body: JSON.stringify({ files: [{ path: "src/checkout-service.js", content }] }) };
        },
      },
    ],
  };
}

function summary(name, r) {
  const non2xx = r.non2xx + r.errors + r.timeouts;
  return { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total ?? AMOUNT, failures: non2xx };
}

async function main() {
  const limited = await startServer(8790, []);
  const results = [];
  try {
    const base = "http://127.0.0.1:8790";
    await run({ url: `${base}/healthz`, amount: 200 }); // warm-up
    results.push(summary("GET /healthz", await run({ url: `${base}/healthz` })));
    results.push(summary("POST /v1/scans (~9 KB, limiter on)", await run({ url: `${base}/v1/scans`, ...scanRequests(limited.key, true) })));
    results.push(summary("POST /v1/scans (identical body: dedupe)", await run({ url: `${base}/v1/scans`, ...scanRequests(limited.key, false) })));
  } finally {
    limited.child.kill("SIGTERM");
  }
  await new Promise((r) => setTimeout(r, 1500));
  const open = await startServer(8791, ["RATE_LIMITING:off"]);
  try {
    const base = "http://127.0.0.1:8791";
    await run({ url: `${base}/healthz`, amount: 200 });
    results.splice(2, 0, summary("POST /v1/scans (~9 KB, limiter off)", await run({ url: `${base}/v1/scans`, ...scanRequests(open.key, true) })));
  } finally {
    open.child.kill("SIGTERM");
  }

  console.log(`\nAPI benchmark — wrangler dev --local on loopback, ${AMOUNT} requests per scenario, ${CONNECTIONS} connections\n`);
  console.log(["scenario".padEnd(44), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "non-2xx".padStart(8)].join(" "));
  for (const r of results)
    console.log(
      [r.name.padEnd(44), r.reqPerSec.toFixed(0).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.failures).padStart(8)].join(" "),
    );
  const [health, scanOn, scanOff] = results;
  console.log(
    `\nscan/healthz: throughput ${(health.reqPerSec / scanOn.reqPerSec).toFixed(2)}× lower, p50 ${(scanOn.p50 / Math.max(1, health.p50)).toFixed(2)}×`,
  );
  console.log(
    `limiter adds: p50 ${scanOn.p50 - scanOff.p50} ms, p99 ${scanOn.p99 - scanOff.p99} ms, throughput ${((1 - scanOn.reqPerSec / scanOff.reqPerSec) * 100).toFixed(1)}% lower`,
  );
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  writeFileSync(path.join(root, "bench/results/api.json"), JSON.stringify(results, null, 2));
}

await main();
