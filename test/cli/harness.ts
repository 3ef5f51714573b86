/**
 * What the CLI tests share: a project written into a temporary folder, and an in-process CliIo
 * that records what main() prints (no colour, not a terminal, optional standard input).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CliIo } from "../../src/cli/main";

/** Writes `files` (relative path → content) under `root/name` and returns that folder. */
export function writeProject(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** An io for main() in `cwd`, with what it wrote to standard output and error. */
export function recordingIo(cwd: string, stdin?: string): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    cwd,
    env: { NO_COLOR: "1" },
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    ...(stdin === undefined
      ? {}
      : {
          stdin: (async function* () {
            yield stdin;
          })(),
        }),
  };
  return { io: value, stdout: () => out.join(""), stderr: () => err.join("") };
}
