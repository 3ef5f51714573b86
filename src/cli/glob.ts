/**
 * The small glob language of `--exclude`: `*` and `?` within one path segment, `**` as a whole
 * segment for any number of segments, `[a-z]` / `[!x]` classes and `{a,b}` alternatives.
 * Matching uses the greedy wildcard algorithm (back up to the last star only), not a regular
 * expression, so a pattern like `*a*a*a*b` cannot make matching take exponential time.
 */
import { CliError } from "./cli-error";

type Token = { kind: "char"; char: string } | { kind: "any" } | { kind: "star" } | { kind: "class"; negate: boolean; ranges: Array<[string, string]> };

/** One compiled path segment; "**" is the globstar that spans segments. */
type Segment = Token[] | "**";

/** Alternatives one glob may expand to through `{a,b}`; more is a usage error. */
const MAX_ALTERNATIVES = 256;

/**
 * Compiles a glob into a predicate over forward-slash paths.
 *
 * @example
 *   compileGlob("src/**\/*.{test,spec}.ts")("src/a/b.test.ts"); // true
 */
export function compileGlob(glob: string): (path: string) => boolean {
  const alternatives = expandBraces(glob).map((g) => g.split("/").map(compileSegment));
  return (path) => {
    const parts = path.split("/");
    return alternatives.some((segments) =>
      wildcardMatch(
        segments,
        parts,
        (s) => s === "**",
        (s, part) => s !== "**" && matchSegment(s, part),
      ),
    );
  };
}

/**
 * The greedy wildcard algorithm over any sequence: `isStar` elements match any run of
 * elements, others match one element via `matches`. On a mismatch it retries from the last
 * star with one more element consumed, giving O(pattern × input) steps at worst.
 */
function wildcardMatch<P, T>(pattern: readonly P[], input: readonly T[], isStar: (p: P) => boolean, matches: (p: P, t: T) => boolean): boolean {
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < input.length) {
    if (p < pattern.length && isStar(pattern[p]!)) {
      starP = p++;
      starI = i;
    } else if (p < pattern.length && matches(pattern[p]!, input[i]!)) {
      p++;
      i++;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p]!)) p++;
  return p === pattern.length;
}

function matchSegment(tokens: Token[], part: string): boolean {
  return wildcardMatch(tokens, [...part], (t) => t.kind === "star", matchToken);
}

function matchToken(token: Token, char: string): boolean {
  switch (token.kind) {
    case "char":
      return token.char === char;
    case "any":
      return true;
    case "class":
      return token.ranges.some(([lo, hi]) => char >= lo && char <= hi) !== token.negate;
    case "star":
      return false;
  }
}

function compileSegment(segment: string): Segment {
  if (segment === "**") return "**";
  const chars = [...segment];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") {
      tokens.push({ kind: "any" });
    } else if (c === "[") {
      const negate = chars[i + 1] === "!" || chars[i + 1] === "^";
      const first = i + (negate ? 2 : 1);
      const end = chars.indexOf("]", first + 1); // a "]" right after "[" is a member
      if (end === -1) {
        tokens.push({ kind: "char", char: c });
        continue;
      }
      const ranges: Array<[string, string]> = [];
      for (let j = first; j < end; j++) {
        if (chars[j + 1] === "-" && j + 2 < end) {
          ranges.push([chars[j]!, chars[j + 2]!]);
          j += 2;
        } else {
          ranges.push([chars[j]!, chars[j]!]);
        }
      }
      tokens.push({ kind: "class", negate, ranges });
      i = end;
    } else {
      tokens.push({ kind: "char", char: c });
    }
  }
  return tokens;
}

/** "a.{js,ts}" → ["a.js", "a.ts"]; nested braces expand too; an unmatched "{" is literal. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf("{");
  if (open === -1) return [glob];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < glob.length && close === -1; i++) {
    if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) close = i;
    else if (glob[i] === "," && depth === 1) commas.push(i);
  }
  if (close === -1) return [glob];
  const head = glob.slice(0, open);
  const bounds = [open, ...commas, close];
  const rests = expandBraces(glob.slice(close + 1));
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (const middle of expandBraces(glob.slice(bounds[k]! + 1, bounds[k + 1]))) {
      for (const rest of rests) {
        out.push(head + middle + rest);
        if (out.length > MAX_ALTERNATIVES) throw new CliError(`glob "${glob}" expands to more than ${MAX_ALTERNATIVES} alternatives`, true);
      }
    }
  }
  return out;
}

/**
 * A predicate over report paths ("src/a/b.ts", forward slashes) built from `--exclude` globs.
 * A glob without "/" is tested against every segment of the path (so "fixtures" or "*.min.js"
 * match at any depth); one with "/" against the path and each of its parent folders
 * ("src/gen" excludes "src/gen/x.ts"). A leading "./" and a trailing "/" are ignored.
 *
 * @example
 *   const excluded = excludeMatcher(["*.min.js", "test/fixtures"]);
 *   excluded("public/app.min.js"); // true
 *   excluded("test/fixtures/a/card.js"); // true
 */
export function excludeMatcher(globs: readonly string[]): (path: string) => boolean {
  const bySegment: Array<(s: string) => boolean> = [];
  const byPath: Array<(s: string) => boolean> = [];
  for (const raw of globs) {
    const glob = raw
      .replace(/\\/g, "/")
      .replace(/^(?:\.\/)+/, "")
      .replace(/\/+$/, "");
    if (glob === "") continue;
    (glob.includes("/") ? byPath : bySegment).push(compileGlob(glob));
  }
  return (path) => {
    const segments = path.split("/");
    if (bySegment.some((match) => segments.some((s) => match(s)))) return true;
    for (let i = 1; i <= segments.length && byPath.length > 0; i++) {
      const prefix = segments.slice(0, i).join("/");
      if (byPath.some((match) => match(prefix))) return true;
    }
    return false;
  };
}
