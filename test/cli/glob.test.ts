import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error";
import { compileGlob, excludeMatcher } from "../../src/cli/glob";

describe("compileGlob", () => {
  it.each([
    ["*.js", "app.js", true],
    ["*.js", "src/app.js", false],
    ["*.js", ".eslintrc.js", true],
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/a/b.ts", false],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/a/b/c.ts", true],
    ["src/**/*.ts", "srcx/a.ts", false],
    ["**/fixtures", "fixtures", true],
    ["**/fixtures", "test/engine/fixtures", true],
    ["src/**", "src/a/b", true],
    ["file?.sql", "file1.sql", true],
    ["file?.sql", "file/.sql", false],
    ["file[0-9].sql", "file7.sql", true],
    ["file[!0-9].sql", "filex.sql", true],
    ["file[!0-9].sql", "file7.sql", false],
    ["*.{test,spec}.ts", "a.spec.ts", true],
    ["*.{test,spec}.ts", "a.prod.ts", false],
    ["a.b+c(d)$", "a.b+c(d)$", true],
    ["a.b", "axb", false],
    ["[unclosed", "[unclosed", true],
    ["{unclosed", "{unclosed", true],
    ["{src,lib}/**/*.js", "lib/a/b.js", true],
    ["{a,{b,c}}.sql", "c.sql", true],
    ["**", "any/thing", true],
    ["src/**", "src", true],
  ])("%s on %s → %s", (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
  });

  it("stays fast on patterns and paths built to backtrack", () => {
    // A regular expression for this pattern backtracks polynomially (n^6) on such a path.
    expect(compileGlob("**/*a*a*a*a*a*a*b")("x/".repeat(500) + "a".repeat(4000))).toBe(false);
    expect(compileGlob("**/**/**/**/x")("a/".repeat(4000) + "y")).toBe(false);
    expect(compileGlob("**/*a*a*a*a*a*a*b")("x/".repeat(500) + "a".repeat(4000) + "b")).toBe(true);
  });

  it("refuses a glob whose braces expand past 256 alternatives", () => {
    expect(() => compileGlob("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}")).toThrow(CliError);
    expect(compileGlob("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}")("abababab")).toBe(true);
  });
});

describe("excludeMatcher", () => {
  const excluded = excludeMatcher(["*.min.js", "fixtures", "./src/generated/", "docs/**/*.md"]);

  it.each([
    ["public/app.min.js", true],
    ["public/app.js", false],
    ["test/fixtures", true],
    ["test/fixtures/a/card.js", true],
    ["test/fixtures-extra/a.js", false],
    ["src/generated", true],
    ["src/generated/api.ts", true],
    ["lib/src/generated/api.ts", false],
    ["docs/guide/intro.md", true],
    ["docs/guide/intro.txt", false],
  ])("%s → %s", (path, expected) => {
    expect(excluded(path)).toBe(expected);
  });

  it("excludes nothing without globs", () => {
    expect(excludeMatcher([])("anything/at/all.js")).toBe(false);
    expect(excludeMatcher(["", "./"])("a.js")).toBe(false);
  });
});
