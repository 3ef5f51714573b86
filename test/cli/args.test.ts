import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/cli/args";
import { CliError } from "../../src/cli/cli-error";

function usageError(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).usage).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be rejected`);
}

describe("parseCommand", () => {
  it("has defaults for everything but the paths", () => {
    // --fail-on's default (high) is applied after the config file is read.
    expect(parseCommand(["scan", "src"])).toEqual({
      command: "scan",
      paths: ["src"],
      outputs: [{ format: "text" }],
      exclude: [],
      defaultExcludes: true,
      gitignore: true,
      rules: {},
    });
  });

  it("reads every option", () => {
    expect(
      parseCommand([
        "scan",
        "src",
        "db/schema.sql",
        "--format",
        "sarif",
        "-o",
        "out.sarif",
        "--fail-on",
        "none",
        "--min-severity",
        "medium",
        "--dialect",
        "postgresql",
        "--exclude",
        "*.min.js",
        "--exclude=test/fixtures",
        "--no-default-excludes",
        "--max-file-bytes",
        "2000000",
        "--sarif-category",
        "pci",
        "--rule",
        "sql-write-without-where=off",
        "--rule",
        "xss=critical",
        "--no-gitignore",
        "--config",
        "ci/pci.json",
        "--baseline",
        "base.json",
        "--write-baseline",
        "next.json",
      ]),
    ).toEqual({
      command: "scan",
      paths: ["src", "db/schema.sql"],
      outputs: [{ format: "sarif", file: "out.sarif" }],
      failOn: "none",
      minSeverity: "medium",
      dialect: "postgresql",
      exclude: ["*.min.js", "test/fixtures"],
      defaultExcludes: false,
      maxFileBytes: 2_000_000,
      sarifCategory: "pci",
      rules: { "sql-write-without-where": "off", xss: "critical" },
      gitignore: false,
      config: "ci/pci.json",
      baseline: "base.json",
      writeBaseline: "next.json",
    });
  });

  it("accepts options before the command and -f for --format", () => {
    expect(parseCommand(["-f", "json", "scan", "."])).toMatchObject({ command: "scan", paths: ["."], outputs: [{ format: "json" }] });
  });

  it.each([
    [
      ["--format", "sarif", "-o", "r.sarif", "--format", "text"],
      [{ format: "sarif", file: "r.sarif" }, { format: "text" }],
    ],
    [["-o", "r.json", "--format", "json"], [{ format: "json", file: "r.json" }]],
    [["-o", "report.txt"], [{ format: "text", file: "report.txt" }]],
    [
      ["-f", "json", "-o", "a.json", "-f", "sarif", "-o", "b.sarif", "-f", "text"],
      [{ format: "json", file: "a.json" }, { format: "sarif", file: "b.sarif" }, { format: "text" }],
    ],
  ])("pairs formats with outputs: %j", (args, outputs) => {
    expect(parseCommand(["scan", "src", ...args])).toMatchObject({ outputs });
  });

  it("reads --stdin with its file name, and --changed-since", () => {
    expect(parseCommand(["scan", "--stdin", "--stdin-filename", "src/routes/pay.ts"])).toMatchObject({ paths: [], stdinPath: "src/routes/pay.ts" });
    expect(parseCommand(["scan", ".", "--changed-since", "origin/main"])).toMatchObject({ changedSince: "origin/main" });
  });

  it("reads --fix and --fix-dry-run, which --stdin allows only as a dry run", () => {
    expect(parseCommand(["scan", "src", "--fix"])).toMatchObject({ fix: "write" });
    expect(parseCommand(["scan", "src", "--fix-dry-run"])).toMatchObject({ fix: "dry-run" });
    expect(parseCommand(["scan", "--stdin", "--stdin-filename", "a.js", "--fix-dry-run"])).toMatchObject({ fix: "dry-run" });
    expect(parseCommand(["scan", "src"])).not.toHaveProperty("fix");
  });

  it("reads --color and --no-color", () => {
    expect(parseCommand(["scan", "src", "--color"])).toMatchObject({ color: true });
    expect(parseCommand(["scan", "src", "--no-color"])).toMatchObject({ color: false });
    expect(parseCommand(["scan", "src"])).not.toHaveProperty("color");
  });

  it("answers --help and --version before anything else", () => {
    expect(parseCommand(["--help"])).toEqual({ command: "help" });
    expect(parseCommand(["scan", "-h"])).toEqual({ command: "help" });
    expect(parseCommand(["--version"])).toEqual({ command: "version" });
    expect(parseCommand(["-v"])).toEqual({ command: "version" });
  });

  it.each([
    [[], "missing command"],
    [["check", "src"], 'unknown command "check"'],
    [["scan"], "missing PATH"],
    [["scan", ""], "empty PATH"],
    [["scan", "src", "--bogus"], "Unknown option '--bogus'"],
    [["scan", "src", "--rule", "sqli=off"], 'unknown rule "sqli" in --rule'],
    [["scan", "src", "-f", "json", "-f", "text"], "only one report can go to standard output"],
    [["scan", "src", "-o", "a.txt", "-o", "b.txt"], "--output b.txt has no --format of its own"],
    [["scan", "src", "--color", "--no-color"], "--color and --no-color contradict each other"],
    [["scan", "src", "--fix", "--fix-dry-run"], "--fix and --fix-dry-run contradict each other"],
    [["scan", "--stdin", "--stdin-filename", "a.js", "--fix"], "--fix writes to the scanned files; with --stdin use --fix-dry-run"],
    [["scan", "--stdin"], "--stdin needs --stdin-filename PATH"],
    [["scan", "src", "--stdin", "--stdin-filename", "a.js"], "--stdin scans standard input only"],
    [["scan", "src", "--stdin-filename", "a.js"], "--stdin-filename goes with --stdin"],
    [["scan", "src", "--changed-since", ""], "--changed-since needs a git ref"],
    [["scan", "src", "--rule", "xss"], 'invalid value "xss" for --rule: expected ID=SETTING'],
    [["scan", "src", "--rule", "xss=loud"], 'invalid value "loud" for --rule'],
    [["scan", "src", "--baseline", ""], "--baseline needs a file name"],
    [["scan", "src", "--format"], "argument missing"],
    [["scan", "src", "--format", "xml"], 'invalid value "xml" for --format: expected one of text, json, sarif'],
    [["scan", "src", "--fail-on", "severe"], 'invalid value "severe" for --fail-on: expected one of critical, high, medium, low, info, none'],
    [["scan", "src", "--min-severity", "none"], 'invalid value "none" for --min-severity'],
    [["scan", "src", "--dialect", "oracle"], 'invalid value "oracle" for --dialect'],
    [["scan", "src", "--max-file-bytes", "0"], 'invalid value "0" for --max-file-bytes'],
    [["scan", "src", "--max-file-bytes", "1e6"], 'invalid value "1e6" for --max-file-bytes'],
    [["scan", "src", "--max-file-bytes", "-5"], "--max-file-bytes"],
    [["scan", "src", "--output", ""], "--output needs a file name"],
    [["scan", "src", "--no-default-excludes=yes"], "does not take an argument"],
  ])("rejects %j", (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});
