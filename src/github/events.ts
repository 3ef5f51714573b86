/**
 * The GitHub webhook events we act on, read from their payloads (docs.github.com webhook payload
 * reference; only the fields used are checked): which commit of which repository a push or pull
 * request asks us to check, and what an installation event changes. Anything else is ignored
 * with a reason the delivery log on GitHub shows.
 */
import { z } from "zod";

const SHA = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/);
const NO_COMMIT = /^0+$/;
const RepoName = z.string().regex(/^[\w.-]{1,100}\/[\w.-]{1,100}$/);
const Repository = z.object({ full_name: RepoName, default_branch: z.string().min(1).max(255).optional() });
const Installation = z.object({ id: z.number().int().positive(), account: z.object({ login: z.string().max(100) }).nullish() });

const Push = z.object({
  ref: z.string().max(1024),
  before: z.string().max(64),
  after: z.string().max(64),
  deleted: z.boolean().optional(),
  repository: Repository,
  installation: Installation.pick({ id: true }).optional(),
});

const PullRequest = z.object({
  action: z.string().max(64),
  number: z.number().int().positive(),
  pull_request: z.object({ head: z.object({ sha: SHA }) }),
  repository: Repository,
  installation: Installation.pick({ id: true }).optional(),
});

const InstallationEvent = z.object({
  action: z.string().max(64),
  installation: Installation,
  repositories: z.array(z.object({ full_name: RepoName })).optional(),
});

const InstallationRepositories = z.object({
  action: z.string().max(64),
  installation: Installation,
  repositories_added: z.array(z.object({ full_name: RepoName })).default([]),
  repositories_removed: z.array(z.object({ full_name: RepoName })).default([]),
});

/** The pull request actions that put new code at the head. */
const PULL_REQUEST_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

/** A commit to scan and answer with a check run. */
export interface CheckTarget {
  installationId: number;
  repository: string;
  headSha: string;
  pullRequest?: number;
  base?: string;
}

export type InstallationChange =
  | { kind: "record"; installationId: number; account: string | null; repositories: string[] }
  | { kind: "repositories"; installationId: number; account: string | null; added: string[]; removed: string[] }
  | { kind: "delete"; installationId: number };

export type EventAction = { check: CheckTarget } | { installation: InstallationChange } | { ignore: string } | { pong: true };

/** What a delivery of `event` asks for; throws the payload's zod error when a handled event is malformed. */
export function readEvent(event: string, payload: unknown): EventAction {
  switch (event) {
    case "ping":
      return { pong: true };
    case "push":
      return pushAction(Push.parse(payload));
    case "pull_request": {
      const p = PullRequest.parse(payload);
      if (!PULL_REQUEST_ACTIONS.has(p.action))
        return { ignore: `pull_request "${p.action}" does not change the code; only opened, synchronize and reopened are scanned.` };
      if (!p.installation) return { ignore: "Not delivered by a GitHub App installation." };
      return { check: { installationId: p.installation.id, repository: p.repository.full_name, headSha: p.pull_request.head.sha, pullRequest: p.number } };
    }
    case "installation": {
      const p = InstallationEvent.parse(payload);
      const account = p.installation.account?.login ?? null;
      if (p.action === "deleted") return { installation: { kind: "delete", installationId: p.installation.id } };
      if (p.action === "created" || p.action === "new_permissions_accepted" || p.action === "unsuspend") {
        return { installation: { kind: "record", installationId: p.installation.id, account, repositories: (p.repositories ?? []).map((r) => r.full_name) } };
      }
      return { ignore: `installation "${p.action}" changes nothing here.` };
    }
    case "installation_repositories": {
      const p = InstallationRepositories.parse(payload);
      const names = (list: Array<{ full_name: string }>) => list.map((r) => r.full_name);
      return {
        installation: {
          kind: "repositories",
          installationId: p.installation.id,
          account: p.installation.account?.login ?? null,
          added: names(p.repositories_added),
          removed: names(p.repositories_removed),
        },
      };
    }
    default:
      return { ignore: `The ${event} event is not handled; subscribe to push, pull_request and installation only.` };
  }
}

function pushAction(p: z.infer<typeof Push>): EventAction {
  if (!p.installation) return { ignore: "Not delivered by a GitHub App installation." };
  if (p.deleted || NO_COMMIT.test(p.after)) return { ignore: "The push deleted a branch or tag: nothing to scan." };
  if (!p.ref.startsWith("refs/heads/")) return { ignore: "Only branch pushes are scanned, not tags." };
  if (!SHA.safeParse(p.after).success) return { ignore: "The push names no head commit." };
  // A new branch has no `before`: compare it with the default branch instead.
  const base = NO_COMMIT.test(p.before) ? p.repository.default_branch : SHA.safeParse(p.before).success ? p.before : undefined;
  if (!base) return { ignore: "The push names no commit to compare with." };
  return { check: { installationId: p.installation.id, repository: p.repository.full_name, headSha: p.after, base } };
}
