/**
 * Masking for everything the auditor writes: findings, snippets, proofs, logs, error reports.
 * The auditor must never become a card-data store, so card numbers keep at most their first 6
 * and last 4 digits (PCI DSS 3.4.1) and secrets keep only a short recognisable prefix.
 */
import { cardBrandOf } from "./detect/card-brands";
import { luhnValid } from "./detect/luhn";

/** "4111111111111111" → "411111******1111"; separators in the input are dropped. */
export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, "");
  if (digits.length < 11) return "*".repeat(digits.length);
  return digits.slice(0, 6) + "*".repeat(digits.length - 10) + digits.slice(-4);
}

/** Every character people put between the digit groups of a card number: "4916 3385…", "4916.3385…", "4916/3385…". */
const CARD_SEPARATORS = /[ ._/-]/g;
// 12–19 digits (12: Maestro), optionally grouped by single separators, not part of a longer digit run.
const CARD_LIKE = /(?<![0-9])[0-9](?:[ ._/-]?[0-9]){11,18}(?![0-9])/g;
// Track 1 (%B…^NAME^YYMM…?) and Track 2 (;PAN=YYMM…?) carry sensitive authentication data.
const TRACK1 = /%B[0-9]{12,19}\^[^^\n]{0,26}\^[0-9]{4}[^?\n]{0,80}\??/g;
const TRACK2 = /;[0-9]{12,19}=[0-9]{4}[0-9]{0,40}\??/g;

/**
 * Replaces every card number (Luhn-valid, with the length and issuer prefix of a card brand), in
 * any grouping, and every magnetic-stripe track, in free text. Other long numbers (timestamps,
 * versions, identifiers) stay readable. Over-masking is acceptable here: this guards output, it
 * does not report findings, so placeholders and test cards are masked too.
 */
export function maskCardNumbers(text: string): string {
  if (!/[0-9]/.test(text)) return text;
  return text
    .replace(TRACK1, (m) => "%B" + maskPan(m.slice(2, m.indexOf("^"))) + "^****")
    .replace(TRACK2, (m) => ";" + maskPan(m.slice(1, m.indexOf("="))) + "=****")
    .replace(CARD_LIKE, maskCardPart);
}

function isCardDigits(digits: string): boolean {
  return cardBrandOf(digits) !== null && luhnValid(digits);
}

/**
 * Masks a card-like match when it is a card number, or else the card number made of whole groups
 * inside it ("4111 1111 1111 1111 12" and "4111111111111111.50" hold a card followed by something else).
 */
function maskCardPart(match: string): string {
  const digits = match.replace(CARD_SEPARATORS, "");
  if (isCardDigits(digits)) return maskPan(digits);
  const groups = [...match.matchAll(/[0-9]+/g)];
  for (let a = 0; a < groups.length; a++) {
    for (let b = groups.length - 1; b >= a; b--) {
      const from = groups[a]!.index;
      const to = groups[b]!.index + groups[b]![0].length;
      const part = match.slice(from, to).replace(CARD_SEPARATORS, "");
      if (part.length < 12 || part.length === digits.length || !isCardDigits(part)) continue;
      return match.slice(0, from) + maskPan(part) + match.slice(to);
    }
  }
  return match;
}

/** "sk_live_abcdef123456" → "sk_l****************" (length kept so columns still line up). */
export function maskSecret(secret: string): string {
  const keep = secret.length >= 12 ? 4 : 0;
  return secret.slice(0, keep) + "*".repeat(Math.max(0, secret.length - keep));
}

/**
 * Masks the [start, end) ranges of a text with maskSecret, or in place for card numbers.
 * Overlapping ranges are merged first (card-number kind wins), so no range is masked piecemeal.
 */
export function maskRanges(text: string, ranges: ReadonlyArray<{ start: number; end: number; kind: "pan" | "secret" }>): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number; kind: "pan" | "secret" }> = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) {
      last.end = Math.max(last.end, r.end);
      if (r.kind === "pan") last.kind = "pan";
    } else if (r.end > r.start) merged.push({ ...r });
  }
  let out = "";
  let at = 0;
  for (const r of merged) {
    out += text.slice(at, r.start);
    const piece = text.slice(r.start, r.end);
    out += r.kind === "pan" ? maskPanInPlace(piece) : maskSecret(piece);
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * Masks a card number where it stands: plain digit groups keep first 6 / last 4; encodings
 * (letters, escapes, or hex that is all digits but too long for a PAN) are starred whole.
 */
function maskPanInPlace(piece: string): string {
  const total = piece.replace(CARD_SEPARATORS, "").length;
  if (!/^[0-9 ._/-]+$/.test(piece) || total > 19) return "*".repeat(piece.length);
  let seen = 0;
  return piece.replace(/[0-9]/g, (d) => {
    seen++;
    return seen <= 6 || seen > total - 4 ? d : "*";
  });
}
