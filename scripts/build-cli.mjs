/**
 * Bundles the command-line tool (src/cli/main.ts) into dist/cli.mjs with esbuild, so
 * `npx pci-auditor` runs on plain Node ≥ 22 without a TypeScript loader. Code splitting keeps
 * each node-sql-parser dialect build in its own chunk (dist/chunks/), loaded only when a scan
 * needs that dialect, as in the Worker. Runs from `npm run build:cli`, from `prepare` (so
 * `npm install` / `npm ci` build it), and from bin/pci-auditor.mjs when dist/ is missing.
 */
import { realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Builds dist/cli.mjs (and dist/chunks/) from scratch. */
export async function buildCli() {
  const { build } = await import("esbuild");
  const outdir = `${root}dist`;
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { cli: "src/cli/main.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCli();
  } catch (error) {
    // A production install (`npm ci --omit=dev`) has no esbuild; `prepare` must not fail it.
    if (process.env.npm_lifecycle_event === "prepare" && error?.code === "ERR_MODULE_NOT_FOUND") {
      console.warn("pci-auditor: esbuild is not installed, so the CLI was not built; bin/pci-auditor.mjs will say so when run.");
    } else {
      console.error(error?.message ?? error);
      process.exitCode = 1;
    }
  }
}
