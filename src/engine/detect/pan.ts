/**
 * Finds payment card numbers (PANs) of every brand length (12–19 digits) and magnetic-stripe
 * track data in any text: plain digits, digit groups ("4111 1111 1111 1111", Amex "3782 822463
 * 10005", 13-digit Visa "4222 2222 2222 2", JS "4111_1111_1111_1111", "4111.1111.1111.1111"),
 * integers in hex beside card words, and the same hidden behind base64, hex, URL-encoding, HTML
 * entities or JS escapes.
 *
 * It runs on every file, so it is built to be cheap and quiet:
 * - one regex pass per trigger (four digits in a row; a base64 quad that can only encode three
 *   ASCII digits; an escaped digit), each hit handled by a linear hand-written scan;
 * - a number only counts with clean edges: a digit run inside a longer token (hashes, UUIDs,
 *   decimals, version strings, identifiers, 20-digit constants) never yields a "window" match;
 * - then Luhn, brand IIN and length, and a placeholder filter ("0000000000000000" passes Luhn).
 * Work is bounded by a candidate budget and a line-length limit; every scan is linear.
 */
import { decodeBase64, isBase64 } from "./base64";
import { luhnValid } from "./luhn";
import { cardBrandOf, isPlaceholderPan, testCardProviders, type CardBrand } from "./card-brands";

export { CARD_BRAND_NAMES, TEST_CARD_NUMBERS, cardBrandOf, testCardProviders, type CardBrand } from "./card-brands";

/** How a card number is written: as digits, or hidden behind an encoding. */
export type CardEncoding = "plain" | "base64" | "hex" | "url" | "html-entity" | "js-escape";

/** Words for messages: "base64-encoded Visa card number …". */
export const ENCODING_LABELS: Readonly<Record<CardEncoding, string>> = {
  plain: "",
  base64: "base64-encoded",
  hex: "hex-encoded",
  url: "URL-encoded",
  "html-entity": "HTML-entity-encoded",
  "js-escape": "escape-encoded",
};

/** A card number's identity, without where it stands. */
export interface CardInfo {
  /** The PAN, digits only. Never put this in output unmasked. */
  digits: string;
  brand: CardBrand;
  /** Published by a payment provider as a test number (REFERENCE.md §5). */
  testCard: boolean;
  /** Who publishes it as a test number; empty for real-looking numbers. */
  testCardProviders: readonly string[];
  /** Accepted only because card words stand nearby (13-digit Visa, 12-digit or loose-range Maestro). */
  weak: boolean;
}

export interface CardNumberMatch extends CardInfo {
  /** Character range in the scanned text; for encoded numbers, the encoded characters. */
  start: number;
  end: number;
  encoding: CardEncoding;
  /** Written with separators between digit groups. */
  grouped: boolean;
  /** The PAN of magnetic-stripe track data (the whole track is in `tracks`). */
  inTrack: boolean;
}

/** Magnetic-stripe data: Track 1 (`%B<PAN>^<NAME>^<YYMM><SC>…?`) or Track 2 (`;<PAN>=<YYMM><SC>…?`). */
export interface TrackMatch extends CardInfo {
  start: number;
  end: number;
  track: 1 | 2;
  /** Range of the PAN inside the track. */
  panStart: number;
  panEnd: number;
}

export interface CardScanOptions {
  /** Candidates examined before giving up (`budgetExhausted`). Default: unlimited. */
  maxCandidates?: number;
  /** Lines longer than this are skipped and listed in `skippedLines`. Default: unlimited. */
  maxLineLength?: number;
}

export interface CardScan {
  /** Sorted by start. */
  cards: CardNumberMatch[];
  /** Sorted by start. */
  tracks: TrackMatch[];
  /** The candidate budget ran out; matches after that point were not searched for. */
  budgetExhausted: boolean;
  /** 1-based numbers of lines skipped for their length. */
  skippedLines: number[];
}

const D0 = 48;
const D9 = 57;
const SPACE = 32;
const DASH = 45;
const UNDERSCORE = 95;
const DOT = 46;

