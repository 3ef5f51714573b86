/**
 * Runs every annotated fixture under test/fixtures through the engine with all rules on and
 * checks the findings line by line against the annotations: every `ruleid` line has its
 * finding, no `ok` line has one, and no finding appears on a line nobody annotated.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/engine/index";
import { readAnnotations } from "./fixture-annotations";

const ROOT = path.join(import.meta.dirname, "..", "fixtures");

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

const files = listFiles(ROOT).filter((f) => !f.endsWith(".md")).sort();

describe("annotated fixtures", () => {
  it.each(files.map((f) => [path.relative(ROOT, f)]))("%s", async (rel) => {
    const text = readFileSync(path.join(ROOT, rel), "utf8");
    const dialect = /pca-dialect:\s*(\w+)/.exec(text)?.[1];
    const result = await scan({ files: [{ path: rel, content: text }] }, dialect ? { dialect: dialect as never } : {});
    const expected = readAnnotations(text);
    const found = new Set(result.findings.map((f) => `${f.ruleId}@${f.location.startLine}`));
    const missing = expected.filter((e) => e.kind === "ruleid" && !found.has(`${e.ruleId}@${e.line}`)).map((e) => `${e.ruleId}@${e.line}`);
    const falsePositives = expected.filter((e) => e.kind === "ok" && found.has(`${e.ruleId}@${e.line}`)).map((e) => `${e.ruleId}@${e.line}`);
    const annotated = new Set(expected.filter((e) => e.kind !== "ok").map((e) => `${e.ruleId}@${e.line}`));
    const unexpected = [...found].filter((k) => !annotated.has(k));
    const crashes = result.notifications.filter((n) => n.code === "rule-error").map((n) => n.message);
    expect({ missing, falsePositives, unexpected, crashes }).toEqual({ missing: [], falsePositives: [], unexpected: [], crashes: [] });
  });
});
