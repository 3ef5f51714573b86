/**
 * A fix's unified diff is a real patch: `git apply` turns the original file into exactly the text
 * the edits give, whatever the edits look like (one line, a multi-line rewrite that keeps most
 * lines, edits far apart, an insertion on a line another edit rewrote, no final line break). And
 * only changed lines are marked as changed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyEdits, unifiedDiff, type Edit } from "../../../src/engine/fixes/patch";

function gitApply(original: string, diff: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pca-patch-"));
  writeFileSync(path.join(dir, "dao.js"), original);
  writeFileSync(path.join(dir, "fix.diff"), diff);
  execFileSync("git", ["apply", "fix.diff"], { cwd: dir, stdio: "pipe" });
  return readFileSync(path.join(dir, "dao.js"), "utf8");
}

/** The edit that replaces the first occurrence of `from` with `to`. */
function replace(text: string, from: string, to: string): Edit {
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`${from} not in text`);
  return { start, end: start + from.length, text: to };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `const line${i + 1} = ${i + 1};`).join("\n") + "\n";

describe("unified diffs of fixes", () => {
  const cases: Array<[string, string, (text: string) => Edit[]]> = [
    [
      "one line",
      `${lines(5)}pool.query("SELECT * FROM t WHERE id = " + id);\n${lines(5)}`,
      (t) => [replace(t, `"SELECT * FROM t WHERE id = " + id`, `"SELECT * FROM t WHERE id = ?", [id]`)],
    ],
    [
      "a template rewritten with values inserted on its last line",
      "pool.query(`\n  SELECT id\n  FROM t\n  WHERE a = '${a}'\n  ORDER BY id\n`);\n",
      (t) => [
        replace(t, "`\n  SELECT id\n  FROM t\n  WHERE a = '${a}'\n  ORDER BY id\n`", "`\n  SELECT id\n  FROM t\n  WHERE a = $1\n  ORDER BY id\n`"),
        { start: t.indexOf("`);") + 1, end: t.indexOf("`);") + 1, text: ", [a]" },
      ],
    ],
    [
      "two edits far apart",
      `const sql = "x = '" + a + "'";\n${lines(20)}run(sql);\n`,
      (t) => [replace(t, `"x = '" + a + "'"`, `"x = ?"`), replace(t, "run(sql)", "run(sql, [a])")],
    ],
    ["a file without a final line break", `${lines(2)}q("a" + b)`, (t) => [replace(t, `"a" + b`, `"a?", [b]`)]],
    ["lines added", `${lines(3)}q(x);\n${lines(3)}`, (t) => [replace(t, "q(x);", "if (!ok(x)) throw new Error();\nq(x);")]],
    [
      "a helper inserted as lines of its own, right above a line another edit changes",
      `const a = require("a");\nsend("<p>" + x + "</p>");\n`,
      (t) => [{ start: t.indexOf("send"), end: t.indexOf("send"), text: "const esc = (s) => s;\n" }, replace(t, "+ x +", "+ esc(x) +")],
    ],
  ];

  it.each(cases)("%s: git apply gives the patched text", (_, original, edits) => {
    const e = edits(original);
    const patched = applyEdits(original, e);
    expect(gitApply(original, unifiedDiff("dao.js", original, patched, e))).toBe(patched);
  });

  it("shows inserted lines as added, removing no line for them", () => {
    const [, original, edits] = cases[5]!;
    const e = edits(original);
    const diff = unifiedDiff("dao.js", original, applyEdits(original, e), e);
    const changed = diff.split("\n").filter((l) => /^[-+](?![-+])/.test(l));
    expect(changed.filter((l) => l.startsWith("-"))).toEqual(['-send("<p>" + x + "</p>");']);
    expect(changed.filter((l) => l.startsWith("+"))).toEqual(["+const esc = (s) => s;", '+send("<p>" + esc(x) + "</p>");']);
  });

  it("marks only the lines that change, with the rest of a rewritten expression as context", () => {
    const [, original, edits] = cases[1]!;
    const e = edits(original);
    const diff = unifiedDiff("dao.js", original, applyEdits(original, e), e);
    expect(diff.split("\n").filter((l) => /^[-+](?![-+])/.test(l))).toEqual(["-  WHERE a = '${a}'", "+  WHERE a = $1", "-`);", "+`, [a]);"]);
  });
});