const isDigit = (c: number) => c >= D0 && c <= D9;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters that glue a digit run into a larger token. */
const isWordish = (c: number) => isDigit(c) || isLetter(c) || c === UNDERSCORE || c === 36; /* $ */
/** Characters between digit groups: space, `-`, `_` (numeric separators), and `.` or `/` as some forms and exports write them. */
const isSeparator = (c: number) => c === SPACE || c === DASH || c === UNDERSCORE || c === DOT || c === 47; /* / */

/**
 * Card numbers and track data in `text`, with offsets, brand, encoding and test-card status.
 *
 * @example
 *   findCardData('pan = "4111 1111 1111 1111"').cards[0]
 *   // { start: 7, end: 26, digits: "4111111111111111", brand: "visa", encoding: "plain",
 *   //   grouped: true, testCard: true, testCardProviders: ["PayPal", "Adyen"], ... }
 */
export function findCardData(text: string, options: CardScanOptions = {}): CardScan {
  const scanner = new Scanner(text, options.maxCandidates ?? Infinity);
  const skippedLines: number[] = [];
  for (const [from, to] of searchableSegments(text, options.maxLineLength ?? Infinity, skippedLines)) {
    scanner.scanSegment(from, to);
    if (scanner.exhausted) break;
  }
  return {
    cards: scanner.cards.sort((a, b) => a.start - b.start || a.end - b.end),
    tracks: scanner.tracks.sort((a, b) => a.start - b.start),
    budgetExhausted: scanner.exhausted,
    skippedLines,
  };
}

/**
 * Whether a whole string value (a SQL literal, a JSON value, a form field) is a card number:
 * digits, optionally in the usual groups, with surrounding spaces ignored. `context` (a column
 * or field name) lets weak numbers count when it names a card ("card_no", "pan").
 *
 * @example
 *   isCardNumber("5555 5555 5555 4444") // { brand: "mastercard", testCard: true, ... }
 *   isCardNumber("1234567890123456")    // null (no brand starts with 1)
 */
export function isCardNumber(value: string, context?: string): CardInfo | null {
  const v = value.trim();
  if (v.length < 12 || v.length > 23) return null;
  let digits = "";
  const groups: number[] = [];
  let sep = -1;
  let len = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (isDigit(c)) {
      len++;
      continue;
    }
    if (!isSeparator(c) || len === 0 || (sep !== -1 && c !== sep)) return null;
    sep = c;
    groups.push(len);
    len = 0;
  }
  if (len === 0) return null;
  groups.push(len);
  if (groups.length > 1 && !fitsGroupFormat(groups, 0, groups.length)) return null;
  for (let i = 0; i < v.length; i++) if (isDigit(v.charCodeAt(i))) digits += v[i];
  return classify(digits, () => context !== undefined && CARD_WORDS.test(context));
}

/** Luhn, brand, placeholder and test-card checks on a candidate digit string. */
function classify(digits: string, weakContext: () => boolean): CardInfo | null {
  const brand = cardBrandOf(digits);
  if (!brand || !luhnValid(digits)) return null;
  const providers = testCardProviders(digits);
  if (providers) return { digits, brand: brand.brand, testCard: true, testCardProviders: providers, weak: false };
  if (isPlaceholderPan(digits)) return null;
  if (brand.weak && !weakContext()) return null;
  return { digits, brand: brand.brand, testCard: false, testCardProviders: [], weak: brand.weak };
}

// Words that make a weak number (13-digit Visa, 12-digit Maestro...) count as a card.
const CARD_WORDS = /card|credit|debit|visa|maestro|mastercard|amex|\bpan\b|\bcc|acct|account/i;

/**
 * Accepted digit groupings, the ones issuers print and people type for each brand length:
 * 4-4-4-4 with an optional short fifth group (17–19 digits), Amex 4-6-5, Diners 4-6-4 and
 * 4-4-4-2, 13-digit Visa and Maestro 4-4-5 / 4-3-3-3 / 4-4-4-1, 15-digit 4-4-4-3, 12-digit 4-4-4.
 */
