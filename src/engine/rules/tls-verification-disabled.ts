/**
 * TLS certificate verification switched off: `rejectUnauthorized: false` (Node https/tls,
 * axios and got agents, undici, pg and mysql `ssl` options), `NODE_TLS_REJECT_UNAUTHORIZED=0`,
 * request's `strictSSL: false`, a `checkServerIdentity` that accepts every host, MongoDB's
 * `tlsAllowInvalidCertificates`, superagent's `disableTLSCerts()`, Electron's
 * `ignore-certificate-errors`. Without verification anyone on the network path can present their
 * own certificate and read or alter the traffic, so PCI DSS 4.2.1 ("only trusted keys and
 * certificates are accepted") fails even though the connection is encrypted.
 *
 * Only literal values count (`rejectUnauthorized: !isDev` is left alone). In test files the
 * finding stays but drops to low severity. Text files (.env, Dockerfile, YAML, package.json
 * scripts, .npmrc) are read for NODE_TLS_REJECT_UNAUTHORIZED=0 and npm's strict-ssl=false.
 */
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { literalString, memberChain, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type Report } from "../rule";

/** Options whose literal false turns verification off. */
const OFF_WHEN_FALSE = new Set(["rejectUnauthorized", "strictSSL", "strictSsl", "sslValidate", "tlsValidate", "verifyPeer"]);
/** Options whose literal true turns verification off. */
const OFF_WHEN_TRUE = new Set([
  "tlsAllowInvalidCertificates",
  "tlsAllowInvalidHostnames",
  "tlsInsecure",
  "sslAllowInvalidCertificates",
  "sslAllowInvalidHostnames",
]);
/** Browser-automation switches (puppeteer, playwright, selenium): reported at medium severity. */
const BROWSER_IGNORE = new Set(["ignoreHTTPSErrors", "ignoreHttpsErrors", "acceptInsecureCerts"]);

const ENV_NAME = "NODE_TLS_REJECT_UNAUTHORIZED";

/** `false`, `0`, `!1`. */
function isFalse(node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return n.value === false || n.value === 0;
  return n.type === "UnaryExpression" && n.operator === "!" && unwrap(n.argument).type === "Literal" && unwrap(n.argument).value === 1;
}

function isTrue(node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return n.value === true;
  return n.type === "UnaryExpression" && n.operator === "!" && unwrap(n.argument).type === "Literal" && unwrap(n.argument).value === 0;
}

/** `"0"` or `0`: the value that disables verification through NODE_TLS_REJECT_UNAUTHORIZED. */
function isZero(node: JsNode): boolean {
  const n = unwrap(node);
  return (n.type === "Literal" && n.value === 0) || literalString(n) === "0";
}

/** Other libraries' names for "verify the certificate", compared lower-case without `_` or `-`. */
const VERIFY_OPTIONS = new Set([
  "verifyssl",
  "sslverify",
  "verifytls",
  "tlsverify",
  "verifycert",
  "verifycerts",
  "certverify",
  "verifycertificate",
  "verifycertificates",
  "validatecert",
  "validatecerts",
  "validatecertificate",
  "validatecertificates",
  "verifyservercertificate",
  "sslverifycertificate",
  "checkcertificate",
  "verifyhostname",
]);

/** `verifyCertificate`, `sslVerify`, `validate_certs`, `tls_verify`... */
function isGenericVerifyOption(name: string): boolean {
  return name.length <= 40 && VERIFY_OPTIONS.has(name.toLowerCase().replace(/[_-]/g, ""));
}

/** A function that returns nothing for every call, so every server identity passes. */
function acceptsEverything(node: JsNode): boolean {
  const fn = unwrap(node);
  if (!FUNCTION_TYPES.has(fn.type)) return false;
  const body = fn.body;
  if (body.type !== "BlockStatement") return isNothing(body);
  return body.body.every((s: JsNode) => s.type === "EmptyStatement" || (s.type === "ReturnStatement" && (!s.argument || isNothing(s.argument))));
}

function isNothing(node: JsNode): boolean {
  const n = unwrap(node);
  return (
    (n.type === "Identifier" && n.name === "undefined") || (n.type === "Literal" && n.value === null) || (n.type === "UnaryExpression" && n.operator === "void")
  );
}

/** `process.env.NODE_TLS_REJECT_UNAUTHORIZED`, `process.env["NODE_TLS_REJECT_UNAUTHORIZED"]`, `env.NODE_TLS_…`. */
function isEnvVariable(node: JsNode): boolean {
  const chain = memberChain(node);
  return chain !== null && chain.names[chain.names.length - 1] === ENV_NAME;
}

