/**
 * POST /v1/github/webhook — deliveries from the GitHub App. Public (no API key): a delivery is
 * authenticated by X-Hub-Signature-256 over its raw bytes, checked before anything parses them
 * (401 and nothing recorded or queued otherwise). Bodies are held to GITHUB_WEBHOOK_MAX_BYTES.
 * The answer is fast — 202 with what was done, or 200 for a redelivered id — and the scan runs
 * off the request path (src/github/webhook.ts, then the queue). Without GITHUB_WEBHOOK_SECRET
 * the deployment has no GitHub App: 503.
 */
import { ZodError } from "zod";
import { ApiError, reflected } from "../errors";
import { limitBody } from "../middleware/body-limit";
import { zodFieldErrors } from "../middleware/zod-errors";
import { problemExample } from "../openapi";
import { githubAppSettings, settings } from "../settings";
import { verifyGithubSignature } from "../github/signature";
import { DeliveryAck, handleDelivery } from "../github/webhook";
import { defineRoute } from "./route";

const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
const EVENT = /^[a-z_]{1,64}$/;
/** Events that need the App's credentials (they call GitHub's API). */
const NEEDS_APP = new Set(["push", "pull_request"]);

export const githubWebhook = defineRoute({
  method: "post",
  path: "/v1/github/webhook",
  operationId: "receiveGithubWebhook",
  summary: "Receive a GitHub App delivery",
  description:
    "GitHub calls this with the App's events (push, pull_request, installation, installation_repositories, ping), signed with X-Hub-Signature-256. " +
    "Pushes and pull requests (opened, synchronize, reopened) of an installation linked to a project are scanned off the request path and answered with a `pci-auditor` check run on the head commit.",
  tags: ["github"],
  auth: "signature",
  request: { headers: ["X-GitHub-Event", "X-GitHub-Delivery"] },
  responses: {
    200: {
      description: "A redelivery of a delivery id already handled: nothing new is started",
      schema: DeliveryAck,
      example: { delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "push", outcome: "duplicate" },
    },
    202: {
      description: "Accepted: a check job queued, an installation change recorded, or the event ignored (with the reason)",
      schema: DeliveryAck,
      example: { delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "push", outcome: "queued" },
    },
    400: {
      description: "No X-GitHub-Event or X-GitHub-Delivery, or a payload that is not the event's JSON",
      example: problemExample("bad_request", "/v1/github/webhook", "X-GitHub-Delivery is missing or malformed."),
    },
    401: {
      description: "X-Hub-Signature-256 is missing or does not match the body",
      example: problemExample("unauthorized", "/v1/github/webhook", "X-Hub-Signature-256 does not match the body."),
    },
    413: {
      description: "The delivery is over GITHUB_WEBHOOK_MAX_BYTES",
      example: problemExample("payload_too_large", "/v1/github/webhook", "Request body exceeds the limit of 5000000 bytes.", { limit: 5000000 }),
    },
    503: {
      description: "GitHub is not configured on this deployment (GITHUB_WEBHOOK_SECRET, or the App's id and key for pushes and pull requests)",
      example: problemExample("unavailable", "/v1/github/webhook", "GitHub is not configured on this deployment: GITHUB_WEBHOOK_SECRET is not set."),
    },
  },
  async handler(c) {
    const github = githubAppSettings(c.env);
    if (!github) throw new ApiError("unavailable", "GitHub is not configured on this deployment: GITHUB_WEBHOOK_SECRET is not set.");
    limitBody(c, settings(c.env).GITHUB_WEBHOOK_MAX_BYTES);
    let body: ArrayBuffer;
    try {
      body = await c.req.arrayBuffer();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError("bad_request", "Could not read the request body.");
    }
    if (!(await verifyGithubSignature(github.webhookSecret, body, c.req.header("x-hub-signature-256")))) {
      throw new ApiError("unauthorized", "X-Hub-Signature-256 is missing or does not match the body.");
    }
    const id = c.req.header("x-github-delivery") ?? "";
    const event = c.req.header("x-github-event") ?? "";
    if (!DELIVERY_ID.test(id)) throw new ApiError("bad_request", "X-GitHub-Delivery is missing or malformed.");
    if (!EVENT.test(event)) throw new ApiError("bad_request", `X-GitHub-Event ${JSON.stringify(reflected(event))} is missing or malformed.`);
    if (NEEDS_APP.has(event) && !github.app)
      throw new ApiError("unavailable", "The GitHub App is not configured on this deployment: GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are not set.");
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new ApiError("invalid_json", "The delivery is not JSON (GitHub's content type must be application/json).");
    }
    try {
      const ack = await handleDelivery(c.env, { id, event, payload, apiOrigin: new URL(c.req.url).origin });
      return c.json(ack, ack.outcome === "duplicate" ? 200 : 202);
    } catch (error) {
      if (error instanceof ZodError)
        throw new ApiError("validation_failed", `The ${event} payload is not what GitHub sends.`, { errors: zodFieldErrors(error) });
      throw error;
    }
  },
});
