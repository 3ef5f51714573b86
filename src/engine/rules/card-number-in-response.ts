/**
 * Full card numbers (and CVV, PIN or track data) sent back in an HTTP response: `res.json({
 * cardNumber })`, `reply.send(payment.card_number)`, `c.json(...)`, `ctx.body = {...}`,
 * `Response.json(...)`, `res.render("receipt", { pan })`, or returned from a NestJS route method.
 * A response is a display: whatever the API returns ends up on screens, in browser caches, HAR
 * files and support tickets. PCI DSS 3.4.1 requires the PAN to be masked wherever it is displayed
 * (first six and last four digits at most) unless someone's job needs the full number, and
 * sensitive authentication data must never be kept or shown after authorisation (3.3.1).
 *
 * The data is recognised by the names it travels under (js/card-data-names.ts): a masked,
 * sliced or tokenised value, or a name such as `last4` or `maskedPan`, does not count.
 */
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { CARD_DATA_HINT, cardDataNames, describeCardData } from "../js/card-data-names";
import { isResponseObject, RESPONSE_CLASSES, ROUTE_DECORATORS, sentBody } from "../js/card-sinks";
import { propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type JsListener } from "../rule";
import { cardFlows } from "../taint/index";

function isRouteMethod(method: JsNode | null): boolean {
  if (method?.type !== "MethodDefinition") return false;
  return ((method.decorators ?? []) as JsNode[]).some((d) => {
    const e = unwrap(d.expression);
    const callee = e.type === "CallExpression" ? unwrap(e.callee) : e;
    return callee.type === "Identifier" && ROUTE_DECORATORS.has(callee.name);
  });
}

export default createRule({
  id: "card-number-in-response",
  meta: {
    title: "Full card number sent in an HTTP response",
    description:
      "An HTTP response body carries a full card number (or CVV, PIN or track data): the API displays the PAN to whoever calls it. PCI DSS 3.4.1 requires the PAN to be masked when displayed, showing at most the first six and last four digits, and 3.3.1 forbids keeping sensitive authentication data after authorisation.",
    severity: "high",
    confidence: "medium",
    category: "card-data",
    cwe: ["CWE-359", "CWE-200"],
    owasp: ["A04:2021", "A01:2021"],
    pci: ["3.4.1", "3.3.1"],
    remediation:
      "Return a masked PAN (first six and last four digits at most) or only the last four, the brand and a token; never the CVV, PIN or track data. Build responses from an explicit allowlist of fields (a DTO or serializer) so a new column of the card table cannot leak through.",
    references: [
      "https://cwe.mitre.org/data/definitions/359.html",
      "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
      "https://withpci.com/requirements/3/3.4/3.4.1.html",
    ],
    tags: ["security", "pci-dss", "card-data"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path)) return {};
    const named = new Set<number>();
    const flows = cardFlows(ctx, "response");
    const why = (sad: boolean) =>
      sad
        ? "sensitive authentication data may never be kept or shown after authorisation (PCI DSS 3.3.1)"
        : "a displayed PAN must be masked to the first six and last four digits at most (PCI DSS 3.4.1)";
    const end = () =>
      flows.report(named, (kinds, sad) => ({
        severity: sad ? "critical" : "high",
        message: `${kinds} sent in an HTTP response: the body holds card data read elsewhere in the code; ${why(sad)}.`,
      }));
    if (!CARD_DATA_HINT.test(ctx.file.text)) return { js: { Program: flows.Program }, end };

    const check = (at: JsNode, body: JsNode[]) => {
      const found = cardDataNames(body);
      if (found.size === 0) return;
      const { kinds, names, sad, fingerprintKey } = describeCardData(found);
      named.add(at.start);
      ctx.report({
        start: at.start,
        end: at.end,
        severity: sad ? "critical" : "high",
        message: `${kinds} (${names}) sent in an HTTP response: ${why(sad)}.`,
        fingerprintKey,
      });
    };

    const listeners: Record<string, JsListener> = {
      Program: flows.Program,
      CallExpression(node) {
        const body = sentBody(node);
        if (body) check(node, body);
      },
      NewExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type === "Identifier" && RESPONSE_CLASSES.has(callee.name)) check(node, node.arguments.slice(0, 1));
      },
      AssignmentExpression(node) {
        // Koa: `ctx.body = {...}`, `ctx.response.body = ...`.
        const left = unwrap(node.left);
        if (node.operator === "=" && left.type === "MemberExpression" && propertyName(left) === "body" && isResponseObject(left.object))
          check(node, [node.right]);
      },
    };

    // NestJS: a route method's return value is the body. Track whether the innermost function is one.
    if (/@(Get|Post|Put|Patch|Delete|All)\s*\(/.test(ctx.file.text)) {
      const inRoute: boolean[] = [];
      for (const type of FUNCTION_TYPES) {
        listeners[type] = (node, parent) => inRoute.push(node.type === "FunctionExpression" && isRouteMethod(parent));
        listeners[`${type}:exit`] = () => inRoute.pop();
      }
      listeners.ReturnStatement = (node) => {
        if (inRoute[inRoute.length - 1] && node.argument) check(node, [node.argument]);
      };
    }
    return { js: listeners, end };
  },
});
