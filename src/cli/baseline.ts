/**
 * Baselines: adopting the scanner on a repository with history. A previous report (this tool's
 * JSON, or its SARIF) lists the findings a team has already seen; a run with `--baseline` leaves
 * those out of its report and its exit status, so CI fails only on what a change introduces.
 * Findings are matched by fingerprint, which hashes the rule and the finding's line text, not its
 * line number or path, so edits above a finding and renamed files keep it matched.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { maskCardNumbers, type Notification, type ScanResult } from "../engine/index";
import { CliError, describeFsError } from "./cli-error";
import { narrowFindings } from "./narrow-result";

/** Reports larger than this are not a baseline this tool wrote. */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/**
 * The fingerprints a report holds: `findings[].fingerprint` (and `suppressed`) of a JSON report,
 * `results[].partialFingerprints.primaryLocationLineHash` of a SARIF log.
 *
 * @throws CliError naming the file when it cannot be read or is neither
 */
export async function readBaseline(file: string, cwd: string): Promise<Set<string>> {
  const text = await readFile(path.resolve(cwd, file), "utf8").catch((error: unknown) => {
    throw new CliError(`cannot read baseline ${file}: ${describeFsError(error)}`);
  });
  if (text.length > MAX_BASELINE_BYTES) throw new CliError(`baseline ${file} is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB`);
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new CliError(`baseline ${file} is not JSON: pass a report written with --format json, --format sarif or --write-baseline`);
  }
  const fingerprints = fingerprintsOf(report);
  if (fingerprints === null) throw new CliError(`baseline ${file} is neither a pci-auditor JSON report nor a SARIF log`);
  return fingerprints;
}

function fingerprintsOf(report: unknown): Set<string> | null {
  if (report === null || typeof report !== "object") return null;
  const r = report as { findings?: unknown; suppressed?: unknown; runs?: unknown };
  const out = new Set<string>();
  const add = (value: unknown) => typeof value === "string" && value !== "" && out.add(value);
  if (Array.isArray(r.findings)) {
    const listed: unknown[] = [...(r.findings as unknown[]), ...(Array.isArray(r.suppressed) ? (r.suppressed as unknown[]) : [])];
    for (const f of listed) add((f as { fingerprint?: unknown } | null)?.fingerprint);
    return out;
  }
  if (Array.isArray(r.runs)) {
    for (const run of r.runs) {
      const results = (run as { results?: unknown } | null)?.results;
      if (!Array.isArray(results)) continue;
      for (const res of results)
        add((res as { partialFingerprints?: { primaryLocationLineHash?: unknown } } | null)?.partialFingerprints?.primaryLocationLineHash);
    }
    return out;
  }
  return null;
}

/** The result without the findings the baseline holds, with a note saying how many were left out. */
export function withoutBaseline(result: ScanResult, baseline: ReadonlySet<string>, file: string): ScanResult {
  const narrowed = narrowFindings(result, (f) => !baseline.has(f.fingerprint));
  const known = result.findings.length - narrowed.findings.length;
  const note: Notification = {
    level: "note",
    code: "baseline",
    message: `${known} finding${known === 1 ? "" : "s"} already in the baseline ${maskCardNumbers(file.slice(0, 200))} ${known === 1 ? "is" : "are"} not reported; ${narrowed.findings.length} new.`,
  };
  return { ...narrowed, notifications: [...narrowed.notifications, note] };
}
