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
import { propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type JsListener } from "../rule";

/** Names of the response object in Express, Koa, Fastify, Hono, Next.js and hapi handlers. */
const RESPONSE_NAMES = /^(res|resp|response|reply|ctx|context|c|h)$/;
/** Methods that send their arguments as the response body (render: its second argument). */
const BODY_METHODS = new Set(["json", "jsonp", "send", "end", "write", "text", "html", "body", "render", "response"]);
/** Calls chained before the sending one: `res.status(200).json(...)`, `reply.code(201).send(...)`. */
const CHAIN_METHODS = new Set(["status", "code", "type", "set", "header", "headers", "append", "cookie", "vary", "location", "contentType"]);
/** Classes whose static `json` builds a response: `Response.json(...)`, `NextResponse.json(...)`. */
const RESPONSE_CLASSES = new Set(["Response", "NextResponse", "HttpResponse"]);
/** NestJS route decorators: the method's return value is the response body. */
const ROUTE_DECORATORS = new Set(["Get", "Post", "Put", "Patch", "Delete", "All", "Options", "Head"]);

/** The receiver a response call starts from, past chained status/header calls. */
function responseReceiver(member: JsNode): JsNode {
  let object = unwrap(member.object);
  for (let i = 0; i < 4 && object.type === "CallExpression"; i++) {
    const callee = unwrap(object.callee);
    if (callee.type !== "MemberExpression" || !CHAIN_METHODS.has(propertyName(callee) ?? "")) break;
    object = unwrap(callee.object);
  }
  return object;
}

/** Whether an object is a response by its name: `res`, `reply`, `this.res`, `ctx.response`. */
function isResponseObject(node: JsNode): boolean {
  const n = unwrap(node);
  const name = n.type === "Identifier" ? n.name : n.type === "MemberExpression" ? propertyName(n) : null;
  return name !== null && RESPONSE_NAMES.test(name);
}

/** The expressions a call sends as the response body, or null when it is not a response call. */
function sentBody(call: JsNode): JsNode[] | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method === null) return null;
  const receiver = responseReceiver(callee);
  if (method === "json" && receiver.type === "Identifier" && RESPONSE_CLASSES.has(receiver.name)) return call.arguments.slice(0, 1);
  if (!BODY_METHODS.has(method) || !isResponseObject(receiver)) return null;
  return method === "render" ? call.arguments.slice(1, 2) : call.arguments;
}

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
    if (isTestPath(ctx.file.path) || !CARD_DATA_HINT.test(ctx.file.text)) return {};

    const check = (at: JsNode, body: JsNode[]) => {
      const found = cardDataNames(body);
      if (found.size === 0) return;
      const { kinds, names, sad, fingerprintKey } = describeCardData(found);
      ctx.report({
        start: at.start,
        end: at.end,
        severity: sad ? "critical" : "high",
        message: `${kinds} (${names}) sent in an HTTP response: ${sad ? "sensitive authentication data may never be kept or shown after authorisation (PCI DSS 3.3.1)" : "a displayed PAN must be masked to the first six and last four digits at most (PCI DSS 3.4.1)"}.`,
        fingerprintKey,
      });
    };

    const listeners: Record<string, JsListener> = {
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
        if (node.operator === "=" && left.type === "MemberExpression" && propertyName(left) === "body" && isResponseObject(left.object)) check(node, [node.right]);
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
    return { js: listeners };
  },
});
