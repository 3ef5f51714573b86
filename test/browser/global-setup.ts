/**
 * Starts one `wrangler dev --local` for the whole "browser" project (harness.ts says how tests
 * reach it) and stops it, deleting its temporary database, when the run ends.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startWorker } from "./harness";

/** Worker variables the browser tests need beyond wrangler.toml's (ADMIN_TOKEN is added by startWorker). */
const WORKER_VARS: Record<string, string> = {
  // The dashboard's webhook form seals each endpoint's signing secret with it.
  WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64"),
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const worker = await startWorker({ vars: WORKER_VARS });
  project.provide("worker", { base: worker.base, adminToken: worker.adminToken });
  return () => worker.stop();
}
