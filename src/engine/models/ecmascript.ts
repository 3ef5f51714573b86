/**
 * The language's own built-ins: global functions and constants, `JSON`, `Object`, `Array`,
 * `Promise`, `Number`, `String`, `RegExp`, `eval` and `Function`, and the methods of strings,
 * arrays and promises. They carry attacker data along, convert it to numbers (which makes it
 * safe), or run it as code.
 */
import { F_LITERAL_OBJ } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow } from "./rows";
import { reportCallSink } from "./sink-report";

/** `new Function(a, b, body)`: the body is the last argument, but any argument is code. */
function functionConstructor(host: ModelHost, site: CallSite, kind: number): void {
  const body = site.args[site.args.length - 1];
  reportCallSink(host, site, kind, body?.taint ? body : site.args.find((a) => a.taint), "as JavaScript code", "text");
}

/** `s.match(x)`: attacker text, not a regular expression literal, becomes the pattern of a string that is not itself attacker data. */
function patternArgument(_host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  return !!a && !(a.flags & F_LITERAL_OBJ) && !!a.taint && !a.regex && !site.recv?.taint;
}

export const model: LibraryModel = {
  id: "ecmascript",
  description: "ECMAScript built-ins: global functions and constants, JSON, Object, Array, Promise, Number, String, RegExp, eval, and string/array/promise methods.",
  fixtures: [],
  constants: [{ read: "global:undefined" }, { read: "global:NaN" }, { read: "global:Infinity" }],
  sinks: [
    { call: "global:eval", argument: 0, rule: "code-injection", what: "as JavaScript code", mode: "text" },
    { call: "global:Function", rule: "code-injection", effect: functionConstructor },
    { call: "global:RegExp", argument: 0, rule: "regex-injection", what: "as a regular expression pattern", mode: "text" },
    ...["match", "matchAll", "search"].map(
      (method): SinkRow => ({ method, receiver: "any", when: patternArgument, argument: 0, rule: "regex-injection", what: "as a regular expression pattern", mode: "text", confidence: "medium" }),
    ),
  ],
};
