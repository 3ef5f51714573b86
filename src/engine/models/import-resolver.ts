/**
 * What a bare import specifier names, for every part of the engine that reads imports: the taint
 * interpreter (library values) and the rules' file bindings (`import { createHash } from
 * "node:crypto"`). One resolver, so `node:fs`, `fs/promises` and `fs-extra` are the same `fs`
 * wherever a model or a rule looks for it; the aliases are rows of the families that know them.
 * Relative specifiers (the project's own files) are the module graph's business, not this file's.
 */
import { modelValue, type Value } from "../taint/value";
import { hasMemberRows, hasMethodPackages, memberAlias, methodPrefixes, specifierAlias } from "./index";

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
  const alias = specifierAlias(m);
  if (alias !== undefined) return alias;
  for (const [prefix, module] of methodPrefixes()) if (m.startsWith(prefix)) return `${module}.${m.slice(prefix.length)}`;
  return m;
}

/**
 * A library module (or one of its exports) as a value. Per-method packages (`lodash.merge`) are
 * their module's method, and a member that is the module itself (`fs.promises`) is folded away.
 */
export function moduleValue(module: string, path: string[]): Value {
  const dot = module.indexOf(".");
  if (dot > 0 && path.length === 0 && hasMethodPackages(module.slice(0, dot)))
    return modelValue({ kind: "module", module: module.slice(0, dot), path: [module.slice(dot + 1).replace(/\./g, "")] });
  if (path.length > 0 && hasMemberRows(module) && memberAlias(`${module}:${path[0]}`) === module)
    return modelValue({ kind: "module", module, path: path.slice(1) });
  return modelValue({ kind: "module", module, path });
}
