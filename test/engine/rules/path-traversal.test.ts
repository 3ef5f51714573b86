import rule from "../../../src/engine/rules/path-traversal";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.get("/x", (req, res) => res.render("pages/about", { page: req.query.page }));`,
    // Hono's c.render() renders content through the JSX renderer, not a view file.
    { path: "src/app.tsx", code: `import { Hono } from "hono";
const app = new Hono();
app.get("/q", (c) => c.render("<div>" + c.req.query("q") + "</div>"));` },
    `app.set("view engine", "hbs"); app.get("/x", (req, res) => res.render("page", { q: req.query.q, layout: "main" }));`,
    `const fs = require("fs"); const path = require("path"); app.get("/f", (req, res) => fs.readFile(path.join("/data", path.basename(req.query.f)), () => {}));`,
    `app.get("/f", (req, res) => res.sendFile(req.params.name, { root: "/srv/public" }));`,
    `const fs = require("fs"); const path = require("path");
app.get("/f", (req, res) => {
  const p = path.resolve("/data", req.query.f);
  if (!p.startsWith("/data/")) return res.sendStatus(403);
  fs.createReadStream(p).pipe(res);
});`,
    `const fs = require("fs"); app.get("/f", (req, res) => fs.readFileSync("/data/" + Number(req.query.id) + ".json"));`,
    `const fs = require("fs"); fs.readFileSync(process.env.CONFIG_PATH);`,
  ],
  invalid: [
    {
      code: `const fs = require("fs");
app.get("/f", (req, res) => {
  fs.readFile("/data/" + req.query.f, (err, d) => res.send(d));
});`,
      errors: [{ line: 3, column: 3, message: /req\.query\.f \(query string\) flows into fs\.readFile\(\) as a file path/ }],
    },
    {
      code: `import { promises as fsp } from "node:fs";
import path from "node:path";
app.get("/f/:n", async (req, res) => res.send(await fsp.readFile(path.join(__dirname, "files", req.params.n))));`,
      errors: [{ line: 3, column: 53 }],
    },
    {
      code: `app.get("/f/:n", (req, res) => res.sendFile(__dirname + "/public/" + req.params.n));`,
      errors: [{ line: 1, column: 32 }],
    },
    {
      code: `const fs = require("fs");
const path = require("path");
app.get("/f", (req, res) => {
  const p = "/data/" + req.query.f;
  if (!p.startsWith("/data/")) return;
  fs.unlinkSync(p);
});`,
      errors: [{ line: 6, column: 3 }],
    },
    {
      code: `app.get("/x", (req, res) => res.render("pages/" + req.query.page));`,
      errors: [{ line: 1, column: 29, message: /as the name of the view template to render/ }],
    },
    {
      code: `app.set("view engine", "hbs");
app.get("/x", (req, res) => res.render("page", req.query));`,
      errors: [{ line: 2, column: 29, message: /their `layout` names the template file/ }],
    },
  ],
});
