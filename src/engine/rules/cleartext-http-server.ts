/**
 * A plain-HTTP server (`http.createServer(…).listen`, Express / Koa / Fastify / connect
 * `app.listen`) in an application whose code handles card data, with nothing in the project that
 * shows TLS in front of it. Card numbers sent to such a server cross the network in the clear
 * unless a load balancer or proxy terminates TLS, which PCI DSS 4.2.1 requires for PAN over open,
 * public networks (CWE-319).
 *
 * Most production Node servers do sit behind a TLS terminator, so this is low severity and asks
 * for evidence rather than asserting an exposure: the project is cleared by an HTTPS server
 * (`https.createServer`, `http2.createSecureServer`, Fastify's `https` option), or by code that
 * only makes sense behind a TLS proxy — `app.set("trust proxy", …)`, a check of
 * `X-Forwarded-Proto`, an HSTS header (helmet's `hsts`, `Strict-Transport-Security`), an
 * HTTPS-redirect middleware. Servers bound to the loopback interface are left alone, and so are
 * projects whose code names no card data (js/card-data-names.ts) and test files.
 */
import type { JsNode } from "../parse/js";
import { cardDataKind, CARD_DATA_HINT } from "../js/card-data-names";
import type { ResolvedCallee } from "../js/file-bindings";
import { literalString, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import type { SourceFile } from "../source";
import { projectFiles } from "../taint/index";

/** Modules whose default export (called or constructed) makes an HTTP app with `listen`. */
const APP_MODULES = new Set(["express", "koa", "fastify", "connect", "polka", "restify"]);
const HTTP_MODULES = new Set(["http", "node:http"]);
/** Text that shows TLS is terminated by this server or in front of it. */
const TLS_EVIDENCE =
  /trust proxy|x-forwarded-proto|strict-transport-security|\bhsts\b|https\.createServer|createSecureServer|express-sslify|enforce-https|requireHttps|forceSsl|force-ssl|\bhttps\s*:\s*\{/i;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
/** Words that may name card data; each is then judged as a column name would be. */
const CARD_WORD = /\b[\w$]{0,30}?(?:card|Card|CARD|pan|Pan|PAN|cvv|Cvv|CVV|cvc|Cvc|CVC|ccn|Ccn|cc_)[\w$]{0,30}/g;
const MAX_WORDS_PER_FILE = 2_000;

/** Whether any file's code names card data (`cardNumber`, `card_cvv`, `pan`, …). */
function namesCardData(files: readonly SourceFile[]): boolean {
  for (const f of files) {
    if (!CARD_DATA_HINT.test(f.text)) continue;
    let n = 0;
    CARD_WORD.lastIndex = 0;
    for (let m = CARD_WORD.exec(f.text); m && n < MAX_WORDS_PER_FILE; m = CARD_WORD.exec(f.text), n++) {
      if (cardDataKind(m[0]) !== null) return true;
    }
  }
  return false;
}

/** Whether a call makes an HTTP server or app: `express()`, `new Koa()`, `fastify()`, `http.createServer()`. */
function makesServer(r: ResolvedCallee | null): boolean {
  if (!r || r.module === null) return false;
  if (APP_MODULES.has(r.module))
    return r.names.length === 0 || (r.names.length === 1 && (r.names[0] === "default" || r.names[0] === r.module || r.names[0] === "createServer"));
  return HTTP_MODULES.has(r.module) && r.names.length === 1 && r.names[0] === "createServer";
}

export default createRule({
  id: "cleartext-http-server",
  meta: {
    title: "Plain-HTTP server in an application that handles card data",
    description:
      "Finds http.createServer / app.listen servers in projects whose code handles card data when nothing in the project shows TLS: no HTTPS server, no trust-proxy or X-Forwarded-Proto handling, no HSTS. Unless a load balancer or proxy terminates TLS in front of it, card data reaches this server in the clear (PCI DSS 4.2.1).",
    severity: "low",
    confidence: "medium",
    category: "transport",
    cwe: ["CWE-319"],
    owasp: ["A02:2021"],
    pci: ["4.2.1"],
    remediation:
      "Terminate TLS (1.2 or later) in front of the server or in it (https.createServer with a certificate), redirect HTTP to HTTPS and send HSTS. If a load balancer already terminates TLS, make it visible in the code: app.set('trust proxy', 1) and a redirect of requests whose X-Forwarded-Proto is http.",
    references: [
      "https://cwe.mitre.org/data/definitions/319.html",
      "https://expressjs.com/en/guide/behind-proxies.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
      "https://nodejs.org/api/https.html#httpscreateserveroptions-requestlistener",
    ],
    tags: ["security", "tls", "card-data"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    const text = ctx.file.text;
    if (isTestPath(ctx.file.path) || !text.includes("listen(")) return {};
    const bindings = ctx.shared.bindings;
    /** Names bound to a server or app made in this file. */
    const servers = new Set<string>();
    let program: JsNode | null = null;
    let first: JsNode | null = null;

    const isServerValue = (node: JsNode): boolean => {
      let n = unwrap(node);
      if (n.type === "AwaitExpression") n = unwrap(n.argument);
      if (n.type === "Identifier") return servers.has(n.name);
      if (n.type === "CallExpression" || n.type === "NewExpression") return makesServer(bindings.resolve(n.callee));
      return false;
    };

    return {
      js: {
        Program(node) {
          program = node;
        },
        VariableDeclarator(node) {
          if (node.id.type === "Identifier" && node.init && isServerValue(node.init)) servers.add(node.id.name);
        },
        CallExpression(node) {
          if (first) return;
          const callee = unwrap(node.callee);
          if (callee.type !== "MemberExpression" || propertyName(callee) !== "listen" || !isServerValue(callee.object)) return;
          // listen(port, "127.0.0.1") / listen({ port, host: "localhost" })
          const host = literalString(node.arguments[1]) ?? hostOption(node.arguments[0]);
          if (host !== null && LOOPBACK.has(host)) return;
          first = node;
        },
      },
      end() {
        if (!first || !program) return;
        const files = projectFiles(program, ctx.file);
        if (files.some((f) => TLS_EVIDENCE.test(f.text)) || !namesCardData(files)) return;
        ctx.report({
          start: first.start,
          end: first.end,
          message:
            "This server speaks plain HTTP in an application that handles card data, and nothing in the project shows TLS in front of it. If a load balancer or proxy terminates TLS, show it in the code — app.set('trust proxy', …) with a redirect of X-Forwarded-Proto: http, or an HSTS header — and this finding clears; otherwise serve HTTPS.",
        });
      },
    };
  },
});

/** The `host` of a listen options object. */
function hostOption(node: JsNode | undefined): string | null {
  const n = node ? unwrap(node) : null;
  if (!n || n.type !== "ObjectExpression") return null;
  for (const p of n.properties) if (p.type === "Property" && propertyName(p) === "host") return literalString(p.value);
  return null;
}
