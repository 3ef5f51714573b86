/**
 * Which files the engine analyses together. A request enters in one module and reaches the
 * database in another, so files that import each other are one dataflow project; files that do
 * not are analysed apart, which keeps at most one group's syntax trees in memory at a time. The
 * import graph is read from the text before any parse (a loose scan for `require`/`import`
 * specifiers: a false edge only joins two groups), and a group over the byte budget is cut into
 * parts in submission order, with a notification: flows between parts are then not followed.
 */
import type { ModuleResolver } from "../taint/interpreter";
import type { SourceFile } from "../source";
import type { Notification } from "../types";

// `require("x")`, `import("x")`, `import … from "x"`, `export … from "x"`, `import "x"`.
const SPECIFIER = /\b(?:require|import)\s*\(\s*(["'`])([^"'`\n]{1,300})\1|\b(?:from|import)\s*(["'])([^"'\n]{1,300})\3/g;
/** Specifiers read per file for grouping; more only means a file's last imports may not join it to its group. */
const MAX_SPECIFIERS = 2_000;

/**
 * The submitted files in analysis groups, each in submission order, groups ordered by their
 * first file. Files other than JS/TS are groups of one.
 */
export function analysisGroups(files: SourceFile[], resolve: ModuleResolver, maxGroupBytes: number): { groups: SourceFile[][]; notifications: Notification[] } {
  const index = new Map<string, number>();
  files.forEach((f, i) => index.set(f.path, i));
  const parent = files.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (!isCode(f)) continue;
    let count = 0;
    SPECIFIER.lastIndex = 0;
    for (let m = SPECIFIER.exec(f.text); m && count < MAX_SPECIFIERS; m = SPECIFIER.exec(f.text), count++) {
      const target = resolve(m[2] ?? m[4]!, f.path);
      const j = target === null ? undefined : index.get(target);
      if (j === undefined || j === i || !isCode(files[j]!)) continue;
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const byRoot = new Map<number, SourceFile[]>();
  for (let i = 0; i < files.length; i++) {
    const root = find(i);
    const group = byRoot.get(root);
    if (group) group.push(files[i]!);
    else byRoot.set(root, [files[i]!]);
  }
  const groups: SourceFile[][] = [];
  const notifications: Notification[] = [];
  for (const group of byRoot.values()) {
    const bytes = group.reduce((n, f) => n + f.text.length, 0);
    if (bytes <= maxGroupBytes) {
      groups.push(group);
      continue;
    }
    let part: SourceFile[] = [];
    let partBytes = 0;
    const parts: SourceFile[][] = [];
    for (const f of group) {
      if (part.length > 0 && partBytes + f.text.length > maxGroupBytes) {
        parts.push(part);
        part = [];
        partBytes = 0;
      }
      part.push(f);
      partBytes += f.text.length;
    }
    parts.push(part);
    groups.push(...parts);
    notifications.push({
      level: "warning",
      code: "project-too-large",
      path: group[0]!.path,
      message: `${group.length} files that import each other hold ${bytes} characters, over the ${maxGroupBytes} analysed together; they were analysed in ${parts.length} parts, so dataflow between the parts was not followed.`,
    });
  }
  return { groups, notifications };
}

function isCode(f: SourceFile): boolean {
  return f.language === "javascript" || f.language === "typescript";
}
