/**
 * `scan --fix` and `--fix-dry-run`: each proven fix of a reported finding is written into the file
 * it was found in, or its diff printed. The engine masks card numbers and secrets in everything it
 * outputs, fixes included, so before anything is written a fix is checked against the file as it
 * is now: its diff, made again from the file and the fix's replacements, must be the diff the
 * engine reported (masked the same way), which refuses a file changed since the scan; and a new
 * text that masking may have altered (a "*" next to a letter, digit or another "*", as masked
 * numbers and keys have) is refused, since writing it would put asterisks into the code. Only
 * files this scan read are written, so nothing outside the scanned paths is touched. A fix that
 * overlaps an earlier one in the same file waits for the next run.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Finding, Fix, FixReplacement } from "../engine/index";
import { applyEdits, unifiedDiff, type Edit } from "../engine/fixes/patch";
import { maskOutputText } from "../engine/report/output-boundary";
import { printable } from "../engine/report/text";
import { decodeContent, LineIndex } from "../engine/source";
import { CliError, describeFsError } from "./cli-error";
import type { CollectedFile } from "./collect-files";

/** What --fix did (or --fix-dry-run would do) with one finding's fix. */
export type FixOutcome =
  /** Written, or in a dry run to be written. */
  | { finding: Finding; fix: Fix; status: "applied" }
  /** Proven, but not safe to write now; `reason` says why. */
  | { finding: Finding; fix: Fix; status: "skipped"; reason: string }
  /** Plausible or rejected: never written. */
  | { finding: Finding; fix: Fix; status: "not-proven" }
  /** The engine made no fix; `reason` is its fixUnavailable. */
  | { finding: Finding; status: "unavailable"; reason: string };

export interface FixPlan {
  /** One per finding with a fix or a reason for none, in report order. */
  outcomes: FixOutcome[];
  /** Each changed file with its new bytes. */
  writes: Array<{ file: CollectedFile; content: Uint8Array }>;
}

/** A scanned file's text as the engine saw it (without a byte order mark, which is kept on writing). */
interface FileText {
  file: CollectedFile;
  text: string;
  lines: LineIndex;
  bom: boolean;
}

/** Edits of one file a fix makes. */
interface FileEdits {
  path: string;
  edits: Edit[];
}

/**
 * Decides which findings' fixes can be applied to the scanned files and makes the files' new text.
 *
 * @example
 *   const plan = await planFixes(result.findings, files);
 *   await writeFixes(plan);
 */
export async function planFixes(findings: readonly Finding[], files: readonly CollectedFile[]): Promise<FixPlan> {
  const scanned = new Map(files.map((f) => [f.path, f]));
  const texts = new Map<string, Promise<FileText | string>>();
  const read = (file: CollectedFile) => {
    let text = texts.get(file.path);
    if (!text) texts.set(file.path, (text = readText(file)));
    return text;
  };
  const accepted = new Map<string, Edit[]>();
  const outcomes: FixOutcome[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) {
      if (finding.fixUnavailable) outcomes.push({ finding, status: "unavailable", reason: finding.fixUnavailable });
      continue;
    }
    if (fix.verdict !== "proven") {
      outcomes.push({ finding, fix, status: "not-proven" });
      continue;
    }
    const checked = await checkFix(fix, scanned, read);
    if (typeof checked === "string") {
      outcomes.push({ finding, fix, status: "skipped", reason: checked });
      continue;
    }
    // Two findings at one sink carry the same fix: it is applied once, for both.
    const repeated = checked.every(({ path, edits }) => edits.every((e) => accepted.get(path)?.some((a) => sameEdit(a, e))));
    // An edit two fixes share (the helper an XSS fix adds after the imports) is made once.
    if (!repeated && checked.some(({ path, edits }) => edits.some((e) => accepted.get(path)?.some((a) => !sameEdit(a, e) && clash(a, e))))) {
      outcomes.push({ finding, fix, status: "skipped", reason: "it changes the same code as a fix above; scan again once that one is written" });
      continue;
    }
    if (!repeated) {
      for (const { path, edits } of checked) {
        const done = accepted.get(path) ?? [];
        accepted.set(path, [...done, ...edits.filter((e) => !done.some((a) => sameEdit(a, e)))]);
      }
    }
    outcomes.push({ finding, fix, status: "applied" });
  }
  const writes: FixPlan["writes"] = [];
  for (const [path, edits] of accepted) {
    const source = (await read(scanned.get(path)!)) as FileText;
    const text = applyEdits(source.text, edits);
    writes.push({ file: source.file, content: new TextEncoder().encode((source.bom ? "\uFEFF" : "") + text) });
  }
  return { outcomes, writes };
}

/**
 * Writes the planned files in place (keeping their permissions).
 *
 * @throws CliError naming the file that could not be written
 */
export async function writeFixes(plan: FixPlan): Promise<void> {
  for (const { file, content } of plan.writes) {
    await writeFile(file.absolute, content).catch((error: unknown) => {
      throw new CliError(`cannot write the fix to ${file.path}: ${describeFsError(error)}`);
    });
  }
}

/**
 * The fix list for a terminal: each finding with its outcome (a dry run shows each applicable
 * fix's diff), then totals.
 */
