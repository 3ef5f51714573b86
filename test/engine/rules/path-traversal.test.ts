import rule from "../../../src/engine/rules/path-traversal";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Zip slip, safe: the target is resolved and checked against the destination.
    `const AdmZip = require("adm-zip"); const fs = require("fs"); const path = require("path");
app.post("/z", (req, res) => {
  const dest = path.resolve("/srv/themes");
  for (const e of new AdmZip(req.file.buffer).getEntries()) {
    const target = path.resolve(dest, e.entryName);
    if (!target.startsWith(dest + path.sep)) return res.sendStatus(400);
    fs.writeFileSync(target, e.getData());
  }
});`,
    // An archive shipped with the server, and adm-zip's own extraction (which confines entries since 0.4.11).
    `const AdmZip = require("adm-zip"); const fs = require("fs"); const path = require("path");
app.post("/z", (req, res) => {
  for (const e of new AdmZip(path.join(__dirname, "default.zip")).getEntries()) fs.writeFileSync(path.join("/srv/themes", e.entryName), e.getData());
  new AdmZip(req.file.buffer).extractAllTo("/srv/themes", true);
});`,
    // tar confines entries unless preservePaths is set.
    `const tar = require("tar"); app.post("/t", (req, res) => req.pipe(tar.x({ cwd: "/srv/in" })));`,
    // The stored copy's name and path are the parser's.
    `const formidable = require("formidable"); const fs = require("fs");
app.post("/u", (req, res) => formidable({}).parse(req, (err, fields, files) => fs.renameSync(files.doc[0].filepath, "/srv/docs/" + files.doc[0].newFilename)));`,
    // Hex and base64url text have no "/" and no ".".
    `const fs = require("fs");
app.get("/c", (req, res) => res.send(fs.readFileSync("/srv/cache/" + Buffer.from(req.query.k).toString("hex"))));
app.get("/d", (req, res) => res.send(fs.readFileSync("/srv/cache/" + Buffer.from(req.query.k).toString("base64url") + ".csv")));`,
    `app.get("/x", (req, res) => res.render("pages/about", { page: req.query.page }));`,
    // Hono's c.render() renders content through the JSX renderer, not a view file.
    {
      path: "src/app.tsx",
      code: `import { Hono } from "hono";
const app = new Hono();
app.get("/q", (c) => c.render("<div>" + c.req.query("q") + "</div>"));`,
    },
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
      code: `const AdmZip = require("adm-zip"); const fs = require("fs"); const path = require("path");
app.post("/z", (req, res) => {
  new AdmZip(req.file.buffer).getEntries().forEach((e) => fs.writeFileSync(path.join("/srv/themes", e.entryName), e.getData()));
});`,
      errors: [{ line: 3, column: 59, confidence: "high", message: /archive entry name/ }],
    },
    {
      // An archive from a path the code does not show (here multer's stored upload): presumed external, medium.
      code: `const AdmZip = require("adm-zip"); const fs = require("fs");
app.post("/z", (req, res) => {
  for (const e of new AdmZip(req.file.path).getEntries()) fs.writeFileSync("/srv/themes/" + e.entryName, e.getData());
});`,
      errors: [{ line: 3, column: 59, confidence: "medium" }],
    },
    {
      code: `const unzipper = require("unzipper"); const fs = require("fs");
app.post("/u", (req, res) => {
  req.pipe(unzipper.Parse()).on("entry", (entry) => entry.pipe(fs.createWriteStream("/srv/in/" + entry.path)));
});`,
      errors: [{ line: 3, column: 64 }],
    },
    {
      code: `const tar = require("tar");
app.post("/t", (req, res) => req.pipe(tar.x({ cwd: "/srv/in", preservePaths: true })));`,
      errors: [{ line: 2, column: 39, message: /preservePaths/ }],
    },
    {
      code: `const multer = require("multer"); const fs = require("fs");
app.post("/k", multer().single("doc"), (req, res) => {
  fs.writeFileSync("/srv/kyc/" + req.file.originalname, req.file.buffer);
});`,
      errors: [{ line: 3, column: 3, message: /req\.file\.originalname \(uploaded file\)/ }],
    },
    {
      code: `const busboy = require("busboy"); const fs = require("fs");
app.post("/r", (req, res) => {
  const bb = busboy({ headers: req.headers });
  bb.on("file", (name, stream, info) => stream.pipe(fs.createWriteStream("/srv/r/" + info.filename)));
  req.pipe(bb);
});`,
      errors: [{ line: 4, column: 53 }],
    },
    {
      code: `app.post("/s", fileUpload(), (req, res) => {
  req.files.statement.mv("/srv/statements/" + req.files.statement.name);
});`,
      errors: [{ line: 2, column: 3, message: /as the path an upload is moved to/ }],
    },
    {
      // Decoding gives back whatever the client encoded.
      code: `const fs = require("fs");
app.get("/r/:k", (req, res) => res.send(fs.readFileSync("/srv/cache/" + Buffer.from(req.params.k, "base64").toString())));`,
      errors: [{ line: 2, column: 41 }],
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
