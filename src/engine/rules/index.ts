/**
 * The explicit rule registry (STYLE.md §8): every rule, imported by name and kept sorted by id.
 * A rule file's name equals its id; test/engine/registry.test.ts walks this list and checks it.
 */
import type { Rule } from "../rule";

export const RULES: readonly Rule[] = [];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
