/**
 * A finding's fix as the dashboard's finding page renders it (src/dashboard/fix-view.tsx): the
 * verdict in words, the patch as a <pre> whose lines are classed by what they are (the split the
 * widget shares, src/patch-lines.ts), the evidence and the attack re-run on the patched code —
 * for a patch the engine made from real code, and for hostile text, which stays escaped and masked.
 */
import { jsx } from "hono/jsx";
import { describe, expect, it } from "vitest";
import { FixPanel } from "../../src/dashboard/fix-view";
import { scan, type Fix } from "../../src/engine/index";
import { patchLines } from "../../src/patch-lines";

/** Luhn-valid, not a published test card. */
const PAN = "4532015112830366";

/** The panel as the page writes it. */
const html = async (props: Parameters<typeof FixPanel>[0]) => String(await jsx(FixPanel, props));

describe("patchLines", () => {
  it.each([
    [
      "one hunk: headers, context, removed, added",
      "--- a/db.js\n+++ b/db.js\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
      [
        ["file", "--- a/db.js"],
        ["file", "+++ b/db.js"],
        ["hunk", "@@ -1,2 +1,2 @@"],
        ["context", " a"],
        ["del", "-b"],
        ["add", "+c"],
      ],
    ],
    [
      "a removed SQL comment inside a hunk is a removed line, not a file header",
      "--- a/q.sql\n+++ b/q.sql\n@@ -1,2 +1 @@\n--- old note\n SELECT 1;\n",
      [
        ["file", "--- a/q.sql"],
        ["file", "+++ b/q.sql"],
        ["hunk", "@@ -1,2 +1 @@"],
        ["del", "--- old note"],
        ["context", " SELECT 1;"],
      ],
    ],
    [
      "two files: the second file's headers follow the first hunk",
      "--- a/a.js\n+++ b/a.js\n@@ -1 +1 @@\n-x\n+y\n--- a/b.js\n+++ b/b.js\n@@ -3 +3 @@\n-p\n+q\n",
      [
        ["file", "--- a/a.js"],
        ["file", "+++ b/a.js"],
        ["hunk", "@@ -1 +1 @@"],
        ["del", "-x"],
        ["add", "+y"],
        ["file", "--- a/b.js"],
        ["file", "+++ b/b.js"],
        ["hunk", "@@ -3 +3 @@"],
        ["del", "-p"],
        ["add", "+q"],
      ],
    ],
    [
      "a file without a final line break: the marker line counts as no line",
      "--- a/a.js\n+++ b/a.js\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
      [
        ["file", "--- a/a.js"],
        ["file", "+++ b/a.js"],
        ["hunk", "@@ -1,2 +1,2 @@"],
        ["context", " a"],
        ["del", "-b"],
        ["context", "\\ No newline at end of file"],
        ["add", "+c"],
        ["context", "\\ No newline at end of file"],
      ],
    ],
  ])("%s", (_, diff, expected) => {
    expect(patchLines(diff).map((l) => [l.kind, l.text])).toEqual(expected);
  });
});

describe("the finding page's fix panel", () => {
  it("shows the engine's proven patch of a mysql2 query: verdict, description, diff lines by kind, evidence, the three runs", async () => {
    const source = [
      'const mysql = require("mysql2");',
      "const db = mysql.createPool({});",
      'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id, (err, rows) => res.json(rows)));',
      "",
    ].join("\n");
    const { findings } = await scan({ files: [{ path: "orders.js", content: source }] });
    const fix = findings.find((f) => f.ruleId === "sql-injection")?.fix;
    expect(fix?.verdict).toBe("proven");
    const page = await html({ fix });

    expect(page).toContain('<span class="verdict-fix verdict-fix-proven">proven</span> (mechanical).');
    expect(page).toContain(`(mechanical). ${fix!.description.slice(0, 30)}`);
    // The query text becomes a constant with a placeholder; the value is bound (JSX escapes the quotes).
    expect(page).toMatch(/<span class="patch-del">-app\.get\(.*WHERE id = &quot; \+ req\.query\.id,/);
    expect(page).toMatch(/<span class="patch-add">\+app\.get\(.*WHERE id = \?&quot;, \[req\.query\.id\],/);
    expect(page).toContain('<span class="patch-file">--- a/orders.js</span>');
    expect(page).toMatch(/<span class="patch-hunk">@@ -1,3 \+1,3 @@<\/span>/);
    expect(page).toContain(`<p>${fix!.evidence.slice(0, 40)}`);
    for (const run of ["Original code, benign input", "Patched code, benign input", "Patched code, attack input"])
      expect(page).toContain(`<th scope="row">${run}</th>`);
    expect(page).toContain("<code>1 OR 1=1</code>");
  });

  it("escapes and masks what the diff and the evidence carry, and says which verdict in words", async () => {
    const fix: Fix = {
      verdict: "rejected",
      origin: "ai",
      description: "Binds the <id> value.",
      evidence: `The patched file does not parse; card ${PAN} in the message.`,
      diff: `--- a/x.js\n+++ b/x.js\n@@ -1 +1 @@\n-res.send("<script>alert(1)</script>")\n+res.send("${PAN}")\n`,
      changes: [],
    };
    const page = await html({ fix });
    expect(page).toContain('<span class="verdict-fix verdict-fix-rejected">rejected</span> (proposed by AI).');
    expect(page).toContain("Binds the &lt;id&gt; value.");
    expect(page).toContain('<span class="patch-del">-res.send(&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;)</span>');
    expect(page).not.toContain("<script>");
    expect(page).not.toContain(PAN);
    expect(page).toContain('<span class="patch-add">+res.send(&quot;453201******0366&quot;)</span>');
    // No check: no table of runs.
    expect(page).not.toContain("<table>");
  });

  it("says why there is no patch, and shows nothing for a finding with neither", async () => {
    expect(await html({ unavailable: "the data is used in ORDER BY: a placeholder binds a value, not a name" })).toBe(
      "<p>No patch proposed: the data is used in ORDER BY: a placeholder binds a value, not a name.</p>",
    );
    expect(await html({})).toBe("");
  });
});
