#!/usr/bin/env node
/**
 * Multi-tenant load simulation (`npm run bench:tenants`): the measured half of docs/SCALING.md,
 * which asks where one tenant, or the whole service, meets a limit first. It starts its own
 * `wrangler dev --local` on loopback (BENCH_PORT, default 8790) with fresh state in a temporary
 * directory, so the dev server's database is never touched, creates BENCH_TENANTS projects with
 * the admin token, and then runs four bounded phases:
 *   1. mixed load: an open-loop Poisson stream of BENCH_RATE requests/s for BENCH_SECONDS, spread
 *      over the tenants by a Zipf law (a few hot tenants, a long tail): synchronous scans of a
 *      ~9 KB file, queued scans of ~BENCH_QUEUED_KB (over SYNC_SCAN_MAX_BYTES, so they wait in R2
 *      and go through the queue), and reads (scan, findings page, SARIF, list). At most
 *      BENCH_MAX_INFLIGHT requests are in flight; arrivals past that are counted as shed;
 *   2. drain: waits, at most BENCH_DRAIN_SECONDS, for the queue to finish the queued scans;
 *   3. hot key: one fresh tenant in a closed loop (BENCH_HOT_CONNECTIONS) for BENCH_HOT_SECONDS:
 *      the rate one limiter Durable Object answers, and whether its count stays exact;
 *   4. cap probe: one synchronous scan just under SYNC_SCAN_MAX_BYTES built to reach the
 *      500-findings-per-rule-per-file cap on five rules in every file.
 * Afterwards it reads the local D1 file read-only (node:sqlite): findings rows and bytes per row
 * (dbstat), queue lag from the scans' timestamps, proofs sent to R2; and it times the findings
 * INSERTs the scan path issues on a copy of that file (plain SQLite here: a floor for one
 * single-threaded database, before any D1 overhead). Prints counts and ratios, not pass/fail, and
 * writes bench/results/tenants.json (and the server's log beside it). BENCH_POLICIES (JSON)
 * replaces RATE_LIMIT_POLICIES, e.g. to scale quotas down to what this machine can drive past.
 * These are figures for one workerd process on this machine, not for Cloudflare's network.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DatabaseSync } from "node:sqlite";

const root = path.resolve(import.meta.dirname, "..");
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const TENANTS = env("BENCH_TENANTS", 20);
const SECONDS = env("BENCH_SECONDS", 30);
const RATE = env("BENCH_RATE", 10);
const ZIPF = env("BENCH_ZIPF", 1.2);
const QUEUED_KB = env("BENCH_QUEUED_KB", 300);
const MAX_INFLIGHT = env("BENCH_MAX_INFLIGHT", 64);
const PORT = env("BENCH_PORT", 8790);
const DRAIN_SECONDS = env("BENCH_DRAIN_SECONDS", 90);
const HOT_SECONDS = env("BENCH_HOT_SECONDS", 5);
const HOT_CONNECTIONS = env("BENCH_HOT_CONNECTIONS", 16);
const MIX = Object.fromEntries(
  (process.env.BENCH_MIX ?? "sync:60,queued:10,read:30")
    .split(",")
    .map((p) => p.split(":"))
    .map(([k, v]) => [k, Number(v)]),
);

const base = `http://127.0.0.1:${PORT}`;
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
const SYNC_MAX = Number(/^SYNC_SCAN_MAX_BYTES = "(\d+)"/m.exec(toml)[1]);
const POLICIES = JSON.parse(process.env.BENCH_POLICIES ?? /^RATE_LIMIT_POLICIES = '(.*)'$/m.exec(toml)[1]);
const corpus = readFileSync(path.join(root, "bench/corpus/checkout-service.js"), "utf8");
const adminToken = randomBytes(24).toString("base64url");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const resultsDir = path.join(root, "bench/results");
/** A request still unanswered after this counts as failed (status 0), so no phase can hang. */
const REQUEST_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------- server

