/**
 * Reads semgrep-style annotations from fixture files (STYLE.md §10): a comment line
 * `ruleid: <id>[, <id>]` means the next code line must carry a finding of each id; `ok: <id>`
 * means it must not; `todoruleid: <id>` marks a known gap (no finding expected yet). Comment
 * markers: `//`, `--`, `#`, `;` (INI files), `<!--`, `/*`, JSX's `{/*`, and the template comments
 * `//-` (pug), `{{!--` / `{{!` (Handlebars) and `{#` (nunjucks).
 */

export interface Expectation {
  kind: "ruleid" | "ok" | "todoruleid";
  ruleId: string;
  /** 1-based line the annotation applies to. */
  line: number;
}

const ANNOTATION = /^\s*(?:\/\/-?|--|#|;|<!--|\/\*|\*|\{\/\*|\{\{!(?:--)?|\{#)\s*(ruleid|ok|todoruleid):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

export function readAnnotations(text: string): Expectation[] {
  const lines = text.split("\n");
  const out: Expectation[] = [];
  let pending: Array<Omit<Expectation, "line">> = [];
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (m) {
      for (const id of m[2]!.split(",")) pending.push({ kind: m[1] as Expectation["kind"], ruleId: id.trim() });
      return;
    }
    if (pending.length > 0 && line.trim() !== "") {
      for (const p of pending) out.push({ ...p, line: i + 1 });
      pending = [];
    }
  });
  return out;
}
