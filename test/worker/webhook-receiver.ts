/**
 * Test side of outbound webhooks: the Worker's "webhook" queue messages are captured (other
 * kinds go to the real local queue) and delivered by `pump()` through the real consumer, in due
 * order on a simulated clock, to a fake receiver injected as the consumer's `fetch` — the same
 * call production makes to the network. `verify()` is a real receiver's check: the
 * `standardwebhooks` reference library, with its clock at the attempt's time.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { vi } from "vitest";
import type { Env } from "../../src/env";
import { handleQueue } from "../../src/queue/consumer";
import type { ScanJob } from "../../src/queue/messages";

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The simulated time of the attempt (ms). */
  at: number;
  redirect: RequestInit["redirect"];
}

type Queued = { deliveryId: string; attempt: number; dueAt: number };

export interface WebhookQueue {
  /** Webhook messages sent and not yet pumped. */
  queued: Queued[];
  clock: { now: number };
  /** Delivers queued messages in due order until none is left (or `maxSteps`); returns how many were handled. */
  pump(receiver: Pick<FakeReceiver, "fetch">, options?: { env?: Env; maxSteps?: number }): Promise<number>;
}

/** Starts capturing the Worker's webhook queue messages (undo with vi.restoreAllMocks()). */
export function captureWebhookQueue(): WebhookQueue {
  const clock = { now: Date.now() };
  const queued: Queued[] = [];
  const realSend = env.SCAN_JOBS.send.bind(env.SCAN_JOBS);
  const realSendBatch = env.SCAN_JOBS.sendBatch.bind(env.SCAN_JOBS);
  const take = (body: ScanJob, delaySeconds = 0) => {
    if (body.kind !== "webhook") return false;
    queued.push({ deliveryId: body.deliveryId, attempt: body.attempt, dueAt: Math.max(clock.now, Date.now()) + delaySeconds * 1000 });
    return true;
  };
  vi.spyOn(env.SCAN_JOBS, "send").mockImplementation(async (body, options) =>
    take(body as ScanJob, options?.delaySeconds) ? (undefined as never) : realSend(body, options),
  );
  vi.spyOn(env.SCAN_JOBS, "sendBatch").mockImplementation(async (messages, options) => {
    const rest = [...messages].filter((m) => !take(m.body as ScanJob, m.delaySeconds ?? options?.delaySeconds));
    return rest.length ? realSendBatch(rest, options) : (undefined as never);
  });
  let n = 0;
  return {
    queued,
    clock,
    async pump(receiver, options = {}) {
      let steps = 0;
      while (queued.length && steps < (options.maxSteps ?? 5_000)) {
        queued.sort((a, b) => a.dueAt - b.dueAt);
        const m = queued.shift()!;
        clock.now = Math.max(clock.now, m.dueAt);
        const batch = createMessageBatch("pci-auditor-scan-jobs", [
          { id: `webhook-${++n}`, timestamp: new Date(), attempts: 1, body: { kind: "webhook", deliveryId: m.deliveryId, attempt: m.attempt } },
        ]);
        await handleQueue(batch, options.env ?? env, undefined, { webhooks: { fetch: receiver.fetch, now: () => clock.now, random: () => 0.5 } });
        steps++;
      }
      return steps;
    },
  };
}

export interface FakeReceiver {
  fetch: typeof fetch;
  received: Received[];
}

/** A receiver answering each request with `answer(request, index)`; it records every request. */
export function fakeReceiver(clock: { now: number }, answer: (req: Received, index: number) => Response | Promise<Response>): FakeReceiver {
  const received: Received[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const r: Received = { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text(), at: clock.now, redirect: init?.redirect };
    received.push(r);
    return answer(r, received.length - 1);
  };
  return { fetch: fetchImpl as typeof fetch, received };
}

/** The reference receiver's verification (throws on a bad signature), with its clock at the attempt. */
export function verify(secret: string, r: Received): unknown {
  const clock = vi.spyOn(Date, "now").mockReturnValue(r.at);
  try {
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    clock.mockRestore();
  }
}
