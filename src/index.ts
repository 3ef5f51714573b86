/** Worker entry: HTTP through the Hono app, queue batches through the consumer, and the Durable Object classes. */
import { createApp } from "./app";
import type { Env } from "./env";
import { handleQueue } from "./queue/consumer";

export { RateLimiter } from "./limits/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env),
} satisfies ExportedHandler<Env, unknown>;
