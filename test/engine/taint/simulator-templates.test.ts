/**
 * The templates the taint rules hand the attack simulator must be renderable and provable: every
 * injection found in the taint fixtures is proven by the simulator (src/engine/simulator).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { parseJs } from "../../../src/engine/parse/js";
import { prove } from "../../../src/engine/simulator/index";
import { createSourceFile } from "../../../src/engine/source";
import { analyzeTaint, reportOf } from "../../../src/engine/taint/index";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "fixtures");
const DIRS = ["apps", "sql-injection", "nosql-injection", "command-injection", "code-injection", "xss", "path-traversal", "ssrf", "open-redirect"];

function list(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? list(f) : /\.[cm]?[jt]sx?$/.test(n) ? [f] : [];
  });
}

describe("simulator templates from the taint fixtures", () => {
  const files = DIRS.flatMap((d) => list(path.join(FIXTURES, d))).sort();
  it.each(files.map((f) => [path.relative(FIXTURES, f), f]))("%s", async (_rel, full) => {
    const file = createSourceFile(path.relative(FIXTURES, full), readFileSync(full, "utf8"));
    const parsed = parseJs(file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const verdicts: string[] = [];
    for (const hit of analyzeTaint(parsed.program, file, { ...DEFAULT_LIMITS }).hits) {
      const report = reportOf(hit);
      if (!report.simulate) continue;
      const proof = await prove(report.simulate.kind, report.simulate.template, report.simulate.options);
      verdicts.push(`${file.lines.lineOf(hit.start)} ${proof?.verdict}`);
    }
    expect(verdicts.filter((v) => !v.endsWith("proven") || v.endsWith("not-proven"))).toEqual([]);
  });
});