const GROUP_FORMATS: ReadonlyArray<readonly number[]> = [
  [4, 4, 4, 4],
  [4, 4, 4, 4, 1],
  [4, 4, 4, 4, 2],
  [4, 4, 4, 4, 3],
  [4, 6, 5],
  [4, 6, 4],
  [4, 4, 5],
  [4, 3, 3, 3],
  [4, 4, 4, 3],
  [4, 4, 4, 2],
  [4, 4, 4, 1],
  [4, 4, 4],
];

function fitsGroupFormat(lengths: readonly number[], from: number, to: number): boolean {
  const n = to - from;
  return GROUP_FORMATS.some((f) => {
    if (f.length !== n) return false;
    for (let i = 0; i < n; i++) if (f[i] !== lengths[from + i]) return false;
    return true;
  });
}

/** [start, end) ranges of the text outside over-long lines, which are listed in `skipped`. */
function searchableSegments(text: string, maxLineLength: number, skipped: number[]): Array<[number, number]> {
  if (text.length <= maxLineLength) return [[0, text.length]];
  const segments: Array<[number, number]> = [];
  let segStart = 0;
  let lineStart = 0;
  let line = 1;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    if (lineEnd - lineStart > maxLineLength) {
      if (lineStart > segStart) segments.push([segStart, lineStart]);
      skipped.push(line);
      segStart = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
    line++;
  }
  if (segStart < text.length) segments.push([segStart, text.length]);
  return segments;
}

/** A digit-run candidate found in some string (the text, or text decoded from an encoding). */
interface RunHit {
  start: number;
  end: number;
  digits: string;
  grouped: boolean;
}

/**
 * Left edge of a candidate at `a` is clean: not glued to a word, a decimal point, a `+`
 * (phone numbers), a `%` (URL escapes) or an `&#` entity. A letter counts as clean only as
 * a JS escape (`"\n4111…"`).
 */
function cleanBefore(t: string, a: number): boolean {
  if (a === 0) return true;
  const c = t.charCodeAt(a - 1);
  if (isLetter(c)) return a >= 2 && t.charCodeAt(a - 2) === 92 /* \ */ && (a < 3 || t.charCodeAt(a - 3) !== 92);
  if (isWordish(c) || c === DOT || c === 43 /* + */ || c === 37 /* % */) return false;
  if (c === DASH) return a < 2 || !isWordish(t.charCodeAt(a - 2));
  if (c === 35 /* # */) return a < 2 || t.charCodeAt(a - 2) !== 38; /* & */
  return true;
}

/** Right edge at `b` is clean: not glued to a word or a decimal part; a BigInt `n` is fine. */
function cleanAfter(t: string, b: number): boolean {
  if (b >= t.length) return true;
  const c = t.charCodeAt(b);
  const next = b + 1 < t.length ? t.charCodeAt(b + 1) : SPACE;
  if (c === 110 /* n */) return !isWordish(next);
  if (isWordish(c)) return false;
  if (c === DOT) return !isDigit(next);
  if (c === DASH) return !isLetter(next) && next !== UNDERSCORE;
  return true;
}

/** Receives a candidate; answers whether it was accepted as a card. */
type RunSink = (hit: RunHit) => boolean;

interface RunHooks {
  /** A digit group of 8+ digits (a possible hex encoding). */
  onLongGroup(start: number, end: number): void;
  /** A lone 12–19 digit group; true when it is the PAN of track data (recorded by the hook). */
  onTrack(start: number, end: number): boolean;
}

/**
 * Every digit-run card candidate in t[from, to): runs of digits joined by single spaces,
 * dashes or underscores, with clean edges and a card grouping. Each run with 12+ digits costs
 * one unit of `budget`; returns false when the budget says stop.
 */
