/**
 * Ignore files, read as git reads them: `.gitignore` (unless --no-gitignore) and
 * `.pci-auditorignore` (always), in gitignore syntax through the `ignore` package. Each file
 * applies to its own folder's subtree, deeper files override shallower ones (a `!pattern` can
 * take a path back), and the files of the folders between the repository's root and a scanned
 * folder apply too, so `pci-auditor scan src` honours the root `.gitignore`. A folder that is
 * ignored is not walked.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { repositoryRoot } from "./repository";

export const IGNORE_FILE = ".pci-auditorignore";

/** One ignore file's rules and the folder its patterns are relative to. */
interface Layer {
  base: string;
  rules: Ignore;
}

/** The ignore rules in force in one folder, outermost first. */
export type IgnoreLayers = readonly Layer[];

export class IgnoreFiles {
  private readonly names: readonly string[];

  constructor(options: { gitignore: boolean }) {
    this.names = options.gitignore ? [".gitignore", IGNORE_FILE] : [IGNORE_FILE];
  }

  /**
   * The rules in force in `dir`, the folder holding a scanned folder: the ignore files of every
   * folder from the repository's root (the nearest folder at or above `dir` holding `.git`) down
   * to `dir`; none outside a repository.
   */
  async atStart(dir: string): Promise<IgnoreLayers> {
    const root = await repositoryRoot(dir);
    if (root === undefined) return [];
    const chain: string[] = [];
    for (let d = dir; d !== root && path.dirname(d) !== d; d = path.dirname(d)) chain.unshift(d);
    let layers: IgnoreLayers = [];
    for (const d of [root, ...chain]) layers = await this.inFolder(d, layers);
    return layers;
  }

  /** The rules in force in `dir`: those of its parent plus its own ignore files. */
  async inFolder(dir: string, parent: IgnoreLayers): Promise<IgnoreLayers> {
    let layers = parent;
    for (const name of this.names) {
      const text = await readFile(path.join(dir, name), "utf8").catch(() => undefined);
      if (text !== undefined) layers = [...layers, { base: dir, rules: ignore().add(text) }];
    }
    return layers;
  }

  /** Whether the rules ignore an absolute path (a folder when `isDir`). */
  ignores(layers: IgnoreLayers, absolute: string, isDir: boolean): boolean {
    let ignored = false;
    for (const { base, rules } of layers) {
      const rel = path.relative(base, absolute).split(path.sep).join("/");
      if (rel === "" || rel.startsWith("../")) continue;
      const r = rules.test(isDir ? `${rel}/` : rel);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }
}
