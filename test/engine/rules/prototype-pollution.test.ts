import rule from "../../../src/engine/rules/prototype-pollution";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.post("/x", (req, res) => { const o = {}; o[req.body.k] = req.body.v; });`,
    `app.post("/x", (req, res) => { const m = new Map(); m.set(req.body.k, req.body.v); });`,
    `function merge(t, s) { for (const k in s) { if (k === "__proto__") continue; if (typeof s[k] === "object") merge(t[k], s[k]); else t[k] = s[k]; } }
app.post("/x", (req, res) => merge({}, req.body));`,
    `app.post("/x", (req, res) => { const o = { a: {} }; o.a[req.body.k] = 1; });`,
    `app.post("/x", (req, res) => { const store = Object.create(null); store[req.body.a][req.body.b] = req.body.c; });`,
  ],
  invalid: [
    {
      code: `app.post("/x", (req, res) => {
  const store = {};
  store[req.body.a][req.body.b] = req.body.c;
});`,
      errors: [{ line: 3, column: 3, message: /req\.body\.a \(request body\) flows into store\[req\.body\.a\]\[req\.body\.b\]/ }],
    },
    {
      code: `function merge(t, s) {
  for (const k in s) {
    if (typeof s[k] === "object") merge(t[k], s[k]);
    else t[k] = s[k];
  }
}
app.post("/x", (req, res) => merge({}, req.body));`,
      errors: [{ line: 7, column: 30 }],
    },
    {
      code: `const _ = require("lodash");
app.post("/x", (req, res) => _.merge({}, req.body));`,
      errors: [{ line: 2, column: 30, confidence: "low" }],
    },
  ],
});
