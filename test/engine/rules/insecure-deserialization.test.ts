import rule from "../../../src/engine/rules/insecure-deserialization";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const yaml = require("js-yaml"); app.post("/x", (req, res) => yaml.load(req.body));`,
    `const yaml = require("js-yaml"); app.post("/x", (req, res) => yaml.safeLoad(req.body));`,
    `const s = require("node-serialize"); s.unserialize(fs.readFileSync("state.txt", "utf8"));`,
    `app.post("/x", (req, res) => JSON.parse(req.body));`,
  ],
  invalid: [
    {
      code: `const s = require("node-serialize");
app.post("/x", (req, res) => {
  s.unserialize(req.cookies.profile);
});`,
      errors: [{ line: 3, column: 3, message: /req\.cookies\.profile \(cookies\) flows into s\.unserialize\(\) to a deserializer that can run code/ }],
    },
    {
      code: `const yaml = require("js-yaml");
app.post("/x", (req, res) => yaml.load(req.body, { schema: yaml.DEFAULT_FULL_SCHEMA }));`,
      errors: [{ line: 2, column: 30 }],
    },
  ],
});
