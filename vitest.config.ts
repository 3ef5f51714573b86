/**
 * Three test projects: the engine and CLI under Node (the engine is pure TypeScript and the CLI
 * is a Node program), the Worker inside workerd with real local D1, R2, Durable Objects and
 * Queues through @cloudflare/vitest-pool-workers, and "browser": Debian's Chromium driving pages
 * against one `wrangler dev --local` (test/browser/harness.ts), one file at a time.
 */
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * A fresh RSA key for the GitHub App each run (Web Crypto, PKCS#8 PEM): the worker signs its App
 * JWTs with it and the GitHub tests verify them with its public half. Never a committed key file.
 */
async function testGithubAppKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64");
  return `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, "$1\n").trim()}\n-----END PRIVATE KEY-----\n`;
}

export default defineConfig(async () => ({
  test: {
    // Logs of passing tests are noise in CI; failing tests still show theirs.
    silent: "passed-only" as const,
    projects: [
      {
        test: {
          name: "engine",
          environment: "node",
          include: ["test/engine/**/*.test.ts", "test/cli/**/*.test.ts", "test/api/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            remoteBindings: false,
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              compatibilityDate: "2026-08-15",
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
                ADMIN_TOKEN: "test-admin-token",
                // Seals webhook signing secrets in the tests' throwaway local D1 (base64 of 32 bytes).
                // pci-auditor-ignore-next-line hardcoded-secret -- a test-only key that seals nothing real; production sets its own with `wrangler secret put`
                WEBHOOK_SECRET_KEY: "dGVzdC1vbmx5LXdlYmhvb2stc2VhbGluZy1rZXktMzI=",
                // Small enough to test 413 on streamed bodies quickly.
                MAX_BODY_BYTES: "2000000",
                // Workers AI has no local form: tests inject a fake explainer where they need one.
                AI_ENABLED: "false",
                // Small limits so tests reach each one cheaply.
                MAX_FILES: "20",
                MAX_FILE_BYTES: "200000",
                MAX_SCAN_BYTES: "400000",
                SYNC_SCAN_MAX_BYTES: "20000",
                PUBLISHABLE_MAX_SCAN_BYTES: "30000",
                // Clerk sessions verified against a JWKS the Clerk test serves through a fetch mock.
                CLERK_JWKS_URL: "https://clerk.example.test/.well-known/jwks.json",
                CLERK_ISSUER: "https://clerk.example.test",
                CLERK_AUTHORIZED_PARTIES: "https://dashboard.example.test",
                // The GitHub App: a test webhook secret (not a real one), an App id, a key made for this run, small caps.
                GITHUB_WEBHOOK_SECRET: "test-github-webhook-secret",
                GITHUB_APP_ID: "123456",
                GITHUB_APP_PRIVATE_KEY: await testGithubAppKey(),
                GITHUB_WEBHOOK_MAX_BYTES: "100000",
                RATE_LIMIT_POLICIES: JSON.stringify({
                  requests: { quota: 40, window: 60 },
                  bytes: { quota: 1_000_000, window: 86_400 },
                  ip: { quota: 30, window: 60 },
                  public: { quota: 100, window: 60 },
                  publishable: { quota: 8, window: 60 },
                  publishableBytes: { quota: 200_000, window: 86_400 },
                }),
              },
              queueConsumers: { "pci-auditor-scan-jobs": { maxBatchTimeout: 0.05 }, "pci-auditor-scan-jobs-dlq": { maxBatchTimeout: 0.05 } },
            },
          }),
        ],
        test: {
          name: "worker",
          // One workerd runtime at a time: with two in parallel on two cores, a runtime that
          // disconnected ("read end of pipe was aborted") intermittently left the pool waiting forever.
          maxWorkers: 1,
          testTimeout: 30_000,
          include: ["test/worker/**/*.test.ts", "test/hostile/**/*.test.ts"],
          setupFiles: ["./test/worker/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          // One Chromium and one wrangler on two shared cores: files in turn, not in parallel.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
}));
