/**
 * The `pci-auditor` check run a push or pull request is answered with (REFERENCE.md §13): its
 * conclusion from the installation's fail-on level (as the CLI's `--fail-on`), a summary with
 * counts by severity and PCI DSS requirement, what the scan limits left out, a link to the scan,
 * and annotations only on lines the change added. Check run text never carries code: annotations
 * quote a finding's rule title and message, which pass the masker again here.
 */
import { pciRequirementTitle } from "../engine/report/standard-titles";
import { SEVERITIES, type Severity } from "../engine/types";
import { clipScrubbed } from "../observability/scrub";

export const CHECK_NAME = "pci-auditor";
/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations sent at most per check run (each batch of 50 is one request). */
export const MAX_ANNOTATIONS = 500;
/** GitHub's limit on `output.summary` (characters). */
const SUMMARY_MAX = 65_535;

export const FAIL_ON = [...SEVERITIES, "none"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export type Conclusion = "success" | "failure" | "neutral";

/** "failure" when a finding is at or above `failOn`, otherwise "success". */
export function conclusionFor(bySeverity: Record<Severity, number>, failOn: FailOn): Conclusion {
  if (failOn === "none") return "success";
  const threshold = SEVERITIES.indexOf(failOn);
  return SEVERITIES.some((s, rank) => rank <= threshold && bySeverity[s] > 0) ? "failure" : "success";
}

/** A finding as the check run needs it (a row of the scan's stored, masked findings). */
export interface CheckFinding {
  ruleId: string;
  severity: string;
  title: string;
  message: string;
  path: string;
  startLine: number;
  endLine: number;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

const LEVELS: Record<string, Annotation["annotation_level"]> = { critical: "failure", high: "failure", medium: "warning", low: "notice", info: "notice" };

/** Annotations for the findings that touch a line the change added, in the order given. */
export function annotationsFor(findings: readonly CheckFinding[], changedLines: ReadonlyMap<string, ReadonlySet<number> | "all">): Annotation[] {
  return findings
    .filter((f) => {
      const lines = changedLines.get(f.path);
      if (lines === undefined) return false;
      if (lines === "all") return true;
      for (let line = f.startLine; line <= f.endLine; line++) if (lines.has(line)) return true;
      return false;
    })
    .map((f) => ({
      path: f.path,
      start_line: f.startLine,
      end_line: f.endLine,
      annotation_level: LEVELS[f.severity] ?? "notice",
      title: clipScrubbed(`${f.ruleId}: ${f.title}`, 255),
      message: clipScrubbed(`[${f.severity}] ${f.message}`, 2_000),
    }));
}

export interface SummaryInput {
  bySeverity: Record<Severity, number>;
  byPciRequirement: Record<string, number>;
  filesScanned: number;
  failOn: FailOn;
  conclusion: Conclusion;
  /** Annotations on changed lines, and how many of them were sent. */
  annotations: { total: number; sent: number };
  /** What the limits left out, in our words. */
  notes: readonly string[];
  /** The scan's URL on this API, and its SARIF. */
  scanUrl: string;
}

/** The check run's `output.title` and `output.summary` (Markdown). */
export function checkOutput(input: SummaryInput): { title: string; summary: string } {
  const total = SEVERITIES.reduce((n, s) => n + input.bySeverity[s], 0);
  const title =
    total === 0
      ? "No findings"
      : `${total} finding${total === 1 ? "" : "s"}: ${SEVERITIES.filter((s) => input.bySeverity[s] > 0)
          .map((s) => `${input.bySeverity[s]} ${s}`)
          .join(", ")}`;
  const lines = [
    `Scanned ${input.filesScanned} changed file${input.filesScanned === 1 ? "" : "s"}. ${input.conclusion === "failure" ? `Failed: findings at or above **${input.failOn}**.` : input.failOn === "none" ? "This installation never fails the check." : `Nothing at or above **${input.failOn}**.`}`,
    "",
    "| Severity | Findings |",
    "| --- | ---: |",
    ...SEVERITIES.map((s) => `| ${s} | ${input.bySeverity[s]} |`),
  ];
  const pci = Object.entries(input.byPciRequirement);
  if (pci.length > 0) {
    lines.push("", "| PCI DSS requirement | Findings |", "| --- | ---: |");
    for (const [req, n] of pci) lines.push(`| ${req} ${pciRequirementTitle(req) ?? ""} | ${n} |`);
  }
  lines.push(
    "",
    `${input.annotations.total} finding${input.annotations.total === 1 ? "" : "s"} on changed lines${input.annotations.sent < input.annotations.total ? ` (the first ${input.annotations.sent} annotated)` : " annotated"}; findings elsewhere in the changed files are in the scan.`,
  );
  if (input.notes.length > 0) lines.push("", "**Limits:**", ...input.notes.map((n) => `- ${n}`));
  lines.push("", `Scan: ${input.scanUrl} (SARIF: ${input.scanUrl}/sarif), read with an API key of the project.`);
  return { title: clipScrubbed(title, 255), summary: clipScrubbed(lines.join("\n"), SUMMARY_MAX) };
}
