/**
 * `http://` and `ws://` endpoints on the open network: URLs passed to fetch, axios, got,
 * superagent, request, node's http.request, XMLHttpRequest.open, WebSocket, EventSource or
 * sendBeacon, or stored under an endpoint-like name (`baseURL`, `apiUrl`, `WEBHOOK_ENDPOINT`),
 * plus `<form action>`, `<iframe src>` and `<script src>` in JSX. Whatever travels over them —
 * card data, credentials, session cookies — can be read and changed in transit (PCI DSS 4.2.1).
 *
 * Not reported: local and private hosts (localhost, loopback, RFC 1918 and link-local
 * addresses, single-label service names, .local/.internal/.test/.example and the example.com
 * family), XML namespaces and schema ids (w3.org, json-schema.org, schema.org…), URLs whose host
 * is computed (`http://${host}/…`), names that mark links rather than endpoints (docs, homepage,
 * logo, proxy), and test files. Severity rises to high when the URL or the name mentions
 * payments, cards or credentials.
 */
import { nameParts } from "../detect/secret-values";
import type { JsNode } from "../parse/js";
import type { ResolvedCallee } from "../js/file-bindings";
import { literalString, propertyName, targetName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";

/** Hosts that name things (XML namespaces, schema ids, licences) rather than serve traffic. */
const IDENTIFIER_HOSTS = new Set([
  "w3.org",
  "www.w3.org",
  "schemas.xmlsoap.org",
  "schemas.microsoft.com",
  "schemas.openxmlformats.org",
  "json-schema.org",
  "schema.org",
  "purl.org",
  "xmlns.com",
  "ns.adobe.com",
  "www.opengis.net",
  "docs.oasis-open.org",
  "www.apache.org",
  "opensource.org",
  "creativecommons.org",
  "ogp.me",
  "xml.org",
  "www.xml.org",
  "java.sun.com",
  "xmlsoap.org",
]);

const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".lan", ".test", ".example", ".invalid", ".localdomain", ".home.arpa", ".intranet", ".corp"];
const EXAMPLE_DOMAINS = ["example.com", "example.org", "example.net"];

/** Whether a host is local, private, reserved for examples, or a naming host. */
function isExemptHost(host: string): boolean {
  if (host === "localhost" || host === "::1" || host === "0.0.0.0" || !host.includes(".")) return true;
  if (IDENTIFIER_HOSTS.has(host)) return true;
  if (LOCAL_SUFFIXES.some((s) => host.endsWith(s))) return true;
  if (EXAMPLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) return true;
  const ip = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (ip) {
    const a = Number(ip[1]);
    const b = Number(ip[2]);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 192 && b === 168) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return host.includes(":") && (host.startsWith("fc") || host.startsWith("fd") || host.startsWith("fe80:"));
}

/** A cleartext URL with a fixed, public host. */
interface CleartextUrl {
  scheme: "http" | "ws";
  /** Scheme, host and path, without credentials, query or fragment (safe to show). */
  shown: string;
}

