/**
 * Walks the library-model registry (STYLE.md §8, §12) as registry.test.ts walks the rules:
 * sorted, id = file name, every family described and exercised by annotated fixtures, every
 * rule a row names is a dataflow rule of the rule registry, every receiver a sink names is
 * recognised by some family, and no callee, method or name means two things.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MODELS } from "../../../src/engine/models/index";
import type { LibraryModel } from "../../../src/engine/models/rows";
import { RULES } from "../../../src/engine/rules/index";
import { KIND_OF_RULE, type TaintRuleId } from "../../../src/engine/taint/kinds";
import { readAnnotations } from "../fixture-annotations";

const MODEL_DIR = path.join(import.meta.dirname, "..", "..", "..", "src", "engine", "models");
const FIXTURES = path.join(import.meta.dirname, "..", "..", "fixtures");
const RULE_IDS = new Set(RULES.map((r) => r.id));

/** Files of the folder that hold a family (`export const model`), by id. */
const familyFiles = readdirSync(MODEL_DIR)
  .filter((f) => f.endsWith(".ts") && readFileSync(path.join(MODEL_DIR, f), "utf8").includes("export const model: LibraryModel"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

/** Every rule id a family's rows name. */
function rulesNamed(m: LibraryModel): TaintRuleId[] {
  const out: TaintRuleId[] = [];
  for (const r of m.sinks ?? []) out.push(r.rule);
  for (const r of m.sources ?? []) out.push(...(r.safeFor ?? []));
  for (const r of m.refinements ?? []) out.push(...(r.safeFor ?? []));
  for (const r of m.summaries ?? []) if ("sanitises" in r) out.push(...(r.sanitises ?? []));
  for (const r of m.guards ?? []) if (r.sanitises !== "everything") out.push(...r.sanitises);
  return out;
}

/** Keys that must mean one thing across the registry, each with the family that uses it. */
function keysOf(m: LibraryModel): string[] {
  const keys: string[] = [];
  for (const r of m.sources ?? []) {
    if ("global" in r) keys.push(`read ${r.global}`);
    else if ("call" in r) keys.push(`call ${r.call}`);
    else if ("decorator" in r) keys.push(`decorator ${r.decorator}`);
    else keys.push(`read ${r.object}.${"property" in r ? r.property : r.method + "()"}`);
  }
  for (const r of m.summaries ?? []) keys.push("call" in r ? `call ${r.call}` : `call ${r.object}.${r.method}()`);
  for (const r of m.types ?? []) keys.push("call" in r ? `call ${r.call}` : `call ${r.object}.${r.method}()`);
  for (const r of m.methods ?? []) keys.push(`method ${r.method}`);
  for (const r of m.guards ?? []) keys.push(`guard ${r.check}`);
  for (const r of m.exits ?? []) keys.push(`exit ${r.exit}`);
  for (const r of m.globals ?? []) keys.push(`read ${r.global}`);
  for (const r of m.constants ?? []) keys.push(`constant ${r.read}`);
  for (const r of m.objects ?? []) keys.push(`object ${r.kind}`);
  for (const r of m.receivers ?? []) keys.push(`receiver ${r.receiver}`);
  for (const r of m.aliases ?? []) keys.push("specifier" in r ? `specifier ${r.specifier}` : "member" in r ? `member ${r.member}` : `packages ${r.methodsOf}`);
  for (const r of m.sinks ?? []) if ("attribute" in r) keys.push(`jsx ${r.attribute}`);
  return keys;
}

describe("library model registry", () => {
  it("lists families sorted by id, one per family file, with no strays", () => {
    const ids = MODELS.map((m) => m.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(familyFiles);
  });

  it("gives every callee, method, name and object kind one meaning", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const m of MODELS) {
      for (const k of keysOf(m)) {
        if (owner.has(k)) clashes.push(`${k} (${owner.get(k)}, ${m.id})`);
        owner.set(k, m.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("has at most one recogniser per precedence and one route-handler rule", () => {
    const precedences = MODELS.flatMap((m) => (m.entryPoints ?? []).flatMap((r) => ("precedence" in r ? [r.precedence] : [])));
    expect(new Set(precedences).size).toBe(precedences.length);
    expect(MODELS.flatMap((m) => (m.entryPoints ?? []).filter((r) => "routeRoles" in r))).toHaveLength(1);
  });

  describe.each(MODELS.map((m) => [m.id, m] as const))("%s", (id, m) => {
    it("is described", () => {
      expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.description.length).toBeLessThanOrEqual(300);
    });

    it("names only dataflow rules of the rule registry", () => {
      for (const rule of rulesNamed(m)) {
        expect(RULE_IDS.has(rule), rule).toBe(true);
        expect(KIND_OF_RULE.has(rule), rule).toBe(true);
      }
    });

    it("names only receivers some family recognises", () => {
      const known = new Set(["any", ...MODELS.flatMap((f) => (f.receivers ?? []).map((r) => r.receiver))]);
      for (const r of m.sinks ?? []) if ("receiver" in r) expect(known.has(r.receiver), r.receiver).toBe(true);
    });

    it("is exercised by annotated fixtures", () => {
      expect(m.fixtures.length).toBeGreaterThan(0);
      for (const f of m.fixtures) {
        const file = path.join(FIXTURES, f);
        expect(existsSync(file), f).toBe(true);
        expect(f.startsWith("projects/"), f).toBe(false);
        expect(readAnnotations(readFileSync(file, "utf8")).length, f).toBeGreaterThan(0);
      }
    });
  });
});
