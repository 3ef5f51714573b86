/**
 * What runScan() stores is bounded and masked here, whatever the engine returns: D1 refuses any
 * value over 2 MB (SQLITE_TOOBIG), and one file of 40,000 unparseable statements once gave
 * 40,000 notifications in one scans row. The engine's output boundary caps and masks to the same
 * limits, but the store does not rely on it: notifications are kept per code with a count of the
 * rest, findings per scan with a notification saying how many were left out, and every stored
 * string is cut and scrubbed of card numbers and secrets (paths included: a fixture named after a
 * card number is a leak). Output the engine already bounded passes through unchanged. A fix is the
 * exception to cutting: a diff cut short would not apply, so a fix is masked whole, and one too
 * large to store is replaced by the reason it is not there.
 */
import { FINDING_MESSAGE_MAX_CHARS, NOTIFICATION_MAX_CHARS, NOTIFICATIONS_PER_CODE } from "../engine/report/output-boundary";
import { SEVERITIES, type Finding, type Notification, type ScanResult } from "../engine/types";
import { clipScrubbed, scrubValue } from "../observability/scrub";

/** Findings stored per scan (most severe first); the rest are counted in a notification. */
export const MAX_STORED_FINDINGS = 10_000;

const PATH_MAX = 512;
const SHORT_MAX = 200;
const SNIPPET_MAX = 4_000;
const FLOW_STEPS_MAX = 50;
const LIST_MAX = 20;
/** Proof strings: a proof over the inline threshold goes to R2, but its renderings stay readable. */
const PROOF_STRING_MAX = 20_000;
/**
 * Largest fix stored, in characters of JSON (it goes to R2 past the inline threshold): the
 * engine refuses to patch long lines, not many, and a sink built over thousands of lines gives a
 * patch nobody would review as one.
 */
export const FIX_MAX_CHARS = 500_000;

function boundNotification(n: Notification): Notification {
  return {
    level: n.level,
    code: n.code,
    message: clipScrubbed(n.message, NOTIFICATION_MAX_CHARS),
    ...(n.path !== undefined ? { path: clipScrubbed(n.path, PATH_MAX) } : {}),
    ...(n.ruleId !== undefined ? { ruleId: clipScrubbed(n.ruleId, SHORT_MAX) } : {}),
    ...(typeof n.line === "number" ? { line: n.line } : {}),
    ...(typeof n.column === "number" ? { column: n.column } : {}),
  };
}

/** The first NOTIFICATIONS_PER_CODE (the engine's own cap) of each code, then one "…and K more" per code that had more. */
export function boundNotifications(notifications: readonly Notification[]): Notification[] {
  const kept: Notification[] = [];
  const dropped = new Map<Notification["code"], { level: Notification["level"]; count: number }>();
  const seen = new Map<Notification["code"], number>();
  for (const n of notifications) {
    const count = (seen.get(n.code) ?? 0) + 1;
    seen.set(n.code, count);
    if (count <= NOTIFICATIONS_PER_CODE) kept.push(boundNotification(n));
    else dropped.set(n.code, { level: dropped.get(n.code)?.level ?? n.level, count: (dropped.get(n.code)?.count ?? 0) + 1 });
  }
  for (const [code, { level, count }] of dropped) {
    kept.push({ level, code, message: `…and ${count} more "${code}" notification${count === 1 ? "" : "s"}, not listed.` });
  }
  return kept;
}

/** The fix masked whole (never cut: a cut diff would not apply), or why it is not stored. */
function boundFix(fix: Finding["fix"], fixUnavailable: Finding["fixUnavailable"]): Pick<Finding, "fix" | "fixUnavailable"> {
  if (fix) {
    const size = JSON.stringify(fix).length;
    if (size <= FIX_MAX_CHARS) return { fix: scrubValue(fix, FIX_MAX_CHARS) };
    return { fixUnavailable: `the patch is ${size} characters, more than the ${FIX_MAX_CHARS} a scan stores: change the sink by hand as the remediation says` };
  }
  return fixUnavailable ? { fixUnavailable: clipScrubbed(fixUnavailable, NOTIFICATION_MAX_CHARS) } : {};
}

function boundFinding({ fix, fixUnavailable, ...f }: Finding): Finding {
  const path = (p: string) => clipScrubbed(p, PATH_MAX);
  const list = (items: readonly string[]) => items.slice(0, LIST_MAX).map((s) => clipScrubbed(s, SHORT_MAX));
  return {
    ...f,
    title: clipScrubbed(f.title, SHORT_MAX),
    message: clipScrubbed(f.message, FINDING_MESSAGE_MAX_CHARS),
    cwe: list(f.cwe),
    owasp: list(f.owasp),
    pci: list(f.pci),
    tags: list(f.tags),
    location: { ...f.location, path: path(f.location.path) },
    snippet: clipScrubbed(f.snippet, SNIPPET_MAX),
    flow: f.flow.slice(0, FLOW_STEPS_MAX).map((step) => ({
      ...step,
      location: { ...step.location, path: path(step.location.path) },
      message: clipScrubbed(step.message, NOTIFICATION_MAX_CHARS),
    })),
    remediation: clipScrubbed(f.remediation, SNIPPET_MAX),
    ...(f.proof ? { proof: scrubValue(f.proof, PROOF_STRING_MAX) } : {}),
    ...boundFix(fix, fixUnavailable),
  };
}

/** The result as it may be stored: bounded notifications, at most MAX_STORED_FINDINGS bounded findings. */
export function boundResult(result: ScanResult): ScanResult {
  let findings = result.findings;
  const notifications = [...result.notifications];
  if (findings.length > MAX_STORED_FINDINGS) {
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
    findings = [...findings].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_STORED_FINDINGS);
    notifications.push({
      level: "warning",
      code: "finding-cap",
      message: `This scan found ${result.findings.length} findings; the ${MAX_STORED_FINDINGS} most severe are stored and the other ${result.findings.length - MAX_STORED_FINDINGS} are not listed.`,
    });
  }
  return { ...result, findings: findings.map(boundFinding), notifications: boundNotifications(notifications) };
}
