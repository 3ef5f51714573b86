/**
 * Turns the PATH arguments into the sorted list of files to scan. Folders are walked
 * recursively, skipping dependency, VCS and build-output folders by default, what the
 * repository's `.gitignore` and `.pci-auditorignore` files ignore, and anything an `--exclude`
 * glob matches. Symbolic links to folders are not followed (no cycles), and only
 * regular files are read (a FIFO or device would block or never end).
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { CliError, describeFsError } from "./cli-error";
import { excludeMatcher } from "./glob";
import { IgnoreFiles, type IgnoreLayers } from "./ignore-files";

/** Folder and file names skipped inside scanned folders unless `--no-default-excludes`. */
export const DEFAULT_EXCLUDES: readonly string[] = ["node_modules", ".git", "dist", "build", "coverage", ".wrangler", "vendor"];

export interface CollectOptions {
  /** Folder that report paths are relative to. */
  cwd: string;
  exclude: readonly string[];
  defaultExcludes: boolean;
  /** Honour .gitignore files (.pci-auditorignore files always apply). */
  gitignore: boolean;
  /** Absolute paths never to scan (the report file being written). */
  skip?: ReadonlySet<string>;
}

export interface CollectedFile {
  absolute: string;
  /** Relative to `cwd`, with forward slashes: the path reports show. */
  path: string;
  size: number;
  /** The bytes, when they were not read from a file (standard input). */
  content?: Uint8Array;
}

/**
 * Lists the files to scan, sorted by report path, each once. Default excludes and ignore files
 * apply to what a folder walk finds, not to a PATH named on the command line; `--exclude` globs
 * apply to both.
 *
 * @throws CliError naming the path when an argument does not exist or a file or folder cannot be read
 */
export async function collectFiles(paths: readonly string[], options: CollectOptions): Promise<CollectedFile[]> {
  const excluded = excludeMatcher(options.exclude);
  const defaults = new Set(options.defaultExcludes ? DEFAULT_EXCLUDES : []);
  const found = new Map<string, CollectedFile>();
  const reportPath = (absolute: string) => path.relative(options.cwd, absolute).split(path.sep).join("/") || ".";

  const add = (absolute: string, shown: string, size: number) => {
    if (options.skip?.has(absolute)) return;
    found.set(absolute, { absolute, path: shown, size });
  };

  const ignoreFiles = new IgnoreFiles({ gitignore: options.gitignore });

  const walk = async (dir: string, parentLayers: IgnoreLayers): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      throw new CliError(`cannot read folder ${reportPath(dir)}: ${describeFsError(error)}`);
    });
    const layers = await ignoreFiles.inFolder(dir, parentLayers);
    const files: Array<{ absolute: string; shown: string }> = [];
    for (const entry of entries) {
      if (defaults.has(entry.name)) continue;
      const absolute = path.join(dir, entry.name);
      const shown = reportPath(absolute);
      if (excluded(shown) || ignoreFiles.ignores(layers, absolute, entry.isDirectory())) continue;
      if (entry.isDirectory()) await walk(absolute, layers);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push({ absolute, shown });
    }
    // A folder's files are stat-ed together, not one round trip after another.
    const infos = await Promise.all(files.map((f) => stat(f.absolute).catch(() => null))); // a dangling link is not an error
    files.forEach((f, i) => {
      const info = infos[i];
      if (info?.isFile()) add(f.absolute, f.shown, info.size);
    });
  };

  for (const arg of paths) {
    const absolute = path.resolve(options.cwd, arg);
    const info = await stat(absolute).catch((error: unknown) => {
      throw new CliError(`cannot read ${arg}: ${describeFsError(error)}`);
    });
    const shown = reportPath(absolute);
    if (shown !== "." && excluded(shown)) continue;
    if (info.isDirectory()) await walk(absolute, await ignoreFiles.atStart(path.dirname(absolute)));
    else if (info.isFile()) add(absolute, shown, info.size);
    else throw new CliError(`cannot scan ${arg}: not a regular file or folder`);
  }

  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