const URL_HEAD = /^\s{0,8}(http|ws):\/\/([^/?#\s]{0,300})([^?#\s]{0,300})/i;

/**
 * Reads `text` as a URL; `complete` is false when code appends to it (a template head or the
 * left side of `+`), in which case the host must visibly end inside `text`.
 */
function cleartextUrl(text: string, complete: boolean): CleartextUrl | null {
  const m = URL_HEAD.exec(text);
  if (!m) return null;
  const authority = m[2]!;
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const host = (hostPort.startsWith("[") ? hostPort.slice(1, hostPort.indexOf("]")) : hostPort.split(":")[0]!).toLowerCase();
  if (host === "" || /[^a-z0-9.:_-]/.test(host)) return null;
  const hostEnds = m[3] !== "" || authority.includes(":") || text.length > m[0].length;
  if (!complete && !hostEnds && (host.endsWith(".") || host.endsWith("-") || !/\.[a-z]{2,}$/.test(host))) return null;
  if (isExemptHost(host)) return null;
  const scheme = m[1]!.toLowerCase() as "http" | "ws";
  return { scheme, shown: `${scheme}://${hostPort}${m[3]!}`.slice(0, 100) };
}

/** Name words that make a variable or key hold an endpoint. */
const ENDPOINT_WORDS = new Set([
  "url",
  "urls",
  "uri",
  "uris",
  "endpoint",
  "endpoints",
  "api",
  "apis",
  "host",
  "origin",
  "server",
  "webhook",
  "webhooks",
  "callback",
  "gateway",
  "backend",
  "upstream",
  "base",
  "baseurl",
  "socket",
  "websocket",
  "broker",
  "remote",
  "service",
]);
/** Name words that make it a link or a proxy rather than an endpoint the code talks to. */
const LINK_WORDS = new Set([
  "proxy",
  "doc",
  "docs",
  "documentation",
  "help",
  "homepage",
  "website",
  "home",
  "link",
  "links",
  "image",
  "images",
  "img",
  "icon",
  "logo",
  "avatar",
  "photo",
  "picture",
  "thumbnail",
  "thumb",
  "license",
  "licence",
  "terms",
  "privacy",
  "support",
  "schema",
  "namespace",
  "ns",
  "xmlns",
  "spec",
  "repo",
  "repository",
  "github",
  "twitter",
  "facebook",
  "linkedin",
  "youtube",
  "issue",
  "issues",
  "bugs",
  "example",
  "sample",
  "placeholder",
  "mock",
  "fake",
  "fixture",
  "dummy",
  "test",
  "canonical",
  "referer",
  "referrer",
  "feed",
  "rss",
  "download",
  "author",
  "contact",
  "about",
  "blog",
  "changelog",
]);

/** Letters every endpoint word contains: most names have none, and skip the split into parts. */
const ENDPOINT_HINT = /ur[il]|endpoint|api|host|origin|server|hook|callback|gateway|backend|upstream|base|socket|broker|remote|service/i;

function isEndpointName(name: string): boolean {
  if (!ENDPOINT_HINT.test(name)) return false;
  const parts = nameParts(name.slice(0, 100));
  return parts.some((p) => ENDPOINT_WORDS.has(p)) && !parts.some((p) => LINK_WORDS.has(p));
}

const SENSITIVE =
  /pay|card|checkout|charge|billing|transaction|txn|refund|wallet|vault|tokeni[sz]|3ds|acquir|merchant|login|signin|oauth|auth|token|passw|session|account/i;

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "fetch", "del", "ajax", "getjson"]);
/** Modules whose default export or methods take a URL first. */
const CLIENT_MODULES = new Set([
  "axios",
  "got",
  "node-fetch",
  "cross-fetch",
  "isomorphic-fetch",
  "undici",
  "superagent",
  "request",
  "request-promise",
  "request-promise-native",
  "ky",
  "ofetch",
  "redaxios",
  "phin",
  "centra",
  "wretch",
  "http",
  "https",
  "socket.io-client",
]);
/** Root names of HTTP clients when not imported in this file (globals, injected clients). */
const CLIENT_NAMES = new Set(["axios", "got", "superagent", "request", "ky", "$", "jQuery", "$http", "http", "https", "httpClient", "needle"]);
const URL_CONSTRUCTORS = new Set(["WebSocket", "EventSource", "Request", "ReconnectingWebSocket"]);

/** Index of the URL argument when `callee` sends a request, or -1. */
function urlArgumentIndex(node: JsNode, r: ResolvedCallee | null): number {
  if (!r) return -1;
  const { module, names } = r;
  const last = names[names.length - 1] ?? "";
  const prev = names[names.length - 2] ?? "";
  if (module !== null) {
    if (!CLIENT_MODULES.has(module)) return -1;
    return names.length === 0 ||
      (names.length === 1 && HTTP_METHODS.has(last.toLowerCase())) ||
      (module === "socket.io-client" && (last === "io" || last === "connect"))
      ? 0
      : -1;
  }
  if (names.length === 1) return last === "fetch" || last === "$fetch" || last === "ofetch" || last === "io" ? 0 : -1;
  if (last === "fetch") return 0;
  if (last === "sendBeacon") return 0;
  if (last === "open" && node.arguments.length >= 2 && HTTP_METHODS.has((literalString(node.arguments[0]) ?? "").toLowerCase())) return 1;
  if (HTTP_METHODS.has(last.toLowerCase()) && CLIENT_NAMES.has(prev)) return 0;
  return -1;
}

