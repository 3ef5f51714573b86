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
    // Constant scripts with request data as their data: sandbox variables, Redis KEYS/ARGV, Painless params.
    `const { VM } = require("vm2"); app.post("/x", (req, res) => new VM({ sandbox: { row: req.body } }).run("row.total"));`,
    `const Redis = require("ioredis"); const r = new Redis(); app.post("/x", (req, res) => r.eval("return redis.call('GET', KEYS[1])", 1, req.body.key));`,
    `const { Client } = require("@elastic/elasticsearch"); const es = new Client({}); app.post("/x", (req, res) => es.updateByQuery({ script: { source: "ctx._source.t = params.t", params: { t: req.body.t } } }));`,
    `const { evaluate } = require("mathjs"); app.get("/x", (req, res) => evaluate("a * 2", { a: req.query.a }));`,
    // serialize-javascript escapes strings for eval unless unsafe is set.
    `const serialize = require("serialize-javascript"); app.post("/x", (req, res) => eval("(" + serialize(req.body) + ")"));`,
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
      code: `const { NodeVM } = require("vm2");
const box = new NodeVM({ require: false });
app.post("/x", (req, res) => box.run(req.body.code, "x.js"));`,
      errors: [{ line: 3, column: 30, message: /flows into box\.run\(\) as JavaScript run in a vm2 sandbox/ }],
    },
    {
      code: `const safeEval = require("safe-eval");
app.get("/x", (req, res) => safeEval(req.query.expr));`,
      errors: [{ line: 2, column: 29 }],
    },
    {
      code: `import { create, all } from "mathjs";
const math = create(all);
app.get("/x", (req, res) => math.evaluate(req.query.formula));`,
      errors: [{ line: 3, column: 29, confidence: "medium", message: /as a math\.js expression/ }],
    },
    {
      code: `const Redis = require("ioredis");
const redis = new Redis();
app.post("/x", async (req, res) => {
  await redis.eval("return redis.call('GET', '" + req.body.key + "')", 0);
  await redis.call("EVAL", req.body.script, 0);
});`,
      errors: [
        { line: 4, column: 9, message: /as a Lua script run on the Redis server/ },
        { line: 5, column: 9 },
      ],
    },
    {
      code: `const { createClient } = require("redis");
const client = createClient();
app.post("/x", (req, res) => client.sendCommand(["EVAL", req.body.script, "0"]));`,
      errors: [{ line: 3, column: 30 }],
    },
    {
      code: `const { Client } = require("@elastic/elasticsearch");
const es = new Client({ node: "http://es:9200" });
app.post("/x", (req, res) => es.search({ query: { script_score: { query: { match_all: {} }, script: { source: req.body.score } } } }));`,
      errors: [{ line: 3, column: 30, message: /as a Painless script/ }],
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
