/** Helpers for the GitHub tests: signed deliveries to the webhook (signed by @octokit/webhooks-methods, GitHub's own library), linking installation 4242. */
import { sign } from "@octokit/webhooks-methods";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ADMIN, call, freshIp } from "./helpers";

export const INSTALLATION = 4242;

let deliveries = 0;
/** A fresh X-GitHub-Delivery GUID. */
export function deliveryId(): string {
  deliveries++;
  return `72d3162e-cc78-11e3-81ab-${deliveries.toString(16).padStart(12, "0")}`;
}

export interface DeliveryOptions {
  id?: string;
  /** The X-Hub-Signature-256 to send; default: the body signed with the test secret. */
  signature?: string | null;
}

/** POSTs `body` (exact bytes) as a GitHub delivery of `event`. */
export async function deliver(event: string, body: string, options: DeliveryOptions = {}): Promise<Response> {
  const signature = options.signature === undefined ? await sign(env.GITHUB_WEBHOOK_SECRET!, body) : options.signature;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/044aadd",
    "x-github-event": event,
    "x-github-delivery": options.id ?? deliveryId(),
    "x-github-hook-id": "30",
    "cf-connecting-ip": freshIp(),
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return call("/v1/github/webhook", { method: "POST", headers, body });
}

/** A fixture payload with fields replaced, as the exact JSON text GitHub would send. */
export function payload(fixture: string, patch: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...(JSON.parse(fixture) as Record<string, unknown>), ...patch });
}

export async function linkInstallation(projectId: string, failOn?: string): Promise<Response> {
  const res = await call(`/v1/github/installations/${INSTALLATION}`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ projectId, ...(failOn ? { failOn } : {}) }),
  });
  expect(res.status).toBe(200);
  return res;
}
