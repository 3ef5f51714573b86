/**
 * What an attack changed: the benign and the attack text split into tokens (words, runs of
 * spaces, single punctuation) and aligned by their longest common subsequence, so a page can mark
 * what the attack added and what it removed. Proof texts are short; past MAX_TOKENS a side the
 * whole text counts as changed rather than spending quadratic work.
 */

export interface DiffPart {
  text: string;
  /** "same" on both sides, "added" only in the attack, "removed" only in the benign text. */
  kind: "same" | "added" | "removed";
}

const MAX_TOKENS = 400;
const TOKEN = /\s+|\w+|[^\w\s]/g;

/**
 * The two texts as runs of same / added / removed tokens, in order.
 * @example diffTokens("id = 1", "id = 1 OR 1=1") // [{same "id = 1"}, {added " OR 1=1"}]
 */
export function diffTokens(benign: string, attack: string): DiffPart[] {
  const a = benign.match(TOKEN) ?? [];
  const b = attack.match(TOKEN) ?? [];
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS)
    return merge([...(benign ? [{ text: benign, kind: "removed" as const }] : []), ...(attack ? [{ text: attack, kind: "added" as const }] : [])]);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      parts.push({ text: a[i++]!, kind: "same" });
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) parts.push({ text: b[j++]!, kind: "added" });
    else parts.push({ text: a[i++]!, kind: "removed" });
  }
  return merge(parts);
}

/** Adjacent parts of one kind joined, so the page marks whole runs. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last?.kind === part.kind) last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}
