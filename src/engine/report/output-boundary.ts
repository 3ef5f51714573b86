/**
 * The one place a scan result leaves the engine (scan() ends here). Every string the engine
 * writes — finding titles and messages, flow steps and their paths, locations, snippets, attack
 * proofs, suppression reasons, notification messages and paths — is masked here for card
 * numbers and secrets, whichever rule or module wrote it and from whatever it quoted (an
 * identifier, a file name, a parser's error). Notifications are capped per code and file, then per code and scan, with a count of the
 * rest, and messages are bounded in length, so no input makes the output grow without bound.
 * Code that cuts text (snippet windows, proof renderings) masks with maskBeforeCut before it
 * cuts, so no number or key reaches this boundary cut in half and unrecognisable.
 */
import { findSecretsToMask } from "../detect/secrets";
import { maskCardNumbers, maskRanges } from "../mask";
import { compareFindings, type Finding, type Fix, type Location, type Notification, type Proof, type ProofRendering, type ScanResult } from "../types";
import { hash128 } from "./fingerprint";

/** Notifications kept per (code, file); the rest become one "…and N more" notification. */
export const NOTIFICATIONS_PER_CODE_AND_FILE = 10;
/** Notifications kept per code in a scan, summaries included; the rest become one more summary. */
export const NOTIFICATIONS_PER_CODE = 50;
/** Longest notification or flow-step message, in characters. */
export const NOTIFICATION_MAX_CHARS = 400;
/** Longest finding message, in characters. */
export const FINDING_MESSAGE_MAX_CHARS = 1_000;
/** Longest rule id a notification names (an unknown one comes from the caller's options). */
const RULE_ID_MAX_CHARS = 100;

/**
 * Masks secrets, then card numbers, in free text: provider-key shapes and what the secret
 * detectors find keep a four-character prefix, card numbers their first six and last four digits.
 *
 * @example maskOutputText("exec curl -H Authorization:sk_live_51H8xYzAbCdEfGhIjKlMnOpQr") // "exec curl -H Authorization:sk_l*****…"
 */
export function maskOutputText(text: string): string {
  const secrets = findSecretsToMask(text);
  return maskCardNumbers(
    secrets.length === 0
      ? text
      : maskRanges(
          text,
          secrets.map((s) => ({ start: s.start, end: s.end, kind: "secret" as const })),
        ),
  );
}

/**
 * Masking for code that cuts a text to `max` characters before it reaches this boundary: when it
 * will cut, keys are masked now, since a cut can leave one unrecognisable; an uncut text keeps its
 * keys for the boundary to mask whole, and only its card numbers are masked now (snippets are
 * fingerprinted as they are shown).
 */
export function maskBeforeCut(text: string, max: number): string {
  return text.length > max ? maskOutputText(text) : maskCardNumbers(text);
}

/** Masks with `mask`, then cuts to `max` characters (masking first: a cut never leaves part of a number readable). */
function maskBounded(mask: (text: string) => string, text: string, max: number): string {
  // Past max * 4 nothing survives the cut, so a huge message costs no more than a long one.
  const masked = mask(text.length > max * 4 ? text.slice(0, max * 4) : text);
  return masked.length <= max ? masked : masked.slice(0, max - 1) + "…";
}

/**
 * The scan result as it may leave the engine: masked, with notifications capped and messages
 * bounded, and finding ids distinct (two files whose paths differ only in a card number's hidden
 * digits would otherwise give equal fingerprints).
 */
export function guardScanResult(result: ScanResult): ScanResult {
  // Titles, paths, messages and proof parts recur across findings: each distinct text is masked once.
  const masked = new Map<string, string>();
  const mask = (text: string): string => {
    let out = masked.get(text);
    if (out === undefined) masked.set(text, (out = maskOutputText(text)));
    return out;
  };
  const maskLocation = (location: Location): Location => ({ ...location, path: mask(location.path) });
  const maskFinding = (f: Finding): Finding => ({
    ...f,
    title: maskBounded(mask, f.title, FINDING_MESSAGE_MAX_CHARS),
    message: maskBounded(mask, f.message, FINDING_MESSAGE_MAX_CHARS),
    location: maskLocation(f.location),
    snippet: mask(f.snippet),
    flow: f.flow.map((step) => ({ location: maskLocation(step.location), message: maskBounded(mask, step.message, NOTIFICATION_MAX_CHARS) })),
    ...(f.proof ? { proof: maskProof(f.proof, mask) } : {}),
    ...(f.fix ? { fix: maskFix(f.fix, mask) } : {}),
    ...(f.fixUnavailable ? { fixUnavailable: maskBounded(mask, f.fixUnavailable, NOTIFICATION_MAX_CHARS) } : {}),
    // The reason is the user's own comment text, which can quote anything.
    ...(f.suppression ? { suppression: { ...f.suppression, justification: maskBounded(mask, f.suppression.justification, NOTIFICATION_MAX_CHARS) } } : {}),
  });
  const findings = result.findings.map(maskFinding);
  const suppressed = result.suppressed?.map(maskFinding);
  const notifications = capNotifications(result.notifications).map((n): Notification => ({
    ...n,
    message: maskBounded(mask, n.message, NOTIFICATION_MAX_CHARS),
    ...(n.path === undefined ? {} : { path: mask(n.path) }),
    // An unknown rule id in the options is the caller's text, not a rule's.
    ...(n.ruleId === undefined ? {} : { ruleId: maskBounded(mask, n.ruleId, RULE_ID_MAX_CHARS) }),
  }));
  // Masked paths can sort differently from the raw ones; the documented order is by what is shown.
  return {
    ...result,
    findings: withDistinctIds(findings.sort(compareFindings)),
    ...(suppressed ? { suppressed: withDistinctIds(suppressed.sort(compareFindings)) } : {}),
    notifications,
  };
}

