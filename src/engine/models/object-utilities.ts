/**
 * Object utilities that write attacker-chosen keys: lodash's deep merges and path setters, the
 * deep-merge packages, and dot-path setters (dot-prop, object-path, set-value, dset). A key
 * such as `__proto__` reaches `Object.prototype` through them.
 */
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";

/** Deep-merge packages called as `merge(target, …sources)`. */
const DEEP_MERGES = ["merge-deep", "mixin-deep", "defaults-deep", "deep-extend", "assign-deep", "merge-recursive", "deep-assign", "extend"];
/** Setters called as `set(object, path, value)`. */
const PATH_SETTERS = ["dot-prop:setProperty", "dot-prop:set", "object-path:set", "set-value:", "dset:", "dset:dset", "setvalue:"];

const SINKS: SinkRow[] = [
  ...["merge", "mergeWith", "defaultsDeep"].map((f): SinkRow => ({
    call: `lodash:${f}`,
    argument: "any-after-first",
    rule: "prototype-pollution",
    what: `to lodash ${f} (safe only from lodash 4.17.21)`,
    mode: "any",
    confidence: "low",
  })),
  ...["set", "setWith", "zipObjectDeep", "update"].map((f): SinkRow => ({
    call: `lodash:${f}`,
    argument: 1,
    rule: "prototype-pollution",
    what: `to lodash ${f} (safe only from lodash 4.17.21)`,
    mode: "any",
    confidence: "low",
  })),
  ...PATH_SETTERS.map((call): SinkRow => ({
    call,
    argument: 1,
    rule: "prototype-pollution",
    what: 'as a property path ("__proto__.x" reaches Object.prototype)',
    mode: "any",
    confidence: "medium",
  })),
  ...DEEP_MERGES.map((m): SinkRow => ({
    call: `${m}:`,
    argument: "any-after-first",
    object: true,
    rule: "prototype-pollution",
    what: `to ${m}, which copies __proto__ keys`,
    mode: "any",
    confidence: "medium",
  })),
];

const SUMMARIES: SummaryRow[] = [
  ...["trim", "toLower", "toUpper", "toString", "camelCase", "kebabCase"].map((f): SummaryRow => ({ call: `lodash:${f}`, returns: "text" })),
  { call: "lodash:escape", returns: "text", sanitises: ["xss"] },
  { call: "lodash:escapeRegExp", returns: "text", sanitises: ["regex-injection"] },
  { call: "lodash:escaperegexp", returns: "text", sanitises: ["regex-injection"] },
];

export const model: LibraryModel = {
  id: "object-utilities",
  description: "lodash, deep-merge packages and dot-path setters (dot-prop, object-path, set-value, dset).",
  fixtures: ["prototype-pollution/preferences.js", "regex-injection/search-filters.ts"],
  aliases: [
    { specifier: "lodash-es", module: "lodash" },
    { methodsOf: "lodash", prefixes: ["lodash/", "lodash-es/"] },
  ],
  globals: [
    { global: "_", module: "lodash" },
    { global: "lodash", module: "lodash" },
  ],
  summaries: SUMMARIES,
  sinks: SINKS,
};
