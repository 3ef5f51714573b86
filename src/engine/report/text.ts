/**
 * The human report for terminals and CI logs: findings grouped by file and sorted by position,
 * each with its masked snippet and an injection finding's fix verdict, then notifications, a PCI
 * DSS requirement summary and totals. Scanned text can hold terminal escape sequences and bidi
 * controls, so every piece of it is made printable before it reaches a terminal.
 */
import { compareFindings, SEVERITIES, type Finding, type Notification, type ScanResult, type Severity } from "../types";
import { pciRequirementTitle } from "./standard-titles";
import { summarize } from "./summary";

export interface TextOptions {
  /** ANSI colours; the caller decides (e.g. only when stdout is a TTY and NO_COLOR is unset). */
  color?: boolean;
}

/** Notes (the least important notifications) listed one by one before the rest are counted by code. */
const NOTES_LISTED = 10;

const ESC = "\u001b[";
const STYLE = {
  bold: [`${ESC}1m`, `${ESC}22m`],
  dim: [`${ESC}2m`, `${ESC}22m`],
  underline: [`${ESC}4m`, `${ESC}24m`],
  red: [`${ESC}31m`, `${ESC}39m`],
  yellow: [`${ESC}33m`, `${ESC}39m`],
  cyan: [`${ESC}36m`, `${ESC}39m`],
  gray: [`${ESC}90m`, `${ESC}39m`],
} as const;
type Style = keyof typeof STYLE;

const SEVERITY_STYLE: Record<Severity, Style[]> = {
  critical: ["bold", "red"],
  high: ["red"],
  medium: ["yellow"],
  low: ["cyan"],
  info: ["gray"],
};
const LEVEL_STYLE: Record<Notification["level"], Style[]> = { error: ["red"], warning: ["yellow"], note: ["gray"] };

/**
 * Renders a scan result as plain text (ending in a newline).
 *
 * @example
 *   process.stdout.write(toText(result, { color: process.stdout.isTTY }));
 *   // src/pay.ts
 *   //   12:5  high  card-number-in-source  Card number 411111******1111 in source code.
 *   //         const card = "411111******1111";
 */
export function toText(result: ScanResult, options: TextOptions = {}): string {
  const paint = (text: string, ...styles: Style[]) => (options.color ? styles.reduce((t, s) => STYLE[s][0] + t + STYLE[s][1], text) : text);
  const out: string[] = [];

  for (const [path, findings] of groupByPath(result.findings)) {
    out.push(paint(printable(path), "underline"));
    const pos = findings.map((f) => `${f.location.startLine}:${f.location.startColumn}`);
    const posWidth = Math.max(...pos.map((p) => p.length));
    const sevWidth = Math.max(...findings.map((f) => f.severity.length));
    const ruleWidth = Math.max(...findings.map((f) => f.ruleId.length));
    const indent = " ".repeat(2 + posWidth + 2);
    findings.forEach((f, i) => {
      out.push(
        `  ${paint(pos[i]!.padEnd(posWidth), "dim")}  ${paint(f.severity.padEnd(sevWidth), ...SEVERITY_STYLE[f.severity])}  ${paint(f.ruleId.padEnd(ruleWidth), "dim")}  ${printable(f.message)}`,
      );
      for (const line of dedent(f.snippet)) out.push(indent + paint(printable(line), "gray"));
      for (const step of f.flow) {
        const l = step.location;
        out.push(`${indent}${paint("→", "dim")} ${printable(l.path)}:${l.startLine}:${l.startColumn}  ${printable(step.message)}`);
      }
      if (f.proof?.verdict === "proven") out.push(`${indent}${paint("proven:", "bold")} ${printable(f.proof.evidence)}`);
      if (f.fix) out.push(`${indent}${paint("fix:", "bold")} ${f.fix.verdict} — ${printable(f.fix.description)}`);
      else if (f.fixUnavailable) out.push(`${indent}${paint("no fix:", "bold")} ${printable(f.fixUnavailable)}`);
    });
    out.push("");
  }

  if (result.notifications.length > 0) {
    out.push(paint("Notifications", "bold"));
    out.push(...notificationLines(result.notifications, paint), "");
  }

  const summary = summarize(result);
  const pci = Object.entries(summary.byPciRequirement);
  if (pci.length > 0) {
    out.push(paint("PCI DSS v4.0.1 requirements", "bold"));
    const reqWidth = Math.max(...pci.map(([r]) => r.length));
    const titles = pci.map(([r]) => pciRequirementTitle(r) ?? "");
    const titleWidth = Math.max(...titles.map((t) => t.length));
    pci.forEach(([req, count], i) => out.push(`  ${req.padEnd(reqWidth)}  ${titles[i]!.padEnd(titleWidth)}  ${plural(count, "finding")}`));
    out.push("");
  }

  const severities = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => paint(`${summary.bySeverity[s]} ${s}`, ...SEVERITY_STYLE[s]));
  const { files, filesScanned, filesSkipped } = result.stats;
  out.push(
    `${paint(plural(summary.findings, "finding"), "bold")}${severities.length ? ` (${severities.join(", ")})` : ""}` +
      ` in ${plural(files, "file")}: ${filesScanned} scanned, ${filesSkipped} skipped.` +
      (summary.suppressed > 0 ? ` ${plural(summary.suppressed, "finding")} suppressed in source (listed in the JSON and SARIF reports).` : ""),
  );
  return out.join("\n") + "\n";
}

/** Findings by file (paths in code-point order), each file's sorted by position then rule. */
function groupByPath(findings: Finding[]): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const list = groups.get(f.location.path);
    if (list) list.push(f);
    else groups.set(f.location.path, [f]);
  }
  return [...groups];
}

function notificationLines(notifications: Notification[], paint: (t: string, ...s: Style[]) => string): string[] {
  const order: Notification["level"][] = ["error", "warning", "note"];
  const sorted = order.flatMap((level) => notifications.filter((n) => n.level === level));
  const lines: string[] = [];
  const unlisted = new Map<string, number>();
  let notes = 0;
  for (const n of sorted) {
    if (n.level === "note" && ++notes > NOTES_LISTED) {
      unlisted.set(n.code, (unlisted.get(n.code) ?? 0) + 1);
      continue;
    }
    const where = n.path ? printable(n.path) + (n.line ? `:${n.line}${n.column ? `:${n.column}` : ""}` : "") + "  " : "";
    lines.push(`  ${paint(n.level.padEnd(7), ...LEVEL_STYLE[n.level])}  ${where}${paint(n.code, "dim")}  ${printable(n.message)}`);
  }
  for (const [code, count] of unlisted) lines.push(`  ${paint("note".padEnd(7), "gray")}  ${paint(code, "dim")}  ${count} more like this`);
  return lines;
}

/** Snippet lines without the indentation they share, and without trailing blank lines. */
function dedent(snippet: string): string[] {
  if (!snippet) return [];
  const lines = snippet.replace(/\s+$/, "").split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

// C0/C1 controls (tab excepted), DEL, and bidirectional overrides/isolates (Trojan Source).

const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text with control and bidi characters shown as escapes ("\x1b", "\u202e") so a terminal cannot act on them. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
