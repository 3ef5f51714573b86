/**
 * Reads and changes of a project's API keys, shared by the /v1/keys routes and the dashboard:
 * always scoped to the project, so another project's key id behaves like a missing one.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { apiKeys } from "./schema";

export type KeyRow = typeof apiKeys.$inferSelect;

/** The project's keys, newest first (hashes included: callers render them through keyView). */
export async function listKeys(db: Db, projectId: string): Promise<KeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.projectId, projectId)).orderBy(desc(apiKeys.createdAt)).all();
}

/** Revokes an active key of the project; false when there is no such active key. It stops working at once. */
export async function revokeKey(db: Db, projectId: string, keyId: string, now = Date.now()): Promise<boolean> {
  const done = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return done.length === 1;
}
