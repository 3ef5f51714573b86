/**
 * sensitive-auth-data-in-source: a CVV/CVC/CID value or a PIN / PIN block written next to card
 * data: `cvv: "123"`, `"cvc":"4242"`, `pin=1234`, `<cvv>123</cvv>`, or a CVV column's value in
 * an `INSERT … VALUES` row. "Next to card data" means a card number within a few lines, or a
 * card-number / expiry field in the same stretch of lines (or row). PCI DSS 3.3.1.2 / 3.3.1.3
 * forbid keeping these after authorization, even encrypted.
 *
 * Names are judged word by word (detect/card-columns.ts), so `cvvLength: 3`, `cvc_check`,
 * `pinned: true` and `pin_code` (a postal code) are not values of a CVV or PIN. Values must look
 * like one: 3–4 digits for a CVV, 4–12 digits for a PIN, 16 hex digits beginning with three
 * digits for a PIN block (a format-0 block of a 4–9 digit PIN does). A value next to published
 * test cards only is `info`, tagged `test-card`.
 */
import { identifierWords, panColumnConfidence, sensitiveAuthColumn } from "../detect/card-columns";
import { cardDataOf, isLogPath } from "../detect/file-card-data";
import { CARD_BRAND_NAMES, isCardNumber, type CardInfo, type CardNumberMatch } from "../detect/pan";
import { maskPan } from "../mask";
import { statementTokens, type SqlToken } from "../parse/sql-tokens";
import type { SqlStatement } from "../parse/sql-statement";
import { createRule, type RuleContext } from "../rule";

type SadKind = "cvv" | "pin";

const WHAT: Record<SadKind, { label: string; requirement: string }> = {
  cvv: { label: "Card verification code (CVV/CVC/CID)", requirement: "3.3.1.2" },
  pin: { label: "PIN or PIN block", requirement: "3.3.1.3" },
};

/** Lines above and below a value searched for card numbers and card fields. */
const NEARBY_LINES = 5;
/** Characters either side searched at most, whatever the line lengths. */
const NEARBY_CHARS = 1500;

const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 45;
const isValueChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isBlank = (c: number) => c === 32 || c === 9;
const isQuote = (c: number) => c === 34 || c === 39 || c === 96;

function valueFits(kind: SadKind, value: string): boolean {
  return kind === "cvv" ? /^[0-9]{3,4}$/.test(value) : /^(?:[0-9]{4,12}|[0-9A-Fa-f]{16})$/.test(value);
}

/** Cheap pre-check on a name before sadKind splits it into words. */
const SAD_STEM = /cv|cs|ca|ci|pin|sec|ver/i;

function sadKind(name: string, table: string): SadKind | null {
  const kind = sensitiveAuthColumn(name, table);
  return kind === "cvv" || kind === "pin" ? kind : null;
}

/** A name that says a field holds a card number or an expiry date. */
function isCardField(name: string): boolean {
  if (panColumnConfidence(name)) return true;
  const words = identifierWords(name);
  return words.some((w) => w === "exp" || w === "expiry" || w === "expiration") && words.some((w) => w === "month" || w === "year" || w === "date");
}

interface KeyValue {
  keyStart: number;
  key: string;
  kind: SadKind;
  valueStart: number;
  valueEnd: number;
}

/**
 * The key a value at t[start, end) is written for, looking left: `key: v`, `"key": "v"`,
 * `key = v`, `key => v`, `key := v`, `<key>v`, and an HTML `name="key" … value="v"`. Not
 * comparisons (`==`, `!=`, `<=`, `>=`) and not values glued to other text.
 */
