/**
 * Parsers and deserialisers: YAML, XML, query strings and the serialisers that revive
 * functions (node-serialize, serialize-to-js, funcster, cryo). What they parse from attacker
 * text is an object the attacker shapes; some run code or expand external entities on the way.
 *
 * XML: only libxml2 (libxmljs, libxmljs2, libxml2-wasm, xmllint) can read external entities, and
 * only with entity substitution or DTD loading switched on. The JavaScript parsers cannot, and
 * are no sinks: xml2js and sax keep a DOCTYPE as text and resolve nothing; @xmldom/xmldom does
 * not interpret DTDs (only the predefined and, for HTML, the HTML entities); fast-xml-parser
 * expands internal entities only (it throws on `SYSTEM` entities and skips entities whose value
 * holds `&`, so there is no exponential "billion laughs" growth either).
 */
import type { CallSite, ModelHost } from "./host";
import { fileMentions } from "./file-mentions";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";
import { optionIsTrue, reportCallSink } from "./sink-report";

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

/** libxmljs with entity substitution or DTD loading (`dtdvalid` and `dtdattr` load the external DTD too). */
const expandsEntities = (_host: ModelHost, site: CallSite): boolean =>
  optionIsTrue(site.args[1], ["noent", "replaceEntities", "dtdload", "dtdvalid", "dtdattr"]);

/** libxml2's parser flags that substitute entities or load an external DTD, as libxml2-wasm and xmllint name them. */
const LIBXML2_FLAGS = /XML_PARSE_(?:NOENT|DTDLOAD|DTDVALID|DTDATTR)\b/;

/** libxml2-wasm `XmlDocument.fromString(xml, { option: ParseOption.XML_PARSE_NOENT | … })`: the flags are constants, read from the source. */
function wasmExpandsEntities(host: ModelHost, site: CallSite): boolean {
  const options = site.node.arguments?.[1];
  return !!options && LIBXML2_FLAGS.test(host.file.text.slice(options.start, Math.min(options.end, options.start + 400)));
}

/** `spawnSync("xmllint", ["--noent", …, "-"], { input: xml })`: xmllint reading XML from standard input with entity substitution or DTD loading. */
function xmllintStdin(host: ModelHost, site: CallSite, kind: number): void {
  if (site.args[0]?.str !== "xmllint") return;
  const flags = site.args[1]?.props;
  if (!flags || ![...flags.values()].some((v) => v.str !== null && /^--(?:noent|loaddtd|dtdattr|valid)$/.test(v.str))) return;
  reportCallSink(host, site, kind, site.args[2]?.props?.get("input"), "to xmllint, which substitutes external entities (--noent) or loads the DTD", "any");
}

const SINKS: SinkRow[] = [
  ...["node-serialize:unserialize", "serialize-to-js:deserialize", "funcster:deepDeserialize", "cryo:parse"].map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "insecure-deserialization",
    what: "to a deserializer that can run code",
    mode: "any",
  })),
  ...["js-yaml:load", "js-yaml:loadAll"].map((call): SinkRow => ({
    call,
    when: yamlUnsafe,
    argument: 0,
    rule: "insecure-deserialization",
    what: "to js-yaml with the JavaScript types schema",
    mode: "any",
  })),
  ...["libxmljs", "libxmljs2"].flatMap((lib) =>
    ["parseXml", "parseXmlString", "parseXmlAsync"].map((f): SinkRow => ({
      call: `${lib}:${f}`,
      when: expandsEntities,
      argument: 0,
      rule: "xxe",
      what: "to an XML parser that expands external entities",
      mode: "any",
    })),
  ),
  // libxml2 compiled to WebAssembly reads external entities through the input providers the application registers.
  ...["XmlDocument.fromString", "XmlDocument.fromBuffer"].map((f): SinkRow => ({
    call: `libxml2-wasm:${f}`,
    when: wasmExpandsEntities,
    argument: 0,
    rule: "xxe",
    what: "to libxml2 with entity substitution or DTD loading on",
    mode: "any",
    confidence: "medium",
  })),
  ...["spawnSync", "execFileSync"].map((f): SinkRow => ({ call: `child_process:${f}`, rule: "xxe", effect: xmllintStdin })),
];

const SUMMARIES: SummaryRow[] = [
  ...[
    "qs:parse",
    "js-yaml:load",
    "js-yaml:safeLoad",
    "yaml:parse",
    "node-serialize:unserialize",
    "xml2js:parseStringPromise",
    "fast-xml-parser:XMLParser.parse",
  ].map((call): SummaryRow => ({ call, returns: "parsed" })),
  { call: "qs:stringify", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
];

export const model: LibraryModel = {
  id: "serialisation",
  description:
    "Parsers and deserialisers: js-yaml, yaml, xml2js, fast-xml-parser, libxmljs, libxml2-wasm, xmllint, qs, node-serialize, serialize-to-js, funcster, cryo.",
  fixtures: ["insecure-deserialization/session-import.js", "insecure-deserialization/config-loader.mjs", "xxe/invoice-import.js", "xxe/catalog-feeds.mjs"],
  summaries: SUMMARIES,
  sinks: SINKS,
};
