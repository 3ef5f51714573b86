/** main() in-process with a fake terminal: what depends on TTYs and the environment. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../src/cli/main";
import { ENGINE_VERSION } from "../../src/engine/index";

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "pca-main-"));
  mkdirSync(path.join(root, "many"));
  for (let i = 0; i < 25; i++) writeFileSync(path.join(root, "many", `f${String(i).padStart(2, "0")}.txt`), "plain text\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeIo(options: { stdoutTTY?: boolean; stderrTTY?: boolean; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    cwd: root,
    env: options.env ?? {},
    stdout: { write: (t: string) => out.push(t), isTTY: options.stdoutTTY ?? false },
    stderr: { write: (t: string) => err.push(t), isTTY: options.stderrTTY ?? false },
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("main", () => {
  it("prints help and version on stdout", async () => {
    const help = fakeIo();
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("Usage: pci-auditor scan PATH... [options]");
    const version = fakeIo();
    expect(await main(["--version"], version.io)).toBe(0);
    expect(version.stdout()).toBe(`pci-auditor ${ENGINE_VERSION}\n`);
  });

  it("reports usage errors on stderr with exit status 2", async () => {
    const run = fakeIo();
    expect(await main(["scan", "many", "--format", "xml"], run.io)).toBe(2);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe('pci-auditor: invalid value "xml" for --format: expected one of text, json, sarif\nRun `pci-auditor --help` for usage.\n');
  });

  it("shows progress on a terminal stderr when scanning many files, then clears it", async () => {
    const run = fakeIo({ stderrTTY: true });
    expect(await main(["scan", "many"], run.io)).toBe(0);
    expect(run.stderr()).toMatch(/^\rScanning \d+\/25 files…/);
    expect(run.stderr()).toContain("\rScanning 25/25 files…");
    expect(run.stderr().endsWith("\r\u001b[K")).toBe(true);
    expect(run.stdout()).toContain("in 25 files: 25 scanned, 0 skipped.");
  });

  it("shows no progress when stderr is not a terminal or files are few", async () => {
    const piped = fakeIo({ stderrTTY: false });
    await main(["scan", "many"], piped.io);
    expect(piped.stderr()).toBe("");
    const few = fakeIo({ stderrTTY: true });
    await main(["scan", "many/f00.txt"], few.io);
    expect(few.stderr()).toBe("");
  });

  it("colours text only on a terminal stdout without NO_COLOR", async () => {
    const tty = fakeIo({ stdoutTTY: true });
    await main(["scan", "many"], tty.io);
    expect(tty.stdout()).toContain("\u001b[1m0 findings\u001b[22m");
    const noColor = fakeIo({ stdoutTTY: true, env: { NO_COLOR: "1" } });
    await main(["scan", "many"], noColor.io);
    expect(noColor.stdout()).not.toContain("\u001b[");
    const piped = fakeIo({ stdoutTTY: false });
    await main(["scan", "many"], piped.io);
    expect(piped.stdout()).not.toContain("\u001b[");
  });
});