function scanRuns(t: string, from: number, to: number, emit: RunSink, budget: () => boolean, hooks?: RunHooks): boolean {
  // Spelled out: V8 runs this form several times faster than [0-9]{4}.
  const re = /[0-9][0-9][0-9][0-9]/g;
  re.lastIndex = from;
  // test() rather than exec(): no match array per hit, and the match is always 4 characters.
  while (re.test(t)) {
    const at = re.lastIndex - 4;
    if (at >= to) break;
    // Extend to the whole run: digits and single separators between digits. Runs never
    // overlap, so every character is looked at a bounded number of times.
    let grouped = false;
    let i = at;
    while (i > from) {
      const c = t.charCodeAt(i - 1);
      if (isDigit(c)) i--;
      else if (isSeparator(c) && i - 2 >= from && isDigit(t.charCodeAt(i - 2))) {
        i--;
        grouped = true;
      } else break;
    }
    let j = at + 4;
    while (j < to) {
      const c = t.charCodeAt(j);
      if (isDigit(c)) j++;
      else if (isSeparator(c) && j + 1 < to && isDigit(t.charCodeAt(j + 1))) {
        j++;
        grouped = true;
      } else break;
    }
    re.lastIndex = j;
    // 8+ digits may be hex-encoded digits ("34393136" is "4916"); cards need 12+.
    if (j - i < (hooks ? 8 : 12)) continue;
    if (!grouped) {
      // One plain digit run: the common case, without the group bookkeeping.
      hooks?.onLongGroup(i, j);
      if (j - i < 12) continue;
      if (!budget()) return false;
      if (j - i <= 19 && !hooks?.onTrack(i, j) && cleanBefore(t, i) && cleanAfter(t, j)) emit({ start: i, end: j, digits: t.slice(i, j), grouped: false });
    } else if (!processRun(t, i, j, emit, budget, hooks)) return false;
  }
  return true;
}

/** A run of digit groups joined by separators. */
function processRun(t: string, i: number, j: number, emit: RunSink, budget: () => boolean, hooks?: RunHooks): boolean {
  const starts: number[] = [];
  const lengths: number[] = [];
  let digitCount = 0;
  let longest = 0;
  for (let k = i; k < j;) {
    let m = k;
    while (m < j && isDigit(t.charCodeAt(m))) m++;
    starts.push(k);
    lengths.push(m - k);
    digitCount += m - k;
    if (m - k > longest) longest = m - k;
    k = m + 1;
  }
  if (digitCount < 12 && !(hooks && longest >= 8)) return true;
  if (!budget()) return false;
  const n = starts.length;
  const endOf = (g: number) => starts[g]! + lengths[g]!;
  const sepAfter = (g: number) => t.charCodeAt(endOf(g));

  if (hooks) for (let g = 0; g < n; g++) if (lengths[g]! >= 8) hooks.onLongGroup(starts[g]!, endOf(g));

  // A long group standing between spaces inside a run ("qty 2 4111111111111111 12 25").
  for (let g = 0; g < n; g++) {
    if (lengths[g]! < 12 || lengths[g]! > 19) continue;
    const leftOk = g === 0 ? cleanBefore(t, i) : sepAfter(g - 1) === SPACE;
    const rightOk = g === n - 1 ? cleanAfter(t, j) : sepAfter(g) === SPACE;
    if (leftOk && rightOk) emit({ start: starts[g]!, end: endOf(g), digits: t.slice(starts[g], endOf(g)), grouped: false });
  }

  // Grouped numbers: maximal stretches of groups joined by one kind of separator.
  for (let a = 0; a < n - 1;) {
    const sep = sepAfter(a);
    let b = a + 1;
    while (b < n - 1 && sepAfter(b) === sep) b++;
    if (b - a + 1 >= 3 && b - a + 1 <= 6) groupedCandidate(t, starts, lengths, a, b, sep, i, j, emit);
    a = b;
  }
  return true;
}

/**
 * Groups a..b (inclusive) share separator `sep`. Tries them as a card, and without an odd-sized
 * last and/or first group ("4111 1111 1111 1111 12/25"): a neighbour of four digits means a
 * table of numbers, not a card, so it is never dropped.
 */
