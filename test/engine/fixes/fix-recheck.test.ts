/**
 * Re-checks every `proven` fix the engine gives on the fixture applications and projects without
 * the engine's own patching, parsing or provers: the fix's line/column replacements are applied
 * here, a patched code file must parse with TypeScript's parser (not acorn), the renderings the fix
 * shows must parse with node-sql-parser's full build with one shape for the original with benign
 * input, the patched code with benign input and the patched code with the attack, and scanning
 * the patched project again must find no injection of the same rule at the patched place.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { scan, type Finding, type FixReplacement, type ScanInputFile } from "../../../src/engine/index";
import { listFiles, sqlShape } from "../independent-parse";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "fixtures");

/** Each application and project folder of the fixtures, as the files a scan gets. */
function projects(): Array<{ name: string; files: ScanInputFile[] }> {
  return ["apps", "projects"].flatMap((kind) =>
    readdirSync(path.join(FIXTURES, kind))
      .filter((n) => statSync(path.join(FIXTURES, kind, n)).isDirectory())
      .sort()
      .map((name) => {
        const dir = path.join(FIXTURES, kind, name);
        return { name: `${kind}/${name}`, files: listFiles(dir).map((f) => ({ path: path.relative(dir, f), content: readFileSync(f, "utf8") })) };
      }),
  );
}

/** The replacements applied bottom-up, from 1-based lines and columns (end exclusive). */
function applyReplacements(text: string, replacements: readonly FixReplacement[]): string {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1]! + column - 1;
  let out = text;
  for (const r of [...replacements].sort((a, b) => b.startLine - a.startLine || b.startColumn - a.startColumn)) {
    out = out.slice(0, offset(r.startLine, r.startColumn)) + r.text + out.slice(offset(r.endLine, r.endColumn));
  }
  return out;
}

function typescriptParseErrors(file: string, text: string): string[] {
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("every proven fix on the fixtures survives an independent re-check", async () => {
  const cases: Array<{ project: { name: string; files: ScanInputFile[] }; finding: Finding }> = [];
  let injections = 0;
  for (const project of projects()) {
    const result = await scan({ files: project.files });
    for (const finding of result.findings) {
      if (finding.category === "injection") injections++;
      if (finding.fix?.verdict === "proven") cases.push({ project, finding });
    }
  }

  it("the fixtures have proven fixes to re-check", () => {
    expect(injections).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [`${c.project.name}/${c.finding.location.path}:${c.finding.location.startLine} ${c.finding.ruleId}`, c] as const))(
    "%s",
    async (_, { project, finding }) => {
      const fix = finding.fix!;
      const patched = project.files.map((f) => {
        const change = fix.changes.find((c) => c.path === f.path);
        return change ? { path: f.path, content: applyReplacements(String(f.content), change.replacements) } : f;
      });
      // Code must parse; a view template is re-checked by the re-scan below (its model reads the escaping output).
      for (const change of fix.changes.filter((c) => /\.[cm]?[jt]sx?$/.test(c.path))) {
        const file = patched.find((f) => f.path === change.path)!;
        expect(typescriptParseErrors(file.path, String(file.content))).toEqual([]);
      }
      if (fix.check && fix.check.parser.name === "node-sql-parser") {
        const dialect = fix.check.parser.dialect ?? "mysql";
        // A bound value's type is the driver's (mysql sends "42" as text where the original wrote 42): compare literals without their types.
        const shape = (text: string) => sqlShape(text, dialect, { literalTypes: false });
        const before = shape(fix.check.before.rendered);
        expect(shape(fix.check.benign.rendered)).toBe(before);
        expect(shape(fix.check.attack.rendered)).toBe(before);
      }
      const again = await scan({ files: patched });
      const lines = new Set(
        fix.changes.flatMap((c) =>
          c.replacements.flatMap((r) => Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => `${c.path}:${r.startLine + i}`)),
        ),
      );
      const remaining = again.findings.filter((f) => f.ruleId === finding.ruleId && lines.has(`${f.location.path}:${f.location.startLine}`));
      expect(remaining).toEqual([]);
    },
  );
});
