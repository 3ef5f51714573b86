/**
 * Base64 and base64url as the card and secret detectors read them: which characters belong to
 * the alphabet, and a decoder to Latin-1 text (one character per byte) that stops at the first
 * character outside it, so callers can hand it a region without validating it first.
 */

const VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table[43] = table[45] = 62; // "+" and base64url "-"
  table[47] = table[95] = 63; // "/" and base64url "_"
  return table;
})();

export const isBase64 = (c: number): boolean => c < 128 && VALUES[c]! >= 0;

/** Decodes text[from, to) (no padding inside), stopping at another character or after `maxBytes` bytes. */
export function decodeBase64(text: string, range: { from?: number; to?: number; maxBytes?: number } = {}): string {
  const { from = 0, to = text.length, maxBytes = Infinity } = range;
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (let i = from; i < to && out.length < maxBytes; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUES[c]! : -1;
    if (v < 0) break;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
