/**
 * Leaving findings out of a scan result after the scan (a baseline's known findings, those
 * outside a change), with the counts the reports and the exit status read kept in step.
 */
import { SEVERITIES, type Finding, type ScanResult, type Severity } from "../engine/index";

/** The result with only the findings (and suppressed findings) `keep` accepts, its stats recounted. */
export function narrowFindings(result: ScanResult, keep: (f: Finding) => boolean): ScanResult {
  const findings = result.findings.filter(keep);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  return {
    ...result,
    findings,
    ...(result.suppressed ? { suppressed: result.suppressed.filter(keep) } : {}),
    stats: { ...result.stats, findings: findings.length, bySeverity },
  };
}
