import rule from "../../../src/engine/rules/xxe";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const l = require("libxmljs"); app.post("/x", (req, res) => l.parseXml(req.body));`,
    `const l = require("libxmljs"); app.post("/x", (req, res) => l.parseXml(req.body, { noent: false }));`,
    `const l = require("libxmljs"); l.parseXml(fs.readFileSync("feed.xml", "utf8"), { noent: true });`,
  ],
  invalid: [
    {
      code: `const libxmljs = require("libxmljs");
app.post("/x", (req, res) => {
  const doc = libxmljs.parseXmlString(req.body, { noent: true });
});`,
      errors: [{ line: 3, column: 15, message: /req\.body \(request body\) flows into libxmljs\.parseXmlString\(\) to an XML parser that expands external entities/ }],
    },
  ],
});
