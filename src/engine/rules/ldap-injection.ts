/**
 * LDAP injection: request text in an LDAP search filter or distinguished name. Found by the
 * dataflow engine (src/engine/taint): attacker data is followed from where it enters (request
 * objects, browser URL and messages, socket and queue payloads) through variables, calls and
 * string building to the sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { LDAP } from "../taint/kinds";

export default createRule({
  id: "ldap-injection",
  meta: {
    title: "LDAP injection: request text in an LDAP filter or DN",
    description:
      "Attacker-controlled text is spliced into an LDAP search filter or distinguished name (ldapjs, ldapts, activedirectory), where `*`, `(`, `)` and `,` change what the directory matches: a wildcard or an added filter component (`*)(uid=*))(|(uid=*`) finds every account, bypassing a login or disclosing the directory. PCI DSS 6.2.4 requires preventing injection.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-90"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Escape values for their place with ldap-escape (`filter` and `dn` template tags), or build filters as objects (ldapjs `new EqualityFilter({ attribute, value })`); let passport-ldapauth fill `{{username}}`, which it escapes.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/90.html",
      "https://www.rfc-editor.org/rfc/rfc4515",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, LDAP),
});
