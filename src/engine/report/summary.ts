/**
 * Counts that every report leads with: findings by severity, by PCI DSS requirement and by rule,
 * and notifications by level. Shared by the JSON and text reporters so they never disagree.
 */
import { SEVERITIES, type Notification, type ScanResult, type Severity } from "../types";
import { comparePciRequirements } from "./standard-titles";

export interface ScanSummary {
  findings: number;
  /** Findings inline directives accepted (not in the other counts). */
  suppressed: number;
  bySeverity: Record<Severity, number>;
  /** Requirement → findings citing it, in requirement order; a finding counts once per requirement. */
  byPciRequirement: Record<string, number>;
  /** Rule id → findings, sorted by id. */
  byRule: Record<string, number>;
  notifications: Record<Notification["level"], number>;
}

/** Summarises a scan result; keys of every map come out in a fixed order. */
export function summarize(result: ScanResult): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const pci = new Map<string, number>();
  const rules = new Map<string, number>();
  for (const f of result.findings) {
    bySeverity[f.severity]++;
    for (const r of new Set(f.pci)) pci.set(r, (pci.get(r) ?? 0) + 1);
    rules.set(f.ruleId, (rules.get(f.ruleId) ?? 0) + 1);
  }
  const notifications: Record<Notification["level"], number> = { error: 0, warning: 0, note: 0 };
  for (const n of result.notifications) notifications[n.level]++;
  return {
    findings: result.findings.length,
    suppressed: result.suppressed?.length ?? 0,
    bySeverity,
    byPciRequirement: Object.fromEntries([...pci].sort(([a], [b]) => comparePciRequirements(a, b))),
    byRule: Object.fromEntries([...rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    notifications,
  };
}
