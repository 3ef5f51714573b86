/**
 * Findings on the benchmark corpus (library code nobody here wrote, bench/corpus.mjs) by rule:
 * the false-positive check every rule change is measured with. Library code is not an
 * application, so nearly every finding there is one nobody can act on.
 *   node bench/corpus-findings.mjs [--list]
 * Prints one line per rule with its count (and, with --list, each finding's place and message).
 */
import { DEFAULT_CORPUS, readRow } from "./corpus.mjs";
import { buildEngineBundle, bundlePath } from "./engine-bundle.mjs";

const list = process.argv.includes("--list");
const outfile = bundlePath("corpus-findings");
await buildEngineBundle(outfile);
const engine = await import(outfile);

const byRule = new Map();
for (const [, target] of DEFAULT_CORPUS) {
  const files = readRow(target).map((f) => ({ path: f.path, content: f.text }));
  const result = await engine.scan({ files }, { limits: engine.CLI_LIMITS });
  for (const f of result.findings) {
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    if (list) console.log(`${target} ${f.location.path}:${f.location.startLine} ${f.ruleId} ${f.message.slice(0, 160)}`);
  }
}
let total = 0;
for (const [rule, n] of [...byRule].sort()) {
  console.log(`${rule.padEnd(36)} ${n}`);
  total += n;
}
console.log(`${"total".padEnd(36)} ${total}`);
