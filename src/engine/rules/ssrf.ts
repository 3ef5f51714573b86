/**
 * Server-side request forgery: untrusted URL fetched by the server. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { SSRF } from "../taint/kinds";

export default createRule({
  id: "ssrf",
  meta: {
    title: "Server-side request forgery: untrusted URL fetched by the server",
    description:
      "The server fetches a URL whose scheme or host comes from the request (`fetch`, axios, got, `http.request`), so an attacker can make it call internal services, cloud metadata endpoints or other hosts with the server's network position and credentials. PCI DSS 6.2.4 requires preventing such attacks.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-918"],
    owasp: ["A10:2021"],
    pci: ["6.2.4"],
    remediation:
      "Do not let input choose the host: keep the base URL in configuration and put input only in encoded path or query parts, or check `new URL(input).hostname` against an allowlist of hosts and schemes before fetching, and block private and link-local addresses.",
    references: [
      "https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/918.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, SSRF),
});