/** A string or template that starts with a cleartext URL (URLs in comments do not count). */
const STRING_URL = /["'`][ \t]{0,8}(?:http|ws):\/\//i;

const JSX_URL_ATTRIBUTES: Record<string, string> = { form: "action", iframe: "src", script: "src" };

export default createRule({
  id: "cleartext-http-endpoint",
  meta: {
    title: "Cleartext http:// or ws:// endpoint",
    description:
      "Finds http:// and ws:// URLs on public hosts that the code sends requests to or configures as API endpoints. Traffic over them, including card data, credentials and session cookies, can be read and modified in transit; PCI DSS 4.2.1 requires strong cryptography for cardholder data on open networks.",
    severity: "medium",
    confidence: "medium",
    category: "transport",
    cwe: ["CWE-319"],
    owasp: ["A02:2021"],
    pci: ["4.2.1"],
    remediation:
      "Use https:// (and wss:// for WebSockets) for every endpoint on a public network, and make the server redirect HTTP to HTTPS with HSTS. Keep endpoints in configuration so each environment sets a TLS URL.",
    references: [
      "https://cwe.mitre.org/data/definitions/319.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
      "https://withpci.com/requirements/4/4.2/4.2.1.html",
    ],
    tags: ["security", "tls"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !STRING_URL.test(ctx.file.text)) return {};
    const bindings = ctx.shared.bindings;
    const reported = new Set<JsNode>();

    /** The URL literal (or template) a value starts with, and whether code appends to it. */
    const urlSource = (value: JsNode, viaConstant: boolean): { node: JsNode; text: string; complete: boolean } | null => {
      let n = unwrap(value);
      let complete = true;
      while (n.type === "BinaryExpression" && n.operator === "+") {
        n = unwrap(n.left);
        complete = false;
      }
      if (n.type === "TemplateLiteral") {
        const head = n.quasis[0]?.value.cooked;
        return typeof head === "string" ? { node: n, text: head, complete: complete && n.expressions.length === 0 } : null;
      }
      if (n.type === "Literal") return typeof n.value === "string" ? { node: n, text: n.value, complete } : null;
      if (viaConstant && n.type === "Identifier") {
        const c = bindings.constant(n.name);
        return c ? { node: c.node, text: c.value, complete } : null;
      }
      return null;
    };

    const check = (value: JsNode | null | undefined, context: string, viaConstant: boolean) => {
      if (!value) return;
      const source = urlSource(value, viaConstant);
      if (!source || reported.has(source.node)) return;
      const url = cleartextUrl(source.text, source.complete);
      if (!url) return;
      reported.add(source.node);
      const high = SENSITIVE.test(url.shown) || SENSITIVE.test(context);
      ctx.report({
        start: source.node.start,
        end: source.node.end,
        severity: high ? "high" : "medium",
        message: `Cleartext ${url.scheme}:// endpoint ${url.shown}${context ? ` (${context.slice(0, 60)})` : ""}: ${high ? "payment data or credentials" : "the traffic"} can be read and altered in transit. Use ${url.scheme === "ws" ? "wss" : "https"}://.`,
      });
    };

    /** Whether a value could be a URL `check` reports: a cheap test before names and callees are looked at. */
    const startsWithUrl = (value: JsNode | undefined, viaConstant = true): boolean => {
      const source = value && urlSource(value, viaConstant);
      return !!source && URL_HEAD.test(source.text);
    };

    // Names repeat across a file: judge each once (this runs on every declarator and property).
    const endpointNames = new Map<string, boolean>();
    const named = (name: string | null, value: JsNode | null | undefined) => {
      // The value first: few values are URLs, and a name costs a map look-up.
      if (name === null || !value || !startsWithUrl(value, false)) return;
      let endpoint = endpointNames.get(name);
      if (endpoint === undefined) endpointNames.set(name, (endpoint = isEndpointName(name)));
      if (endpoint) check(value, name, false);
    };

    return {
      js: {
        VariableDeclarator(node) {
          named(targetName(node.id), node.init);
        },
        AssignmentExpression(node) {
          named(targetName(node.left), node.right);
        },
        Property(node, parent) {
          if (parent?.type === "ObjectExpression") named(propertyName(node), node.value);
        },
        PropertyDefinition(node) {
          named(propertyName(node), node.value);
        },
        CallExpression(node) {
          // Few calls pass a cleartext URL: look at the arguments before resolving the callee.
          if (!startsWithUrl(node.arguments[0]) && !startsWithUrl(node.arguments[1])) return;
          const resolved = bindings.resolve(node.callee);
          const index = urlArgumentIndex(node, resolved);
          if (index >= 0) check(node.arguments[index], resolved?.names.join(".") ?? "", true);
        },
        NewExpression(node) {
          const callee = unwrap(node.callee);
          const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? propertyName(callee) : null;
          if (name !== null && URL_CONSTRUCTORS.has(name)) check(node.arguments[0], name, true);
        },
        JSXAttribute(node, parent) {
          const element = parent?.name?.type === "JSXIdentifier" ? parent.name.name : null;
          const attribute = node.name?.type === "JSXIdentifier" ? node.name.name : null;
          if (element === null || attribute === null || JSX_URL_ATTRIBUTES[element] !== attribute) return;
          const value = node.value?.type === "JSXExpressionContainer" ? node.value.expression : node.value;
          check(value, `<${element} ${attribute}>`, true);
        },
      },
    };
  },
});
