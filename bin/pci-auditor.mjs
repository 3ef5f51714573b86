#!/usr/bin/env node
/**
 * Entry point of the `pci-auditor` command: runs the bundled CLI (dist/cli.mjs), building it
 * first with scripts/build-cli.mjs when it is missing (a fresh clone before `npm install`'s
 * prepare step, or after dist/ was deleted).
 */
import { existsSync } from "node:fs";
import module from "node:module";

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(`pci-auditor: needs Node.js 22 or later; this is Node.js ${process.versions.node}.\n`);
  process.exit(2);
}

// Node's module compile cache: V8's compiled code for dist/cli.mjs and its chunks is kept on disk
// (NODE_COMPILE_CACHE, else node-compile-cache in the OS temp folder) and reused while the files
// are unchanged, so a run skips compiling ~1.3 MB of bundle (bench/cold.mjs measures it).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; a cache that cannot be written is ignored.
module.enableCompileCache?.();

const bundle = new URL("../dist/cli.mjs", import.meta.url);
if (!existsSync(bundle)) {
  const { buildCli } = await import("../scripts/build-cli.mjs");
  try {
    await buildCli();
  } catch (error) {
    process.stderr.write(`pci-auditor: could not build dist/cli.mjs (run \`npm install\` first): ${error?.message ?? error}\n`);
    process.exit(2);
  }
}
// `pci-auditor scan . | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit();
});
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
