/**
 * The language's own built-ins: global functions and constants, `JSON`, `Object`, `Array`,
 * `Promise`, `Number`, `String`, `RegExp`, `eval` and `Function`, and the methods of strings,
 * arrays and promises. They carry attacker data along, convert it to numbers (which makes it
 * safe), or run it as code.
 */
import type { LibraryModel } from "./rows";

export const model: LibraryModel = {
  id: "ecmascript",
  description: "ECMAScript built-ins: global functions and constants, JSON, Object, Array, Promise, Number, String, RegExp, eval, and string/array/promise methods.",
  fixtures: [],
  constants: [{ read: "global:undefined" }, { read: "global:NaN" }, { read: "global:Infinity" }],
};
