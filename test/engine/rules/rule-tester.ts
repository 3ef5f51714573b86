/**
 * Valid/invalid case tables for rules (STYLE.md §9): each case runs one rule alone on one file
 * through the engine's per-file analysis — or, when the case lists other files, on the whole
 * project through scan() — and invalid cases assert the rule id, file, line and column (and
 * optionally severity and message) of every finding.
 */
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/engine/analyze-file";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { scan } from "../../../src/engine/index";
import type { Rule } from "../../../src/engine/rule";
import { RULES } from "../../../src/engine/rules/index";
import { createSourceFile } from "../../../src/engine/source";
import type { Confidence, Finding, Severity } from "../../../src/engine/types";

export interface ValidCase {
  code: string;
  /** File path; decides the language. Defaults to "src/app.ts". */
  path?: string;
  /** The other files of the project the case's file belongs to, by path. */
  files?: Record<string, string>;
}

export interface ExpectedFinding {
  /** The file the finding is in; defaults to the case's. */
  path?: string;
  line: number;
  column: number;
  severity?: Severity;
  confidence?: Confidence;
  message?: RegExp;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
}

/** Runs one rule alone on one file (or on the project `files` make with it) and returns its findings. */
export async function runRule(rule: Rule, code: string, path = "src/app.ts", files?: Record<string, string>): Promise<Finding[]> {
  if (files) {
    const project = [{ path, content: code }, ...Object.entries(files).map(([p, content]) => ({ path: p, content }))];
    const result = await scan({ files: project }, { rules: Object.fromEntries(RULES.map((r) => [r.id, r.id === rule.id ? "on" : "off"])) });
    expect(result.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
    return result.findings;
  }
  const outcome = await analyzeFile(createSourceFile(path, code), [{ rule, severity: rule.meta.severity }], {
    dialect: "mysql",
    dialectFallback: false,
    limits: { ...DEFAULT_LIMITS }, // a scan of its own: budgets are kept per limits object
  });
  const crashes = outcome.notifications.filter((n) => n.code === "rule-error");
  expect(crashes).toEqual([]);
  return outcome.findings;
}

const label = (c: ValidCase) => `${c.path ?? "src/app.ts"}: ${c.code.replace(/\s+/g, " ").trim().slice(0, 90)}`;

/** Declares a describe block with one test per case. */
export function ruleCases(rule: Rule, cases: { valid: Array<string | ValidCase>; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    const valid = cases.valid.map((c) => (typeof c === "string" ? { code: c } : c));
    describe("valid", () => {
      it.each(valid.map((c) => [label(c), c] as const))("%s", async (_name, c) => {
        const findings = await runRule(rule, c.code, c.path, c.files);
        expect(findings.map((f) => `${f.location.path}:${f.location.startLine}:${f.location.startColumn} ${f.message}`)).toEqual([]);
      });
    });
    describe("invalid", () => {
      it.each(cases.invalid.map((c) => [label(c), c] as const))("%s", async (_name, c) => {
        const findings = await runRule(rule, c.code, c.path, c.files);
        expect(findings.map((f) => ({ ruleId: f.ruleId, path: f.location.path, line: f.location.startLine, column: f.location.startColumn }))).toEqual(
          c.errors.map((e) => ({ ruleId: rule.id, path: e.path ?? c.path ?? "src/app.ts", line: e.line, column: e.column })),
        );
        c.errors.forEach((e, i) => {
          const f = findings[i]!;
          if (e.severity) expect(f.severity).toBe(e.severity);
          if (e.confidence) expect(f.confidence).toBe(e.confidence);
          if (e.message) expect(f.message).toMatch(e.message);
        });
      });
    });
  });
}
