/**
 * Default bounds for one scan. An acorn AST with locations costs ~30 bytes per source byte and
 * a Worker isolate has 128 MB, so the default per-file cap stays at 1 MB; the CLI raises it.
 */
import type { ScanLimits } from "./types";

export const DEFAULT_LIMITS: ScanLimits = {
  maxFileBytes: 1_000_000,
  maxScanBytes: 10_000_000,
  maxFiles: 2_000,
  maxLineLength: 200_000,
  maxSqlLength: 32_000,
  maxAstNodes: 1_500_000,
  maxAstDepth: 1_500,
  maxDetectorCandidates: 50_000,
  maxFindingsPerRule: 500,
};

/** Limits the command-line tool uses: it runs on a developer's machine, not in a 128 MB isolate. */
export const CLI_LIMITS: ScanLimits = {
  ...DEFAULT_LIMITS,
  maxFileBytes: 8_000_000,
  maxScanBytes: 500_000_000,
  maxFiles: 100_000,
};
