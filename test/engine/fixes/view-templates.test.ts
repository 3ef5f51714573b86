/**
 * XSS fixes in view templates: the unescaped output tag a finding points at becomes the
 * engine's escaping one, proven by re-attacking the view's markup with the payloads escaped;
 * a value where escaping is not enough (a link's URL) gets a reason.
 */
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../../src/engine/index";

type Files = Record<string, string>;

async function viewFindings(files: Files): Promise<Finding[]> {
  const result = await scan({ files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  return result.findings.filter((f) => f.ruleId === "xss" && !/\.(?:js|ts)$/.test(f.location.path));
}

const changed = (diff: string) => diff.split("\n").filter((l) => /^[-+](?![-+])/.test(l));

const EXPRESS = (engine: string, view: string) =>
  `const express = require("express");\nconst app = express();\napp.set("view engine", "${engine}");\napp.get("/n", (req, res) => res.render("${view}", { note: req.query.note }));\n`;

describe("view template fixes", () => {
  it.each([
    ["ejs", "note", "views/note.ejs", "<p><%- note %></p>\n", ["-<p><%- note %></p>", "+<p><%= note %></p>"]],
    ["hbs", "note", "views/note.hbs", "<p>{{{note}}}</p>\n", ["-<p>{{{note}}}</p>", "+<p>{{note}}</p>"]],
    ["pug", "note", "views/note.pug", "div\n  p!= note\n", ["-  p!= note", "+  p= note"]],
  ])("%s: the raw output becomes the escaping one, proven on the view's markup", async (engine, view, path, template, lines) => {
    const [f] = await viewFindings({ "app.js": EXPRESS(engine, view), [path]: template });
    expect(f?.fix?.verdict).toBe("proven");
    expect(changed(f!.fix!.diff)).toEqual(lines);
    expect(f?.fix?.check?.attack.structure).toBe(f?.fix?.check?.benign.structure);
  });

  it("nunjucks with autoescaping off: the output gets the escape filter", async () => {
    const [f] = await viewFindings({
      "app.js": `const Koa = require("koa");\nconst views = require("koa-views");\nconst nunjucks = require("nunjucks");\nnunjucks.configure("templates", { autoescape: false });\nconst app = new Koa();\napp.use(views("templates", { extension: "njk", map: { njk: "nunjucks" } }));\napp.use(async (ctx) => ctx.render("notice", { message: ctx.query.message }));\n`,
      "templates/notice.njk": "<p>{{ message }}</p>\n",
    });
    expect(f?.fix?.verdict).toBe("proven");
    expect(changed(f!.fix!.diff)).toEqual(["-<p>{{ message }}</p>", "+<p>{{ message | escape }}</p>"]);
  });

  it("a link's URL from the request gets a reason: escaping does not stop javascript: URLs", async () => {
    const [f] = await viewFindings({ "app.js": EXPRESS("ejs", "back"), "views/back.ejs": `<a href="<%- note %>">Back</a>\n` });
    expect(f?.fix).toBeUndefined();
    expect(f?.fixUnavailable).toMatch(/URL attribute.*does not make it safe/);
  });
});
