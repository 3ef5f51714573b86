/**
 * The template-engines family end to end through scan(): a render call reports request data its
 * view writes unescaped at the view's line, with the render call in the flow and an HTML proof
 * over the view's own markup; escaped output is the safe twin unless the project switches
 * escaping off; the view is found the way the framework finds it.
 */
import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../../../src/engine/index";

async function run(files: Record<string, string>): Promise<Finding[]> {
  const result = await scan({ files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  expect(result.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
  return result.findings;
}

const where = (findings: Finding[], ruleId = "xss") => findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.location.path}:${f.location.startLine}`);

const ROUTE = `const express = require("express");
const app = express();
app.get("/orders/:id", (req, res) => {
  const note = req.query.note;
  res.render("show", { note, id: Number(req.params.id) });
});
`;

describe("a view that writes request data unescaped", () => {
  it("is reported at the view's line, with the route and the render call in the flow and an HTML proof", async () => {
    const findings = await run({ "app.js": ROUTE, "views/show.ejs": `<h1>Order <%= id %></h1>\n<div class="note"><%- note %></div>\n` });
    const f = findings.find((x) => x.ruleId === "xss")!;
    expect(f.location).toMatchObject({ path: "views/show.ejs", startLine: 2, startColumn: 19 });
    expect(f.flow.map((s) => `${s.location.path}:${s.location.startLine}`)).toEqual(["app.js:4", "app.js:4", "app.js:5", "views/show.ejs:2"]);
    expect(f.flow[2]!.message).toMatch(/passed to res\.render\(\) as the local "note" of views\/show\.ejs/);
    expect(f.proof).toMatchObject({ kind: "html", verdict: "proven" });
    // The proof renders the view's own markup around the output.
    expect(f.proof!.benign.rendered).toContain('<div class="note">');
  });

  it.each([
    ["ejs", "views/show.ejs", `<p><%= note %></p>\n<p><%- note %></p>\n<p><%- id %></p>\n<%- include("footer") %>\n`, [2]],
    ["pug", "views/show.pug", `p= note\np #{note}\np!= note\np Note: !{note}\np!= id\n`, [3, 4]],
    ["handlebars", "views/show.hbs", `<p>{{note}}</p>\n<p>{{{note}}}</p>\n<p>{{& note}}</p>\n{{!-- {{{note}}} --}}\n{{#if note}}{{> badge}}{{/if}}\n`, [2, 3]],
    ["mustache", "views/show.mustache", `<p>{{note}}</p>\n<p>{{{note}}}</p>\n`, [2]],
    [
      "nunjucks",
      "views/show.njk",
      `<p>{{ note }}</p>\n<p>{{ note | safe }}</p>\n<p>{{ note | escape }}</p>\n{% autoescape false %}\n<p>{{ note }}</p>\n{% endautoescape %}\n<p>{{ note }}</p>\n`,
      [2, 5],
    ],
    ["html (nunjucks or handlebars)", "views/show.html", `<p>{{ note }}</p>\n<p>{{{ note }}}</p>\n<p>{{ note|safe }}</p>\n`, [2, 3]],
  ])("%s: unescaped outputs are findings, escaped ones are not", async (_engine, view, text, lines) => {
    const findings = await run({ "app.js": ROUTE, [view]: text });
    expect(where(findings)).toEqual(lines.map((l) => `${view}:${l}`));
  });

  it("reports a local written as JSON into a script, and proves the script can be closed", async () => {
    const findings = await run({ "app.js": ROUTE, "views/show.ejs": `<script>\nwindow.note = <%- JSON.stringify(note) %>;\n</script>\n` });
    const f = findings.find((x) => x.ruleId === "xss")!;
    expect(f.location).toMatchObject({ path: "views/show.ejs", startLine: 2 });
    expect(f.proof?.verdict).toBe("proven");
    expect(f.proof!.benign.rendered).toContain("<script>");
  });

  it("reads locals the handler stored in res.locals, and nested paths of the locals object", async () => {
    const findings = await run({
      "app.js": `const express = require("express");
const app = express();
app.get("/a", (req, res) => {
  res.locals.coupon = req.query.coupon;
  res.render("a");
});
app.get("/b", (req, res) => res.render("b", { order: { memo: req.body.memo, total: 10 } }));
`,
      "views/a.ejs": `<p><%- coupon %></p>\n`,
      "views/b.ejs": `<p><%- order.total %></p>\n<p><%- order.memo %></p>\n`,
    });
    expect(where(findings)).toEqual(["views/a.ejs:1", "views/b.ejs:2"]);
  });

  it("reads Koa ctx.state and Fastify reply.locals", async () => {
    const findings = await run({
      "app.js": `const Router = require("@koa/router");
const router = new Router();
router.get("/k", async (ctx) => {
  ctx.state.banner = ctx.query.banner;
  await ctx.render("k");
});
fastify.get("/f", async (request, reply) => {
  reply.locals = reply.locals || {};
  reply.locals.banner = request.query.banner;
  return reply.view("f.ejs");
});
`,
      "views/k.ejs": `<p><%- banner %></p>\n`,
      "views/f.ejs": `<p><%- banner %></p>\n`,
    });
    expect(where(findings)).toEqual(["views/f.ejs:1", "views/k.ejs:1"]);
  });

  it.each([
    [
      "an ejs include, relative to the view",
      "views/orders/show.ejs",
      `<%- include("../partials/note") %>\n`,
      "views/partials/note.ejs",
      `<p><%- note %></p>\n`,
    ],
    ["a Handlebars partial, by name", "views/show.hbs", `{{> note}}\n`, "views/partials/note.hbs", `<p>{{{note}}}</p>\n`],
    ["a nunjucks layout it extends", "views/show.njk", `{% extends "layout.njk" %}\n`, "views/layout.njk", `<p>{{ note | safe }}</p>\n`],
    ["a pug include", "views/show.pug", `include partials/note\n`, "views/partials/note.pug", `p!= note\n`],
  ])("follows %s to the output that writes the local", async (_name, view, text, partial, partialText) => {
    const route = ROUTE.replace('res.render("show"', `res.render("${view.slice(6, view.lastIndexOf("."))}"`);
    const findings = await run({ "app.js": route, [view]: text, [partial]: partialText });
    expect(where(findings)).toEqual([`${partial}:1`]);
  });

  it("is the safe twin when the data was escaped, is a number, or is not the request's", async () => {
    const findings = await run({
      "app.js": `const express = require("express");
const escapeHtml = require("escape-html");
const app = express();
app.get("/", (req, res) => res.render("page", { a: escapeHtml(req.query.a), b: Number(req.query.b), c: "fixed" }));
`,
      "views/page.ejs": `<%- a %><%- b %><%- c %>\n`,
    });
    expect(where(findings)).toEqual([]);
  });
});