function groupedCandidate(
  t: string,
  starts: number[],
  lengths: number[],
  a: number,
  b: number,
  sep: number,
  runStart: number,
  runEnd: number,
  emit: RunSink,
): void {
  const n = starts.length;
  // A short last group is more often a CVV or a year than the tail of a 17–19 digit card,
  // so "4111 1111 1111 1111 123" is read as a 16-digit card first.
  const last = lengths[b]!;
  const windows: Array<[number, number]> =
    last < 4
      ? [
          [a, b - 1],
          [a, b],
        ]
      : last > 4
        ? [
            [a, b],
            [a, b - 1],
          ]
        : [[a, b]];
  if (lengths[a] !== 4) windows.push([a + 1, b]);
  if (lengths[a] !== 4 && lengths[b] !== 4) windows.push([a + 1, b - 1]);
  for (const [x, y] of windows) {
    if (y - x + 1 < 3 || !fitsGroupFormat(lengths, x, y + 1)) continue;
    const start = starts[x]!;
    const end = starts[y]! + lengths[y]!;
    // An edge inside the run is a dropped odd group (same separator), or a space around a
    // dash/underscore-grouped number; "12-4111 1111 1111 1111" is one token, not a card.
    const leftOk = x === 0 ? cleanBefore(t, runStart) : t.charCodeAt(start - 1) === sep || (t.charCodeAt(start - 1) === SPACE && sep !== SPACE);
    const rightOk = y === n - 1 ? cleanAfter(t, runEnd) : t.charCodeAt(end) === sep || (t.charCodeAt(end) === SPACE && sep !== SPACE);
    if (!leftOk || !rightOk) continue;
    let digits = "";
    for (let g = x; g <= y; g++) digits += t.slice(starts[g], starts[g]! + lengths[g]!);
    if (emit({ start, end, digits, grouped: true })) return;
  }
}

