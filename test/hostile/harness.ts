/**
 * The hostile suite's harness (issue 11). `hostile()` sends a request as an attacker would and
 * holds the API to its bar on every answer: never a 5xx; every 4xx a bounded
 * application/problem+json; no planted card number (in any separator form) or secret and no raw
 * bidi override in any answer. `sweepForLeaks()` then reads every row of local D1, every R2
 * object, every Durable Object's storage and every log line the Worker wrote while the file ran,
 * and lists each unmasked card number (Luhn-valid, 13–19 digits, more than first 6 / last 4
 * visible) and each planted secret. Storage is isolated per test file, so each file ends with
 * `itLeavesNoCardDataOrSecrets()`.
 */
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { call } from "../worker/helpers";

/** Luhn-valid card numbers that are not published test cards (REFERENCE.md §5). */
export const PANS = ["4916338506082832", "4556737586899855", "4024007103939509"] as const;
/** Secrets shaped like live provider keys. */
export const SECRETS = ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] as const;

/** A card number written the ways people write them. */
export function panForms(pan: string): string[] {
  const groups = pan.match(/.{1,4}/g)!;
  return [pan, ...[" ", "-", "_", ".", "/"].map((sep) => groups.join(sep))];
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

// A 13–19 digit run, single separators allowed between digits, not inside a longer word or number.
const CARD_RUN = /(?<![0-9A-Za-z])[0-9](?:[ ._/-]?[0-9]){12,18}(?![0-9A-Za-z])/g;
// Random UUIDs (request ids, lease tokens) can hold a 13–19 digit stretch between their dashes.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const RAW_UNSAFE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every unmasked card number and planted secret in a text, described (never quoted whole). */
export function leaksIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.replace(UUID, "<uuid>").matchAll(CARD_RUN)) {
    const digits = m[0].replace(/[^0-9]/g, "");
    if (luhnValid(digits)) found.push(`card number ${digits.slice(0, 6)}…${digits.slice(-4)} (${digits.length} digits)`);
  }
  // Planted numbers anywhere, even inside a longer word, once separators between digits are dropped.
  const joined = text.replace(/(?<=[0-9])[ ._/-](?=[0-9])/g, "");
  for (const pan of PANS)
    if (joined.includes(pan) && !found.some((f) => f.startsWith(`card number ${pan.slice(0, 6)}`))) found.push(`planted card number ${pan.slice(0, 6)}…`);
  for (const secret of SECRETS) if (text.includes(secret.slice(secret.indexOf("_", 3) + 1))) found.push(`planted secret ${secret.slice(0, 8)}…`);
  return found;
}

