/**
 * `--changed-since REF`: which files a change touched, as git sees them — committed since REF,
 * staged, unstaged and untracked (not ignored) — so a pull-request job reports what the change
 * introduced. The whole project is still scanned: a request read in an unchanged route can reach
 * a query the change added in a service, and that flow is reported because its sink moved.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { ScanResult } from "../engine/index";
import { CliError } from "./cli-error";
import { narrowFindings } from "./narrow-result";
import { repositoryRoot } from "./repository";

const run = promisify(execFile);
/** git output kept; a diff listing more paths than this is a repository-wide change. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Paths (relative to `cwd`, forward slashes, as reports show them) of the files changed since `ref`.
 *
 * @throws CliError when `cwd` is not in a git repository, git is missing, or the ref is unknown
 */
export async function changedFiles(ref: string, cwd: string): Promise<Set<string>> {
  if (ref.startsWith("-")) throw new CliError(`invalid git ref "${ref.slice(0, 80)}" for --changed-since`, true);
  const root = await repositoryRoot(cwd);
  if (root === undefined) throw new CliError("--changed-since needs a git repository: none contains the working folder");
  const git = async (args: string[]) => {
    try {
      return (await run("git", args, { cwd: root, maxBuffer: MAX_OUTPUT, encoding: "utf8" })).stdout;
    } catch (error) {
      const e = error as { code?: string; stderr?: string };
      if (e.code === "ENOENT") throw new CliError("--changed-since needs git on the PATH");
      throw new CliError(
        `git could not compare with "${ref.slice(0, 80)}": ${String(e.stderr ?? error)
          .trim()
          .split("\n")[0]!
          .slice(0, 200)}`,
      );
    }
  };
  // -z: names as they are (no quoting of unusual characters), NUL-separated.
  const [diff, untracked] = await Promise.all([
    git(["diff", "--name-only", "-z", "--no-renames", ref, "--"]),
    git(["ls-files", "--others", "--exclude-standard", "-z"]),
  ]);
  const out = new Set<string>();
  for (const name of `${diff}\0${untracked}`.split("\0")) {
    if (name !== "") out.add(path.relative(cwd, path.join(root, name)).split(path.sep).join("/"));
  }
  return out;
}

/** The result with only the findings whose sink or flow lies in a changed file. */
export function onlyChanged(result: ScanResult, changed: ReadonlySet<string>): ScanResult {
  return narrowFindings(result, (f) => changed.has(f.location.path) || f.flow.some((s) => changed.has(s.location.path)));
}
