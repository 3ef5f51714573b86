/**
 * XML external entities: untrusted XML parsed with entity expansion. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { XXE } from "../taint/kinds";

export default createRule({
  id: "xxe",
  meta: {
    title: "XML external entities: untrusted XML parsed with entity expansion",
    description:
      "Attacker-controlled XML is parsed by libxml2 (libxmljs, libxmljs2, libxml2-wasm, xmllint) with entity substitution (`noent: true`, `XML_PARSE_NOENT`, `--noent`) or DTD loading enabled, so external entities can read server files or reach internal hosts. The JavaScript parsers (xml2js, sax, @xmldom/xmldom, fast-xml-parser) cannot resolve external entities and are not reported. PCI DSS 6.2.4 requires preventing injection.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-611"],
    owasp: ["A05:2021"],
    pci: ["6.2.4"],
    remediation:
      "Parse untrusted XML with entity substitution and DTD loading off (the libxml2 defaults), or use a parser that never resolves external entities.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/611.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, XXE),
});
