/**
 * The ReDoS analysis on a table of patterns whose growth class was decided by reasoning about the
 * pattern (two ways round one loop on the same text: exponential; a loop that can hand text to a
 * later loop that reads it too: polynomial, one degree per hand-over; otherwise linear), then the
 * proof: attack strings the step-counting matcher measures, with the growth the class predicts.
 */
import { describe, expect, it } from "vitest";
import { analyseAmbiguity } from "../../../src/engine/redos/ambiguity";
import { attackString, regexProof, regexRisk } from "../../../src/engine/redos/index";
import { countSteps } from "../../../src/engine/redos/matcher";
import { parseRegex } from "../../../src/engine/redos/syntax";

type Expected = "exponential" | 2 | 3 | "none";

const TABLE: Array<[pattern: string, flags: string, expected: Expected, why: string]> = [
  ["^(a+)+$", "", "exponential", "nested plus: a run of a's splits between the loops in 2^n ways"],
  ["^(a|a)*$", "", "exponential", "two identical alternatives in a loop"],
  ["^(\\w|\\d)+$", "", "exponential", "overlapping alternatives: a digit is \\w and \\d"],
  ["^(a*)*$", "", "exponential", "a star inside a star"],
  ["(a+)+b", "", "exponential", "no b: every split fails"],
  ["^(\\w+\\s?)+$", "", "exponential", "the optional separator lets a word split in two iterations"],
  [
    "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
    "",
    "exponential",
    "a forum e-mail validator: [a-zA-Z0-9]+ inside a starred group with an optional separator",
  ],
  ["^\\b_((?:__|[\\s\\S])+?)_\\b|^\\*((?:\\*\\*|[\\s\\S])+?)\\*(?!\\*)", "", "exponential", "marked < 0.3.9 emphasis: `__` or two `_` in a lazy loop"],
  ["^(https?:\\/\\/)?([\\da-z\\.-]+)\\.([a-z\\.]{2,6})([\\/\\w \\.-]*)*\\/?$", "", "exponential", "a star inside a star in a URL validator"],
  ["^(A+)+$", "i", "exponential", "case folding keeps the nesting"],
  ["\\s+$", "", 2, "a search restarts at each space of a run and scans to its end"],
  ["^\\s*\\d+\\s*x$", "", "none", "anchored, and the loops read disjoint characters around \\d+"],
  ["\\s*\\d+\\s*x", "", 2, "unanchored: the search's own restarts overlap \\s*"],
  ["^.*a.*b$", "", 2, "the first .* can hand any a-run to the second"],
  ["^((?:\\d+)?\\.?\\d+) *(ms|s|m|h|d)?$", "i", 2, "ms < 0.7.1: a digit run splits between \\d+ and \\d+"],
  ["^\\d*\\d*\\d*x$", "", 3, "three loops share a digit run: n² splits, each failing after a scan"],
  ["^(a+){2}$", "", 2, "two copies of a+ share a run: linear choices, each a scan"],
  ["^[a-z]+$", "", "none", "one loop"],
  ["^\\d{4}-\\d{2}-\\d{2}$", "", "none", "no loop"],
  ["^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$", "", "none", "the @ and the required dot separate the loops"],
  ["^[a-zA-Z]+(?: [a-zA-Z]+)*$", "", "none", "each iteration starts with the space the previous one cannot read"],
  ["^(?:\\d{4} ?){3}\\d{1,7}$", "", "none", "bounded repetitions"],
  ["^(\\d+)\\s*-\\s*(\\d+)$", "", "none", "the dash separates the spaces"],
  ["\\/((?:[^/\\\\\\n]|\\\\.){1,120})\\/[a-z]{0,6}\\.test", "", "none", "a search restarts at each slash, but scans at most 120 characters from it: linear"],
  ["\\/((?:[^/\\\\\\n]|\\\\.)+)\\/[a-z]{0,6}\\.test", "", 2, "the same without the count: each restart scans to the end"],
  ["^\\b_((?:[^_]|__)+?)_\\b|^\\*((?:\\*\\*|[^*])+?)\\*(?!\\*)", "", "none", "marked's fix: the single character excludes the delimiter"],
  ["^(a+)+$", "y", "exponential", "sticky: the same nesting at the start"],
  ["(a+)+", "", "none", "nothing after the loop: the first attempt matches"],
];

