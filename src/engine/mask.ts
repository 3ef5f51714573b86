/**
 * Masking for everything the auditor writes: findings, snippets, proofs, logs, error reports.
 * The auditor must never become a card-data store, so card numbers keep at most their first 6
 * and last 4 digits (PCI DSS 3.4.1) and secrets keep only a short recognisable prefix.
 */
import { luhnValid } from "./detect/luhn";

/** "4111111111111111" → "411111******1111"; separators in the input are dropped. */
export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, "");
  if (digits.length < 11) return "*".repeat(digits.length);
  return digits.slice(0, 6) + "*".repeat(digits.length - 10) + digits.slice(-4);
}

// 13–19 digits, optionally grouped by single spaces or dashes, not part of a longer digit run.
const CARD_LIKE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;
// Track 1 (%B…^NAME^YYMM…?) and Track 2 (;PAN=YYMM…?) carry sensitive authentication data.
const TRACK1 = /%B[0-9]{12,19}\^[^^\n]{0,26}\^[0-9]{4}[^?\n]{0,80}\??/g;
const TRACK2 = /;[0-9]{12,19}=[0-9]{4}[0-9]{0,40}\??/g;

/**
 * Replaces every Luhn-valid 13–19 digit card-like run, and every magnetic-stripe track, in
 * free text. Over-masking is acceptable here: this guards output, it does not report findings.
 */
export function maskCardNumbers(text: string): string {
  if (!/[0-9]{4}/.test(text)) return text;
  return text
    .replace(TRACK1, (m) => "%B" + maskPan(m.slice(2, m.indexOf("^"))) + "^****")
    .replace(TRACK2, (m) => ";" + maskPan(m.slice(1, m.indexOf("="))) + "=****")
    .replace(CARD_LIKE, (m) => {
      const digits = m.replace(/[ -]/g, "");
      return luhnValid(digits) ? maskPan(digits) : m;
    });
}

/** "sk_live_abcdef123456" → "sk_l****************" (length kept so columns still line up). */
export function maskSecret(secret: string): string {
  const keep = secret.length >= 12 ? 4 : 0;
  return secret.slice(0, keep) + "*".repeat(Math.max(0, secret.length - keep));
}

/** Masks the [start, end) ranges of a text with maskSecret, or maskPan for digit runs. */
export function maskRanges(text: string, ranges: ReadonlyArray<{ start: number; end: number; kind: "pan" | "secret" }>): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const r of sorted) {
    const start = Math.max(r.start, at);
    if (r.end <= start) continue;
    out += text.slice(at, start);
    const piece = text.slice(start, r.end);
    out += r.kind === "pan" ? maskPanInPlace(piece) : maskSecret(piece);
    at = r.end;
  }
  return out + text.slice(at);
}

/** Masks a card number where it stands: plain digit groups keep first 6 / last 4, encodings are starred whole. */
function maskPanInPlace(piece: string): string {
  if (!/^[0-9 -]+$/.test(piece)) return "*".repeat(piece.length);
  const total = piece.replace(/[ -]/g, "").length;
  let seen = 0;
  return piece.replace(/[0-9]/g, (d) => {
    seen++;
    return seen <= 6 || seen > total - 4 ? d : "*";
  });
}
