#!/usr/bin/env node
/**
 * `npm start`: the local API on http://localhost:8787 with local D1, R2, Durable Objects and
 * Queues. Creates .dev.vars (with a random ADMIN_TOKEN and WEBHOOK_SECRET_KEY) if missing, applies migrations, starts
 * `wrangler dev --local`, and makes sure a development project and API key exist, printing the
 * key and a one-time dashboard login link. The key is kept in .wrangler/dev-api-key.json beside
 * the local database it belongs to; the link is new on every start (it works once, for ten minutes).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const keyFile = path.join(root, ".wrangler", "dev-api-key.json");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");

function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) {
    // A .dev.vars from before webhooks: give it a sealing key so endpoints can be created locally.
    const text = readFileSync(file, "utf8");
    if (!/^WEBHOOK_SECRET_KEY=\S/m.test(text)) {
      const line = `WEBHOOK_SECRET_KEY=${randomBytes(32).toString("base64")}`;
      writeFileSync(file, /^WEBHOOK_SECRET_KEY=.*$/m.test(text) ? text.replace(/^WEBHOOK_SECRET_KEY=.*$/m, line) : `${text.replace(/\n?$/, "\n")}${line}\n`, {
        mode: 0o600,
      });
      console.log("Added a random WEBHOOK_SECRET_KEY to .dev.vars.");
    }
    return;
  }
  copyFileSync(path.join(root, ".dev.vars.example"), file);
  const text = readFileSync(file, "utf8")
    .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(32).toString("base64url")}`)
    .replace(/^WEBHOOK_SECRET_KEY=.*$/m, `WEBHOOK_SECRET_KEY=${randomBytes(32).toString("base64")}`);
  writeFileSync(file, text, { mode: 0o600 });
  console.log("Created .dev.vars with a random ADMIN_TOKEN and WEBHOOK_SECRET_KEY (never commit it).");
}

function readDevVar(name) {
  const m = new RegExp(`^${name}=(.*)$`, "m").exec(readFileSync(path.join(root, ".dev.vars"), "utf8"));
  return m?.[1]?.trim() ?? "";
}

function wrangler(args, options = {}) {
  const result = spawnSync(wranglerBin, args, { cwd: root, encoding: "utf8", ...options });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    throw new Error(`wrangler ${args.join(" ")} failed`);
  }
  return result.stdout;
}

async function waitForHealth(child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error("wrangler dev exited early");
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base}/healthz did not answer within 60 s`);
}

function storedKeyIsValid() {
  if (!existsSync(keyFile)) return null;
  const { key } = JSON.parse(readFileSync(keyFile, "utf8"));
  const hash = createHash("sha256").update(key).digest("hex");
  const out = wrangler([
    "d1",
    "execute",
    "DB",
    "--local",
    "--json",
    "--command",
    `SELECT count(*) AS n FROM api_keys WHERE hash = '${hash}' AND revoked_at IS NULL`,
  ]);
  return JSON.parse(out)[0]?.results?.[0]?.n === 1 ? key : null;
}

async function ensureDevKey() {
  const existing = storedKeyIsValid();
  if (existing) return existing;
  const res = await fetch(`${base}/v1/projects`, {
    method: "POST",
    headers: { authorization: `Bearer ${readDevVar("ADMIN_TOKEN")}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Development", keyKind: "test" }),
  });
  if (res.status !== 201) throw new Error(`could not create the development key: ${res.status} ${await res.text()}`);
  const { apiKey } = await res.json();
  mkdirSync(path.dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, JSON.stringify({ key: apiKey.key }), { mode: 0o600 });
  return apiKey.key;
}

ensureDevVars();
wrangler(["d1", "migrations", "apply", "DB", "--local"], { stdio: ["ignore", "pipe", "inherit"] });
// Workers AI has no local simulator: explanations stay off and findings keep their written remediation.
const child = spawn(wranglerBin, ["dev", "--local", "--port", String(port), "--ip", "127.0.0.1", "--var", "AI_ENABLED:false", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));

/** A one-time link that signs a browser into the dashboard (POST /v1/dashboard/login-links). */
async function dashboardLoginLink() {
  const res = await fetch(`${base}/v1/dashboard/login-links`, { method: "POST", headers: { authorization: `Bearer ${readDevVar("ADMIN_TOKEN")}` } });
  if (res.status !== 201) throw new Error(`could not create a dashboard login link: ${res.status} ${await res.text()}`);
  return (await res.json()).url;
}

try {
  await waitForHealth(child);
  const key = await ensureDevKey();
  const login = await dashboardLoginLink();
  console.log(`
PCI Auditor is running on ${base}
Development API key: ${key}
Dashboard (one-time login link, 10 minutes): ${login}

  curl -s ${base}/healthz
  curl -s ${base}/openapi.json | head -c 300
`);
} catch (error) {
  console.error(String(error));
  stop();
  process.exitCode = 1;
}
