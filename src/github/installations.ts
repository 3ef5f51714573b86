/**
 * GitHub App installations and the projects they scan into: the one module that writes
 * `github_installations`. Installation events record an installation and its repositories; only
 * the administrator links one to a project (an installation id is a small guessable number, so a
 * project key holder claiming one would get another account's code).
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { githubInstallations } from "../db/schema";
import { maskCardNumbers } from "../engine/mask";
import type { FailOn } from "./check-run";

export type InstallationRow = typeof githubInstallations.$inferSelect;

/** Repositories listed per installation at most (GitHub lists every repository of an "all" install). */
const MAX_REPOSITORIES = 1_000;

export function getInstallation(db: Db, id: number): Promise<InstallationRow | undefined> {
  return db.select().from(githubInstallations).where(eq(githubInstallations.id, id)).get();
}

/** An installation was created (or accepted new permissions): record its account and repositories, keeping any link. */
export async function recordInstallation(db: Db, id: number, account: string | null, repositories: readonly string[], now = Date.now()): Promise<void> {
  // Names are shown back and only shown (jobs take the repository from their message): stored masked, like every label.
  const repos = [...new Set(repositories.map(maskCardNumbers))].sort().slice(0, MAX_REPOSITORIES);
  account = account === null ? null : maskCardNumbers(account);
  await db
    .insert(githubInstallations)
    .values({ id, account, repositories: repos, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: githubInstallations.id,
      set: { account: sql`coalesce(excluded.account, ${githubInstallations.account})`, repositories: repos, updatedAt: now },
    });
}

/** Repositories were added to or removed from an installation. */
export async function changeRepositories(
  db: Db,
  id: number,
  account: string | null,
  added: readonly string[],
  removed: readonly string[],
  now = Date.now(),
): Promise<void> {
  const current = (await getInstallation(db, id))?.repositories ?? [];
  const gone = new Set(removed.map(maskCardNumbers));
  await recordInstallation(db, id, account, [...current.filter((r) => !gone.has(r)), ...added], now);
}

/** The App was uninstalled: the link goes with it (a reinstall has a new id). */
export async function deleteInstallation(db: Db, id: number): Promise<void> {
  await db.delete(githubInstallations).where(eq(githubInstallations.id, id));
}

/** Links an installation to a project, creating its row if no installation event was seen yet. */
export async function linkInstallation(db: Db, id: number, projectId: string, failOn: FailOn, now = Date.now()): Promise<InstallationRow> {
  return db
    .insert(githubInstallations)
    .values({ id, projectId, failOn, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: githubInstallations.id, set: { projectId, failOn, updatedAt: now } })
    .returning()
    .get();
}
