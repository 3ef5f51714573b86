import rule from "../../../src/engine/rules/command-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const { execFile } = require("child_process"); app.get("/x", (req, res) => execFile("git", ["log", req.query.ref]));`,
    `const cp = require("child_process"); app.get("/x", (req, res) => cp.spawn("ls", ["-la", req.query.dir]));`,
    `const { exec } = require("child_process"); app.get("/x", (req, res) => exec("du -sh " + parseInt(req.query.n, 10)));`,
    `const { exec } = require("child_process"); const { quote } = require("shell-quote"); app.get("/x", (req, res) => exec("ls " + quote([req.query.dir])));`,
    // Not child_process: a regular expression's exec.
    `app.get("/x", (req, res) => /a+/.exec(req.query.s));`,
    `const { exec } = require("child_process"); exec("git status");`,
    // execa's command string is split on spaces and run without a shell: no command can be added.
    `const { execaCommand } = require("execa"); app.post("/x", (req, res) => execaCommand("npm version " + req.body.version));`,
  ],
  invalid: [
    {
      code: `const { exec } = require("child_process");
app.get("/x", (req, res) => {
  exec(\`ping -c 1 \${req.query.host}\`);
});`,
      errors: [{ line: 3, column: 3, message: /req\.query\.host \(query string\) flows into exec\(\) as a shell command/ }],
    },
    {
      code: `import { spawn } from "node:child_process";
app.post("/x", (req, res) => spawn("sh", ["-c", "tar czf out.tgz " + req.body.dir]));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      code: `const { execaCommand } = require("execa");
app.post("/x", (req, res) => execaCommand("npm version " + req.body.version, { shell: true }));`,
      errors: [{ line: 2, column: 30, message: /as a shell command \(shell: true\)/ }],
    },
    {
      code: `const { execaCommand } = require("execa");
app.post("/x", (req, res) => execaCommand(req.body.tool + " --version"));`,
      errors: [{ line: 2, column: 30, message: /as the program to run/ }],
    },
    {
      code: `import cp from "child_process";
app.post("/x", (req, res) => cp.execFileSync("convert", [req.body.file], { shell: true }));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      code: `const util = require("util");
const exec = util.promisify(require("child_process").exec);
async function archive(name) {
  return exec("zip -r " + name + ".zip data");
}
app.post("/x", (req, res) => archive(req.body.name));`,
      errors: [{ line: 4, column: 10 }],
    },
  ],
});
