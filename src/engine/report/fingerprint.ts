/**
 * Finding fingerprints that survive unrelated edits and moves: they hash the rule and the
 * whitespace-normalised text of the finding's line (not its line number, not its file's path, as
 * GitHub's primaryLocationLineHash does), plus which occurrence of that same (rule, line text)
 * the finding is within its file, so a baseline still knows a finding after its file is renamed.
 * Equal fingerprints in two files of one scan are told apart at the output boundary
 * (`withDistinctIds`). Pure JS and synchronous, so the engine needs no crypto binding; collision
 * resistance is not a goal, stability is. The line comes masked, as the snippet shows it: a hash
 * of the raw text would let a card number's hidden digits be brute-forced from the fingerprint
 * and the six and four digits on display.
 */
/** 128-bit non-cryptographic hash (four seeded FNV-1a/murmur-mixed lanes) as 32 hex digits. */
export function hash128(text: string): string {
  let h1 = 0x811c9dc5 ^ text.length;
  let h2 = 0x9e3779b1;
  let h3 = 0x85ebca6b;
  let h4 = 0xc2b2ae35;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2f);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const mix = (h: number, k: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, k);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0).toString(16).padStart(8, "0");
  };
  return mix(h1 ^ h3, 0x85ebca6b) + mix(h2 ^ h4, 0xcc9e2d51) + mix(h3 ^ h1 ^ h2, 0x1b873593) + mix(h4 ^ h2, 0xe6546b64);
}

/** Line text with whitespace collapsed, so re-indentation keeps fingerprints. */
function normaliseLine(line: string): string {
  return line.replace(/\s+/g, " ").trim();
}

/**
 * Assigns fingerprints to one file's findings, in order. Equal (rule, key, line text) tuples get
 * distinct occurrence numbers, so duplicates on identical lines stay distinct.
 */
export class FingerprintCounter {
  private readonly seen = new Map<string, number>();

  next(ruleId: string, lineText: string, key: string): string {
    const base = `${ruleId}\u0000${normaliseLine(lineText)}\u0000${key}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return hash128(`${base}\u0000${n}`);
  }
}
