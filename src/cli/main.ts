/**
 * `pci-auditor`: scans files and folders offline with the same engine as the API and prints a
 * text, JSON or SARIF report; with --fix it writes the proven fixes into the scanned files.
 * Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input
 * error (DESIGN.md "Contracts"). bin/pci-auditor.mjs runs the esbuild bundle of this file
 * (dist/cli.mjs).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CLI_LIMITS, ENGINE_VERSION, SEVERITIES, maskCardNumbers, type Finding, type ScanResult } from "../engine/index";
import { toJson } from "../engine/report/json";
import { toSarif, type SarifOptions } from "../engine/report/sarif";
import { toText } from "../engine/report/text";
import { fixReport, planFixes, writeFixes } from "./apply-fixes";
import { USAGE, parseCommand, type FailOn, type Format, type ScanCommand } from "./args";
import { readBaseline, withoutBaseline } from "./baseline";
import { CliError, describeFsError } from "./cli-error";
import { changedFiles, onlyChanged } from "./changed-files";
import { collectFiles, type CollectedFile } from "./collect-files";
import { loadConfig } from "./config";
import { repositoryRoot } from "./repository";
import { scanFiles } from "./scan-files";

/** A stream main() writes to; process.stdout and process.stderr fit. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The process around main(), injectable for tests. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Read for --stdin. */
  stdin?: AsyncIterable<Uint8Array | string>;
  stdout: Output;
  stderr: Output;
}

/** Files at or above which a progress line is shown (when stderr is a terminal). */
const PROGRESS_MIN_FILES = 20;
const PROGRESS_INTERVAL_MS = 100;

/**
 * Runs the command line and returns the exit status.
 *
 * @example
 *   process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: string[],
  io: CliIo = { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.command === "help") {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command.command === "version") {
      io.stdout.write(`pci-auditor ${ENGINE_VERSION}\n`);
      return 0;
    }
    return await runScan(command, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`pci-auditor: ${error.message}\n${error.usage ? "Run `pci-auditor --help` for usage.\n" : ""}`);
    } else {
      // Not the user's fault, but 1 would read as "findings": report it as a failed run.
      io.stderr.write(`pci-auditor: internal error: ${maskCardNumbers(String((error as Error)?.stack ?? error))}\n`);
    }
    return 2;
  }
}

async function runScan(command: ScanCommand, io: CliIo): Promise<number> {
  const config = await loadConfig(command.paths, { cwd: io.cwd, file: command.config });
  const failOn = command.failOn ?? config.failOn ?? "high";
  const sarifCategory = command.sarifCategory ?? config.sarifCategory;
  // Read before scanning, so a wrong path fails fast instead of after a long scan.
  const baseline = command.baseline === undefined ? undefined : await readBaseline(command.baseline, io.cwd);
  const written = [...command.outputs.map((o) => o.file), command.writeBaseline].filter((f) => f !== undefined).map((f) => path.resolve(io.cwd, f));
  const changed = command.changedSince === undefined ? undefined : await changedFiles(command.changedSince, io.cwd);
  const stdin = command.stdinPath === undefined ? undefined : await readStdin(io);
  const files: CollectedFile[] = stdin
    ? [{ absolute: "", path: command.stdinPath!, size: stdin.byteLength, content: stdin }]
    : await collectFiles(command.paths, {
        cwd: io.cwd,
        exclude: [...config.exclude, ...command.exclude],
        defaultExcludes: command.defaultExcludes,
        gitignore: command.gitignore,
        skip: new Set(written),
      });
  const progress = io.stderr.isTTY && files.length >= PROGRESS_MIN_FILES ? progressLine(io.stderr) : undefined;
  let result: ScanResult;
  try {
    result = await scanFiles(files, {
      limits: { ...CLI_LIMITS, ...(command.maxFileBytes ? { maxFileBytes: command.maxFileBytes } : {}) },
      dialect: command.dialect ?? config.dialect,
      minSeverity: command.minSeverity ?? config.minSeverity,
      rules: { ...config.rules, ...command.rules },
      onProgress: progress?.update,
    });
  } finally {
    progress?.clear(); // before any report or error message
  }

  if (changed !== undefined) result = onlyChanged(result, changed);
  if (command.writeBaseline !== undefined) await write(command.writeBaseline, toJson(result), io.cwd);
  if (baseline !== undefined) result = withoutBaseline(result, baseline, command.baseline!);

  const sarif = await sarifOptions(io.cwd, sarifCategory);
  for (const { format, file } of command.outputs) {
    const report = render(result, format, sarif, file === undefined && useColor(command.color, io));
    if (file === undefined) io.stdout.write(report);
    else await write(file, report, io.cwd);
  }
  const fixed = new Set(command.fix === undefined ? [] : await fix(command, result, files, io));
  const remaining = result.findings.filter((f) => !fixed.has(f));
  return failed(remaining, failOn) ? 1 : 0;
}

/**
 * --fix and --fix-dry-run after the reports (which describe the code as scanned): the fix list
 * goes to standard output unless a JSON or SARIF report is there. Returns the findings fixed.
 */
