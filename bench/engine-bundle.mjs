/**
 * Bundles src/engine/index.ts with esbuild for the benchmarks that call scan() in process
 * (bench/engine.mjs, bench/worker-max.mjs): one ESM file in the OS temp folder, outside dist/
 * (`npm run build:cli` empties dist/, and may run while a benchmark does).
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

/** A fresh bundle path for this process (or $BENCH_BUNDLE). */
export function bundlePath(name) {
  return process.env.BENCH_BUNDLE ?? path.join(os.tmpdir(), "pci-auditor-bench", `${name}-${process.pid}.mjs`);
}

export async function buildEngineBundle(outfile) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, "src/engine/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile,
    logLevel: "error",
  });
}
