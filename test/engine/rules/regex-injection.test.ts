import rule from "../../../src/engine/rules/regex-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.get("/x", (req, res) => new RegExp("^abc$"));`,
    `const esc = require("escape-string-regexp"); app.get("/x", (req, res) => new RegExp(esc(req.query.q)));`,
    `app.get("/x", (req, res) => new RegExp(req.query.q.replace(/[.*+?^\${}()|[\\]\\\\]/g, "\\\\$&")));`,
    `app.get("/x", (req, res) => "abc".includes(req.query.q));`,
  ],
  invalid: [
    {
      code: `app.get("/x", (req, res) => {
  const re = new RegExp(req.query.q, "i");
});`,
      errors: [{ line: 2, column: 14, message: /req\.query\.q \(query string\) flows into new RegExp\(\) as a regular expression pattern/ }],
    },
    {
      code: `app.get("/x", (req, res) => names.filter((n) => n.match(req.query.q)));`,
      errors: [{ line: 1, column: 49, confidence: "medium" }],
    },
  ],
});