function maskProof(proof: Proof, mask: (text: string) => string): Proof {
  const rendering = (r: ProofRendering): ProofRendering => ({ input: mask(r.input), rendered: mask(r.rendered), structure: mask(r.structure) });
  return { ...proof, payload: mask(proof.payload), benign: rendering(proof.benign), attack: rendering(proof.attack), evidence: mask(proof.evidence) };
}

/** A fix verified outside a scan (engine verifyFix), masked as a scan's would be. */
export function guardFix(fix: Fix): Fix {
  return maskFix(fix, maskOutputText);
}

/** A fix quotes the code it changes: its diff, its replacement texts and its re-run renderings are masked like snippets. */
function maskFix(fix: Fix, mask: (text: string) => string): Fix {
  const rendering = (r: ProofRendering): ProofRendering => ({ input: mask(r.input), rendered: mask(r.rendered), structure: mask(r.structure) });
  return {
    ...fix,
    description: maskBounded(mask, fix.description, NOTIFICATION_MAX_CHARS),
    evidence: maskBounded(mask, fix.evidence, FINDING_MESSAGE_MAX_CHARS),
    diff: mask(fix.diff),
    changes: fix.changes.map((c) => ({ path: mask(c.path), replacements: c.replacements.map((r) => ({ ...r, text: mask(r.text) })) })),
    ...(fix.check
      ? {
          check: {
            ...fix.check,
            payload: mask(fix.check.payload),
            before: rendering(fix.check.before),
            benign: rendering(fix.check.benign),
            attack: rendering(fix.check.attack),
          },
        }
      : {}),
  };
}

/** Re-derives the fingerprint (and id) of each later finding whose id an earlier one already has. */
function withDistinctIds(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.map((f) => {
    let fingerprint = f.fingerprint;
    for (let n = 2; seen.has(fingerprint.slice(0, 20)); n++) fingerprint = hash128(`${f.fingerprint}\u0000${n}`);
    seen.add(fingerprint.slice(0, 20));
    return fingerprint === f.fingerprint ? f : { ...f, fingerprint, id: fingerprint.slice(0, 20) };
  });
}

/** A notification and how many notifications it stands for (more than one for a summary). */
interface Counted {
  notification: Notification;
  count: number;
}

/** Caps per (code, file), then per code over the scan; order is kept, each summary where its first dropped one stood. */
function capNotifications(notifications: Notification[]): Notification[] {
  const perFile = capBy(
    notifications.map((notification) => ({ notification, count: 1 })),
    (n) => `${n.code}\u0000${n.path ?? ""}`,
    NOTIFICATIONS_PER_CODE_AND_FILE,
    (first, more) => ({
      level: first.level,
      code: first.code,
      ...(first.path === undefined ? {} : { path: first.path }),
      message: `…and ${more.toLocaleString("en-US")} more "${first.code}" notifications ${first.path === undefined ? "in this scan" : "for this file"}.`,
    }),
  );
  return capBy(
    perFile,
    (n) => n.code,
    NOTIFICATIONS_PER_CODE,
    (first, more) => ({
      level: first.level,
      code: first.code,
      message: `…and ${more.toLocaleString("en-US")} more "${first.code}" notifications in this scan.`,
    }),
  ).map((c) => c.notification);
}

function capBy(items: Counted[], key: (n: Notification) => string, max: number, summary: (first: Notification, more: number) => Notification): Counted[] {
  const kept = new Map<string, number>();
  const dropped = new Map<string, { first: Notification; slot: number; more: number }>();
  const out: Counted[] = [];
  for (const item of items) {
    const k = key(item.notification);
    const n = kept.get(k) ?? 0;
    if (n < max) {
      kept.set(k, n + 1);
      out.push(item);
      continue;
    }
    const d = dropped.get(k);
    if (d) d.more += item.count;
    else {
      dropped.set(k, { first: item.notification, slot: out.length, more: item.count });
      out.push(item); // replaced by the summary below
    }
  }
  for (const d of dropped.values()) out[d.slot] = { notification: summary(d.first, d.more), count: d.more };
  return out;
}
