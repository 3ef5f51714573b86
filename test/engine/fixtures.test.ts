/**
 * Runs every annotated fixture under test/fixtures through the engine with all rules on and
 * checks the findings line by line against the annotations: every `ruleid` line has its
 * finding, no `ok` line has one, and no finding appears on a line nobody annotated.
 *
 * A file is scanned alone, except under test/fixtures/projects/: each directory there is one
 * project, all its files go to a single `scan({ files })` with paths relative to the project
 * directory (`src/routes/users.js`), so a request read in one module and a query run in
 * another are one flow. The same three checks then hold over every file of the project.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scan, type ScanResult, type SqlDialect } from "../../src/engine/index";
import { readAnnotations } from "./fixture-annotations";

const ROOT = path.join(import.meta.dirname, "..", "fixtures");
const PROJECTS = path.join(ROOT, "projects");

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Paths with `/` separators, so fixture names and finding paths read the same on every OS. */
const posix = (p: string) => p.split(path.sep).join("/");

const files = listFiles(ROOT)
  .filter((f) => !f.endsWith(".md") && !f.startsWith(PROJECTS + path.sep))
  .sort();
const projects = readdirSync(PROJECTS)
  .filter((name) => statSync(path.join(PROJECTS, name)).isDirectory())
  .sort();

/** `pca-dialect: <name>` in a comment of a file (for a project: the first file, in path order, that has one). */
function dialectOf(texts: string[]): { dialect?: SqlDialect } {
  for (const text of texts) {
    const m = /pca-dialect:\s*(\w+)/.exec(text);
    if (m) return { dialect: m[1] as SqlDialect };
  }
  return {};
}

/** Missing, false-positive and unannotated findings, as `path:rule@line` (path left out for single files). */
function judge(sources: Array<{ path: string; content: string }>, result: ScanResult, withPath: boolean) {
  const key = (p: string, ruleId: string, line: number) => `${withPath ? p + ":" : ""}${ruleId}@${line}`;
  const found = new Set(result.findings.map((f) => key(f.location.path, f.ruleId, f.location.startLine)));
  const missing: string[] = [];
  const falsePositives: string[] = [];
  const annotated = new Set<string>();
  for (const s of sources) {
    for (const e of readAnnotations(s.content)) {
      const k = key(s.path, e.ruleId, e.line);
      if (e.kind === "ruleid" && !found.has(k)) missing.push(k);
      if (e.kind === "ok" && found.has(k)) falsePositives.push(k);
      if (e.kind !== "ok") annotated.add(k);
    }
  }
  const unexpected = [...found].filter((k) => !annotated.has(k));
  const crashes = result.notifications.filter((n) => n.code === "rule-error").map((n) => n.message);
  return { missing, falsePositives, unexpected, crashes };
}

describe("annotated fixtures", () => {
  it.each(files.map((f) => [posix(path.relative(ROOT, f))]))("%s", async (rel) => {
    const text = readFileSync(path.join(ROOT, rel), "utf8");
    const sources = [{ path: rel, content: text }];
    const result = await scan({ files: sources }, dialectOf([text]));
    expect(judge(sources, result, false)).toEqual({ missing: [], falsePositives: [], unexpected: [], crashes: [] });
  });
});

describe("annotated projects", () => {
  it.each(projects.map((p) => [p]))("projects/%s", async (name) => {
    const dir = path.join(PROJECTS, name);
    const sources = listFiles(dir)
      .sort()
      .map((f) => ({ path: posix(path.relative(dir, f)), content: readFileSync(f, "utf8") }));
    const result = await scan({ files: sources }, dialectOf(sources.map((s) => s.content)));
    const verdict = judge(sources, result, true);
    // A project that does not parse tests nothing: every file must be read as code.
    const parseErrors = result.notifications.filter((n) => n.code === "parse-error").map((n) => `${n.path}: ${n.message}`);
    expect({ ...verdict, parseErrors }).toEqual({ missing: [], falsePositives: [], unexpected: [], crashes: [], parseErrors: [] });
  });
});
