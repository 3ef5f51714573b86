import rule from "../../../src/engine/rules/xxe";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const l = require("libxmljs"); app.post("/x", (req, res) => l.parseXml(req.body));`,
    `const l = require("libxmljs"); app.post("/x", (req, res) => l.parseXml(req.body, { noent: false }));`,
    `const l = require("libxmljs"); l.parseXml(fs.readFileSync("feed.xml", "utf8"), { noent: true });`,
    // The JavaScript parsers cannot read external entities, whatever their options.
    `const { XMLParser } = require("fast-xml-parser"); app.post("/x", (req, res) => new XMLParser({ processEntities: true }).parse(req.body));`,
    `const { DOMParser } = require("@xmldom/xmldom"); app.post("/x", (req, res) => new DOMParser().parseFromString(req.body, "text/xml"));`,
    `const { XmlDocument } = require("libxml2-wasm"); app.post("/x", (req, res) => XmlDocument.fromString(req.body));`,
    `const { spawnSync } = require("child_process"); app.post("/x", (req, res) => spawnSync("xmllint", ["--noout", "-"], { input: req.body }));`,
  ],
  invalid: [
    {
      code: `const libxmljs = require("libxmljs");
app.post("/x", (req, res) => {
  const doc = libxmljs.parseXmlString(req.body, { noent: true });
});`,
      errors: [
        { line: 3, column: 15, message: /req\.body \(request body\) flows into libxmljs\.parseXmlString\(\) to an XML parser that expands external entities/ },
      ],
    },
    {
      code: `const libxmljs = require("libxmljs2");
app.post("/x", (req, res) => libxmljs.parseXml(req.body, { dtdvalid: true }));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      code: `import { XmlDocument, ParseOption } from "libxml2-wasm";
app.post("/x", (req, res) => XmlDocument.fromString(req.body, { option: ParseOption.XML_PARSE_NOENT }));`,
      errors: [{ line: 2, column: 30, confidence: "medium" }],
    },
    {
      code: `const { spawnSync } = require("node:child_process");
app.post("/x", (req, res) => spawnSync("xmllint", ["--noent", "-"], { input: req.body }));`,
      errors: [{ line: 2, column: 30, message: /to xmllint/ }],
    },
  ],
});
