/**
 * Scanning a small project and applying a finding's fix the way a user (or the CLI) would:
 * from its line/column replacements, so a test checks the patch it would really get.
 */
import { expect } from "vitest";
import { scan } from "../../../src/engine/index";
import { applyEdits } from "../../../src/engine/fixes/patch";
import { LineIndex } from "../../../src/engine/source";
import type { Finding } from "../../../src/engine/types";

export type ProjectFiles = Record<string, string>;

/** The project's findings of one rule. */
export async function findingsOf(files: ProjectFiles, ruleId: string): Promise<Finding[]> {
  const result = await scan({ files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  return result.findings.filter((f) => f.ruleId === ruleId);
}

/** The one finding of a rule in the project. */
export async function onlyFinding(files: ProjectFiles, ruleId: string): Promise<Finding> {
  const found = await findingsOf(files, ruleId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The project with the finding's fix applied to its file. */
export function patched(files: ProjectFiles, finding: Finding): ProjectFiles {
  const change = finding.fix?.changes[0];
  if (!change) throw new Error("the finding has no fix");
  const text = files[change.path]!;
  const lines = new LineIndex(text);
  const edits = change.replacements.map((r) => ({
    start: lines.offset(r.startLine, r.startColumn - 1),
    end: lines.offset(r.endLine, r.endColumn - 1),
    text: r.text,
  }));
  return { ...files, [change.path]: applyEdits(text, edits) };
}

/** The lines a diff adds, without their `+`. */
export function addedLines(diff: string): string[] {
  return diff
    .split("\n")
    .filter((l) => l.startsWith("+") && !l.startsWith("+++"))
    .map((l) => l.slice(1));
}
