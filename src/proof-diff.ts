/**
 * The difference between a proof's benign and attack renderings, token by token, so a page can
 * highlight what the payload changed (a new OR branch, a second statement, a UNION…): the widget
 * in the browser and the dashboard on the server show it the same way. A longest-common-subsequence
 * over tokens; past MAX_TOKENS a side, the common prefix and suffix alone (the payload sits in one
 * place, so that still isolates it). No imports: it is bundled into the widget as it is.
 */

export interface DiffPart {
  text: string;
  /** Only in this side (the attack's additions, or what the benign rendering had instead). */
  changed: boolean;
}

const MAX_TOKENS = 400;

/** Words, numbers, quoted-free punctuation runs and whitespace, each a token. */
function tokens(text: string): string[] {
  return text.match(/\s+|[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|[^\sA-Za-z_$\d]/g) ?? [];
}

/** The tokens of `a` and `b`, each marked changed when not in their longest common subsequence. */
function lcsMarks(a: string[], b: string[]): [boolean[], boolean[]] {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const inA = new Array<boolean>(n).fill(true);
  const inB = new Array<boolean>(m).fill(true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      inA[i++] = false;
      inB[j++] = false;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return [inA, inB];
}

/** Marks from the common prefix and suffix only: everything between them changed. */
function affixMarks(a: string[], b: string[]): [boolean[], boolean[]] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const mark = (len: number) => Array.from({ length: len }, (_, k) => k >= p && k < len - s);
  return [mark(a.length), mark(b.length)];
}

/** Adjacent tokens with the same mark joined into parts. */
function parts(toks: string[], marks: boolean[]): DiffPart[] {
  const out: DiffPart[] = [];
  toks.forEach((text, k) => {
    const changed = marks[k]! && text.trim() !== "";
    const last = out[out.length - 1];
    if (last && last.changed === changed) last.text += text;
    else out.push({ text, changed });
  });
  return out;
}

/**
 * @example diffTokens("id = 1", "id = 1 OR 1=1").attack
 * // [{ text: "id = 1 ", changed: false }, { text: "OR 1=1", changed: true }]
 */
export function diffTokens(benign: string, attack: string): { benign: DiffPart[]; attack: DiffPart[] } {
  const a = tokens(benign);
  const b = tokens(attack);
  const [ma, mb] = a.length <= MAX_TOKENS && b.length <= MAX_TOKENS ? lcsMarks(a, b) : affixMarks(a, b);
  return { benign: parts(a, ma), attack: parts(b, mb) };
}
