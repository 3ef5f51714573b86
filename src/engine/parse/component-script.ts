/**
 * Single-file components (`.vue`, `.svelte`) hold JavaScript or TypeScript in `<script>` blocks
 * beside markup. The JS parser reads the file with everything outside those blocks blanked to
 * spaces (line breaks kept), so every offset — and every finding's line and column — is the
 * file's own, while card-number and secret detectors still read the whole file's text.
 * Templates (`v-html`, `{@html}`) are not read here. One linear pass over the text.
 */

export interface ComponentScript {
  /** The file's text with only its script blocks' content left. */
  code: string;
  /** A block says `lang="ts"` (or `lang="typescript"`). */
  typescript: boolean;
}

/** The script blocks of a component file, or null when it has none. */
export function componentScript(text: string): ComponentScript | null {
  const lower = text.toLowerCase();
  const pieces: string[] = [];
  let kept = 0;
  let typescript = false;
  let at = lower.indexOf("<script", 0);
  while (at >= 0) {
    const tagEnd = lower.indexOf(">", at);
    if (tagEnd < 0) break;
    const attributes = lower.slice(at + 7, tagEnd);
    // `<scripts>` or `<script-x>` is another element.
    if (/^[\s/]|^$/.test(attributes)) {
      if (/\blang\s*=\s*["']?(?:ts|typescript)\b/.test(attributes)) typescript = true;
      const start = tagEnd + 1;
      const close = lower.indexOf("</script", start);
      const end = close < 0 ? text.length : close;
      pieces.push(blank(text.slice(kept, start)), text.slice(start, end));
      kept = end;
    }
    at = lower.indexOf("<script", Math.max(kept, tagEnd + 1));
  }
  if (pieces.length === 0) return null;
  pieces.push(blank(text.slice(kept)));
  return { code: pieces.join(""), typescript };
}

function blank(s: string): string {
  return s.replace(/[^\r\n]/g, " ");
}
