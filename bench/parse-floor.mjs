#!/usr/bin/env node
/**
 * The cold parse floor (bench/cold.mjs): a fresh Node process that only imports acorn, reads the
 * JS/TS files of one corpus row (a file, or a folder's files) and parses each, with locations
 * unless `--no-locations`. The least any scanner built on acorn pays to look at those files from
 * a command line.
 *
 *   node bench/parse-floor.mjs FILE|DIR [--no-locations]
 */
import { Parser } from "acorn";
import { readRow } from "./corpus.mjs";

const locations = !process.argv.includes("--no-locations");
let nodes = 0;
for (const { text } of readRow(process.argv[2])) {
  let program;
  try {
    program = Parser.parse(text, { ecmaVersion: "latest", sourceType: "module", locations, allowHashBang: true });
  } catch {
    program = Parser.parse(text, { ecmaVersion: "latest", sourceType: "script", locations, allowHashBang: true, allowReturnOutsideFunction: true });
  }
  nodes += program.body.length;
}
process.stdout.write(`${nodes}\n`);
