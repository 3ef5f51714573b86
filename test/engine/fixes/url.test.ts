import { describe, expect, it } from "vitest";
import { addedLines, findingsOf, onlyFinding, patched, type ProjectFiles } from "./helpers";

const RULE = "open-redirect";

/** A sign-in service the routes call before redirecting. */
const AUTH_SERVICE = [
  `const sessions = new Map();`,
  `exports.signIn = (user, password) => (password === "open sesame" ? sessions.set(user, Date.now()) && user : null);`,
  ``,
].join("\n");

describe("open redirect fixes", () => {
  it("redirects to the request's target only when it is a path on the site", async () => {
    const files: ProjectFiles = {
      "services/auth.js": AUTH_SERVICE,
      "routes/session.js": [
        `const express = require("express");`,
        `const auth = require("../services/auth");`,
        `const router = express.Router();`,
        `router.post("/login", (req, res) => {`,
        `  const next = req.query.next;`,
        `  if (!auth.signIn(req.body.user, req.body.password)) return res.status(401).end();`,
        `  res.redirect(next);`,
        `});`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([String.raw`  res.redirect(/^\/(?![/\\\t\n\r])/.test(next) ? next : "/");`]);
    expect(finding.fix!.check?.benign.rendered).toBe("/item42");
    expect(finding.fix!.check?.attack.rendered).toBe("/");
    expect(finding.fix!.check?.attack.structure).toBe("https: URL, host app.example");
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("checks a Location header set from the query string the same way", async () => {
    const files: ProjectFiles = {
      "services/auth.js": AUTH_SERVICE,
      "routes/logout.js": [
        `const http = require("http");`,
        `http.createServer((req, res) => {`,
        `  const back = new URL(req.url, "http://localhost").searchParams.get("back");`,
        `  res.statusCode = 302;`,
        `  res.setHeader("Location", back);`,
        `  res.end();`,
        `}).listen(8080);`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([String.raw`  res.setHeader("Location", /^\/(?![/\\\t\n\r])/.test(back) ? back : "/");`]);
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("checks a Location given in writeHead's headers object", async () => {
    const files: ProjectFiles = {
      "services/auth.js": AUTH_SERVICE,
      "routes/sso.js": [
        `const auth = require("../services/auth");`,
        `exports.callback = (req, res) => {`,
        `  auth.signIn(req.body.user, req.body.password);`,
        `  res.writeHead(303, { Location: req.body.returnTo, "Cache-Control": "no-store" });`,
        `  res.end();`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([
      String.raw`  res.writeHead(303, { Location: /^\/(?![/\\\t\n\r])/.test(req.body.returnTo) ? req.body.returnTo : "/", "Cache-Control": "no-store" });`,
    ]);
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("offers no fix when the data is the host inside a URL the code builds", async () => {
    const files: ProjectFiles = {
      "services/auth.js": AUTH_SERVICE,
      "routes/region.js": [
        `const express = require("express");`,
        `const router = express.Router();`,
        `router.get("/region", (req, res) => res.redirect("https://" + req.query.region + "/welcome"));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.proof?.verdict).toBe("proven");
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/builds the target around the data/);
  });

  it("offers no local-path fix for a request to the URL (SSRF), where a relative URL would break the call", async () => {
    const files: ProjectFiles = {
      "routes/preview.js": [
        `const express = require("express");`,
        `const { preview } = require("../services/preview");`,
        `const router = express.Router();`,
        `router.get("/preview", async (req, res) => res.send(await preview(req.query.url)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/preview.js": [`exports.preview = async (url) => (await fetch(url)).text();`, ``].join("\n"),
    };
    const finding = await onlyFinding(files, "ssrf");
    expect(finding.proof?.verdict).toBe("proven");
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/not the target of a redirect: a URL the server requests \(SSRF\) needs an allowlist of hosts/);
  });
});
