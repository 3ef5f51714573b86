/**
 * Browser-test harness: the real Worker under `wrangler dev --local`, host pages from plain Node
 * HTTP servers on other ports (other origins), and Debian's Chromium driven by puppeteer-core
 * (never a downloaded browser). Generic: nothing here knows the widget or the dashboard.
 *
 * How to use it (the "browser" vitest project, `npx vitest run --project browser`):
 * - test/browser/global-setup.ts starts ONE Worker for the whole project (`startWorker()`: free
 *   port, temp persistence dir, migrations applied, a random ADMIN_TOKEN passed with `--var`,
 *   never written to a file) and provides its address and admin token; a test file reads them
 *   with `workerFromSetup()`. Add Worker variables a feature needs to `WORKER_VARS` there.
 * - `createProject(worker, name)` makes a project through the admin API and returns its id and
 *   first (secret, all-scope) key; `api(worker, path, init)` calls the API with JSON.
 * - `serveFiles({ "/": { type, body } }, { headers })` serves host pages on 127.0.0.1:<free
 *   port>; two servers are two origins (one allowed, one not). Give `headers` a strict CSP to
 *   prove a page works under it.
 * - `launchBrowser()` starts headless Chromium (CHROMIUM_PATH, else Debian's binary);
 *   close it in afterAll. `auditAccessibility(page)` injects axe-core and returns its
 *   violations; `screenshot(page, name)` writes test/browser/artifacts/<name>.png and
 *   `writeArtifact(name, text)` a report (figures, matrices) beside it; the folder is git-ignored.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { inject } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
/** Screenshots and reports a run leaves behind (git-ignored). */
export const ARTIFACT_DIR = path.join(root, "test", "browser", "artifacts");

/** A running `wrangler dev --local`: where it listens and the admin token it was given. */
export interface WorkerAddress {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  base: string;
  adminToken: string;
}

export interface RunningWorker extends WorkerAddress {
  stop(): Promise<void>;
}

declare module "vitest" {
  export interface ProvidedContext {
    worker: WorkerAddress;
  }
}

/** The Worker global-setup.ts started for this run. */
export function workerFromSetup(): WorkerAddress {
  return inject("worker");
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Environment for wrangler: no prompts, no telemetry. */
const WRANGLER_ENV = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

/**
 * Starts the Worker as `npm start` does (scripts/dev.mjs), but isolated: its own free port and
 * inspector port, its own persistence dir (deleted on stop), migrations applied there first.
 */
export async function startWorker(options: { vars?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningWorker> {
  const persistTo = mkdtempSync(path.join(tmpdir(), "pci-auditor-browser-"));
  const migrate = spawnSync(wranglerBin, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    cwd: root,
    encoding: "utf8",
    env: WRANGLER_ENV,
  });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const adminToken = randomBytes(32).toString("base64url");
  const vars = { AI_ENABLED: "false", ...options.vars, ADMIN_TOKEN: adminToken };
  const args = [
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
  ];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  // Its own process group, so stop() ends workerd with it.
  const child = spawn(wranglerBin, args, { cwd: root, env: WRANGLER_ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await endProcessGroup(child);
    rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base, child, options.timeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return { base, adminToken, stop };
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base}/healthz did not answer within ${timeoutMs} ms`);
}

async function endProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Calls the Worker with a JSON body (when given) and returns the response. */
export function api(
  worker: WorkerAddress,
  pathname: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${worker.base}${pathname}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** A new project and its first key (secret, every scope), made with the admin token. */
export async function createProject(worker: WorkerAddress, name: string): Promise<{ projectId: string; key: string }> {
  const res = await api(worker, "/v1/projects", { token: worker.adminToken, body: { name, keyKind: "test" } });
  if (res.status !== 201) throw new Error(`POST /v1/projects: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { project: { id: string }; apiKey: { key: string } };
  return { projectId: body.project.id, key: body.apiKey.key };
}

export interface StaticFile {
  type: string;
  body: string | Buffer;
}

export interface FileServer {
  /** e.g. http://127.0.0.1:40001 */
  origin: string;
  close(): Promise<void>;
}

/** Serves `files` by exact path on 127.0.0.1:<free port>, each response with `headers`; anything else is 404. */
export async function serveFiles(files: Record<string, StaticFile>, options: { headers?: OutgoingHttpHeaders } = {}): Promise<FileServer> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://host").pathname];
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { ...options.headers, "content-type": file.type, "cache-control": "no-store" }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Chromium to drive: CHROMIUM_PATH, else Debian's real binary (its /usr/bin wrapper also works). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("No Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH (.ci/run installs it).");
  return found;
}

/** Headless Chromium; `--no-sandbox` because tests run as root. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
    defaultViewport: { width: 1100, height: 900 },
  });
}

/** What axe reports of one violation, enough to name it in a failure message. */
export interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Injects axe-core through the DevTools protocol (so a page's strict CSP does not block it) and
 * runs it over the page, open shadow roots included; returns the violations (WCAG 2.x A/AA and
 * best practices).
 */
export async function auditAccessibility(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Violations counted by impact, for reports: { critical: 0, serious: 0, moderate: 1, minor: 0 }. */
export function countByImpact(violations: readonly AxeViolation[]): Record<"critical" | "serious" | "moderate" | "minor", number> {
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) if (v.impact) counts[v.impact] += 1;
  return counts;
}

/** Writes a full-page PNG to test/browser/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  const file = path.join(ARTIFACT_DIR, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

/** Writes `text` to test/browser/artifacts/<name> (figures a run measured) and returns its path. */
export function writeArtifact(name: string, text: string): string {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  const file = path.join(ARTIFACT_DIR, name);
  writeFileSync(file, text);
  return file;
}
