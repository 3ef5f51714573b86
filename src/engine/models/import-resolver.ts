/**
 * What a bare import specifier names, for every part of the engine that reads imports: the taint
 * interpreter (library values) and the rules' file bindings (`import { createHash } from
 * "node:crypto"`). One resolver, so `node:fs`, `fs/promises` and `fs-extra` are the same `fs`
 * wherever a model or a rule looks for it. Relative specifiers (the project's own files) are the
 * module graph's business, not this file's.
 */
import { modelValue, type Value } from "../taint/value";

/** Specifiers that are another module under a different name: drop-in forks, subpath entries, promise flavours. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["fs/promises", "fs"],
  ["fs-extra", "fs"],
  ["fs-extra/esm", "fs"],
  ["graceful-fs", "fs"],
  ["mysql2/promise", "mysql2"],
  ["path/posix", "path"],
  ["path/win32", "path"],
  ["pathe", "path"],
  ["child-process-promise", "child_process"],
  ["lodash-es", "lodash"],
]);

/** Subpath prefixes that name one method of a module: `lodash/merge` is lodash's `merge`, as the `lodash.merge` package is. */
const PER_METHOD_PREFIXES: ReadonlyArray<readonly [prefix: string, module: string]> = [
  ["lodash/", "lodash."],
  ["lodash-es/", "lodash."],
];

/**
 * The canonical module name of a bare specifier: without the `node:` scheme, with aliases
 * folded into the module they stand for.
 *
 * @example
 *   resolveSpecifier("node:fs/promises"); // "fs"
 *   resolveSpecifier("lodash/merge");     // "lodash.merge"
 *   resolveSpecifier("crypto-js/md5");    // "crypto-js/md5"
 */
export function resolveSpecifier(specifier: string): string {
  const m = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  const alias = ALIASES.get(m);
  if (alias !== undefined) return alias;
  for (const [prefix, module] of PER_METHOD_PREFIXES) if (m.startsWith(prefix)) return module + m.slice(prefix.length);
  return m;
}

/**
 * A library module (or one of its exports) as a value. The per-method packages of lodash
 * (`lodash.merge`) are lodash's methods, and `fs.promises` is `fs`.
 */
export function moduleValue(module: string, path: string[]): Value {
  if (module.startsWith("lodash.") && path.length === 0) return modelValue({ kind: "module", module: "lodash", path: [module.slice(7).replace(/\./g, "")] });
  if (module === "fs" && path[0] === "promises") return modelValue({ kind: "module", module, path: path.slice(1) });
  return modelValue({ kind: "module", module, path });
}