/** Leaks in a stored value: strings are searched (JSON text included), numbers are not (timestamps are not card data). */
function leaksInValue(value: unknown, where: string, out: string[]): void {
  if (typeof value === "string") for (const leak of leaksIn(value)) out.push(`${where}: ${leak}`);
  else if (Array.isArray(value)) value.forEach((v, i) => leaksInValue(v, `${where}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) leaksInValue(v, `${where}.${k}`, out);
}

/** Requests this file sent through `hostile()`, and how many answered 5xx (the goal is 0). */
export const figures = { requests: 0, serverErrors: 0 };

export interface HostileAnswer {
  res: Response;
  text: string;
  /** The parsed JSON body, when it is JSON. */
  body: Record<string, unknown>;
}

/** Longest problem+json body accepted: errors must not grow with the input. */
const PROBLEM_MAX_BYTES = 8_192;

/** Sends a request and checks the API's bar on the answer (see the module header). */
export async function hostile(path: string, init: RequestInit = {}): Promise<HostileAnswer> {
  figures.requests++;
  const res = await call(path, init);
  const text = await res.text();
  if (res.status >= 500) figures.serverErrors++;
  expect(res.status, `${init.method ?? "GET"} ${path.slice(0, 80)} answered ${res.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(text.length).toBeLessThan(PROBLEM_MAX_BYTES);
  }
  expect(leaksIn(text)).toEqual([]);
  expect(RAW_UNSAFE.test(text), "raw bidi or C1 control character in the answer").toBe(false);
  let body: Record<string, unknown> = {};
  if (/json/.test(res.headers.get("content-type") ?? "") && text) body = JSON.parse(text) as Record<string, unknown>;
  return { res, text, body };
}

/** POST JSON through `hostile()`. */
export function hostilePost(path: string, headers: Record<string, string>, body: unknown, extra: Record<string, string> = {}): Promise<HostileAnswer> {
  return hostile(path, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The test policies' daily byte quota (vitest.config.ts). */
const BYTES_QUOTA = 1_000_000;

/** Bytes a project has been charged today, read without charging (a hit of cost 0). */
export async function bytesCharged(projectId: string): Promise<number> {
  const state = await env.RATE_LIMITER.getByName(`bytes:${projectId}`).hit("fixed-window", 0, BYTES_QUOTA, 86_400);
  return BYTES_QUOTA - state.remaining;
}

/**
 * Waits, when needed, for the next fixed window (windows are aligned to multiples of their length)
 * so that a burst of requests is counted in one window and exactness is what is measured.
 */
export async function awayFromWindowEdge(windowSeconds: number, needMs = 15_000): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;
const print = console.info.bind(console);

/**
 * Captures every console line (the Worker's logs run in this isolate) from the file's start, so
 * the sweep can search them. Tests in a hostile file restore their own spies, never all mocks.
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  beforeAll(() => {
    for (const method of CONSOLE_METHODS) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  });
  afterAll(() => {
    for (const method of CONSOLE_METHODS) (console[method] as unknown as { mockRestore?: () => void }).mockRestore?.();
  });
  return lines;
}

/** Waits until no scan is queued or running, so no submission legitimately waits in R2. */
async function settleQueuedScans(timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT count(*) AS n FROM scans WHERE status IN ('queued', 'running')").first<{ n: number }>();
    if (row!.n === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SweepReport {
  rows: number;
  objects: number;
  durableObjects: number;
  logLines: number;
  leaks: string[];
}

/** Reads all of local D1, R2 and Durable Object storage and the captured logs; lists every leak. */
export async function sweepForLeaks(logs: readonly string[]): Promise<SweepReport> {
  await settleQueuedScans();
  const leaks: string[] = [];
  let rows = 0;
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{
    name: string;
  }>();
  for (const { name } of tables.results) {
    const all = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    all.results.forEach((row, i) => leaksInValue(row, `D1 ${name}[${i}]`, leaks));
    rows += all.results.length;
  }
  let objects = 0;
  let cursor: string | undefined;
  do {
    const page = await env.PROOFS.list({ cursor });
    for (const o of page.objects) {
      objects++;
      for (const leak of leaksIn(o.key)) leaks.push(`R2 key ${o.key.slice(0, 40)}: ${leak}`);
      leaksInValue(await (await env.PROOFS.get(o.key))!.text(), `R2 ${o.key}`, leaks);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const ids = await listDurableObjectIds(env.RATE_LIMITER);
  for (const id of ids) {
    const stored = await runInDurableObject(env.RATE_LIMITER.get(id), async (_, state) => [...(await state.storage.list()).entries()]);
    leaksInValue(stored, `Durable Object ${id.toString().slice(0, 12)}`, leaks);
  }
  logs.forEach((line, i) => {
    let parsed: unknown = line;
    try {
      parsed = JSON.parse(line);
    } catch {
      // Not a JSON line: search it as text.
    }
    leaksInValue(parsed, `log line ${i}`, leaks);
  });
  return { rows, objects, durableObjects: ids.length, logLines: logs.length, leaks };
}

/** The last test of a hostile file: nothing it planted is anywhere in storage or the logs. */
export function itLeavesNoCardDataOrSecrets(file: string, logs: readonly string[]): void {
  it("leaves no unmasked card number or planted secret in D1, R2, Durable Objects or the logs", async () => {
    const report = await sweepForLeaks(logs);
    print(JSON.stringify({ figure: "hostile", file, ...figures, ...report, leaks: report.leaks.length, leaked: report.leaks.slice(0, 20) }));
    expect(report.rows).toBeGreaterThan(0);
    expect(report.logLines).toBeGreaterThan(0);
    expect(report.leaks, report.leaks.slice(0, 20).join("\n")).toEqual([]);
    expect(figures.serverErrors).toBe(0);
  });
}
