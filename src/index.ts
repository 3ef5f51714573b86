/**
 * Worker entry: HTTP through the Hono app, queue batches through the consumer, the cron sweeps
 * (stuck scans, retention, stalled webhook deliveries), and the Durable Object classes.
 */
import { createApp } from "./app";
import type { Env } from "./env";
import { log } from "./observability/log";
import { createSentry } from "./observability/sentry";
import { handleQueue } from "./queue/consumer";
import { sweepRetention, sweepStuckScans } from "./scans/sweeps";
import { sweepDeliveries } from "./webhooks/deliveries";

export { RateLimiter } from "./limits/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueue(batch, env, ctx),
  async scheduled(controller, env, ctx) {
    try {
      const stuck = await sweepStuckScans(env, controller.scheduledTime);
      const retention = await sweepRetention(env, controller.scheduledTime);
      const webhooks = await sweepDeliveries(env, controller.scheduledTime);
      log("info", "scheduled sweep", {
        cron: controller.cron,
        requeued: stuck.requeued.length,
        failed: stuck.failed.length,
        deleted: retention.deleted.length,
        webhooksResent: webhooks.resent,
        webhooksDeleted: webhooks.deleted,
      });
    } catch (error) {
      createSentry(env, ctx)?.captureException(error);
      log("error", "scheduled sweep failed", { error: (error as Error)?.name, detail: (error as Error)?.message });
      throw error;
    }
  },
} satisfies ExportedHandler<Env, unknown>;