// Track 2 after the PAN: separator, YYMM (valid month), service code, discretionary digits, end sentinel.
const TRACK2_TAIL = /^[=Dd]([0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}[0-9]{0,32})(?:\?|F(?![0-9A-Za-z]))?/;
// Track 1 after the PAN: ^NAME (2–26 chars)^YYMM service code, discretionary data, end sentinel.
const TRACK1_TAIL = /^\^[A-Za-z .'\/-]{2,26}\^[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}[0-9 ]{0,60}\??/;

/** The stateful part of one scan: results, budget, and which encoded regions are done. */
class Scanner {
  readonly cards: CardNumberMatch[] = [];
  readonly tracks: TrackMatch[] = [];
  exhausted = false;
  private candidates = 0;
  /** End offset of each recorded card, by start offset. */
  private readonly seen = new Map<number, number>();
  private hexDoneUntil = 0;

  constructor(
    private readonly text: string,
    private readonly maxCandidates: number,
  ) {}

  private spend = (): boolean => {
    if (this.candidates >= this.maxCandidates) {
      this.exhausted = true;
      return false;
    }
    this.candidates++;
    return true;
  };

  scanSegment(from: number, to: number): void {
    const t = this.text;
    const plain = scanRuns(t, from, to, (hit) => this.addCard(hit, hit.start, hit.end, "plain"), this.spend, {
      onLongGroup: (s, e) => this.hexGroup(s, e, from, to),
      onTrack: (s, e) => this.track(s, e, from, to),
    });
    if (!plain) return;
    if (!this.base64(from, to)) return;
    if (!this.hexLiterals(from, to)) return;
    this.escapes(from, to);
  }

  /**
   * A card number kept as an integer written in hex (`0x1019c5a3b6e7f2`, `0x…n`): 10–16 hex
   * digits are 12–19 decimal ones. Hash and cipher constants have the same shape, so only a
   * literal with card words beside it counts.
   */
  private hexLiterals(from: number, to: number): boolean {
    const t = this.text;
    const re = /0[xX]([0-9a-fA-F]{10,16})n?/g;
    re.lastIndex = from;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end > to) break;
      if ((start > 0 && isWordish(t.charCodeAt(start - 1))) || (end < t.length && isWordish(t.charCodeAt(end)))) continue;
      if (!this.spend()) return false;
      const digits = BigInt(`0x${m[1]!}`).toString();
      if (digits.length < 12 || !this.weakContext(start, end)) continue;
      this.addCard({ start, end, digits, grouped: false }, start, end, "hex");
    }
    return true;
  }

  /** Card words on the number's own line, shortly before or after it. */
  private weakContext(start: number, end: number): boolean {
    const t = this.text;
    const lineStart = t.lastIndexOf("\n", start - 1) + 1;
    const lineEnd = t.indexOf("\n", end);
    return CARD_WORDS.test(t.slice(Math.max(lineStart, start - 160), Math.min(lineEnd === -1 ? t.length : lineEnd, end + 40)));
  }

  /** Records a candidate that classifies as a card; true when it does. */
  private addCard(hit: RunHit, start: number, end: number, encoding: CardEncoding): boolean {
    const info = classify(hit.digits, () => this.weakContext(start, end));
    if (!info) return false;
    if (this.seen.get(start) !== end) {
      this.seen.set(start, end);
      this.cards.push({ ...info, start, end, encoding, grouped: hit.grouped, inTrack: false });
    }
    return true;
  }

  /** Track data around the digit group [s, e); true when it is one (and has been recorded). */
  private track(s: number, e: number, from: number, to: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(e);
    let start: number;
    let end: number;
    let kind: 1 | 2;
    if (c === 94 /* ^ */ && s > from && t.charCodeAt(s - 1) === 66 /* B */) {
      const hasSentinel = s - 2 >= from && t.charCodeAt(s - 2) === 37; /* % */
      if (!hasSentinel && !cleanBefore(t, s - 1)) return false;
      const m = TRACK1_TAIL.exec(t.slice(e, Math.min(to, e + 128)));
      if (!m) return false;
      start = hasSentinel ? s - 2 : s - 1;
      end = e + m[0].length;
      kind = 1;
    } else if (c === 61 /* = */ || c === 68 /* D */ || c === 100 /* d */) {
      const hasSentinel = s > from && t.charCodeAt(s - 1) === 59; /* ; */
      if (!hasSentinel && !cleanBefore(t, s)) return false;
      const m = TRACK2_TAIL.exec(t.slice(e, Math.min(to, e + 48)));
      if (!m || (c !== 61 && !hasSentinel && m[1]!.length < 13)) return false;
      end = e + m[0].length;
      if (end < to && isWordish(t.charCodeAt(end)) && t.charCodeAt(end - 1) !== 63) return false;
      start = hasSentinel ? s - 1 : s;
      kind = 2;
    } else return false;
    const digits = t.slice(s, e);
    const brand = cardBrandOf(digits);
    if (!brand || !luhnValid(digits)) return false;
    const providers = testCardProviders(digits) ?? [];
    this.tracks.push({
      digits,
      brand: brand.brand,
      testCard: providers.length > 0,
      testCardProviders: providers,
      weak: false,
      start,
      end,
      track: kind,
      panStart: s,
      panEnd: e,
    });
    if (this.seen.get(s) !== e) {
      this.seen.set(s, e);
      this.cards.push({
        digits,
        brand: brand.brand,
        testCard: providers.length > 0,
        testCardProviders: providers,
        weak: false,
        start: s,
        end: e,
        encoding: "plain",
        grouped: false,
        inTrack: true,
      });
    }
    return true;
  }

  /**
   * A digit group of 8+ digits may be hex-encoded ASCII digits ("34313131…": each digit is
   * 0x30–0x39). Decodes a window of the surrounding hex token aligned on the "3x" pairs.
   */
  private hexGroup(s: number, e: number, from: number, to: number): void {
    const t = this.text;
    for (let k = Math.max(s, this.hexDoneUntil); k + 8 <= e; k++) {
      if (t.charCodeAt(k) !== 51 || t.charCodeAt(k + 2) !== 51 || t.charCodeAt(k + 4) !== 51 || t.charCodeAt(k + 6) !== 51) continue;
      if (!this.spend()) return;
      // Window: up to 48 hex characters either side of the trigger, on its pair alignment.
      let left = k;
      while (left - 2 >= from && k - left < 48 && isHex(t.charCodeAt(left - 1)) && isHex(t.charCodeAt(left - 2))) left -= 2;
      const leftEdge = left - 1 < from || !isHex(t.charCodeAt(left - 1));
      let right = k;
      while (right + 2 <= to && right - k < 96 && isHex(t.charCodeAt(right)) && isHex(t.charCodeAt(right + 1))) right += 2;
      const rightEdge = right >= to || !isHex(t.charCodeAt(right));
      let decoded = "";
      for (let p = left; p < right; p += 2) decoded += String.fromCharCode(parseInt(t.slice(p, p + 2), 16));
      this.decoded(
        decoded,
        leftEdge,
        rightEdge,
        "hex",
        (d) => left + 2 * d,
        (d) => left + 2 * d,
      );
      this.hexDoneUntil = Math.max(k + 8, right - 48);
      k = this.hexDoneUntil - 1;
    }
  }

  /**
   * Base64 of ASCII digits: three digits always encode as [MNO][DTjz][AEIMQUYcgk][w-z0-5].
   * Each such quad decodes a window of the surrounding base64 token on the quad's alignment,
   * so a card is found whether it is the whole token or sits inside a larger blob.
   */
  private base64(from: number, to: number): boolean {
    const t = this.text;
    const re = /[MNO][DTjz][AEIMQUYcgk][w-z0-5]/g;
    re.lastIndex = from;
    while (re.test(t)) {
      const p = re.lastIndex - 4;
      if (p >= to) break;
      if (!this.spend()) return false;
      let left = p;
      while (left > from && p - left < 40 && isBase64(t.charCodeAt(left - 1))) left--;
      const leftEdge = (left === from || !isBase64(t.charCodeAt(left - 1))) && (p - left) % 4 === 0;
      left += (p - left) % 4;
      let right = p + 4;
      while (right < to && right - p < 64 && isBase64(t.charCodeAt(right))) right++;
      const rightEdge = right === to || !isBase64(t.charCodeAt(right));
      const decoded = decodeBase64(t, { from: left, to: right });
      this.decoded(
        decoded,
        leftEdge,
        rightEdge,
        "base64",
        (d) => left + Math.floor((d * 4) / 3),
        (d) => Math.min(right, left + Math.ceil((d * 4) / 3)),
      );
      re.lastIndex = Math.max(re.lastIndex, p + 24);
    }
    return true;
  }

  /** URL-encoding (%34), HTML entities (&#52; &#x34;) and JS escapes (\x34 \u0034 \u{34}). */
  private escapes(from: number, to: number): void {
    const t = this.text;
    const re = /%3[0-9]|&#(?:[xX]0*3[0-9]|0*(?:4[89]|5[0-7]));|\\x3[0-9]|\\u003[0-9]|\\u\{0*3[0-9]\}/g;
    re.lastIndex = from;
    for (let m = re.exec(t); m !== null && m.index < to; m = re.exec(t)) {
      if (!this.spend()) return;
      let start = m.index;
      while (start > from && m.index - start < 19 && isDigit(t.charCodeAt(start - 1))) start--;
      const codes: number[] = [];
      const srcStart: number[] = [];
      const srcEnd: number[] = [];
      const family = escapeAt(t, m.index, to)!.encoding;
      let i = start;
      let after = SPACE;
      while (i < to) {
        const e = escapeAt(t, i, to);
        const c = e ? e.code : t.charCodeAt(i);
        const keep = isDigit(c) || c === SPACE || c === DASH || (!e && c === 43 /* + */ && family === "url");
        if (!keep) {
          after = c;
          break;
        }
        codes.push(!e && c === 43 ? SPACE : c);
        srcStart.push(i);
        i += e ? e.length : 1;
        srcEnd.push(i);
      }
      const before = start > from ? escapeEndingAt(t, start, from) : SPACE;
      const decoded = String.fromCharCode(before) + fromCodes(codes) + String.fromCharCode(after);
      const sink = (hit: RunHit) => {
        const a = hit.start - 1;
        const b = hit.end - 1;
        if (a < 0 || b > codes.length) return false;
        // Runs without any escaped character (all one source character each) are plain text,
        // found by the plain pass.
        if (srcEnd[b - 1]! - srcStart[a]! === b - a) return false;
        return this.addCard(hit, srcStart[a]!, srcEnd[b - 1]!, family);
      };
      scanRuns(decoded, 0, decoded.length, sink, () => true);
      re.lastIndex = Math.max(i, m.index + 1);
    }
  }

  /**
   * Runs the digit-run scan on text decoded from an encoding. Window edges that are not the
   * token's real edges count as "more data follows", so a run touching them is not clean.
   */
  private decoded(
    decoded: string,
    leftEdge: boolean,
    rightEdge: boolean,
    encoding: CardEncoding,
    startOf: (d: number) => number,
    endOf: (d: number) => number,
  ): void {
    const framed = (leftEdge ? " " : "0") + decoded + (rightEdge ? " " : "0");
    scanRuns(
      framed,
      0,
      framed.length,
      (hit) => hit.start >= 1 && hit.end <= decoded.length + 1 && this.addCard(hit, startOf(hit.start - 1), endOf(hit.end - 1), encoding),
      () => true,
    );
  }
}

