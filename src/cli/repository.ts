/**
 * The git repository a scan runs in: the nearest folder at or above a path that holds `.git` (a
 * folder, or a file in a worktree or submodule). Ignore files are read from its root down, and
 * SARIF paths are made relative to it so GitHub maps them to its files.
 */
import { stat } from "node:fs/promises";
import path from "node:path";

/** The repository root at or above `dir`, or undefined outside a repository. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if ((await stat(path.join(d, ".git")).catch(() => null)) !== null) return d;
    if (path.dirname(d) === d) return undefined;
  }
}
