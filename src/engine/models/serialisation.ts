/**
 * Parsers and deserialisers: YAML, XML, query strings and the serialisers that revive
 * functions (node-serialize, serialize-to-js, funcster, cryo). What they parse from attacker
 * text is an object the attacker shapes; some run code or expand external entities on the way.
 */
import type { CallSite, ModelHost } from "./host";
import { fileMentions } from "./file-mentions";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";
import { optionIsTrue } from "./sink-report";

/** js-yaml 3 is in use: `safeLoad` only exists there, and its `load` runs code. */
const yamlV3 = fileMentions("safeLoad", "DEFAULT_FULL_SCHEMA");

/** js-yaml's `load` runs code only with js-yaml 3 (or an explicit full schema). */
function yamlUnsafe(host: ModelHost, site: CallSite): boolean {
  const schema = site.args[1]?.props?.get("schema");
  if (schema) {
    const m = schema.model;
    const name = m?.kind === "module" ? m.path.join(".") : m?.kind === "global" ? m.name : "";
    return /DEFAULT_FULL_SCHEMA|JS_TYPES|jsTypes/i.test(name);
  }
  return yamlV3(host.file);
}

/** libxmljs with entity substitution or DTD loading. */
const expandsEntities = (_host: ModelHost, site: CallSite): boolean => optionIsTrue(site.args[1], ["noent", "replaceEntities", "dtdload"]);

const SINKS: SinkRow[] = [
  ...["node-serialize:unserialize", "serialize-to-js:deserialize", "funcster:deepDeserialize", "cryo:parse"].map(
    (call): SinkRow => ({ call, argument: 0, rule: "insecure-deserialization", what: "to a deserializer that can run code", mode: "any" }),
  ),
  ...["js-yaml:load", "js-yaml:loadAll"].map(
    (call): SinkRow => ({ call, when: yamlUnsafe, argument: 0, rule: "insecure-deserialization", what: "to js-yaml with the JavaScript types schema", mode: "any" }),
  ),
  ...["libxmljs", "libxmljs2"].flatMap((lib) =>
    ["parseXml", "parseXmlString", "parseXmlAsync"].map(
      (f): SinkRow => ({ call: `${lib}:${f}`, when: expandsEntities, argument: 0, rule: "xxe", what: "to an XML parser that expands external entities", mode: "any" }),
    ),
  ),
];

const SUMMARIES: SummaryRow[] = [
  ...["qs:parse", "js-yaml:load", "js-yaml:safeLoad", "yaml:parse", "node-serialize:unserialize", "xml2js:parseStringPromise", "fast-xml-parser:XMLParser.parse"].map(
    (call): SummaryRow => ({ call, returns: "parsed" }),
  ),
  { call: "qs:stringify", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
];

export const model: LibraryModel = {
  id: "serialisation",
  description: "Parsers and deserialisers: js-yaml, yaml, xml2js, fast-xml-parser, libxmljs, qs, node-serialize, serialize-to-js, funcster, cryo.",
  fixtures: ["insecure-deserialization/session-import.js", "insecure-deserialization/config-loader.mjs", "xxe/invoice-import.js"],
  summaries: SUMMARIES,
  sinks: SINKS,
};