// .env / Dockerfile / YAML / package.json scripts: NODE_TLS_REJECT_UNAUTHORIZED=0, : "0", ENV … 0
const TEXT_ENV = /NODE_TLS_REJECT_UNAUTHORIZED["']?(?:[ \t]{0,8}[=:][ \t]{0,8}|[ \t]{1,8})["']?0(?![0-9.])/g;
const NPMRC_STRICT_SSL = /^[ \t]*strict-ssl[ \t]*=[ \t]*false\b/gm;

/** Every option, assignment and call this rule reports contains one of these (a cheap pre-check). */
const MENTIONS_SWITCH =
  /nauthorized|NAUTHORIZED|strictSS|strictSsl|ServerIdentity|TLSCerts|certificate-errors|AllowInvalid|nsecure|[Vv]alidate|VALIDATE|[Vv]erif|VERIF|HTTPSErrors|HttpsErrors/;

export default createRule({
  id: "tls-verification-disabled",
  meta: {
    title: "TLS certificate verification disabled",
    description:
      "Finds TLS connections that accept any certificate: rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED=0, strictSSL: false, a checkServerIdentity that accepts every host, and similar switches. Anyone on the network path can then intercept the traffic, so PCI DSS 4.2.1 (trusted, valid certificates only) is not met.",
    severity: "high",
    confidence: "high",
    category: "transport",
    cwe: ["CWE-295"],
    owasp: ["A07:2021", "A02:2021"],
    pci: ["4.2.1"],
    remediation:
      "Remove the switch and keep certificate verification on. For a private or self-signed CA, pass its certificate instead (the `ca` option, or NODE_EXTRA_CA_CERTS) so only that CA is trusted; for managed databases use the provider's CA bundle.",
    references: [
      "https://cwe.mitre.org/data/definitions/295.html",
      "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
      "https://nodejs.org/api/tls.html#tlsconnectoptions-callback",
      "https://withpci.com/requirements/4/4.2/4.2.1.html",
    ],
    tags: ["security", "tls"],
    languages: ["javascript", "typescript", "text"],
  },
  create(ctx) {
    const { file } = ctx;
    const test = isTestPath(file.path);
    const report = (node: { start: number; end: number }, message: string, severity?: Report["severity"]) => {
      ctx.report({ start: node.start, end: node.end, message, ...(test ? { severity: "low", confidence: "low" } : severity ? { severity } : {}) });
    };
    if (file.language === "text") {
      return {
        text() {
          const text = file.text;
          if (text.includes(ENV_NAME)) {
            for (const m of text.matchAll(TEXT_ENV)) {
              report(
                { start: m.index, end: m.index + m[0].length },
                `${ENV_NAME}=0 turns off certificate verification for every TLS connection the Node process makes.`,
              );
            }
          }
          if (file.path.endsWith(".npmrc") && text.includes("strict-ssl")) {
            for (const m of text.matchAll(NPMRC_STRICT_SSL)) {
              report(
                { start: m.index, end: m.index + m[0].length },
                "strict-ssl=false makes npm accept any certificate from the registry, so packages can be swapped in transit.",
              );
            }
          }
        },
      };
    }
    if (!MENTIONS_SWITCH.test(file.text)) return {};
    // Property names repeat across a file: normalise and look each up once.
    const verifyOptions = new Map<string, boolean>();
    const isVerifyOption = (name: string) => {
      let known = verifyOptions.get(name);
      if (known === undefined) verifyOptions.set(name, (known = isGenericVerifyOption(name)));
      return known;
    };
    return {
      js: {
        Property(node, parent) {
          if (parent?.type !== "ObjectExpression") return;
          const name = propertyName(node);
          if (name === null) return;
          const value = node.value;
          if (OFF_WHEN_FALSE.has(name) || isVerifyOption(name)) {
            if (isFalse(value)) report(node, `\`${name}: false\` accepts any TLS certificate, so the connection can be intercepted.`);
          } else if (OFF_WHEN_TRUE.has(name)) {
            if (isTrue(value)) report(node, `\`${name}: true\` accepts invalid TLS certificates or host names, so the connection can be intercepted.`);
          } else if (name === ENV_NAME) {
            if (isZero(value))
              report(node, `${ENV_NAME}=0 in this environment turns off certificate verification for every TLS connection of the child process.`);
          } else if (name === "checkServerIdentity") {
            if (acceptsEverything(value))
              report(node, "`checkServerIdentity` accepts every certificate's host name, so any valid certificate for any site is trusted.");
          } else if (BROWSER_IGNORE.has(name)) {
            if (isTrue(value)) report(node, `\`${name}: true\` makes the browser accept invalid certificates.`, "medium");
          }
        },
        AssignmentExpression(node) {
          if (node.operator !== "=") return;
          const left = unwrap(node.left);
          if (left.type !== "MemberExpression") return;
          if (isEnvVariable(left)) {
            if (isZero(node.right)) report(node, `Setting ${ENV_NAME} to 0 turns off certificate verification for every TLS connection in this process.`);
          } else if (OFF_WHEN_FALSE.has(propertyName(left) ?? "") && isFalse(node.right)) {
            report(node, `Setting \`${propertyName(left)}\` to false accepts any TLS certificate.`);
          }
        },
        CallExpression(node) {
          const callee = unwrap(node.callee);
          if (callee.type !== "MemberExpression") return;
          const method = propertyName(callee);
          if (method === "disableTLSCerts") {
            report(node, "superagent's disableTLSCerts() accepts any TLS certificate.");
          } else if (method === "appendSwitch" && literalString(node.arguments[0]) === "ignore-certificate-errors") {
            report(node, "Electron's ignore-certificate-errors switch accepts any TLS certificate in every window.");
          }
        },
      },
    };
  },
});