export function fixReport(plan: FixPlan, dryRun: boolean): string {
  const out = [dryRun ? "Fixes (dry run: no file was changed)" : "Fixes"];
  const shown = new Set<string>();
  for (const o of plan.outcomes) {
    const l = o.finding.location;
    const head = `  ${printable(l.path)}:${l.startLine}:${l.startColumn}  ${o.finding.ruleId}  `;
    switch (o.status) {
      case "applied":
        out.push(head + `${dryRun ? "proven fix" : "fixed"}: ${printable(o.fix.description)}`);
        // Two findings at one sink share their fix: its diff is shown once.
        if (dryRun && !shown.has(o.fix.diff))
          out.push(
            ...o.fix.diff
              .replace(/\n$/, "")
              .split("\n")
              .map((line) => "    " + printable(line)),
          );
        shown.add(o.fix.diff);
        break;
      case "skipped":
        out.push(head + `proven fix not applied: ${printable(o.reason)}`);
        break;
      case "not-proven":
        out.push(head + `${o.fix.verdict} fix not applied: ${printable(o.fix.description)} ${printable(o.fix.evidence)}`);
        break;
      case "unavailable":
        out.push(head + `no fix: ${printable(o.reason)}`);
    }
  }
  if (plan.outcomes.length === 0) out.push("  No finding has a fix.");
  const count = (status: FixOutcome["status"]) => plan.outcomes.filter((o) => o.status === status).length;
  const files = plural(plan.writes.length, "file");
  const totals = [
    `${plural(count("applied"), "fix", "fixes")} ${dryRun ? `would be written to ${files}` : `written to ${files}`}`,
    ...(count("skipped") ? [`${count("skipped")} proven not applied`] : []),
    ...(count("not-proven") ? [`${count("not-proven")} not proven`] : []),
    ...(count("unavailable") ? [`${plural(count("unavailable"), "finding")} without a fix`] : []),
  ];
  return out.join("\n") + "\n" + totals.join(", ") + ".\n";
}

/** The fix's edits per file, or why it cannot be applied to the files as they are now. */
async function checkFix(
  fix: Fix,
  scanned: Map<string, CollectedFile>,
  read: (file: CollectedFile) => Promise<FileText | string>,
): Promise<FileEdits[] | string> {
  if (fix.changes.length === 0) return "it has no edits";
  const checked: FileEdits[] = [];
  const diffs: string[] = [];
  for (const change of fix.changes) {
    const file = scanned.get(change.path);
    if (!file) return `${change.path} is not a file this scan read`;
    if (change.replacements.some((r) => MASKED.test(r.text))) {
      return "its new text may hold a card number or secret the report masked; make the change by hand";
    }
    const source = await read(file);
    if (typeof source === "string") return source;
    const edits = toEdits(source.lines, change.replacements);
    if (!edits) return `${change.path} has changed since it was scanned`;
    diffs.push(unifiedDiff(change.path, source.text, applyEdits(source.text, edits), edits));
    checked.push({ path: change.path, edits });
  }
  const diff = diffs.join("");
  // Lines around the change may hold a masked number: the new text was checked above, so that is no reason to refuse.
  if (diff === fix.diff || maskOutputText(diff) === fix.diff) return checked;
  return `${fix.changes.map((c) => c.path).join(", ")} has changed since it was scanned`;
}

/** What masking leaves: "411111******1111", "sk_l*****", "********"; not SQL's `SELECT *` or `COUNT(*)`. */
const MASKED = /[\w*]\*|\*\w/;

/** Replacements as character ranges of the text, or null when one is not inside it (or they are out of order). */
function toEdits(lines: LineIndex, replacements: readonly FixReplacement[]): Edit[] | null {
  const edits: Edit[] = [];
  for (const r of replacements) {
    const start = offsetOf(lines, r.startLine, r.startColumn);
    const end = offsetOf(lines, r.endLine, r.endColumn);
    if (start === null || end === null || end < start) return null;
    const last = edits[edits.length - 1];
    if (last && start < last.end) return null;
    edits.push({ start, end, text: r.text });
  }
  return edits;
}

/** The offset of a 1-based line and column, if the line has that column (its line break counts). */
function offsetOf(lines: LineIndex, line: number, column: number): number | null {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || line > lines.lineCount || column < 1) return null;
  const start = lines.starts[line - 1]!;
  const lineEnd = line < lines.lineCount ? lines.starts[line]! - 1 : lines.text.length;
  return start + column - 1 <= lineEnd ? start + column - 1 : null;
}

/** Edits that cannot both apply: overlapping ranges, or two at one start (their order would be a guess). */
function clash(a: Edit, b: Edit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

async function readText(file: CollectedFile): Promise<FileText | string> {
  let bytes: Uint8Array;
  try {
    bytes = file.content ?? (await readFile(file.absolute));
  } catch (error) {
    return `${file.path} cannot be read: ${describeFsError(error)}`;
  }
  const decoded = decodeContent(bytes);
  if (!decoded.ok) return `${file.path} is no longer UTF-8 text`;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { file, text: decoded.text, lines: new LineIndex(decoded.text), bom };
}

function plural(n: number, word: string, many = word + "s"): string {
  return `${n} ${n === 1 ? word : many}`;
}