describe("escaping switched off", () => {
  it.each([
    ["nunjucks autoescape: false", `require("nunjucks").configure("views", { autoescape: false });`, "views/show.njk", `<p>{{ note }}</p>\n`],
    ["swig setDefaults", `require("swig").setDefaults({ autoescape: false });`, "views/show.swig", `<p>{{ note }}</p>\n`],
    [
      "Handlebars noEscape",
      `const hbs = require("express-handlebars");\nhbs.create({ compilerOptions: { noEscape: true } });`,
      "views/show.hbs",
      `<p>{{note}}</p>\n`,
    ],
    [
      "an identity ejs escape function",
      `const ejs = require("ejs");\napp.engine("ejs", (file, data, cb) => ejs.renderFile(file, data, { escape: (s) => s }, cb));`,
      "views/show.ejs",
      `<p><%= note %></p>\n`,
    ],
  ])("%s: escaped output of request data is reported in the view and at the setting (in a module of the app)", async (_name, setting, view, text) => {
    const findings = await run({ "app.js": `require("./config");\n` + ROUTE, "config.js": setting + "\n", [view]: text });
    expect(where(findings).sort()).toEqual([`${view}:1`, `config.js:${setting.includes("\n") ? 2 : 1}`].sort());
    expect(findings.find((f) => f.location.path === view)!.message).toMatch(/because config\.js:\d+ switches .* escaping off/);
  });

  it("is not switched off for the views by one template compiled without escaping (a plain-text e-mail)", async () => {
    const findings = await run({
      "app.js": `require("./mailer");\n` + ROUTE,
      "mailer.js": `const Handlebars = require("handlebars");\nconst text = Handlebars.compile("Dear {{name}},", { noEscape: true });\nmodule.exports = text;\n`,
      "views/show.hbs": `<p>{{note}}</p>\n`,
    });
    expect(where(findings)).toEqual([]);
  });

  it("is not switched off by another library's identity escape option (i18next)", async () => {
    const findings = await run({
      "app.js": `require("./i18n");\n` + ROUTE,
      "i18n.js": `const i18next = require("i18next");\ni18next.init({ interpolation: { escape: (s) => s } });\n`,
      "views/show.ejs": `<p><%= note %></p>\n`,
    });
    expect(where(findings)).toEqual([]);
  });

  it("is not reported when no request data reaches a template of that engine", async () => {
    const findings = await run({
      "app.js": `require("./config");\n` + ROUTE,
      "config.js": `require("nunjucks").configure("views", { autoescape: false });\n`,
      "views/show.ejs": `<p><%= note %></p>\n`,
    });
    expect(where(findings)).toEqual([]);
  });
});

describe("finding the view", () => {
  it("prefers the folder the app configures, and the configured view engine's extension", async () => {
    const findings = await run({
      "src/app.js": `const path = require("path");
const express = require("express");
const app = express();
app.set("views", path.join(__dirname, "..", "templates"));
app.set("view engine", "hbs");
app.get("/", (req, res) => res.render("orders/show", { note: req.query.note }));
`,
      "templates/orders/show.hbs": `{{{note}}}\n`,
      "templates/orders/show.ejs": `<%- note %>\n`,
      "emails/orders/show.hbs": `{{{note}}}\n`,
    });
    expect(where(findings)).toEqual(["templates/orders/show.hbs:1"]);
  });

  it("reports nothing when the view is not among the submitted files", async () => {
    expect(where(await run({ "app.js": ROUTE }))).toEqual([]);
  });
});

describe("template files stay text for the other detectors", () => {
  it("still finds a card number in a view", async () => {
    const findings = await run({ "app.js": ROUTE, "views/show.ejs": `<p>Test card: 4111 1111 1111 1111</p>\n<p><%- note %></p>\n` });
    expect(findings.map((f) => `${f.ruleId}@${f.location.path}:${f.location.startLine}`)).toEqual(
      expect.arrayContaining(["card-number-in-source@views/show.ejs:1", "xss@views/show.ejs:2"]),
    );
  });
});

describe("hostile views", () => {
  it("reads unclosed and repeated openers without findings", async () => {
    const text = "{{{".repeat(20_000) + "\n" + "<%-".repeat(20_000) + "\n" + "{%".repeat(20_000) + "\n";
    const pug = "p #{".repeat(20_000) + "\n" + "!{note".repeat(20_000) + "\n";
    const findings = await run({
      "app.js": ROUTE + `app.get("/p", (req, res) => res.render("p", { note: req.query.note }));\n`,
      "views/show.html": text,
      "views/p.pug": pug,
    });
    expect(where(findings)).toEqual([]);
  });
});
