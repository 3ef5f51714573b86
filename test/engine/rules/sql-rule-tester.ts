/**
 * Valid/invalid case tables for the SQL audit rules (STYLE.md §9). Each case runs one rule alone
 * on one file through the engine's per-file analysis, as a .sql file by default, with the
 * dialect the case names (or, like a scan without options, MySQL first and then the other
 * dialects); invalid cases assert the rule id, line and column of every finding.
 */
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/engine/analyze-file";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import type { Rule } from "../../../src/engine/rule";
import { createSourceFile } from "../../../src/engine/source";
import type { Confidence, Finding, Notification, Severity, SqlDialect } from "../../../src/engine/types";

export interface SqlCase {
  code: string;
  /** File path; decides the language. Defaults to "db/schema.sql". */
  path?: string;
  /** The dialect a user chose; omitted means none was chosen. */
  dialect?: SqlDialect;
}

export interface ExpectedFinding {
  line: number;
  column: number;
  severity?: Severity;
  confidence?: Confidence;
  message?: RegExp;
}

export interface InvalidSqlCase extends SqlCase {
  errors: ExpectedFinding[];
}

/** Runs one rule alone on one file; rule crashes fail the test. */
export async function runSqlRule(rule: Rule, c: SqlCase): Promise<{ findings: Finding[]; notifications: Notification[] }> {
  const outcome = await analyzeFile(createSourceFile(c.path ?? "db/schema.sql", c.code), [{ rule, severity: rule.meta.severity }], {
    dialect: c.dialect ?? "mysql",
    dialectFallback: c.dialect === undefined,
    limits: { ...DEFAULT_LIMITS }, // a scan of its own: budgets are kept per limits object
  });
  expect(outcome.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
  return outcome;
}

const label = (c: SqlCase) => `${c.dialect ?? "any"} ${c.path ?? "db/schema.sql"}: ${c.code.replace(/\s+/g, " ").trim().slice(0, 100)}`;

/** Declares a describe block with one test per case. */
export function sqlRuleCases(rule: Rule, cases: { valid: Array<string | SqlCase>; invalid: InvalidSqlCase[] }): void {
  describe(rule.id, () => {
    const valid = cases.valid.map((c) => (typeof c === "string" ? { code: c } : c));
    describe("valid", () => {
      it.each(valid.map((c) => [label(c), c] as const))("%s", async (_name, c) => {
        const { findings } = await runSqlRule(rule, c);
        expect(findings.map((f) => `${f.location.startLine}:${f.location.startColumn} ${f.message}`)).toEqual([]);
      });
    });
    describe("invalid", () => {
      it.each(cases.invalid.map((c) => [label(c), c] as const))("%s", async (_name, c) => {
        const { findings } = await runSqlRule(rule, c);
        expect(findings.map((f) => ({ ruleId: f.ruleId, line: f.location.startLine, column: f.location.startColumn }))).toEqual(
          c.errors.map((e) => ({ ruleId: rule.id, line: e.line, column: e.column })),
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
