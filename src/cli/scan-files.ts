/**
 * Runs the engine over the collected files as one project, so a request read in a route file
 * and a query run in a DAO meet: the files are read (the scan-wide limits and the per-file size
 * limit are applied first, before a file is read) and handed to one `scan()`, which parses and
 * analyses the groups of files that import each other one group at a time, so memory holds the
 * tree's text and one group's syntax trees.
 */
import { readFile } from "node:fs/promises";
import { scan, type Notification, type ScanLimits, type ScanOptions, type ScanResult } from "../engine/index";
import { overScanLimit } from "../engine/limits";
import { CliError, describeFsError } from "./cli-error";
import type { CollectedFile } from "./collect-files";

export interface ScanFilesOptions {
  limits: ScanLimits;
  dialect?: ScanOptions["dialect"];
  minSeverity?: ScanOptions["minSeverity"];
  rules?: ScanOptions["rules"];
  /** Called after each file with how many files are done. */
  onProgress?: (done: number, total: number) => void;
}

/** Files read at once: enough to keep the disk busy, few enough to stay under the open-file limit. */
const READ_BATCH = 64;

/**
 * Scans files as one project and returns its result.
 *
 * @throws CliError naming the file when it cannot be read
 */
export async function scanFiles(files: readonly CollectedFile[], options: ScanFilesOptions): Promise<ScanResult> {
  const { limits } = options;
  const notifications: Notification[] = [];
  const accepted: CollectedFile[] = [];
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const over = overScanLimit({ index: i, count: files.length, path: file.path, size: file.size }, bytes, limits);
    if (over) {
      notifications.push(over.notification);
      if (over.stop) break;
      continue;
    }
    accepted.push(file);
    bytes += file.size;
  }
  const inputs: Array<{ path: string; content: Uint8Array }> = [];
  for (let i = 0; i < accepted.length; i += READ_BATCH) {
    const batch = accepted.slice(i, i + READ_BATCH);
    const contents = await Promise.all(
      batch.map(
        async (file) =>
          file.content ??
          readFile(file.absolute).catch((error: unknown) => {
            throw new CliError(`cannot read ${file.path}: ${describeFsError(error)}`);
          }),
      ),
    );
    batch.forEach((file, j) => inputs.push({ path: file.path, content: contents[j]! }));
  }
  const skipped = files.length - accepted.length;
  const result = await scan(
    { files: inputs },
    {
      dialect: options.dialect,
      minSeverity: options.minSeverity,
      rules: options.rules,
      limits,
      onProgress: options.onProgress && ((done) => options.onProgress!(skipped + done, files.length)),
    },
  );
  return {
    ...result,
    notifications: [...notifications, ...result.notifications],
    stats: { ...result.stats, files: files.length, filesSkipped: files.length - result.stats.filesScanned },
  };
}
