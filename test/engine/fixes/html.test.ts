/**
 * XSS fixes: data written into HTML is escaped by one helper the patch adds after the imports, or
 * goes to the text API when written whole; the patched markup is proven the same for benign
 * input and text for the attack. Where escaping is not enough (a URL attribute's start, an event
 * handler) there is no mechanical fix, and a patch that escapes there anyway is rejected.
 */
import { Parser } from "acorn";
import { describe, expect, it } from "vitest";
import { scan, verifyFix, type Finding, type FixReplacement } from "../../../src/engine/index";

type Files = Record<string, string>;
const input = (files: Files) => ({ files: Object.entries(files).map(([path, content]) => ({ path, content })) });

async function xss(files: Files): Promise<Finding[]> {
  return (await scan(input(files))).findings.filter((f) => f.ruleId === "xss");
}

const added = (diff: string) =>
  diff
    .split("\n")
    .filter((l) => l.startsWith("+") && !l.startsWith("+++"))
    .map((l) => l.slice(1));

const HELPER = [
  "const escapeHtml = (text) =>",
  `  String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");`,
];

/** The replacements of several fixes of one file applied together, an edit they share once. */
function applyAll(text: string, replacements: FixReplacement[]): string {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const at = (l: number, c: number) => starts[l - 1]! + c - 1;
  const unique = [...new Map(replacements.map((r) => [JSON.stringify(r), r])).values()];
  let out = text;
  for (const r of unique.sort((a, b) => at(b.startLine, b.startColumn) - at(a.startLine, a.startColumn))) {
    out = out.slice(0, at(r.startLine, r.startColumn)) + r.text + out.slice(at(r.endLine, r.endColumn));
  }
  return out;
}

describe("XSS fixes", () => {
  it("an HTML response built from a template gets the data escaped, with the helper after the requires", async () => {
    const [f] = await xss({
      "app.js": `const express = require("express");\nconst app = express();\napp.get("/search", (req, res) => res.send(\`<h2>Results for \${req.query.q}</h2>\`));\n`,
    });
    expect(f?.fix?.verdict).toBe("proven");
    expect(added(f!.fix!.diff)).toEqual([...HELPER, 'app.get("/search", (req, res) => res.send(`<h2>Results for ${escapeHtml(req.query.q)}</h2>`));']);
    expect(f?.fix?.check?.attack.structure).toBe(f?.fix?.check?.before.structure);
  });

  it("a value written whole goes to the text API: textContent, jQuery .text(), insertAdjacentText", async () => {
    const found = await xss({
      "page.js": [
        `const params = new URLSearchParams(location.search);`,
        `document.getElementById("note").innerHTML = params.get("note");`,
        `$("#logo").html(params.get("logo"));`,
        `document.body.insertAdjacentHTML("beforeend", params.get("tail"));`,
        ``,
      ].join("\n"),
    });
    expect(found.map((f) => [f.fix?.verdict, added(f.fix!.diff)])).toEqual([
      ["proven", [`document.getElementById("note").textContent = params.get("note");`]],
      ["proven", [`$("#logo").text(params.get("logo"));`]],
      ["proven", [`document.body.insertAdjacentText("beforeend", params.get("tail"));`]],
    ]);
  });

  it("two sinks in one file share the helper: their fixes applied together add it once and leave no XSS", async () => {
    const app = `const app = require("express")();\napp.get("/a", (req, res) => res.send("<p>Hello " + req.query.name + "</p>"));\napp.get("/b", (req, res) => res.send(\`<em>\${req.query.note}</em>\`));\n`;
    const found = await xss({ "app.js": app });
    expect(found.map((f) => f.fix?.verdict)).toEqual(["proven", "proven"]);
    const patched = applyAll(
      app,
      found.flatMap((f) => f.fix!.changes[0]!.replacements),
    );
    expect(patched.match(/const escapeHtml/g)).toHaveLength(1);
    expect(() => Parser.parse(patched, { ecmaVersion: "latest" })).not.toThrow();
    expect(await xss({ "app.js": patched })).toEqual([]);
  });

  it("data in an ordinary quoted attribute is escaped too: the attack stays inside the attribute", async () => {
    const [f] = await xss({
      "app.js": `const app = require("express")();\napp.get("/o/:id", (req, res) => res.send(\`<section data-id="\${req.params.id}">Order</section>\`));\n`,
    });
    expect(f?.fix?.verdict).toBe("proven");
    expect(added(f!.fix!.diff).at(-1)).toBe('app.get("/o/:id", (req, res) => res.send(`<section data-id="${escapeHtml(req.params.id)}">Order</section>`));');
  });

  it("a file that has its own escapeHtml gets it called on the data, and no second helper", async () => {
    const [f] = await xss({
      "app.js": `const app = require("express")();\nconst { escapeHtml } = require("./html");\napp.get("/n", (req, res) => res.send("<p>" + req.query.note + "</p>"));\n`,
      "html.js": `exports.escapeHtml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");\n`,
    });
    expect(f?.fix?.verdict).toBe("proven");
    expect(added(f!.fix!.diff)).toEqual(['app.get("/n", (req, res) => res.send("<p>" + escapeHtml(req.query.note) + "</p>"));']);
  });

  it("React's dangerouslySetInnerHTML gets a reason: render the value as a child", async () => {
    const [f] = await xss({
      "Note.jsx": `export function Note() {\n  const text = new URLSearchParams(location.search).get("note");\n  return <div dangerouslySetInnerHTML={{ __html: text }} />;\n}\n`,
    });
    expect(f?.fix).toBeUndefined();
    expect(f?.fixUnavailable).toMatch(/as a child/);
  });

  it("a TypeScript file's helper is typed", async () => {
    const [f] = await xss({
      "src/index.ts": `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/s", (c) => c.html(\`<h1>Results for \${c.req.query("q")}</h1>\`));\nexport default app;\n`,
    });
    expect(f?.fix?.verdict).toBe("proven");
    expect(added(f!.fix!.diff)[0]).toBe("const escapeHtml = (text: unknown) =>");
  });

  it("data at the start of a link's URL or in an event handler has no mechanical fix: escaping does not stop it", async () => {
    const found = await xss({
      "app.js": `const app = require("express")();\napp.get("/back", (req, res) => res.send('<a href="' + req.query.next + '">Back</a>'));\napp.get("/btn", (req, res) => res.send("<button onclick=\\"go('" + req.query.to + "')\\">Go</button>"));\n`,
    });
    expect(found).toHaveLength(2);
    for (const f of found) {
      expect(f.fix).toBeUndefined();
      expect(f.fixUnavailable).toMatch(/HTML escaping does not make it safe/);
    }
  });

  it("a patch that escapes a link's URL anyway is rejected: javascript: needs no markup", async () => {
    const app = `const app = require("express")();\nconst escapeHtml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");\napp.get("/back", (req, res) => res.send('<a href="' + req.query.next + '">Back</a>'));\n`;
    const [f] = await xss({ "app.js": app });
    const line = app.split("\n")[2]!;
    const from = line.indexOf("req.query.next");
    const fix = await verifyFix(input({ "app.js": app }), f!, {
      description: "escape",
      replacements: [{ startLine: 3, startColumn: from + 1, endLine: 3, endColumn: from + "req.query.next".length + 1, text: "escapeHtml(req.query.next)" }],
    });
    expect(fix?.verdict).toBe("rejected");
  });
});
