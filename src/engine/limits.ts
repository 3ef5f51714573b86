/**
 * Default bounds for one scan. An acorn AST with locations costs ~30 bytes per source byte and
 * a Worker isolate has 128 MB, so the default per-file cap stays at 1 MB; the CLI raises it.
 * Parsing SQL costs ~0.2–1 ms per parser call whatever the text, so the SQL and simulation
 * budgets count calls and characters (sqlParseWork), not characters alone: at most ~0.6 s of
 * SQL parsing and ~0.4 s of attack simulation per scan, whatever the input.
 */
import type { Notification, ScanLimits } from "./types";

export const DEFAULT_LIMITS: ScanLimits = {
  maxFileBytes: 1_000_000,
  maxScanBytes: 10_000_000,
  maxFiles: 2_000,
  maxLineLength: 200_000,
  maxSqlLength: 32_000,
  maxFileSqlStatements: 5_000,
  maxScanSqlStatements: 20_000,
  maxFileSqlParseWork: 100_000,
  maxScanSqlParseWork: 200_000,
  maxScanSimulationWork: 150_000,
  maxAstNodes: 1_500_000,
  maxAstDepth: 1_500,
  maxDetectorCandidates: 50_000,
  maxFindingsPerRule: 500,
  maxScanFindingsPerSeverity: 2_000,
  // Tens of millions of interpreter steps a second: a scan's dataflow stays within about a second of CPU.
  maxScanDataflowSteps: 30_000_000,
  // ~30 bytes of syntax tree per source byte: 2 MB of code analysed together stays far inside 128 MB.
  maxProjectBytes: 2_000_000,
};

/** Limits the command-line tool uses: it runs on a developer's machine, not in a 128 MB isolate. */
export const CLI_LIMITS: ScanLimits = {
  ...DEFAULT_LIMITS,
  maxFileBytes: 8_000_000,
  maxScanBytes: 500_000_000,
  maxFiles: 100_000,
  maxFileSqlStatements: 100_000,
  maxScanSqlStatements: 5_000_000,
  maxFileSqlParseWork: 10_000_000,
  maxScanSqlParseWork: 500_000_000,
  maxScanSimulationWork: 100_000_000,
  maxScanFindingsPerSeverity: 1_000_000,
  maxScanDataflowSteps: 2_000_000_000,
  maxProjectBytes: 64_000_000,
};

/**
 * Whether file `index` of `count` (at `path`, `size` bytes, after `scanned` bytes) is over a
 * scan limit: the notification to give, and whether the scan stops there or only skips the file.
 * Shared by the engine and the command, which checks sizes before it reads a file.
 */
export function overScanLimit(
  file: { index: number; count: number; path: string; size: number },
  scanned: number,
  limits: ScanLimits,
): { notification: Notification; stop: boolean } | null {
  const { index, count, path, size } = file;
  if (index >= limits.maxFiles) {
    return {
      stop: true,
      notification: { level: "error", code: "too-many-files", message: `Scan has ${count} files; only the first ${limits.maxFiles} were scanned.` },
    };
  }
  if (size > limits.maxFileBytes) {
    return {
      stop: false,
      notification: {
        level: "error",
        code: "file-too-large",
        path,
        message: `File is ${size} bytes, over the ${limits.maxFileBytes}-byte limit per file; it was not scanned.`,
      },
    };
  }
  if (scanned + size > limits.maxScanBytes) {
    return {
      stop: true,
      notification: {
        level: "error",
        code: "scan-too-large",
        path,
        message: `Scan passed its ${limits.maxScanBytes}-byte limit at this file; it and the files after it were not scanned.`,
      },
    };
  }
  return null;
}
