import { describe, expect, it } from "vitest";
import { verifyFix } from "../../../src/engine/index";
import { addedLines, findingsOf, onlyFinding, patched, type ProjectFiles } from "./helpers";

const RULE = "command-injection";

/** An Express route that hands request data to a service module. */
function route(service: string, call: string): string {
  return [
    `const express = require("express");`,
    `const service = require("../services/${service}");`,
    `const router = express.Router();`,
    `router.post("/run", (req, res) => {`,
    `  ${call}`,
    `});`,
    `module.exports = router;`,
    ``,
  ].join("\n");
}

describe("command injection fixes", () => {
  it("runs a plain command line as execFile with an argument list, and binds execFile in place of exec", async () => {
    const files: ProjectFiles = {
      "routes/images.js": route("images", `service.convert(req.body.file, () => res.send("ok"));`),
      "services/images.js": [
        `const { exec } = require("child_process");`,
        ``,
        `function convert(file, cb) {`,
        `  exec("convert " + file + " out.png", cb);`,
        `}`,
        `module.exports = { convert };`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual(expect.arrayContaining([`  execFile("convert", [file, "out.png"], cb);`]));
    const after = patched(files, finding);
    expect(after["services/images.js"]).toBe(
      [
        `const { execFile } = require("child_process");`,
        ``,
        `function convert(file, cb) {`,
        `  execFile("convert", [file, "out.png"], cb);`,
        `}`,
        `module.exports = { convert };`,
        ``,
      ].join("\n"),
    );
    expect(finding.fix!.check?.benign.rendered).toBe(JSON.stringify(["convert", "report.txt", "out.png"]));
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("adds execFileSync next to an execSync the file still uses, and keeps a template literal's words", async () => {
    const files: ProjectFiles = {
      "routes/files.mjs": [
        `import express from "express";`,
        `import { listDir } from "../services/files.mjs";`,
        `const router = express.Router();`,
        `router.get("/ls", (req, res) => res.send(listDir(req.query.dir)));`,
        `export default router;`,
        ``,
      ].join("\n"),
      "services/files.mjs": [
        `import { execSync } from "node:child_process";`,
        ``,
        `export function listDir(dir) {`,
        `  return execSync(\`ls -l \${dir}\`, { encoding: "utf8" });`,
        `}`,
        ``,
        `export function diskUsage() {`,
        `  return execSync("df -h", { encoding: "utf8" });`,
        `}`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    const after = patched(files, finding);
    expect(after["services/files.mjs"]).toBe(
      [
        `import { execSync, execFileSync } from "node:child_process";`,
        ``,
        `export function listDir(dir) {`,
        `  return execFileSync("ls", ["-l", dir], { encoding: "utf8" });`,
        `}`,
        ``,
        `export function diskUsage() {`,
        `  return execSync("df -h", { encoding: "utf8" });`,
        `}`,
        ``,
      ].join("\n"),
    );
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("keeps a value inside a word with constant text as one concatenated argument, through the module object", async () => {
    const files: ProjectFiles = {
      "routes/git.js": route("git", `service.commitsBy(req.query.author, (err, out) => res.send(out));`),
      "services/git.js": [
        `const cp = require("node:child_process");`,
        ``,
        `exports.commitsBy = function (author, done) {`,
        `  cp.exec("git log --author='" + author + "' --oneline", { cwd: "/srv/repo" }, done);`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([`  cp.execFile("git", ["log", "--author=" + author, "--oneline"], { cwd: "/srv/repo" }, done);`]);
    // The quotes only kept the author one word for the shell: without one, they are not part of it.
    expect(finding.fix!.check?.benign.rendered).toBe(JSON.stringify(["git", "log", "--author=report.txt", "--oneline"]));
    expect(finding.fix!.check?.attack.rendered).toBe(JSON.stringify(["git", "log", `--author=${finding.fix!.check!.payload}`, "--oneline"]));
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("keeps named constants in the program and the arguments as references to them", async () => {
    const files: ProjectFiles = {
      "routes/backups.js": route("backups", `service.backup(req.body.name, (err) => res.sendStatus(err ? 500 : 201));`),
      "services/backups.js": [
        `const { exec } = require("child_process");`,
        `const TAR = "/usr/bin/tar";`,
        `const BACKUP_DIR = "/var/backups/console";`,
        ``,
        `exports.backup = (name, done) => {`,
        `  exec(\`\${TAR} -czf \${BACKUP_DIR}/\${name}.tar.gz /srv/data\`, done);`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual(
      expect.arrayContaining([`  execFile(TAR, ["-czf", BACKUP_DIR + "/" + name + ".tar.gz", "/srv/data"], done);`]),
    );
    expect(finding.fix!.check?.benign.rendered).toBe(JSON.stringify(["/usr/bin/tar", "-czf", "/var/backups/console/report.txt.tar.gz", "/srv/data"]));
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("adds a promisified execFile next to a promisified exec the file still uses elsewhere", async () => {
    const files: ProjectFiles = {
      "routes/deploy.js": route("deploy", `service.checkout(req.body.branch).then(() => res.sendStatus(204));`),
      "services/deploy.js": [
        `const util = require("util");`,
        `const { exec } = require("child_process");`,
        `const execAsync = util.promisify(exec);`,
        ``,
        `exports.checkout = async (branch) => {`,
        `  await execAsync(\`git checkout \${branch}\`, { cwd: "/srv/app" });`,
        `};`,
        `exports.status = () => execAsync("git status --short", { cwd: "/srv/app" });`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    const after = patched(files, finding);
    expect(after["services/deploy.js"]).toBe(
      [
        `const util = require("util");`,
        `const { exec, execFile } = require("child_process");`,
        `const execAsync = util.promisify(exec);`,
        `const execFileAsync = util.promisify(execFile);`,
        ``,
        `exports.checkout = async (branch) => {`,
        `  await execFileAsync("git", ["checkout", branch], { cwd: "/srv/app" });`,
        `};`,
        `exports.status = () => execAsync("git status --short", { cwd: "/srv/app" });`,
        ``,
      ].join("\n"),
    );
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("turns a promisified exec used only at the sink into a promisified execFile", async () => {
    const files: ProjectFiles = {
      "routes/dns.js": route("dns", `service.lookup(req.query.host).then((out) => res.send(out.stdout));`),
      "services/dns.js": [
        `const { promisify } = require("node:util");`,
        `const cp = require("node:child_process");`,
        `const run = promisify(cp.exec);`,
        ``,
        `exports.lookup = (host) => run("dig +short " + host);`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    const after = patched(files, finding);
    expect(after["services/dns.js"]).toBe(
      [
        `const { promisify } = require("node:util");`,
        `const cp = require("node:child_process");`,
        `const runFile = promisify(cp.execFile);`,
        ``,
        `exports.lookup = (host) => runFile("dig", ["+short", host]);`,
        ``,
      ].join("\n"),
    );
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("moves a command built in the statement before the call into the call", async () => {
    const files: ProjectFiles = {
      "routes/logs.js": route("archive", `service.compress(req.body.name, () => res.sendStatus(204));`),
      "services/archive.js": [
        `const { exec } = require("child_process");`,
        ``,
        `exports.compress = (name, cb) => {`,
        `  const log = "/var/log/app/" + name;`,
        `  const cmd = \`gzip -k \${log}\`;`,
        `  exec(cmd, cb);`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    const after = patched(files, finding);
    expect(after["services/archive.js"]).toBe(
      [
        `const { execFile } = require("child_process");`,
        ``,
        `exports.compress = (name, cb) => {`,
        `  const log = "/var/log/app/" + name;`,
        `  execFile("gzip", ["-k", log], cb);`,
        `};`,
        ``,
      ].join("\n"),
    );
    expect(await findingsOf(after, RULE)).toEqual([]);
  });

  it("rejects a proposed execFile patch that drops an argument the shell command passed", async () => {
    const service = [
      `const { exec, execFile } = require("child_process");`,
      `exports.convert = (file, cb) => exec("convert " + file + " out.png", cb);`,
      ``,
    ].join("\n");
    const files: ProjectFiles = {
      "routes/images.js": route("images", `service.convert(req.body.file, () => res.send("ok"));`),
      "services/images.js": service,
    };
    const input = { files: Object.entries(files).map(([path, content]) => ({ path, content })) };
    const finding = await onlyFinding(files, RULE);
    // 1-based columns on line 2: `exec("convert " + file + " out.png"` becomes `execFile("convert", [file]`.
    const line2 = service.indexOf("\n") + 1;
    const column = (text: string) => service.indexOf(text) - line2 + 1;
    const fix = await verifyFix(input, finding, {
      description: "Run convert without a shell.",
      replacements: [{ startLine: 2, startColumn: column(`exec("convert`), endLine: 2, endColumn: column(`, cb);`), text: `execFile("convert", [file]` }],
    });
    expect(fix?.verdict).toBe("rejected");
    expect(fix?.evidence).toContain(`runs ["convert","report.txt"] where the original's shell ran ["convert","report.txt","out.png"]`);
  });

  it("reads options from a const object before the call, and keeps passing them", async () => {
    const files: ProjectFiles = {
      "routes/images.js": route("thumbs", `service.thumb(req.body.file, () => res.send("ok"));`),
      "services/thumbs.js": [
        `const { exec } = require("child_process");`,
        `const OPTIONS = { cwd: "/srv/media", timeout: 5000 };`,
        `exports.thumb = (file, cb) => exec("convert " + file + " -resize 64x64 thumb.png", OPTIONS, cb);`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual(
      expect.arrayContaining([`exports.thumb = (file, cb) => execFile("convert", [file, "-resize", "64x64", "thumb.png"], OPTIONS, cb);`]),
    );
  });

  it("offers no fix for a pipeline: without a shell the pipe would be an argument", async () => {
    const files: ProjectFiles = {
      "routes/logs.js": route("logs", `service.search(req.body.pattern, (err, out) => res.send(out));`),
      "services/logs.js": [
        `const { exec } = require("child_process");`,
        `exports.search = (pattern, cb) => exec("grep " + pattern + " /var/log/app.log | head -n 20", cb);`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.proof?.verdict).toBe("proven");
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/pipe `\|`.*needs a shell/);
  });

  it("offers no fix when the data chooses the program", async () => {
    const files: ProjectFiles = {
      "routes/tools.js": route("tools", `res.send(service.version(req.query.tool));`),
      "services/tools.js": [`const { execSync } = require("child_process");`, `exports.version = (tool) => execSync(tool + " --version").toString();`, ``].join(
        "\n",
      ),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/chooses the program to run/);
  });

  it("offers no fix when the options are a variable that could turn the shell back on", async () => {
    const files: ProjectFiles = {
      "routes/images.js": route("thumbs", `service.thumb(req.body.file, { timeout: 5000 }, () => res.send("ok"));`),
      "services/thumbs.js": [
        `const { exec } = require("child_process");`,
        `exports.thumb = (file, options, cb) => exec("convert " + file + " -resize 64x64 thumb.png", options, cb);`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/options are not written in the call or a `const` before it/);
  });
});
