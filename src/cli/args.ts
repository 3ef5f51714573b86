/**
 * Command-line parsing for `pci-auditor`: node:util parseArgs in strict mode, then every value
 * checked against its closed list, so a typo is a clear exit-2 error rather than a silent default.
 */
import { parseArgs } from "node:util";
import { CLI_LIMITS, RULES, SEVERITIES, SQL_DIALECTS, type RuleSetting, type Severity, type SqlDialect } from "../engine/index";
import { CliError } from "./cli-error";

export const FORMATS = ["text", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** One report of a run: a format, written to a file or (without one) to standard output. */
export interface ReportOutput {
  format: Format;
  file?: string;
}

export interface ScanCommand {
  command: "scan";
  paths: string[];
  /** The reports to write, in the order given; at most one goes to standard output. */
  outputs: ReportOutput[];
  /** --color / --no-color; absent: colour text on a terminal unless NO_COLOR (FORCE_COLOR forces it). */
  color?: boolean;
  /** Lowest severity that makes the exit status 1; "none" never does. Absent: the config file's, else "high". */
  failOn?: FailOn;
  minSeverity?: Severity;
  dialect?: SqlDialect;
  exclude: string[];
  defaultExcludes: boolean;
  /** Honour the repository's .gitignore files (--no-gitignore turns it off). */
  gitignore: boolean;
  maxFileBytes?: number;
  sarifCategory?: string;
  /** --config FILE; absent: pci-auditor.config.json found upward from the first PATH. */
  config?: string;
  /** A previous JSON or SARIF report: findings it holds are not reported again. */
  baseline?: string;
  /** Where to write this run's JSON report for later runs' --baseline. */
  writeBaseline?: string;
  /** --rule id=setting, over the config file's rules. */
  rules: Record<string, RuleSetting>;
  /** --stdin: scan standard input as one file with this path (--stdin-filename). */
  stdinPath?: string;
  /** --changed-since REF: report only findings in files changed since the git ref. */
  changedSince?: string;
  /** --fix: write proven fixes to the scanned files; --fix-dry-run: print them and write nothing. */
  fix?: "write" | "dry-run";
}

export type FailOn = Severity | "none";
export const FAIL_ON: readonly FailOn[] = [...SEVERITIES, "none"];
export const RULE_SETTINGS: readonly RuleSetting[] = ["off", "on", ...SEVERITIES];

export type Command = ScanCommand | { command: "help" } | { command: "version" };

export const USAGE = `Usage: pci-auditor scan PATH... [options]
       pci-auditor scan --stdin --stdin-filename PATH [options]

Scans files and folders (recursively) for code that breaks PCI DSS: card numbers and
secrets in source, string-built SQL, weak crypto, cleartext transport. Nothing is executed.

Options:
  -f, --format FORMAT       text, json or sarif (default: text)
  -o, --output FILE         write the report to FILE instead of standard output. Repeat
                            the pair for several reports from one run:
                            --format sarif -o r.sarif --format text
      --color, --no-color   colour the text report, or not (default: on a terminal,
                            unless NO_COLOR is set; FORCE_COLOR=1 forces it)
      --fail-on LEVEL       exit 1 when a finding is at or above LEVEL: critical, high,
                            medium, low, info, or none to always exit 0 (default: high)
      --min-severity LEVEL  leave out findings below LEVEL (default: info)
      --dialect DIALECT     SQL dialect: ${SQL_DIALECTS.join(", ")}
                            (default: mysql, trying the others for .sql files that fail)
      --exclude GLOB        skip paths matching GLOB; repeatable. A pattern without "/"
                            matches any file or folder name ("*.min.js", "fixtures"),
                            one with "/" matches from the current folder ("src/**/*.test.ts")
      --no-default-excludes also scan node_modules, .git, dist, build, coverage,
                            .wrangler and vendor folders
      --max-file-bytes N    skip files larger than N bytes (default: ${CLI_LIMITS.maxFileBytes})
      --sarif-category ID   GitHub code scanning category for SARIF output
      --rule ID=SETTING     turn a rule off or on, or set its severity (off, on,
                            critical, high, medium, low, info); repeatable
      --config FILE         settings file (default: pci-auditor.config.json in the first
                            PATH's folder or the nearest folder above it)
      --no-gitignore        also scan what the repository's .gitignore files ignore
                            (.pci-auditorignore always applies)
      --baseline FILE       a previous JSON or SARIF report: findings already in it are
                            not reported and do not count towards --fail-on
      --write-baseline FILE write this run's findings as a JSON report for --baseline
      --changed-since REF   scan the whole project, report only findings in files changed
                            since the git REF (committed, staged, unstaged or untracked)
      --fix                 write each proven fix (re-attacking the patched code showed
                            the injection gone) into its scanned file, then list what
                            was written and skipped; fixed findings do not count
                            towards --fail-on
      --fix-dry-run         print each proven fix's diff, and why other findings have
                            none, changing no file. Both lists go to standard output,
                            or to standard error when a JSON or SARIF report does
      --stdin               scan standard input as one file, named by --stdin-filename
      --stdin-filename PATH the path (and so the language) standard input is scanned as
  -h, --help                show this help
  -v, --version             show the version

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage or input error.
`;

const OPTIONS = {
  format: { type: "string", short: "f", multiple: true },
  output: { type: "string", short: "o", multiple: true },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  "fail-on": { type: "string" },
  "min-severity": { type: "string" },
  dialect: { type: "string" },
  exclude: { type: "string", multiple: true },
  "no-default-excludes": { type: "boolean" },
  "max-file-bytes": { type: "string" },
  "sarif-category": { type: "string" },
  rule: { type: "string", multiple: true },
  config: { type: "string" },
  "no-gitignore": { type: "boolean" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  "changed-since": { type: "string" },
  fix: { type: "boolean" },
  "fix-dry-run": { type: "boolean" },
  stdin: { type: "boolean" },
  "stdin-filename": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/**
 * Parses the arguments after the program name.
 *
 * @example
 *   parseCommand(["scan", "src", "--format", "sarif"]); // { command: "scan", paths: ["src"], format: "sarif", ... }
 * @throws CliError on any usage mistake
 */
export function parseCommand(argv: string[]): Command {
  const { values, positionals, tokens } = parse(argv);
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };

  const [command, ...paths] = positionals;
  if (command === undefined) throw new CliError("missing command: expected `pci-auditor scan PATH...`", true);
  if (command !== "scan") throw new CliError(`unknown command "${command}": the only command is "scan"`, true);
  const stdinPath = values["stdin-filename"];
  if (values.stdin) {
    if (stdinPath === undefined || stdinPath === "") throw new CliError("--stdin needs --stdin-filename PATH: the path decides the file's language", true);
    if (paths.length > 0) throw new CliError("--stdin scans standard input only: leave out PATH", true);
    if (values["changed-since"] !== undefined) throw new CliError("--changed-since needs a folder to scan, not --stdin", true);
  } else if (stdinPath !== undefined) {
    throw new CliError("--stdin-filename goes with --stdin", true);
  } else if (paths.length === 0) {
    throw new CliError("missing PATH: name at least one file or folder to scan", true);
  }
  if (paths.some((p) => p === "")) throw new CliError("empty PATH argument", true);

  if (values.color && values["no-color"]) throw new CliError("--color and --no-color contradict each other", true);
  if (values.fix && values["fix-dry-run"]) throw new CliError("--fix and --fix-dry-run contradict each other", true);
  if (values.fix && values.stdin) throw new CliError("--fix writes to the scanned files; with --stdin use --fix-dry-run", true);
  const maxFileBytes = values["max-file-bytes"];
  return {
    command: "scan",
    paths,
    outputs: reportOutputs(tokens),
    ...(values.color ? { color: true } : values["no-color"] ? { color: false } : {}),
    ...(values["fail-on"] !== undefined ? { failOn: oneOf("--fail-on", values["fail-on"], FAIL_ON) } : {}),
    ...(values["min-severity"] !== undefined ? { minSeverity: oneOf("--min-severity", values["min-severity"], SEVERITIES) } : {}),
    ...(values.dialect !== undefined ? { dialect: oneOf("--dialect", values.dialect, SQL_DIALECTS) } : {}),
    exclude: values.exclude ?? [],
    defaultExcludes: !values["no-default-excludes"],
    ...(maxFileBytes !== undefined ? { maxFileBytes: positiveInteger("--max-file-bytes", maxFileBytes) } : {}),
    ...(values["sarif-category"] ? { sarifCategory: values["sarif-category"] } : {}),
    gitignore: !values["no-gitignore"],
    ...fileOption("--config", values.config, "config"),
    ...fileOption("--baseline", values.baseline, "baseline"),
    ...fileOption("--write-baseline", values["write-baseline"], "writeBaseline"),
    rules: Object.fromEntries((values.rule ?? []).map(ruleOption)),
    ...(values.stdin ? { stdinPath } : {}),
    ...fileOption("--changed-since", values["changed-since"], "changedSince", "a git ref"),
    ...(values.fix ? { fix: "write" } : values["fix-dry-run"] ? { fix: "dry-run" } : {}),
  };
}

/**
 * Pairs each --output with the --format before it (or, given first, the next one); a format
 * without a file goes to standard output, which only one report may use. Without --format, one
 * text report.
 */
function reportOutputs(tokens: ReadonlyArray<{ kind: string; name?: string; value?: string | undefined }>): ReportOutput[] {
  const outputs: ReportOutput[] = [];
  let held: string | undefined;
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    if (t.name === "format") {
      outputs.push({ format: oneOf("--format", t.value ?? "", FORMATS), ...(held !== undefined ? { file: held } : {}) });
      held = undefined;
    } else if (t.name === "output") {
      const file = t.value ?? "";
      if (file === "") throw new CliError("--output needs a file name", true);
      const open = outputs.findLast((o) => o.file === undefined);
      if (open) open.file = file;
      else if (held === undefined) held = file;
      else throw new CliError(`--output ${file} has no --format of its own`, true);
    }
  }
  if (outputs.length === 0) outputs.push({ format: "text", ...(held !== undefined ? { file: held } : {}) });
  else if (held !== undefined) throw new CliError(`--output ${held} has no --format of its own`, true);
  if (outputs.filter((o) => o.file === undefined).length > 1)
    throw new CliError("only one report can go to standard output: give the others an --output file", true);
  return outputs;
}

function fileOption<K extends string>(option: string, value: string | undefined, key: K, what = "a file name"): Partial<Record<K, string>> {
  if (value === undefined) return {};
  if (value === "") throw new CliError(`${option} needs ${what}`, true);
  return { [key]: value } as Partial<Record<K, string>>;
}

/** `--rule sql-injection=off` → ["sql-injection", "off"]. */
function ruleOption(value: string): [string, RuleSetting] {
  const eq = value.indexOf("=");
  const id = eq === -1 ? value : value.slice(0, eq);
  if (eq === -1) throw new CliError(`invalid value "${value}" for --rule: expected ID=SETTING, e.g. sql-write-without-where=off`, true);
  if (!RULES.some((r) => r.id === id)) throw new CliError(`unknown rule "${id}" in --rule`, true);
  return [id, oneOf("--rule", value.slice(eq + 1), RULE_SETTINGS)];
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--bogus'"); its first line is enough.
    throw new CliError(String((error as Error).message).split("\n")[0]!, true);
  }
}

export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`invalid value "${value}" for ${option}: expected one of ${allowed.join(", ")}`, true);
}

function positiveInteger(option: string, value: string): number {
  const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(n > 0)) throw new CliError(`invalid value "${value}" for ${option}: expected a whole number of bytes above 0`, true);
  return n;
}
