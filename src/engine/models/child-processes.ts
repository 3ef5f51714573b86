/**
 * Running programs: Node's `child_process` and the libraries around it (execa, shelljs,
 * cross-spawn). A command string goes through a shell; an argument list does not, unless
 * `shell: true` or an explicit `sh -c` hands it to one — then attacker text in it is a command.
 * execa's `execaCommand("git log " + x)` is neither: it splits the string on spaces into an
 * argument list and runs no shell, so `; id` is two more arguments, not a command (argument
 * injection, not command injection) — it is a shell command only with `shell: true`.
 */
import { F_LITERAL_OBJ, partsOf, taintedValue, textValue, TRUE } from "../taint/value";
import type { ModelHost, CallSite } from "./host";
import type { LibraryModel, SinkRow } from "./rows";
import { reportCallSink } from "./sink-report";

/** Programs that run their arguments as a command line. */
const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;

/** `spawn`/`execFile`: a shell only with `shell: true` or an explicit `sh -c …`; otherwise a tainted program name. */
function spawnSink(host: ModelHost, site: CallSite, kind: number): void {
  const [cmd, second, third] = site.args;
  if (!cmd) return;
  const argv = second && second.flags & F_LITERAL_OBJ && !second.props?.has("shell") ? second : null;
  const opts = argv ? third : second;
  const shell = opts?.props?.get("shell");
  if (shell && (shell.str !== null || shell === TRUE)) {
    const parts = [...partsOf(cmd)];
    if (argv?.props) for (const a of argv.props.values()) parts.push(" ", ...partsOf(a));
    else if (argv?.elem?.taint) parts.push(" ", ...partsOf(argv.elem));
    reportCallSink(host, site, kind, textValue(parts), "as a shell command (shell: true)", "text");
    return;
  }
  if (cmd.str !== null && SHELLS.test(cmd.str) && argv?.props) {
    const list = [...argv.props.values()];
    const c = list.findIndex((a) => a.str === "-c" || a.str === "/c" || a.str === "-Command");
    if (c >= 0 && list[c + 1]) {
      reportCallSink(host, site, kind, list[c + 1], `as a shell command (${cmd.str} ${list[c]!.str})`, "text");
      return;
    }
  }
  if (cmd.taint && !cmd.parts) reportCallSink(host, site, kind, taintedValue(cmd.taint), "as the program to run", "any", "medium");
}

/** execa's command-string functions: split on spaces, no shell unless `{ shell: true }`; otherwise only the program name matters. */
function splitCommandSink(host: ModelHost, site: CallSite, kind: number): void {
  const [command, opts] = site.args;
  if (!command) return;
  const shell = opts?.props?.get("shell");
  if (shell && (shell.str !== null || shell === TRUE)) return reportCallSink(host, site, kind, command, "as a shell command (shell: true)", "text");
  const first = partsOf(command)[0];
  if (first !== undefined && typeof first !== "string" && command.taint)
    reportCallSink(host, site, kind, taintedValue(command.taint), "as the program to run", "any", "medium");
}

const COMMAND_LINES = ["child_process:exec", "child_process:execSync", "shelljs:exec"];
const SPLIT_COMMANDS = ["execa:execaCommand", "execa:execaCommandSync", "execa:command", "execa:commandSync"];
const ARGUMENT_LISTS = [
  "child_process:spawn",
  "child_process:spawnSync",
  "child_process:execFile",
  "child_process:execFileSync",
  "execa:",
  "execa:execa",
  "execa:execaSync",
  "cross-spawn:",
];

const SINKS: SinkRow[] = [
  ...COMMAND_LINES.map((call): SinkRow => ({ call, argument: 0, rule: "command-injection", what: "as a shell command", mode: "text" })),
  ...ARGUMENT_LISTS.map((call): SinkRow => ({ call, rule: "command-injection", effect: spawnSink })),
  ...SPLIT_COMMANDS.map((call): SinkRow => ({ call, rule: "command-injection", effect: splitCommandSink })),
];

export const model: LibraryModel = {
  id: "child-processes",
  description: "Running programs: child_process, execa, shelljs, cross-spawn; shell-quoting libraries.",
  fixtures: ["command-injection/deploy-tools.js", "command-injection/release-cli.mjs", "apps/express/routes/admin.js"],
  aliases: [{ specifier: "child-process-promise", module: "child_process" }],
  // Shell quoting: a quoted word (or list of words) the shell will not split or expand.
  summaries: ["shell-quote:quote", "shell-escape:", "shescape:quote", "shescape:escape", "any-shell-escape:"].map((call) => ({
    call,
    returns: "element-text",
    sanitises: ["command-injection"],
  })),
  sinks: SINKS,
};
