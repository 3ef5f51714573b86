/**
 * Runs the engine over collected files one at a time, so memory holds one file rather than
 * the whole tree and progress can be shown, then merges the per-file results into the single
 * ScanResult a one-shot `scan()` would give. The scan-wide limits (file count, total bytes) and
 * the per-file size limit are applied here, before a file is read.
 */
import { readFile } from "node:fs/promises";
import { ENGINE_VERSION, SEVERITIES, resolveRules, scan, type Finding, type Notification, type ScanLimits, type ScanOptions, type ScanResult } from "../engine/index";
import { overScanLimit } from "../engine/limits";
import { CliError, describeFsError } from "./cli-error";
import type { CollectedFile } from "./collect-files";

export interface ScanFilesOptions {
  limits: ScanLimits;
  dialect?: ScanOptions["dialect"];
  minSeverity?: ScanOptions["minSeverity"];
  /** Called after each file with how many files are done. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scans files in order and returns one merged result.
 *
 * @throws CliError naming the file when it cannot be read
 */
export async function scanFiles(files: readonly CollectedFile[], options: ScanFilesOptions): Promise<ScanResult> {
  const { limits } = options;
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as ScanResult["stats"]["bySeverity"];
  let bytes = 0;
  let filesScanned = 0;

  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const over = overScanLimit({ index: i, count: files.length, path: file.path, size: file.size }, bytes, limits);
    if (over) {
      notifications.push(over.notification);
      if (over.stop) break;
      continue;
    }
    const content = await readFile(file.absolute).catch((error: unknown) => {
      throw new CliError(`cannot read ${file.path}: ${describeFsError(error)}`);
    });
    const one = await scan({ files: [{ path: file.path, content }] }, { dialect: options.dialect, minSeverity: options.minSeverity, limits });
    findings.push(...one.findings);
    notifications.push(...one.notifications);
    for (const s of SEVERITIES) bySeverity[s] += one.stats.bySeverity[s];
    bytes += one.stats.bytes;
    filesScanned += one.stats.filesScanned;
    options.onProgress?.(i + 1, files.length);
  }

  return {
    engineVersion: ENGINE_VERSION,
    findings,
    notifications,
    stats: {
      files: files.length,
      filesScanned,
      filesSkipped: files.length - filesScanned,
      bytes,
      findings: findings.length,
      bySeverity,
      rulesRun: resolveRules({}).active.length,
    },
  };
}
