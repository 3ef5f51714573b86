import rule from "../../../src/engine/rules/code-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const ejs = require("ejs"); app.post("/x", (req, res) => res.send(ejs.render("<p><%= name %></p>", { name: req.body.name })));`,
    `app.set("view engine", "ejs"); app.post("/x", (req, res) => res.render("page", { note: req.body.note }));`,
    `const _ = require("lodash"); const t = _.template("<b><%- x %></b>"); app.post("/x", (req, res) => res.send(t({ x: req.body.x })));`,
    `eval("1 + 1");`,
    `app.post("/x", (req, res) => JSON.parse(req.body.data));`,
    `app.post("/x", (req, res) => setTimeout(() => run(req.body.job), 10));`,
    `app.post("/x", (req, res) => new Function("a", "b", "return a + b"));`,
    `const vm = require("vm"); vm.runInNewContext("x + 1", { x: 1 });`,
  ],
  invalid: [
    {
      code: `app.post("/calc", (req, res) => {
  const result = eval(req.body.expression);
});`,
      errors: [{ line: 2, column: 18, message: /req\.body\.expression \(request body\) flows into eval\(\) as JavaScript code/ }],
    },
    {
      code: `app.post("/calc", (req, res) => new Function("return " + req.body.expr)());`,
      errors: [{ line: 1, column: 33 }],
    },
    {
      code: `const vm = require("node:vm");
app.post("/x", (req, res) => vm.runInThisContext(req.body.code));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      path: "src/page.js",
      code: `const p = new URLSearchParams(location.search);
setTimeout("go('" + p.get("step") + "')", 0);`,
      errors: [{ line: 2, column: 1 }],
    },
    {
      code: `const pug = require("pug");
app.post("/x", (req, res) => res.send(pug.render(req.body.tpl, {})));`,
      errors: [{ line: 2, column: 39, message: /req\.body\.tpl \(request body\) flows into pug\.render\(\) as template source/ }],
    },
    {
      code: `const nunjucks = require("nunjucks");
app.post("/x", (req, res) => {
  const src = "<h1>Hi " + req.query.name + "</h1>";
  res.send(nunjucks.renderString(src, {}));
});`,
      errors: [{ line: 4, column: 12 }],
    },
    {
      code: `app.set("view engine", "ejs");
app.post("/x", (req, res) => res.render("page", { ...req.body }));`,
      errors: [{ line: 2, column: 30, message: /as the render options: ejs reads `settings`/ }],
    },
  ],
});
