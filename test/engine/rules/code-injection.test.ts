import rule from "../../../src/engine/rules/code-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
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
  ],
});
