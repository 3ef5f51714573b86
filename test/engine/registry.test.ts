/**
 * Walks the rule registry (STYLE.md §8): sorted, id = file name, metadata complete and well
 * formed, and every rule exercised by at least one annotated fixture.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/engine/rules/index";
import { readAnnotations } from "./fixture-annotations";

const RULE_DIR = path.join(import.meta.dirname, "..", "..", "src", "engine", "rules");
const FIXTURES = path.join(import.meta.dirname, "..", "fixtures");

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

const annotatedIds = new Set(
  listFiles(FIXTURES).flatMap((f) =>
    readAnnotations(readFileSync(f, "utf8"))
      .filter((a) => a.kind === "ruleid")
      .map((a) => a.ruleId),
  ),
);

describe("rule registry", () => {
  it("lists rules sorted by id, one per rule file, with no strays", () => {
    const ids = RULES.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    const files = readdirSync(RULE_DIR)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    expect(ids).toEqual(files.sort());
    expect(RULES.length).toBeGreaterThan(0);
  });

  describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    it("has complete, well-formed metadata", () => {
      expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      const m = rule.meta;
      expect(m.title.length).toBeGreaterThan(5);
      expect(m.title.length).toBeLessThanOrEqual(80);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.description.length).toBeLessThanOrEqual(1024);
      expect(m.remediation.length).toBeGreaterThan(20);
      expect(m.cwe.length).toBeGreaterThan(0);
      for (const cwe of m.cwe) expect(cwe).toMatch(/^CWE-\d+$/);
      expect(m.owasp.length).toBeGreaterThan(0);
      for (const o of m.owasp) expect(o).toMatch(/^A(0[1-9]|10):2021$/);
      expect(m.pci.length).toBeGreaterThan(0);
      for (const p of m.pci) expect(p).toMatch(/^(1[0-2]|[1-9])(\.\d+){1,3}$/);
      expect(m.references.length).toBeGreaterThan(0);
      for (const r of m.references) expect(r).toMatch(/^https:\/\//);
      expect(m.languages.length).toBeGreaterThan(0);
      for (const s of m.supersedes ?? []) expect(RULES.map((r) => r.id)).toContain(s);
    });

    it("is exercised by an annotated fixture", () => {
      expect(annotatedIds.has(id)).toBe(true);
    });
  });
});

describe("README", () => {
  it("lists every rule of the registry", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "..", "..", "README.md"), "utf8");
    for (const rule of RULES) expect(readme).toContain(`| \`${rule.id}\` |`);
  });
});
