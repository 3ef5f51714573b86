/**
 * The contract between the simulator and its provers. A prover knows one language: it parses a
 * rendering into a structure (never running it) and says in words how an attack's structure
 * differs from the benign one. Every difference carries a rank so the simulator can keep the
 * most convincing payload; rank 0 is an explanation, not evidence.
 */
import type { Proof } from "../types";
import { maskBeforeCut } from "../report/output-boundary";

export type Analysis<S> = { ok: true; structure: S; summary: string } | { ok: false; message: string };

/**
 * 3 decisive (new statement, command, call, UNION branch, tautology, event handler, internal
 * host, escape from the base directory), 2 strong (a cut-off condition, new table, new element
 * or attribute), 1 any other structural change, 0 a note explaining why nothing was proven.
 */
export type Rank = 0 | 1 | 2 | 3;

export interface Change {
  rank: Rank;
  words: string;
}

export interface Prover<S = unknown> {
  readonly parser: Proof["parser"];
  /** Parses one rendering; never throws. */
  analyze(text: string): Analysis<S>;
  /** What the attack changed relative to the benign structure, strongest first or in any order. */
  compare(benign: S, attack: S): Change[];
}

/**
 * The items of `after` that `before` does not account for (multiset difference, order of
 * `after` kept).
 *
 * @example added(["a", "b"], ["a", "b", "b", "c"]) // ["b", "c"]
 */
export function added(before: readonly string[], after: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const item of before) count.set(item, (count.get(item) ?? 0) + 1);
  const out: string[] = [];
  for (const item of after) {
    const left = count.get(item) ?? 0;
    if (left > 0) count.set(item, left - 1);
    else out.push(item);
  }
  return out;
}

/**
 * Shortens a fragment of parsed text quoted inside evidence or a summary. Card numbers and
 * secrets are masked before the cut, so a cut can never leave part of one readable.
 */
export function shorten(text: string, max: number): string {
  const cut = text.length > max * 4;
  const flat = maskBeforeCut(cut ? text.slice(0, max * 4) : text, max)
    .replace(/\s+/g, " ")
    .trim();
  return flat.length <= max && !cut ? flat : flat.slice(0, Math.max(0, max - 1)) + "…";
}