function keyBefore(t: string, start: number, end: number): { start: number; end: number; name: string } | null {
  let k = start;
  const quote = t.charCodeAt(k - 1);
  if (isQuote(quote)) {
    if (t.charCodeAt(end) !== quote) return null;
    k--;
  } else if (end < t.length && (isKeyChar(t.charCodeAt(end)) || (t.charCodeAt(end) === 46 /* . */ && isValueChar(t.charCodeAt(end + 1))))) return null;
  while (isBlank(t.charCodeAt(k - 1))) k--;
  const op = t.charCodeAt(k - 1);
  let element = false;
  if (op === 62 /* > */) {
    element = t.charCodeAt(k - 2) !== 61; // `<cvv>123`, not `cvv => 123`
    k -= element ? 1 : 2;
  } else if (op === 61 /* = */) {
    const before = t.charCodeAt(k - 2);
    if (before === 61 || before === 33 || before === 60 || before === 62) return null;
    k -= before === 58 /* : */ ? 2 : 1;
  } else if (op === 58 /* : */) k--;
  else return null;
  if (!element) while (isBlank(t.charCodeAt(k - 1))) k--;
  const keyQuote = t.charCodeAt(k - 1);
  if (!element && isQuote(keyQuote)) k--;
  const b = k;
  let a = b;
  while (a > 0 && b - a < 64 && isKeyChar(t.charCodeAt(a - 1))) a--;
  if (a === b || (a > 0 && isKeyChar(t.charCodeAt(a - 1)))) return null;
  if (element ? t.charCodeAt(a - 1) !== 60 /* < */ : isQuote(keyQuote) && t.charCodeAt(a - 1) !== keyQuote) return null;
  const name = t.slice(a, b);
  if (name !== "value") return { start: a, end: b, name };
  // An HTML attribute: the field's name is in the same tag.
  const tag = t.slice(Math.max(0, a - 200), a);
  const open = tag.lastIndexOf("<");
  if (open === -1 || tag.includes(">", open)) return null;
  const tagStart = a - tag.length + open;
  const attr = /\bname\s*=\s*["']([\w-]{1,64})["']/.exec(t.slice(tagStart, a));
  return attr ? { start: tagStart + attr.index + attr[0].lastIndexOf(attr[1]!), end: tagStart + attr.index + attr[0].length - 1, name: attr[1]! } : null;
}

/**
 * Every `key: value` whose key names a CVV or PIN and whose value looks like one. The search
 * starts from the values (three digits in a row are rare in code, names like `pin` are not),
 * so it costs about as much as the card-number pass.
 */
function keyValues(ctx: RuleContext, skipped: ReadonlySet<number>, onBudget: () => void): KeyValue[] {
  const t = ctx.file.text;
  const out: KeyValue[] = [];
  const re = /[0-9][0-9][0-9]/g;
  let candidates = 0;
  while (re.test(t)) {
    const start = re.lastIndex - 3;
    let end = start + 3;
    while (end < t.length && end - start <= 16 && isValueChar(t.charCodeAt(end))) end++;
    re.lastIndex = end;
    if (start > 0 && isKeyChar(t.charCodeAt(start - 1))) continue;
    const key = keyBefore(t, start, end);
    const kind = key && SAD_STEM.test(key.name) && sadKind(key.name, "card");
    if (!key || !kind || !valueFits(kind, t.slice(start, end))) continue;
    if (++candidates > ctx.limits.maxDetectorCandidates) {
      onBudget();
      break;
    }
    if (skipped.has(ctx.file.lines.lineOf(start))) continue;
    out.push({ keyStart: key.start, key: key.name, kind, valueStart: start, valueEnd: end });
  }
  return out;
}

interface Nearby {
  cards: CardInfo[];
  field: string | null;
}

/** What card data a value in one file is "next to", with each line's card fields looked up once. */
class CardNeighbourhood {
  private readonly fieldsByLine = new Map<number, string | null>();

  constructor(
    private readonly ctx: RuleContext,
    private readonly cards: readonly CardNumberMatch[],
  ) {}

  /** The closest card numbers within a few lines of `at`, else the first card field's name there. */
  of(at: number): Nearby {
    const { lines, text } = this.ctx.file;
    const line = lines.lineOf(at);
    const from = Math.max(lines.starts[Math.max(0, line - 1 - NEARBY_LINES)]!, at - NEARBY_CHARS);
    const next = lines.starts[line + NEARBY_LINES];
    const to = Math.min(next === undefined ? text.length : next, at + NEARBY_CHARS);
    const cards = this.cards;
    let lo = 0;
    let hi = cards.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cards[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    // The value belongs with the closest card numbers (a test card's CVC next to it, not a real card five lines up).
    let near: CardInfo[] = [];
    let closest = Infinity;
    for (let i = lo; i < cards.length && cards[i]!.start < to; i++) {
      const distance = Math.abs(lines.lineOf(cards[i]!.start) - line);
      if (distance < closest) [near, closest] = [[], distance];
      if (distance === closest) near.push(cards[i]!);
    }
    if (near.length > 0) return { cards: near, field: null };
    const last = Math.min(lines.lineCount, line + NEARBY_LINES);
    for (let l = Math.max(1, line - NEARBY_LINES); l <= last; l++) {
      const field = this.cardFieldOn(l);
      if (field) return { cards: [], field };
    }
    return { cards: [], field: null };
  }

  private cardFieldOn(line: number): string | null {
    let field = this.fieldsByLine.get(line);
    if (field === undefined) {
      field = null;
      for (const m of this.ctx.file.lines.line(line).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        if (isCardField(m[0])) {
          field = m[0];
          break;
        }
      }
      this.fieldsByLine.set(line, field);
    }
    return field;
  }
}

function describe(kind: SadKind, near: Nearby): { message: string; test: boolean } {
  const { label, requirement } = WHAT[kind];
  const real = near.cards.find((c) => !c.testCard);
  const rule = `must never be stored after authorization, even encrypted (PCI DSS ${requirement}).`;
  if (real) return { message: `${label} value next to ${CARD_BRAND_NAMES[real.brand]} card number ${maskPan(real.digits)}: it ${rule}`, test: false };
  const test = near.cards[0];
  if (test) {
    return {
      message: `${label} value next to the published test ${CARD_BRAND_NAMES[test.brand]} card number ${maskPan(test.digits)}; test data, listed for information only.`,
      test: true,
    };
  }
  return { message: `${label} value in a record with card fields (${near.field}): it ${rule}`, test: false };
}

export default createRule({
  id: "sensitive-auth-data-in-source",
  meta: {
    title: "CVV or PIN value next to card data",
    description:
      "A card verification code (CVV/CVC/CID) or a PIN / PIN block value is written next to a card number or in a record with card fields, in code, config, fixtures, SQL or logs. PCI DSS 3.3.1.2 and 3.3.1.3 forbid keeping these after authorization, even encrypted.",
    severity: "critical",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-312", "CWE-532"],
    owasp: ["A04:2021", "A09:2021"],
    pci: ["3.3.1.2", "3.3.1.3"],
    remediation:
      "Remove the value from the file and its history, and make sure no code path writes CVVs or PINs to storage or logs: send them straight to the payment processor during authorization and drop them afterwards. Keep only the processor's verification result (for example `cvc_check: \"pass\"`). In tests, use the processor's documented test values.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://cwe.mitre.org/data/definitions/532.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0_1.pdf",
    ],
    tags: ["pci-dss", "card-data", "sensitive-authentication-data"],
    languages: ["javascript", "typescript", "sql", "text"],
  },
  create(ctx) {
    const reported = new Set<number>();
    const inLog = isLogPath(ctx.file.path);
    const report = (start: number, end: number, valueStart: number, valueEnd: number, kind: SadKind, key: string, near: Nearby) => {
      if (reported.has(start)) return;
      reported.add(start);
      if (valueEnd > valueStart) ctx.redact({ start: valueStart, end: valueEnd, kind: "secret" });
      const { message, test } = describe(kind, near);
      ctx.report({
        start,
        end,
        message,
        ...(test ? { severity: "info" as const } : {}),
        confidence: near.cards.length > 0 ? "high" : "medium",
        tags: [kind, ...(test ? ["test-card"] : []), ...(inLog ? ["log"] : [])],
        fingerprintKey: key.toLowerCase(),
      });
    };
    return {
      text() {
        const scan = cardDataOf(ctx);
        const cards = scan.cards;
        const skipped = new Set(scan.skippedLines);
        const found = keyValues(ctx, skipped, () =>
          ctx.notify(
            "detector-budget",
            `The CVV/PIN search stopped after ${ctx.limits.maxDetectorCandidates} candidate names; the rest of the file was not searched.`,
          ),
        );
        const neighbourhood = new CardNeighbourhood(ctx, cards);
        for (const kv of found) {
          const near = neighbourhood.of(kv.keyStart);
          if (near.cards.length === 0 && near.field === null) continue;
          report(kv.keyStart, kv.valueEnd, kv.valueStart, kv.valueEnd, kv.kind, kv.key, near);
        }
      },
      sql(statement) {
        for (const row of insertedRows(statement)) {
          const cards = row.values.map((v, i) => (v ? isCardNumber(v.value, row.columns[i]) : null)).filter((c): c is CardInfo => c !== null);
          const field = row.columns.find((c) => panColumnConfidence(c)) ?? null;
          if (cards.length === 0 && field === null) continue;
          row.columns.forEach((column, i) => {
            const kind = sadKind(column, row.table);
            const value = row.values[i];
            if (!kind || !value || !valueFits(kind, value.value)) return;
            const { token } = value;
            const start = statement.fileOffset(token.start);
            const end = statement.fileOffset(token.end);
            // Offsets inside a string built in code are approximate: mask only what is exact.
            const exact = end - start === token.end - token.start;
            const inner = token.kind === "string" ? [token.innerStart, token.innerEnd] : [token.start, token.end];
            const [valueStart, valueEnd] = exact ? inner.map((o) => statement.fileOffset(o)) : [start, start];
            report(start, end, valueStart!, valueEnd!, kind, column, { cards, field });
          });
        }
      },
    };
  },
});

interface InsertedRow {
  table: string;
  columns: string[];
  /** Literal values by column position; null for expressions, parameters and holes. */
  values: Array<{ value: string; token: SqlToken } | null>;
}

/** Rows of `INSERT|REPLACE … INTO t (c1, c2…) VALUES (…), (…)` with their literal values. */
function insertedRows(statement: SqlStatement): InsertedRow[] {
  const tokens = statementTokens(statement);
  const first = tokens[0];
  if (first?.kind !== "word" || (first.value !== "INSERT" && first.value !== "REPLACE")) return [];
  const open = tokens.findIndex((t) => t.kind === "op" && t.value === "(");
  if (open < 2) return [];
  const tableToken = tokens[open - 1]!;
  if (tableToken.kind !== "word" && tableToken.kind !== "quoted") return [];
  const columns: string[] = [];
  let i = open + 1;
  for (; i < tokens.length && !(tokens[i]!.kind === "op" && tokens[i]!.value === ")"); i++) {
    const t = tokens[i]!;
    if (t.kind === "word" || t.kind === "quoted") columns.push(t.value.toLowerCase());
    else if (!(t.kind === "op" && t.value === ",")) return [];
  }
  const valuesWord = tokens[i + 1];
  if (valuesWord?.kind !== "word" || (valuesWord.value !== "VALUES" && valuesWord.value !== "VALUE")) return [];
  const rows: InsertedRow[] = [];
  i += 2;
  while (i < tokens.length && tokens[i]!.kind === "op" && tokens[i]!.value === "(") {
    const values: InsertedRow["values"] = [];
    let depth = 0;
    let current: SqlToken[] = [];
    for (i++; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === "op" && t.value === "(") depth++;
      else if (t.kind === "op" && t.value === ")" && depth-- === 0) break;
      if (depth === 0 && t.kind === "op" && t.value === ",") {
        values.push(literal(current));
        current = [];
      } else current.push(t);
    }
    values.push(literal(current));
    rows.push({ table: tableToken.value.toLowerCase(), columns, values });
    i++;
    if (tokens[i]?.kind === "op" && tokens[i]!.value === ",") i++;
  }
  return rows;
}

function literal(tokens: SqlToken[]): { value: string; token: SqlToken } | null {
  const t = tokens.length === 1 ? tokens[0]! : null;
  return t && (t.kind === "string" || t.kind === "number") ? { value: t.value, token: t } : null;
}