function wranglerSync(args) {
  const r = spawnSync(wranglerBin, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
}

async function startServer(stateDir) {
  wranglerSync(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  const vars = ["AI_ENABLED:false", `ADMIN_TOKEN:${adminToken}`, `RATE_LIMIT_POLICIES:${JSON.stringify(POLICIES)}`];
  const args = ["dev", "--local", "--port", String(PORT), "--ip", "127.0.0.1", "--persist-to", stateDir, ...vars.flatMap((v) => ["--var", v])];
  // Its own process group, so stopping it also stops the workerd it spawns.
  const child = spawn(wranglerBin, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  // The server's own log (one JSON line per request and per queue job) stays beside the results.
  const log = createWriteStream(path.join(resultsDir, "tenants-server.log"));
  let tail = "";
  const keep = (d) => {
    log.write(d);
    tail = (tail + d).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${tail}`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await sleep(200);
  }
  await stopServer(child);
  throw new Error(`${base}/healthz did not answer within 60 s:\n${tail}`);
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid, "SIGTERM");
  if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) return;
  process.kill(-child.pid, "SIGKILL");
  await exited;
}

/** miniflare keeps each local D1 database as one SQLite file named by a hash. */
function d1File(stateDir) {
  const dir = path.join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  return path.join(
    dir,
    readdirSync(dir).find((n) => /^[0-9a-f]{64}\.sqlite$/.test(n)),
  );
}

// ---------------------------------------------------------------- HTTP

async function call(method, url, token, body) {
  const started = performance.now();
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json = null;
  if (res.headers.get("content-type")?.includes("json")) json = JSON.parse(text);
  return { status: res.status, ms, json, retryAfter: Number(res.headers.get("retry-after") ?? 0) };
}

/** Setup calls (project creation) wait out the admin's own request quota instead of failing. */
async function createProject(name) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = await call("POST", "/v1/projects", adminToken, { name, keyKind: "test" });
    if (r.status === 201) return { name, projectId: r.json.project.id, key: r.json.apiKey.key, completed: [], any: [] };
    if (r.status !== 429) throw new Error(`POST /v1/projects: ${r.status} ${JSON.stringify(r.json)}`);
    await sleep(r.retryAfter * 1000);
  }
  throw new Error("POST /v1/projects kept answering 429");
}

// ---------------------------------------------------------------- workload

function zipfPicker(n, s) {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  return {
    share: weights.map((w) => w / total),
    pick: () => {
      const x = Math.random();
      const i = cumulative.findIndex((c) => x < c);
      return i < 0 ? n - 1 : i;
    },
  };
}

function mixPicker(mix) {
  const entries = Object.entries(mix);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  return () => {
    let x = Math.random() * total;
    for (const [op, w] of entries) if ((x -= w) < 0) return op;
    return entries.at(-1)[0];
  };
}

let serial = 0;
const syncBody = (tag) => ({ files: [{ path: "src/checkout-service.js", content: `${corpus}\n// ${tag} ${serial++}\n` }] });
const queuedFiles = Math.max(1, Math.round((QUEUED_KB * 1000) / corpus.length));
function queuedBody(tag) {
  const n = serial++;
  return { files: Array.from({ length: queuedFiles }, (_, i) => ({ path: `src/module-${i}.js`, content: `${corpus}\n// ${tag} ${n} file ${i}\n` })) };
}

/** What one arrival asks for; reads pick among the tenant's scans known at that moment. */
function planOp(op, tenant) {
  if (op === "sync" || op === "queued")
    return { route: op, method: "POST", url: "/v1/scans", body: () => (op === "sync" ? syncBody(tenant.name) : queuedBody(tenant.name)) };
  const pick = (ids) => ids[Math.floor(Math.random() * ids.length)];
  const routes = [["list", "/v1/scans?limit=20"]];
  if (tenant.any.length) routes.push(["scan", `/v1/scans/${pick(tenant.any)}`]);
  if (tenant.completed.length) {
    const id = pick(tenant.completed);
    routes.push(["findings", `/v1/scans/${id}/findings?limit=50`], ["sarif", `/v1/scans/${id}/sarif`]);
  }
  const [name, url] = pick(routes);
  return { route: `read:${name}`, method: "GET", url };
}

/** Sends a planned request; the sample it returns feeds every figure below. */
async function runPlan(plan, tenant, at) {
  const body = plan.body?.();
  const bytes = body ? body.files.reduce((a, f) => a + Buffer.byteLength(f.content), 0) : 0;
  const r = await call(plan.method, plan.url, tenant.key, body);
  if (body && r.status === 201) tenant.completed.push(r.json.id);
  if (body && (r.status === 201 || r.status === 202)) tenant.any.push(r.json.id);
  return { route: plan.route, tenant: tenant.name, status: r.status, ms: r.ms, at, bytes, policy: r.status === 429 ? r.json?.policy : undefined };
}

/** Open loop: arrivals do not wait for answers, so a slow server shows as latency and shed load. */
async function mixedLoad(tenants) {
  const zipf = zipfPicker(tenants.length, ZIPF);
  const pickOp = mixPicker(MIX);
  const samples = [];
  const inflight = new Set();
  const t0 = performance.now();
  const startedAt = Date.now();
  let next = 0;
  for (;;) {
    next += (-Math.log(1 - Math.random()) / RATE) * 1000;
    if (next >= SECONDS * 1000) break;
    const wait = t0 + next - performance.now();
    if (wait > 0) await sleep(wait);
    const tenant = tenants[zipf.pick()];
    const plan = planOp(pickOp(), tenant);
    const at = next;
    if (inflight.size >= MAX_INFLIGHT) {
      samples.push({ route: plan.route, tenant: tenant.name, shed: true, at });
      continue;
    }
    const p = runPlan(plan, tenant, at).then(
      (s) => samples.push(s),
      (error) => samples.push({ route: plan.route, tenant: tenant.name, status: 0, ms: 0, at, bytes: 0, error: String(error) }),
    );
    inflight.add(p);
    p.finally(() => inflight.delete(p));
  }
  await Promise.all(inflight);
  return { samples, share: zipf.share, startedAt, endedAt: Date.now(), seconds: (performance.now() - t0) / 1000 };
}

/** SQL: whether a scans row went through the queue (asked to, or over the synchronous size). */
const QUEUED = `(json_extract(options, '$.async') = 1 OR byte_count > ${SYNC_MAX})`;

/** Queued scans accepted but not finished: the queue's backlog. */
const backlogNow = (db) => db.prepare(`SELECT count(*) AS n FROM scans WHERE status IN ('queued', 'running') AND ${QUEUED}`).get().n;

/** The backlog once a second until it is empty or time is up. */
async function drain(db, seconds) {
  const timeline = [];
  const t0 = performance.now();
  for (;;) {
    const backlog = backlogNow(db);
    timeline.push({ s: Math.round((performance.now() - t0) / 1000), backlog });
    if (backlog === 0 || performance.now() - t0 > seconds * 1000) return { timeline, seconds: (performance.now() - t0) / 1000, left: backlog };
    await sleep(1000);
  }
}

/** One tenant in a closed loop: every request hits the same `requests` limiter object. */
async function hotKey(tenant) {
  const samples = [];
  const t0 = performance.now();
  const end = t0 + HOT_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: HOT_CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const r = await call("GET", "/v1/scans?limit=1", tenant.key).catch(() => ({ status: 0, ms: REQUEST_TIMEOUT_MS }));
        samples.push({ status: r.status, ms: r.ms });
      }
    }),
  );
  return { samples, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Five rules fire on every line, and no file has more than 500 lines (the per-rule, per-file
 * cap), so every line up to SYNC_SCAN_MAX_BYTES yields five findings.
 */
function capProbeBody() {
  const line = (i) =>
    `app.get("/a${i}", (req, res) => { fetch("http://h.io/" + req.query.u); db.query("SELECT * FROM t WHERE id = " + req.query.id); eval(req.query.c); res.send(req.query.x); crypto.createHash("md5").update(req.query.p); });\n`;
  const lines = [];
  for (let bytes = 0, i = 0; bytes + Buffer.byteLength(line(i)) < SYNC_MAX - 1024; i++) {
    lines.push(line(i));
    bytes += Buffer.byteLength(line(i));
  }
  const files = [];
  for (let i = 0; i < lines.length; i += 500) files.push({ path: `src/routes-${files.length}.js`, content: lines.slice(i, i + 500).join("") });
  return { files };
}

// ---------------------------------------------------------------- figures

function pct(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

function summarizeOps(samples, seconds) {
  const groups = new Map();
  for (const s of samples) {
    const g = groups.get(s.route) ?? { route: s.route, offered: 0, shed: 0, ok: 0, limited: 0, failed: 0, other: 0, okMs: [], limitedMs: [] };
    groups.set(s.route, g);
    g.offered++;
    if (s.shed) g.shed++;
    else if (s.status >= 200 && s.status < 300) (g.ok++, g.okMs.push(s.ms));
    else if (s.status === 429) (g.limited++, g.limitedMs.push(s.ms));
    else if (s.status === 0 || s.status >= 500) g.failed++;
    else g.other++;
  }
  return [...groups.values()]
    .sort((a, b) => a.route.localeCompare(b.route))
    .map(({ okMs, limitedMs, ...g }) => ({
      ...g,
      okPerSec: +(g.ok / seconds).toFixed(2),
      p50: pct(okMs, 50),
      p90: pct(okMs, 90),
      p99: pct(okMs, 99),
      limitedP50: pct(limitedMs, 50),
    }));
}

/** Per tenant, rates over the arrival window (`seconds`), so they read as what the tenant offered. */
function summarizeTenants(samples, tenants, share, seconds) {
  return tenants.map((t, i) => {
    const offered = samples.filter((s) => s.tenant === t.name);
    const mine = offered.filter((s) => !s.shed);
    const byPolicy = {};
    for (const s of mine) if (s.status === 429) byPolicy[s.policy] = (byPolicy[s.policy] ?? 0) + 1;
    // Every answered request hit the tenant's "requests" object once; scans allowed by it also hit "bytes".
    const perSecond = new Map();
    for (const s of mine) {
      const k = Math.floor(s.at / 1000);
      perSecond.set(k, (perSecond.get(k) ?? 0) + 1);
    }
    const acceptedBytesPerSec = mine.filter((s) => s.status >= 200 && s.status < 300).reduce((a, s) => a + s.bytes, 0) / seconds;
    return {
      tenant: t.name,
      share: +share[i].toFixed(3),
      offeredPerSec: +(offered.length / seconds).toFixed(2),
      answered: mine.length,
      limited: mine.filter((s) => s.status === 429).length,
      limitedByPolicy: byPolicy,
      peakObjectHitsPerSec: Math.max(0, ...perSecond.values()),
      acceptedKBPerSec: Math.round(acceptedBytesPerSec / 1000),
      // At this rate, hours until the daily bytes quota is spent (the bytes policy's window is a day).
      hoursToBytesQuota: acceptedBytesPerSec > 0 ? +(POLICIES.bytes.quota / acceptedBytesPerSec / 3600).toPrecision(2) : null,
    };
  });
}

function storageFigures(db, { loadProjects, probeProject, window }) {
  const marks = (ids) => ids.map(() => "?").join(",");
  const kind = `CASE WHEN ${QUEUED} THEN 'queued' ELSE 'sync' END`;
  const scans = db
    .prepare(
      `SELECT ${kind} AS kind, status, count(*) AS n, sum(findings_total) AS findings, sum(byte_count) AS bytes FROM scans WHERE project_id IN (${marks(loadProjects)}) GROUP BY 1, 2`,
    )
    .all(...loadProjects);
  const queued = db
    .prepare(
      `SELECT started_at - created_at AS wait, finished_at - started_at AS run, finished_at - created_at AS total FROM scans WHERE project_id IN (${marks(loadProjects)}) AND ${kind} = 'queued' AND status = 'completed'`,
    )
    .all(...loadProjects);
  const inWindow = db
    .prepare(
      `SELECT count(*) AS scans, coalesce(sum(findings_total), 0) AS findings FROM scans WHERE status = 'completed' AND finished_at BETWEEN ? AND ? AND project_id IN (${marks(loadProjects)})`,
    )
    .get(window.startedAt, window.endedAt, ...loadProjects);
  const perSecond = db
    .prepare(
      `SELECT max(n) AS peak FROM (SELECT finished_at / 1000 AS s, sum(findings_total) AS n FROM scans WHERE status = 'completed' AND finished_at BETWEEN ? AND ? GROUP BY 1)`,
    )
    .get(window.startedAt, window.endedAt);
  const payload = `length(scan_id) + length(id) + length(rule_id) + length(severity) + length(confidence) + length(title) + length(message) + length(path) + length(fingerprint) + length(snippet) + length(details) + coalesce(length(proof), 0) + coalesce(length(proof_key), 0) + coalesce(length(explanation), 0) + 5 * 8`;
  const rowBytes = (projects) =>
    db
      .prepare(
        `SELECT count(*) AS rows, round(avg(${payload})) AS avgPayload, max(${payload}) AS maxPayload, round(avg(length(details))) AS avgDetails, round(avg(coalesce(length(proof), 0))) AS avgProof, round(avg(length(snippet))) AS avgSnippet, round(avg(length(scan_id) + length(id) + length(rule_id) + length(path) + length(fingerprint) + 3 * 8)) AS avgIndexColumns, sum(proof_key IS NOT NULL) AS proofsInR2, sum(proof IS NOT NULL) AS proofsInline FROM findings WHERE scan_id IN (SELECT id FROM scans WHERE project_id IN (${marks(projects)}))`,
      )
      .get(...projects);
  // Pages of the table and of every index on it (dbstat), per row: what a row costs in the database file.
  const onDisk = (table) => {
    const pages = db
      .prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?) GROUP BY name")
      .all(table);
    const rows = db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
    const bytes = pages.reduce((a, p) => a + p.bytes, 0);
    return { rows, bytes, bytesPerRow: Math.round(bytes / Math.max(1, rows)), byStructure: Object.fromEntries(pages.map((p) => [p.name, p.bytes])) };
  };
  return {
    scans,
    queuedLagMs: {
      n: queued.length,
      waitP50: pct(
        queued.map((q) => q.wait),
        50,
      ),
      waitP99: pct(
        queued.map((q) => q.wait),
        99,
      ),
      runP50: pct(
        queued.map((q) => q.run),
        50,
      ),
      runP99: pct(
        queued.map((q) => q.run),
        99,
      ),
      totalP99: pct(
        queued.map((q) => q.total),
        99,
      ),
    },
    writesDuringLoad: { ...inWindow, findingsPerSec: +(inWindow.findings / window.seconds).toFixed(1), peakFindingsInOneSecond: perSecond.peak ?? 0 },
    findingRow: { load: rowBytes(loadProjects), capProbe: rowBytes([probeProject]) },
    findingsOnDisk: onDisk("findings"),
    scansOnDisk: onDisk("scans"),
  };
}

/** The scan path's findings INSERTs (5 rows each, 50 statements per transaction) on a copy of the file. */
function sqliteInsertFloor(file, tmp) {
  const copy = path.join(tmp, "copy.sqlite");
  copyFileSync(file, copy);
  const db = new DatabaseSync(copy);
  const cols = [
    "scan_id",
    "id",
    "rule_id",
    "severity",
    "severity_rank",
    "confidence",
    "title",
    "message",
    "path",
    "start_line",
    "start_column",
    "end_line",
    "end_column",
    "fingerprint",
    "snippet",
    "details",
    "proof",
    "proof_key",
    "explanation",
  ];
  const rows = db.prepare(`SELECT ${cols.join(", ")} FROM findings LIMIT 5000`).all();
  const insert = db.prepare(
    `INSERT INTO findings (${cols.join(", ")}) VALUES ${Array(5)
      .fill(`(${cols.map(() => "?").join(", ")})`)
      .join(", ")}`,
  );
  let statements = 0;
  const t0 = performance.now();
  for (let round = 0; performance.now() - t0 < 2000 && round < 50; round++) {
    db.exec("BEGIN");
    for (let i = 0; i + 5 <= rows.length; i += 5) {
      insert.run(...rows.slice(i, i + 5).flatMap((r) => cols.map((c) => (c === "id" ? `${r.id}-copy${round}` : r[c]))));
      if (++statements % 50 === 0) (db.exec("COMMIT"), db.exec("BEGIN"));
    }
    db.exec("COMMIT");
  }
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return {
    statements,
    rows: statements * 5,
    seconds: +seconds.toFixed(2),
    statementsPerSec: Math.round(statements / seconds),
    rowsPerSec: Math.round((statements * 5) / seconds),
    usPerStatement: Math.round((seconds * 1e6) / statements),
  };
}

// ---------------------------------------------------------------- main

function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  console.log(columns.map((c, i) => c.padStart(widths[i])).join("  "));
  for (const r of rows) console.log(columns.map((c, i) => String(r[c] ?? "").padStart(widths[i])).join("  "));
}

/** Every phase, against a server whose state lives in `tmp`; returns the figures. */
async function simulate(tmp) {
  const stateDir = path.join(tmp, "state");
  const loadBefore = os.loadavg()[0];
  const server = await startServer(stateDir);
  const stop = () => {
    process.kill(-server.pid, "SIGKILL");
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", stop);
  const result = {
    config: {
      TENANTS,
      SECONDS,
      RATE,
      ZIPF,
      MIX,
      QUEUED_KB,
      queuedFiles,
      MAX_INFLIGHT,
      HOT_SECONDS,
      HOT_CONNECTIONS,
      POLICIES,
      SYNC_MAX,
      cpus: os.cpus().length,
    },
  };
  try {
    const tenants = [];
    for (let i = 1; i <= TENANTS; i++) tenants.push(await createProject(`tenant-${String(i).padStart(3, "0")}`));
    const hot = await createProject("hot-key");
    const probe = await createProject("cap-probe");
    const db = new DatabaseSync(d1File(stateDir), { readOnly: true });

    console.log(
      `mixed load: ${RATE} req/s offered for ${SECONDS} s over ${TENANTS} tenants (Zipf s=${ZIPF}), mix ${JSON.stringify(MIX)}, queued scans ${queuedFiles} files ≈ ${Math.round((queuedFiles * corpus.length) / 1000)} KB`,
    );
    const backlogDuringLoad = [];
    const sampler = setInterval(() => backlogDuringLoad.push(backlogNow(db)), 1000);
    const load = await mixedLoad(tenants);
    clearInterval(sampler);
    result.peakBacklogDuringLoad = Math.max(0, ...backlogDuringLoad);
    result.ops = summarizeOps(load.samples, load.seconds);
    result.tenants = summarizeTenants(load.samples, tenants, load.share, SECONDS);
    console.log(`drain: waiting for queued scans (at most ${DRAIN_SECONDS} s)`);
    result.drain = await drain(db, DRAIN_SECONDS);

    console.log(`hot key: ${HOT_CONNECTIONS} connections on one tenant for ${HOT_SECONDS} s`);
    const h = await hotKey(hot);
    const admitted = h.samples.filter((s) => s.status === 200).length;
    const q = POLICIES.requests;
    result.hotKey = {
      requests: h.samples.length,
      perSec: Math.round(h.samples.length / h.seconds),
      admitted,
      // Token bucket: starts full (quota) and refills quota/window per second; a client that always asks gets exactly this.
      admittedBound: Math.floor(q.quota + (q.quota / q.window) * h.seconds),
      limited: h.samples.filter((s) => s.status === 429).length,
      failed: h.samples.filter((s) => s.status >= 500).length,
      p50: pct(
        h.samples.map((s) => s.ms),
        50,
      ),
      p99: pct(
        h.samples.map((s) => s.ms),
        99,
      ),
    };

    console.log("cap probe: one synchronous scan at the findings caps");
    const body = capProbeBody();
    const p = await call("POST", "/v1/scans", probe.key, body);
    result.capProbe = {
      status: p.status,
      ms: Math.round(p.ms),
      files: body.files.length,
      bytes: body.files.reduce((a, f) => a + Buffer.byteLength(f.content), 0),
      findings: p.json?.summary?.findings ?? null,
      detail: p.status >= 400 ? p.json?.detail : undefined,
    };

    result.storage = storageFigures(db, { loadProjects: tenants.map((t) => t.projectId), probeProject: probe.projectId, window: load });
    db.close();
  } finally {
    process.off("SIGINT", stop);
    await stopServer(server);
  }
  result.sqliteFloor = sqliteInsertFloor(d1File(stateDir), tmp);
  result.loadAverage = { before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) };
  return result;
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "pca-tenants-"));
  let result;
  try {
    result = await simulate(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  report(result);
  writeFileSync(path.join(resultsDir, "tenants.json"), JSON.stringify(result, null, 2));
}

function report(r) {
  console.log(
    `\nMulti-tenant simulation — wrangler dev --local on ${r.config.cpus} cores, load average ${r.loadAverage.before} before / ${r.loadAverage.after} after`,
  );
  console.log(`policies: ${JSON.stringify(r.config.POLICIES)}\n\nper operation (latency of 2xx answers, ms):`);
  table(r.ops, ["route", "offered", "shed", "ok", "limited", "failed", "other", "okPerSec", "p50", "p90", "p99", "limitedP50"]);
  console.log("\nper tenant, hottest first (every answered request is one hit on the tenant's requests object):");
  const rows = r.tenants.map((t) => ({
    ...t,
    limitedByPolicy: Object.entries(t.limitedByPolicy)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
  }));
  table(rows.slice(0, 8), [
    "tenant",
    "share",
    "offeredPerSec",
    "answered",
    "limited",
    "limitedByPolicy",
    "peakObjectHitsPerSec",
    "acceptedKBPerSec",
    "hoursToBytesQuota",
  ]);
  console.log(`tenants with any 429: ${r.tenants.filter((t) => t.limited > 0).length} of ${r.tenants.length}`);
  const s = r.storage;
  console.log(`\nscans written by the load: ${JSON.stringify(s.scans)}`);
  console.log(
    `D1 writes during the load window: ${s.writesDuringLoad.scans} scans completed, ${s.writesDuringLoad.findings} findings rows (${s.writesDuringLoad.findingsPerSec}/s, peak ${s.writesDuringLoad.peakFindingsInOneSecond} in one second)`,
  );
  console.log(
    `queue: peak backlog ${r.peakBacklogDuringLoad} during the load; drained in ${r.drain.seconds.toFixed(1)} s (${r.drain.left} left); queued scans wait p50 ${s.queuedLagMs.waitP50} ms / p99 ${s.queuedLagMs.waitP99} ms, run p50 ${s.queuedLagMs.runP50} ms / p99 ${s.queuedLagMs.runP99} ms (n=${s.queuedLagMs.n})`,
  );
  console.log(`finding rows (payload bytes): load ${JSON.stringify(s.findingRow.load)}; cap probe ${JSON.stringify(s.findingRow.capProbe)}`);
  for (const [name, d] of [
    ["findings", s.findingsOnDisk],
    ["scans", s.scansOnDisk],
  ]) {
    console.log(`${name} on disk (table + indexes, dbstat): ${d.rows} rows, ${d.bytes} bytes, ${d.bytesPerRow} bytes/row ${JSON.stringify(d.byStructure)}`);
  }
  const h = r.hotKey;
  console.log(
    `\nhot key: ${h.requests} requests in ${r.config.HOT_SECONDS} s = ${h.perSec}/s on one limiter object (${(h.perSec / 1000).toFixed(2)}× the 1,000 req/s soft limit), admitted ${h.admitted} (token-bucket bound ${h.admittedBound}), 429 ${h.limited}, 5xx ${h.failed}, p50 ${h.p50} ms, p99 ${h.p99} ms`,
  );
  const c = r.capProbe;
  console.log(`cap probe: ${c.files} files, ${c.bytes} bytes → HTTP ${c.status} in ${c.ms} ms, ${c.findings} findings${c.detail ? ` (${c.detail})` : ""}`);
  const f = r.sqliteFloor;
  console.log(
    `SQLite floor (copy of the D1 file, this machine): ${f.statementsPerSec} five-row findings INSERTs/s = ${f.rowsPerSec} rows/s, ${f.usPerStatement} µs per statement`,
  );

  const answered = r.ops.reduce((a, o) => a + o.offered - o.shed, 0);
  const offered = r.ops.reduce((a, o) => a + o.offered, 0);
  const bytesFirst = r.tenants.filter((t) => t.hoursToBytesQuota !== null).sort((a, b) => a.hoursToBytesQuota - b.hoursToBytesQuota)[0];
  const d1Bytes = s.writesDuringLoad.findingsPerSec * s.findingsOnDisk.bytesPerRow;
  console.log("\nwhere each limit bites (this run):");
  console.log(
    `  local server: ${offered - answered} of ${offered} arrivals shed (${((100 * (offered - answered)) / offered).toFixed(1)}%), ${r.ops.reduce((a, o) => a + o.failed, 0)} failed`,
  );
  for (const policy of ["requests", "bytes"]) {
    const hit = r.tenants.map((t, i) => ({ rank: i + 1, n: t.limitedByPolicy[policy] ?? 0, of: t.answered, offered: t.offeredPerSec })).filter((t) => t.n > 0);
    console.log(
      `  "${policy}" policy: ${hit.length ? `${hit.reduce((a, t) => a + t.n, 0)} 429s, tenants by rank ${hit.map((t) => `#${t.rank} (${t.n}/${t.of} at ${t.offered} req/s)`).join(", ")}` : "no 429"}`,
    );
  }
  console.log(
    `  "bytes" quota at this rate: soonest spent by ${bytesFirst?.tenant}, in ${bytesFirst?.hoursToBytesQuota} h at ${bytesFirst?.acceptedKBPerSec} KB/s accepted`,
  );
  console.log(
    `  limiter object: peak ${Math.max(...r.tenants.map((t) => t.peakObjectHitsPerSec))} hits/s in the mix, ${h.perSec}/s in the hot-key phase (soft limit 1,000/s)`,
  );
  console.log(
    `  D1 size: ${s.writesDuringLoad.findingsPerSec} findings rows/s × ${s.findingsOnDisk.bytesPerRow} B = ${(d1Bytes / 1e6).toFixed(2)} MB/s: 10 GB in ${(10e9 / d1Bytes / 3600).toFixed(1)} h at this rate`,
  );
  console.log(`  queue: queued scans waited p50 ${s.queuedLagMs.waitP50} ms before a consumer took them (max_batch_timeout is 5 s)`);
}

await main();