const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** String of char codes, built in slices so huge regions stay within argument-count limits. */
function fromCodes(codes: readonly number[]): string {
  let out = "";
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

interface Escape {
  code: number;
  length: number;
  encoding: CardEncoding;
}

const hexValue = (c: number) => (isDigit(c) ? c - D0 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/** The escape sequence starting at t[i] (%XX, &#NN; &#xHH;, \xHH, \uHHHH, \u{H…}), or null. */
function escapeAt(t: string, i: number, to: number): Escape | null {
  const c = t.charCodeAt(i);
  if (c === 37 /* % */) {
    if (i + 3 > to) return null;
    const h = hexValue(t.charCodeAt(i + 1));
    const l = hexValue(t.charCodeAt(i + 2));
    return h < 0 || l < 0 ? null : { code: h * 16 + l, length: 3, encoding: "url" };
  }
  if (c === 38 /* & */ && t.charCodeAt(i + 1) === 35 /* # */) {
    const hex = t.charCodeAt(i + 2) === 120 || t.charCodeAt(i + 2) === 88;
    let k = i + (hex ? 3 : 2);
    let code = 0;
    const first = k;
    while (k < to && k - first < 8) {
      const v = hex ? hexValue(t.charCodeAt(k)) : isDigit(t.charCodeAt(k)) ? t.charCodeAt(k) - D0 : -1;
      if (v < 0) break;
      code = code * (hex ? 16 : 10) + v;
      k++;
    }
    if (k === first || k >= to || t.charCodeAt(k) !== 59 /* ; */) return null;
    return { code, length: k + 1 - i, encoding: "html-entity" };
  }
  if (c === 92 /* \ */) {
    const kind = t.charCodeAt(i + 1);
    if (kind === 120 /* x */ && i + 4 <= to) {
      const h = hexValue(t.charCodeAt(i + 2));
      const l = hexValue(t.charCodeAt(i + 3));
      return h < 0 || l < 0 ? null : { code: h * 16 + l, length: 4, encoding: "js-escape" };
    }
    if (kind === 117 /* u */) {
      if (t.charCodeAt(i + 2) === 123 /* { */) {
        let k = i + 3;
        let code = 0;
        while (k < to && k - i < 10 && hexValue(t.charCodeAt(k)) >= 0) code = code * 16 + hexValue(t.charCodeAt(k++));
        return k > i + 3 && t.charCodeAt(k) === 125 /* } */ ? { code, length: k + 1 - i, encoding: "js-escape" } : null;
      }
      if (i + 6 > to) return null;
      let code = 0;
      for (let k = i + 2; k < i + 6; k++) {
        const v = hexValue(t.charCodeAt(k));
        if (v < 0) return null;
        code = code * 16 + v;
      }
      return { code, length: 6, encoding: "js-escape" };
    }
  }
  return null;
}

/** The decoded character just before t[i]: an escape ending there, or the plain character. */
function escapeEndingAt(t: string, i: number, from: number): number {
  for (const length of [3, 4, 6]) {
    if (i - length < from) continue;
    const e = escapeAt(t, i - length, i);
    if (e && e.length === length) return e.code;
  }
  if (t.charCodeAt(i - 1) === 59 /* ; */ || t.charCodeAt(i - 1) === 125 /* } */) {
    for (let k = i - 2; k >= Math.max(from, i - 12); k--) {
      const e = escapeAt(t, k, i);
      if (e && k + e.length === i) return e.code;
    }
  }
  return t.charCodeAt(i - 1);
}
