import rule from "../../../src/engine/rules/redos";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // A vulnerable pattern on the server's own text.
    `const re = /^(a+)+$/; app.get("/x", (req, res) => res.json(re.test("aaaa")));`,
    // A linear pattern on request data.
    `app.get("/x", (req, res) => res.json(/^[a-z0-9._-]+@[a-z0-9-]+\\.[a-z]{2,}$/.test(req.query.email)));`,
    // Nothing after the loop: the first attempt matches, so no input makes it backtrack.
    `app.get("/x", (req, res) => res.json(req.query.q.match(/(a+)+/)));`,
    // Replacing with a literal string is no pattern.
    `app.get("/x", (req, res) => res.send(req.query.q.replace("((a+)+)", "")));`,
    // Quadratic on a header-bounded source (16 kB): a slow request, not an outage.
    `app.get("/x", (req, res) => res.json(String(req.query.tags).split(/\\s*,\\s*/)));`,
    // A schema whose pattern is linear.
    `const yup = require("yup"); const s = yup.object({ ref: yup.string().matches(/^[A-Z]{3}-\\d{6}$/) }); app.post("/x", async (req, res) => res.json(await s.validate(req.body)));`,
    // A number cannot carry a pump.
    `app.get("/x", (req, res) => res.json(/^(\\d+)*$/.test(Number(req.query.n))));`,
  ],
  invalid: [
    {
      code: `app.post("/signup", (req, res) => {
  const ok = /^([a-zA-Z]+\\s?)*$/.test(req.body.name);
});`,
      errors: [{ line: 2, column: 14, confidence: "high", message: /req\.body\.name \(request body\) flows into .*\.test\(\) as the input of .*exponential/ }],
    },
    {
      code: `app.post("/x", (req, res) => {
  const tags = String(req.body.tags).split(/\\s*,\\s*/);
});`,
      errors: [{ line: 2, column: 16, confidence: "medium", message: /polynomial, degree 2/ }],
    },
    {
      code: `const PATTERN = "^(\\\\w|\\\\d)+$";
const re = new RegExp(PATTERN, "i");
app.get("/x", (req, res) => res.json(re.exec(req.query.code)));`,
      errors: [{ line: 3, column: 38 }],
    },
    {
      code: `const validator = require("validator");
app.post("/x", (req, res) => res.json(validator.matches(req.body.company, /^(\\w+\\s?)+$/)));`,
      errors: [{ line: 2, column: 39 }],
    },
    {
      code: `const yup = require("yup");
const s = yup.object({ ref: yup.string().required().matches(/^([A-Z]+-?)+$/) });
app.post("/x", async (req, res) => res.json(await s.validate(req.body)));`,
      errors: [{ line: 3, column: 51, message: /req\.body.* flows into s\.validate\(\) as the input of .*exponential/ }],
    },
    {
      code: `app.post("/x", (req, res) => {
  const cleaned = req.body.note.replace(/\\s+$/g, "").match("(x|x)*y");
});`,
      errors: [
        { line: 2, column: 19, message: /polynomial/ },
        { line: 2, column: 19, message: /exponential/ },
      ],
    },
  ],
});
