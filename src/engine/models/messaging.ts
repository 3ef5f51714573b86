/**
 * Messages from outside: queue consumers (kafkajs, sqs-consumer, amqplib, Cloudflare Queues),
 * WebSocket and Socket.IO events, and serverless handlers. Whoever can publish to the queue or
 * open the socket chooses the payload.
 */
import type { EntryPointRow, LibraryModel } from "./rows";

/** Consumer callbacks by name: kafkajs `eachMessage`/`eachBatch`, sqs-consumer `handleMessage(Batch)`, Workers `queue(batch)`. */
const QUEUE_HANDLERS = new Set(["eachMessage", "eachBatch", "handleMessage", "handleMessageBatch", "queue"]);
/** Receivers named like a socket or channel. */
const SOCKET_NAME = /^(ws|wss|socket|sock|client|conn|connection|peer|channel|io|websocket|webSocket)$|(Socket|Ws|WebSocket)$/;
/** Socket and server events that carry no message. */
const LIFECYCLE_EVENTS = [
  "connection",
  "connect",
  "open",
  "close",
  "error",
  "end",
  "listening",
  "disconnect",
  "disconnecting",
  "upgrade",
  "drain",
  "finish",
  "ready",
  "timeout",
  "ping",
  "pong",
  "exit",
  "request",
  "headers",
  "online",
  "offline",
  "load",
  "unload",
  "beforeunload",
  "DOMContentLoaded",
];

const ENTRY_POINTS: EntryPointRow[] = [
  { listenOnName: SOCKET_NAME, except: LIFECYCLE_EVENTS },
  // amqplib `channel.consume(queue, (msg) => …)`.
  { consume: "consume", what: "queued message" },
  {
    precedence: 40,
    roles: (_host, { ref, names }) => {
      const name = ref.name ?? "";
      return QUEUE_HANDLERS.has(name) && (name !== "queue" || names[0] === "batch") ? [{ kind: "tainted", what: "queued message", obj: true }] : null;
    },
  },
  // AWS Lambda and other serverless `handler(event)`.
  {
    precedence: 50,
    roles: (_host, { ref, names }) => (ref.name === "handler" && names[0] === "event" ? [{ kind: "tainted", what: "serverless event", obj: true }] : null),
  },
];

export const model: LibraryModel = {
  id: "messaging",
  description: "Queue consumers (kafkajs, sqs-consumer, amqplib, Cloudflare Queues), WebSocket/Socket.IO events and serverless handlers.",
  fixtures: ["apps/realtime/chat-server.js", "apps/workers/queue-consumer.ts"],
  entryPoints: ENTRY_POINTS,
};
