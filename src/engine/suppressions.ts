/**
 * Inline suppressions: how a team accepts one finding where it stands, as eslint and semgrep
 * users do, without excluding a whole file. A comment in any language we read —
 *
 *   // pci-auditor-ignore-next-line sql-injection -- table name comes from the allowlist above
 *   query(sql); // pci-auditor-ignore-line sql-injection, xss -- reviewed in SEC-412
 *   -- pci-auditor-ignore-next-line sql-write-without-where -- one-off backfill
 *   # pci-auditor-ignore-next-line hardcoded-secret -- local docker only
 *
 * — moves the named rules' findings on that line (`-line`) or the next (`-next-line`) out of the
 * findings into the suppressed list, with the reason as their justification (SARIF
 * `suppressions`). A directive must name its rules (a blanket one would hide findings nobody
 * has seen) and give a reason after `--`; one that does not, or names an unknown rule, is told
 * as an `invalid-suppression` note. Only files that mention the directive are read for it.
 */
import type { SourceFile } from "./source";
import type { Finding, Notification } from "./types";

const MARKER = "pci-auditor-ignore-";
/** A directive in a comment: `//`, `/*`, a block comment's `*` line, `#`, `--`, `<!--`, `{{!--`, `{#`. */
const DIRECTIVE = /(?:\/\/|\/\*|^[ \t]*\*|#|--|<!--|\{\{!--|\{#)[ \t]*pci-auditor-ignore-(next-line|line)(?![\w-])([^\n]*)/;
/** What ends a comment after the directive's text. */
const COMMENT_END = /[ \t]*(?:\*\/|-->|--\}\}|#\}|\*\/[ \t]*\}).*$/;
const RULE_LIST = /^[ \t]*([a-z][a-z0-9-]*(?:[ \t]*,[ \t]*[a-z][a-z0-9-]*)*)/;
/** Longest reason kept: a justification, not a document. */
const MAX_REASON = 300;
/** Lines longer than this are not searched (minified code carries no directives). */
const MAX_LINE = 4000;

interface Directive {
  rules: ReadonlySet<string>;
  justification: string;
}

/** Directives of one file, by the 1-based line whose findings they suppress. */
type FileDirectives = Map<number, Directive[]>;

/**
 * The directives of a file, and notes on those that are incomplete or name unknown rules.
 *
 * @example readDirectives(file, ids).directives.get(12) // [{ rules: Set{"xss"}, justification: "escaped by the template" }]
 */
export function readDirectives(file: SourceFile, ruleIds: ReadonlySet<string>): { directives: FileDirectives; notifications: Notification[] } {
  const directives: FileDirectives = new Map();
  const notifications: Notification[] = [];
  const text = file.text;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const line = file.lines.lineOf(at);
    const lineText = file.lines.line(line);
    if (lineText.length > MAX_LINE) continue;
    const m = DIRECTIVE.exec(lineText);
    if (!m) continue;
    // Several markers on one line: the regex read the first; skip the rest of the line.
    at = file.lines.offset(line, lineText.length);
    const note = (message: string) => notifications.push({ level: "note", code: "invalid-suppression", path: file.path, line, message });
    const body = m[2]!.replace(COMMENT_END, "");
    const list = RULE_LIST.exec(body);
    if (!list) {
      note(
        `pci-auditor-ignore-${m[1]} names no rule, so it suppresses nothing: name the rules it accepts (\`pci-auditor-ignore-${m[1]} sql-injection -- why\`).`,
      );
      continue;
    }
    const named = list[1]!.split(",").map((r) => r.trim());
    const unknown = named.filter((r) => !ruleIds.has(r));
    if (unknown.length > 0)
      note(
        `pci-auditor-ignore-${m[1]} names ${unknown.length === 1 ? "an unknown rule" : "unknown rules"} (${unknown
          .map((r) => r.slice(0, 60))
          .join(", ")
          .slice(0, 200)}); ${unknown.length === named.length ? "it suppresses nothing" : "the others are suppressed"}.`,
      );
    const rest = body.slice(list[0].length);
    const reason = /^[ \t]+--[ \t]*(\S[^\n]*)$/.exec(rest)?.[1]?.trim() ?? "";
    if (reason === "") note(`pci-auditor-ignore-${m[1]} gives no reason: add one after \` -- \` so a reviewer knows why the finding was accepted.`);
    const rules = new Set(named.filter((r) => ruleIds.has(r)));
    if (rules.size === 0) continue;
    const target = m[1] === "line" ? line : line + 1;
    const list2 = directives.get(target) ?? [];
    list2.push({ rules, justification: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason });
    directives.set(target, list2);
  }
  return { directives, notifications };
}

/**
 * Splits findings into those reported and those an inline directive suppresses (with the
 * directive's reason as `suppression.justification`).
 */
export function applySuppressions(
  findings: readonly Finding[],
  files: readonly SourceFile[],
  ruleIds: ReadonlySet<string>,
): { findings: Finding[]; suppressed: Finding[]; notifications: Notification[] } {
  const notifications: Notification[] = [];
  const byPath = new Map<string, FileDirectives>();
  for (const file of files) {
    if (!file.text.includes(MARKER)) continue;
    const read = readDirectives(file, ruleIds);
    notifications.push(...read.notifications);
    if (read.directives.size > 0) byPath.set(file.path, read.directives);
  }
  if (byPath.size === 0) return { findings: [...findings], suppressed: [], notifications };
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const d = byPath
      .get(f.location.path)
      ?.get(f.location.startLine)
      ?.find((x) => x.rules.has(f.ruleId));
    if (d) suppressed.push({ ...f, suppression: { kind: "inSource", justification: d.justification } });
    else kept.push(f);
  }
  return { findings: kept, suppressed, notifications };
}
