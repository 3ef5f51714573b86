/**
 * Error reports and logs carry no card data or secrets. Sentry's ingest endpoint is a third
 * party, so a fake DSN's envelope requests are captured through a fetch mock; the failing input
 * is full of card numbers, API keys and webhook secrets.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { scrubText } from "../../src/observability/scrub";

const PAN = "4539148803436467";
const KEY = `pca_live_${"Z".repeat(43)}`;
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TRACK = `%B${PAN}^SMITH/JOHN^2512101000000000000?`;

afterEach(() => vi.restoreAllMocks());

describe("Sentry", () => {
  it("reports a failed request with messages scrubbed of card data, keys and secrets", async () => {
    const envelopes: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith("https://sentry.example.test/")) {
        envelopes.push(input instanceof Request ? await input.text() : String(init?.body ?? ""));
        return new Response("{}", { status: 200 });
      }
      return realFetch(input, init);
    });
    const logs: string[] = [];
    for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(args.join(" ")));
    vi.spyOn(env.DB, "prepare").mockImplementation(() => {
      throw new Error(
        `D1 exploded on ${PAN} (${PAN.slice(0, 4)} ${PAN.slice(4, 8)} ${PAN.slice(8, 12)} ${PAN.slice(12)}) for ${KEY} with ${WHSEC} and ${TRACK}`,
      );
    });
    const ctx = createExecutionContext();
    const res = await createApp().fetch(
      new Request("https://api.test/v1/scans", {
        headers: { authorization: `Bearer ${KEY}`, "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" },
      }),
      { ...env, SENTRY_DSN: "https://public@sentry.example.test/1" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain("exploded");
    expect(envelopes.length).toBeGreaterThanOrEqual(1);
    const sent = envelopes.join("\n");
    expect(sent).toContain("D1 exploded on 453914");
    for (const leak of [PAN, PAN.slice(4, 8) + " " + PAN.slice(8, 12), KEY, WHSEC, "K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN", "SMITH/JOHN"]) {
      expect(sent).not.toContain(leak);
      expect(logs.join("\n")).not.toContain(leak);
    }
    expect(logs.join("\n")).toContain('"message":"request"');
  });
});

describe("scrubText", () => {
  it("masks card numbers, tracks, our keys, payment and webhook secrets and bearer tokens", () => {
    const out = scrubText(`pan ${PAN} ${TRACK} ${KEY} sk_live_${"a".repeat(24)} ${WHSEC} Bearer abc.def.ghi123456 sha256=${"f".repeat(64)}`);
    expect(out).toContain("453914******6467");
    for (const leak of [PAN, "SMITH", KEY, "sk_live_aaaa", WHSEC, "abc.def.ghi123456", "f".repeat(64)]) expect(out).not.toContain(leak);
  });
});
