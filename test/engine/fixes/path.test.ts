import { describe, expect, it } from "vitest";
import { addedLines, findingsOf, onlyFinding, patched, type ProjectFiles } from "./helpers";

const RULE = "path-traversal";

describe("path traversal fixes", () => {
  it("reduces the name joined to a base directory to a file name with the file's own path module", async () => {
    const files: ProjectFiles = {
      "routes/docs.js": [
        `const express = require("express");`,
        `const docs = require("../services/docs");`,
        `const router = express.Router();`,
        `router.get("/docs/:name", (req, res) => docs.read(req.params.name, (err, text) => res.send(text)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/docs.js": [
        `const fs = require("fs");`,
        `const path = require("path");`,
        `const BASE = "/srv/docs";`,
        ``,
        `exports.read = (name, cb) => {`,
        `  fs.readFile(path.join(BASE, name), "utf8", cb);`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([`  fs.readFile(path.join(BASE, path.basename(name)), "utf8", cb);`]);
    expect(finding.fix!.check?.before.rendered).toBe("/srv/docs/report.pdf");
    expect(finding.fix!.check?.benign.rendered).toBe("/srv/docs/report.pdf");
    expect(finding.fix!.check?.attack.rendered).toBe("/srv/docs/passwd");
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("imports path in a module that has none, in its ES module style, for a concatenated path", async () => {
    const files: ProjectFiles = {
      "routes/receipts.ts": [
        `import { Router } from "express";`,
        `import { receiptPdf } from "../services/receipts";`,
        `export const router = Router();`,
        `router.get("/receipts", (req, res) => res.send(receiptPdf(String(req.query.file))));`,
        ``,
      ].join("\n"),
      "services/receipts.ts": [
        `import { readFileSync } from "node:fs";`,
        ``,
        `export function receiptPdf(file: string): Buffer {`,
        `  return readFileSync("/srv/receipts/" + file);`,
        `}`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    const after = patched(files, finding);
    expect(after["services/receipts.ts"]).toBe(
      [
        `import { readFileSync } from "node:fs";`,
        `import * as path from "node:path";`,
        ``,
        `export function receiptPdf(file: string): Buffer {`,
        `  return readFileSync("/srv/receipts/" + path.basename(file));`,
        `}`,
        ``,
      ].join("\n"),
    );
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("wraps the data where the path is built when the call reads it from a variable, after a computed base directory", async () => {
    const files: ProjectFiles = {
      "routes/avatars.js": [
        `const express = require("express");`,
        `const { avatarFile } = require("../services/avatars");`,
        `const router = express.Router();`,
        `router.get("/avatars/:file", (req, res) => res.sendFile(avatarFile(req.params.file)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/avatars.js": [
        `const fs = require("fs");`,
        `const { join } = require("path");`,
        ``,
        `function avatarFile(file) {`,
        `  const full = join(__dirname, "avatars", file);`,
        `  fs.accessSync(full);`,
        `  return full;`,
        `}`,
        `module.exports = { avatarFile };`,
        ``,
      ].join("\n"),
    };
    const found = await findingsOf(files, RULE);
    const finding = found.find((f) => f.location.path === "services/avatars.js");
    expect(finding?.fix?.verdict).toBe("proven");
    expect(addedLines(finding!.fix!.diff)).toEqual(expect.arrayContaining([`  const full = join(__dirname, "avatars", basename(file));`]));
    const after = patched(files, finding!);
    expect(after["services/avatars.js"]).toBe(
      [
        `const fs = require("fs");`,
        `const { join, basename } = require("path");`,
        ``,
        `function avatarFile(file) {`,
        `  const full = join(__dirname, "avatars", basename(file));`,
        `  fs.accessSync(full);`,
        `  return full;`,
        `}`,
        `module.exports = { avatarFile };`,
        ``,
      ].join("\n"),
    );
    expect((await findingsOf(after, RULE)).filter((f) => f.location.path === "services/avatars.js")).toEqual([]);
  });

  it("fixes the destination of a move, not the server's own upload path before it", async () => {
    const files: ProjectFiles = {
      "routes/evidence.js": [
        `const express = require("express");`,
        `const multer = require("multer");`,
        `const { keepEvidence } = require("../services/evidence");`,
        `const router = express.Router();`,
        `router.post("/chargebacks", multer({ dest: "/tmp/uploads" }).single("document"), (req, res) => {`,
        `  keepEvidence(req.file);`,
        `  res.sendStatus(201);`,
        `});`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/evidence.js": [
        `const fs = require("fs");`,
        `const path = require("path");`,
        `const EVIDENCE = "/srv/evidence";`,
        `exports.keepEvidence = (file) => fs.renameSync(file.path, path.join(EVIDENCE, "chargebacks", file.originalname));`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([
      `exports.keepEvidence = (file) => fs.renameSync(file.path, path.join(EVIDENCE, "chargebacks", path.basename(file.originalname)));`,
    ]);
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("offers no basename fix for a wildcard route's path, whose directories basename would drop", async () => {
    const files: ProjectFiles = {
      "routes/static.js": [
        `const express = require("express");`,
        `const path = require("path");`,
        `const assets = require("../services/assets");`,
        `const router = express.Router();`,
        `router.get("/assets/*", (req, res) => res.sendFile(path.join(assets.ROOT, req.params[0])));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/assets.js": [`exports.ROOT = process.env.ASSET_ROOT || "/srv/assets";`, ``].join("\n"),
    };
    const found = await findingsOf(files, RULE);
    const finding = found.find((f) => f.location.path === "routes/static.js");
    expect(finding?.proof?.verdict).toBe("proven");
    expect(finding?.fix).toBeUndefined();
    expect(finding?.fixUnavailable).toMatch(/`req\.params\[0\]` reads as a path with directories in it/);
  });

  it("offers no fix when the whole path is the request's", async () => {
    const files: ProjectFiles = {
      "routes/export.js": [
        `const express = require("express");`,
        `const { exportFile } = require("../services/export");`,
        `const router = express.Router();`,
        `router.get("/export", (req, res) => res.send(exportFile(req.query.path)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/export.js": [`const fs = require("fs");`, `exports.exportFile = (p) => fs.readFileSync(p, "utf8");`, ``].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.proof?.verdict).toBe("proven");
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/the data as a whole or starts with it, so there is no base directory/);
  });

  it("offers no fix when two parts of the path are computed, since basename on the wrong one would break paths", async () => {
    const files: ProjectFiles = {
      "routes/uploads.js": [
        `const express = require("express");`,
        `const uploads = require("../services/uploads");`,
        `const router = express.Router();`,
        `router.get("/uploads/:user/:file", (req, res) => res.send(uploads.read(req.params.user, req.params.file)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/uploads.js": [
        `const fs = require("fs");`,
        `const path = require("path");`,
        `exports.read = (user, file) => fs.readFileSync(path.join("/srv/uploads", user, file));`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/more than one part of the path is computed/);
  });
});
