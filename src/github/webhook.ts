/**
 * Handles one verified GitHub delivery, fast (GitHub gives up after 10 s): installation events
 * are applied to D1 (idempotently, so before the dedupe claim), a push or pull request of a
 * linked installation is claimed by its delivery id and queued as a "github-check" job, and
 * everything else is acknowledged with the reason it was ignored. A redelivered id is answered
 * "duplicate" and starts nothing.
 */
import { z } from "zod";
import { database } from "../db/client";
import type { Env } from "../env";
import { claimDelivery, releaseDelivery, type DeliveryStatus } from "./deliveries";
import { readEvent, type InstallationChange } from "./events";
import { changeRepositories, deleteInstallation, getInstallation, recordInstallation } from "./installations";
import type { Db } from "../db/client";

export const DeliveryAck = z
  .object({
    delivery: z.string().describe("X-GitHub-Delivery"),
    event: z.string().describe("X-GitHub-Event"),
    outcome: z
      .enum(["queued", "recorded", "ignored", "duplicate"])
      .describe("queued: a check run will answer; recorded: an installation change was applied; duplicate: this delivery id was handled before"),
    reason: z.string().optional().describe("Why nothing was queued"),
  })
  .meta({ id: "GithubDeliveryAck" });
export type DeliveryAck = z.infer<typeof DeliveryAck>;

export interface Delivery {
  id: string;
  event: string;
  payload: unknown;
  /** This API's origin as GitHub called it, for links back to the scan. */
  apiOrigin: string;
}

export async function handleDelivery(env: Env, delivery: Delivery): Promise<DeliveryAck> {
  const db = database(env.DB);
  const action = readEvent(delivery.event, delivery.payload);
  const ack = (outcome: DeliveryAck["outcome"], reason?: string): DeliveryAck => ({
    delivery: delivery.id,
    event: delivery.event,
    outcome,
    ...(reason ? { reason } : {}),
  });
  const claim = async (status: DeliveryStatus, extra: { installationId?: number; repository?: string; headSha?: string; reason?: string } = {}) =>
    claimDelivery(db, { id: delivery.id, event: delivery.event, status, ...extra });

  if ("pong" in action) return (await claim("recorded")) ? ack("recorded") : ack("duplicate");
  if ("ignore" in action) return (await claim("ignored", { reason: action.ignore })) ? ack("ignored", action.ignore) : ack("duplicate");
  if ("installation" in action) {
    await applyInstallationChange(db, action.installation);
    return (await claim("recorded", { installationId: action.installation.installationId })) ? ack("recorded") : ack("duplicate");
  }

  const target = action.check;
  const installation = await getInstallation(db, target.installationId);
  if (!installation?.projectId) {
    const reason = `Installation ${target.installationId} is not linked to a project: an administrator links it with PUT /v1/github/installations/${target.installationId}.`;
    return (await claim("ignored", { installationId: target.installationId, repository: target.repository, reason }))
      ? ack("ignored", reason)
      : ack("duplicate");
  }
  const claimed = await claim("queued", { installationId: target.installationId, repository: target.repository, headSha: target.headSha });
  if (!claimed) return ack("duplicate");
  try {
    await env.SCAN_JOBS.send({
      kind: "github-check",
      deliveryId: delivery.id,
      projectId: installation.projectId,
      ...target,
      apiOrigin: delivery.apiOrigin,
      deferrals: 0,
    });
  } catch (error) {
    // Not queued: forget the claim so GitHub's redelivery of this id runs it.
    await releaseDelivery(db, delivery.id).catch(() => undefined);
    throw error;
  }
  return ack("queued");
}

function applyInstallationChange(db: Db, change: InstallationChange): Promise<void> {
  switch (change.kind) {
    case "record":
      return recordInstallation(db, change.installationId, change.account, change.repositories);
    case "repositories":
      return changeRepositories(db, change.installationId, change.account, change.added, change.removed);
    case "delete":
      return deleteInstallation(db, change.installationId);
  }
}
