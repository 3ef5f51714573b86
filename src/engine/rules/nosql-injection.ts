/**
 * NoSQL injection: request data as a query document or operator. Found by the dataflow engine
 * (src/engine/taint): attacker data is followed from where it enters (request objects, browser URL
 * and messages, socket and queue payloads) through variables, calls and string building to the
 * sink; sanitizers that fit this class clear it.
 */
import { createRule } from "../rule";
import { taintListeners } from "../taint/index";
import { NOSQL } from "../taint/kinds";

export default createRule({
  id: "nosql-injection",
  meta: {
    title: "NoSQL injection: request data as a query document, operator or query text",
    description:
      'A MongoDB/Mongoose query document takes a value straight from a parsed JSON body or query string, which can be an object such as {"$ne": null} that turns an equality test into an operator (the classic login bypass), or request text reaches a $where JavaScript clause. The same class (CWE-943, data query logic) covers request text spliced into an Elasticsearch `query_string` beside the application\'s own clauses and into a GraphQL query document sent to a server. PCI DSS 6.2.4 requires preventing injection.',
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-943"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Cast each value to the type the field expects before it reaches the query (`String(req.body.email)`, `new ObjectId(id)`), wrap values with `$eq`, validate bodies with a schema, enable Mongoose `sanitizeFilter` or express-mongo-sanitize, and never build `$where` from input. Pass search text through `simple_query_string` or `match`, and GraphQL values as variables.",
    references: [
      "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection",
      "https://cwe.mitre.org/data/definitions/943.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
  },
  create: (ctx) => taintListeners(ctx, NOSQL),
});
