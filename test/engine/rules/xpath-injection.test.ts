import rule from "../../../src/engine/rules/xpath-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Variables keep the value out of the expression.
    `const xpath = require("xpath"); app.post("/l", (req, res) => xpath.parse("//u[@name=$n]").select1({ node: doc, variables: { n: req.body.user } }));`,
    `const xpath = require("xpath"); app.get("/o", (req, res) => xpath.select("//order[@id=" + Number(req.query.id) + "]", doc));`,
    `const xpath = require("xpath"); app.get("/o", (req, res) => { if (!/^[a-z0-9]+$/.test(req.query.id)) return; xpath.select("//o[@id='" + req.query.id + "']", doc); });`,
    // math.js and compiled templates have evaluate methods too: only the DOM's five-argument shape is XPath.
    `const math = require("mathjs"); app.get("/m", (req, res) => math.evaluate(req.query.expr));`,
  ],
  invalid: [
    {
      code: `const xpath = require("xpath");
app.post("/login", (req, res) => {
  const node = xpath.select1("//user[@name='" + req.body.user + "']", doc);
});`,
      errors: [{ line: 3, column: 16, message: /req\.body\.user \(request body\) flows into xpath\.select1\(\) as an XPath expression/ }],
    },
    {
      code: `import * as xpath from "xpath";
const select = xpath.useNamespaces({ p: "urn:p" });
export function find(req) { return select(\`//p:item[@sku="\${req.query.sku}"]\`, doc); }
app.get("/i", (req, res) => res.json(find(req)));`,
      errors: [{ line: 3, column: 36 }],
    },
    {
      path: "src/widget.js",
      code: `const q = new URLSearchParams(location.search).get("c");
const r = document.evaluate("//p[@c='" + q + "']", document, null, XPathResult.ANY_TYPE, null);`,
      errors: [{ line: 2, column: 11 }],
    },
  ],
});