async function fix(command: ScanCommand, result: ScanResult, files: readonly CollectedFile[], io: CliIo): Promise<Finding[]> {
  const plan = await planFixes(result.findings, files);
  const write = command.fix === "write";
  if (write) await writeFixes(plan);
  const onStdout = command.outputs.find((o) => o.file === undefined);
  const list = fixReport(plan, !write);
  if (onStdout === undefined) io.stdout.write(list);
  else if (onStdout.format === "text") io.stdout.write("\n" + list);
  else io.stderr.write(list);
  return write ? plan.outcomes.filter((o) => o.status === "applied").map((o) => o.finding) : [];
}

/** Standard input, whole; it is one file, so the per-file limit bounds it (with a clear error past it). */
async function readStdin(io: CliIo): Promise<Uint8Array> {
  if (!io.stdin) throw new CliError("--stdin: there is no standard input to read");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > CLI_LIMITS.maxScanBytes) throw new CliError(`--stdin: standard input is larger than ${CLI_LIMITS.maxScanBytes} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Colour for the text report on standard output: the flag, else FORCE_COLOR, else a terminal without NO_COLOR. */
function useColor(flag: boolean | undefined, io: CliIo): boolean {
  if (flag !== undefined) return flag;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}

async function write(file: string, text: string, cwd: string): Promise<void> {
  await writeFile(path.resolve(cwd, file), text).catch((error: unknown) => {
    throw new CliError(`cannot write ${file}: ${describeFsError(error)}`);
  });
}

function render(result: ScanResult, format: Format, sarif: SarifOptions, color: boolean): string {
  switch (format) {
    case "text":
      return toText(result, { color });
    case "json":
      return toJson(result);
    case "sarif":
      return JSON.stringify(toSarif(result, sarif), null, 2) + "\n";
  }
}

/**
 * Report paths are relative to the working folder; SARIF's must be relative to the repository
 * root, so a CI step with `working-directory:` still maps to the repository's files.
 */
async function sarifOptions(cwd: string, category: string | undefined): Promise<SarifOptions> {
  const root = (await repositoryRoot(cwd)) ?? cwd;
  return {
    ...(category ? { category } : {}),
    pathPrefix: path.relative(root, cwd).split(path.sep).join("/"),
    srcRoot: pathToFileURL(root).href.replace(/\/?$/, "/"),
  };
}

/** Whether any finding is at or above the --fail-on severity. */
function failed(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === "none") return false;
  const limit = SEVERITIES.indexOf(failOn);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}

/** A self-overwriting "Scanning 120/3400 files" line on a terminal, redrawn at most every 100 ms. */
function progressLine(stream: Output): { update: (done: number, total: number) => void; clear: () => void } {
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
      last = now;
      stream.write(`\rScanning ${done}/${total} files…`);
    },
    clear() {
      stream.write("\r\u001b[K");
    },
  };
}
