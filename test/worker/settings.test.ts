/**
 * The Worker's numeric settings come from one schema: a value wrangler.toml sets is used, a
 * missing or malformed one (a typo, 0, a fraction, a negative) falls back to its default rather
 * than turning a limit into 0 or NaN.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/engine/limits";
import type { Env } from "../../src/env";
import { settings } from "../../src/settings";

const envWith = (vars: Record<string, string>) => vars as unknown as Env;

describe("settings", () => {
  it("reads whole numbers above 0 and falls back to each default otherwise", () => {
    const s = settings(envWith({ MAX_FILES: "20", MAX_BODY_BYTES: "12MB", RETENTION_DAYS: "0", STUCK_SCAN_MINUTES: "1.5", DEDUPE_WINDOW_SECONDS: "-60" }));
    expect(s.MAX_FILES).toBe(20);
    expect(s.MAX_BODY_BYTES).toBe(12_000_000);
    expect(s.RETENTION_DAYS).toBe(30);
    expect(s.STUCK_SCAN_MINUTES).toBe(30);
    expect(s.DEDUPE_WINDOW_SECONDS).toBe(3_600);
  });

  it("takes the submission limits' defaults from the engine's, so the two cannot drift", () => {
    const s = settings(envWith({}));
    expect([s.MAX_FILES, s.MAX_FILE_BYTES, s.MAX_SCAN_BYTES]).toEqual([DEFAULT_LIMITS.maxFiles, DEFAULT_LIMITS.maxFileBytes, DEFAULT_LIMITS.maxScanBytes]);
  });

  it("parses an environment once", () => {
    const env = envWith({ MAX_FILES: "7" });
    expect(settings(env)).toBe(settings(env));
  });
});