describe("ReDoS analysis: growth class", () => {
  it.each(TABLE)("/%s/%s → %s (%s)", (pattern, flags, expected) => {
    const risk = regexRisk(pattern, flags);
    if (expected === "none") return expect(risk).toBeNull();
    expect(risk?.growth).toBe(expected === "exponential" ? "exponential" : "polynomial");
    if (expected !== "exponential") expect(risk?.degree).toBe(expected);
  });
});

describe("ReDoS proof", () => {
  it("gives an attack string that, pumped 4 more times, costs far more steps in the matcher", () => {
    const risk = regexRisk("^(\\w+\\s?)+$", "")!;
    const re = parseRegex("^(\\w+\\s?)+$", "")!;
    const n = risk.measured[0].pumps;
    const small = countSteps(re, attackString(risk.witness, risk.suffix, n), 10_000_000);
    const large = countSteps(re, attackString(risk.witness, risk.suffix, n + 4), 10_000_000);
    expect(small.matched || large.matched).toBe(false);
    expect(large.steps).toBeGreaterThan(4 * small.steps);
  });

  it("shows the attack shortened, the growth and two measurements", () => {
    const proof = regexProof(regexRisk("^(a|a)*$", "")!);
    expect(proof.kind).toBe("regex");
    expect(proof.verdict).toBe("proven");
    expect(proof.payload).toMatch(/^"a+" \+ "a+" × 30 \+ ".+"$/);
    expect(proof.evidence).toMatch(/exponential/);
    expect(proof.benign.rendered).toMatch(/steps for \d+ characters, no match/);
    expect(proof.attack.input).not.toBe(proof.benign.input);
  });

  it("sizes a polynomial attack for a 50 kB field", () => {
    const proof = regexProof(regexRisk("\\s+$", "")!);
    expect(proof.payload).toMatch(/× 25,000/);
    expect(proof.evidence).toMatch(/degree 2 \(quadratic\)/);
  });
});

describe("ReDoS analysis: bounds", () => {
  it("gives up on patterns too long or too large rather than working on them", () => {
    expect(parseRegex("a".repeat(5_000), "")).toBeNull();
    expect(analyseAmbiguity(parseRegex("[a-z]".repeat(400), "")!).growth).toBe("unknown");
  });

  it("reads the syntax of every flag set, and refuses what it does not read", () => {
    for (const [p, f] of [
      ["\\p{L}+", "u"],
      ["[\\p{L}--[a-z]]", "v"],
      ["(?<y>\\d{4})-\\k<y>", ""],
      ["(?<=\\$)\\d+(?!\\.)", ""],
      ["a.+?b", "s"],
      ["\\u{1F600}", "u"],
      ["[\\]\\-]", ""],
    ] as const)
      expect(parseRegex(p, f), p).not.toBeNull();
    expect(parseRegex("(?i:a)", "")).toBeNull();
    expect(parseRegex("(", "")).toBeNull();
  });

  it("stops the matcher at its step budget", () => {
    const run = countSteps(parseRegex("^(a+)+$", "")!, "a".repeat(40) + "!", 50_000);
    expect(run).toEqual({ matched: false, steps: 50_000, exhausted: true });
  });

  it("matches as a backtracking engine does", () => {
    const cases: Array<[string, string, string, boolean]> = [
      ["^(\\d+)-\\1$", "", "12-12", true],
      ["^(\\d+)-\\1$", "", "12-13", false],
      ["^a.c$", "", "a\nc", false],
      ["^a.c$", "s", "a\nc", true],
      ["^abc$", "i", "ABC", true],
      ["^b$", "m", "a\nb", true],
      ["\\bfoo\\b", "", "a foo.", true],
      ["(?<=\\$)\\d+", "", "cost $42", true],
      ["^(?!admin)\\w+$", "", "administrator", false],
      ["^a{2,3}$", "", "aaaa", false],
    ];
    for (const [p, f, input, expected] of cases)
      expect(countSteps(parseRegex(p, f)!, input, 100_000).matched, `/${p}/${f} on ${JSON.stringify(input)}`).toBe(expected);
  });
});
