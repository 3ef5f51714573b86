/**
 * Electron and headless-browser switches that turn the browser's protections off. In Electron,
 * `nodeIntegration: true` or `contextIsolation: false` turn any XSS in a window into code
 * execution on the operator's machine (a payment back-office app then hands over its session and
 * its card data); `webSecurity: false` drops the same-origin policy; `allowRunningInsecureContent`
 * loads HTTP scripts into HTTPS pages; `sandbox: false` removes the renderer's OS sandbox. A
 * `certificate-error` handler that calls `callback(true)` or a certificate verify proc that
 * answers 0 trusts every certificate. Headless browsers launched with `--disable-web-security`,
 * `--ignore-certificate-errors` or `--allow-running-insecure-content` do the same for the pages
 * they render (often user-supplied HTML turned into PDF receipts).
 *
 * Not here (tls-verification-disabled reports them): `ignoreHTTPSErrors`, `acceptInsecureCerts`
 * and `app.commandLine.appendSwitch("ignore-certificate-errors")`. `--no-sandbox` is left alone:
 * containers commonly need it, and alone it opens nothing. Test files are skipped.
 */
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { literalString, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type Report } from "../rule";

/** webPreferences switches, the value that makes them unsafe, and how bad that is. */
const PREFERENCES = new Map<string, { unsafe: boolean; severity: NonNullable<Report["severity"]>; why: string }>([
  ["nodeIntegration", { unsafe: true, severity: "high", why: "gives page scripts Node.js (an XSS becomes code execution)" }],
  ["nodeIntegrationInWorker", { unsafe: true, severity: "high", why: "gives web workers Node.js" }],
  ["nodeIntegrationInSubFrames", { unsafe: true, severity: "high", why: "gives iframes Node.js" }],
  ["contextIsolation", { unsafe: false, severity: "high", why: "lets page scripts reach the preload script's privileged context" }],
  ["webSecurity", { unsafe: false, severity: "high", why: "turns off the same-origin policy" }],
  ["allowRunningInsecureContent", { unsafe: true, severity: "medium", why: "runs http:// scripts inside https:// pages" }],
  ["sandbox", { unsafe: false, severity: "medium", why: "takes the renderer out of the OS sandbox" }],
  ["enableRemoteModule", { unsafe: true, severity: "medium", why: "exposes the main process's modules to the renderer" }],
  ["experimentalFeatures", { unsafe: true, severity: "low", why: "enables untested Chromium features" }],
]);

/** Chromium switches of a headless browser's `args`. */
const BROWSER_ARGS = new Map<string, string>([
  ["--disable-web-security", "turns off the same-origin policy for every page it renders"],
  ["--ignore-certificate-errors", "accepts any TLS certificate"],
  ["--allow-running-insecure-content", "runs http:// scripts inside https:// pages"],
  ["--disable-site-isolation-trials", "turns off site isolation"],
]);

const MENTIONS =
  /webPreferences|certificate-error|appendSwitch|setCertificateVerifyProc|--disable-web-security|--ignore-certificate-errors|--allow-running-insecure-content|--disable-site-isolation/;

function literalBoolean(node: JsNode): boolean | null {
  const n = unwrap(node);
  return n.type === "Literal" && typeof n.value === "boolean" ? n.value : null;
}

/** The statements of a function body (an expression body counts as one). */
function bodyStatements(fn: JsNode): JsNode[] {
  return fn.body.type === "BlockStatement" ? fn.body.body : [{ type: "ExpressionStatement", expression: fn.body, start: fn.body.start, end: fn.body.end }];
}

/** Whether a function calls its callback parameter (`params[index]`) with `value` as its only argument, outside any condition. */
function callsBackWith(fn: JsNode, index: number, accepts: (arg: JsNode) => boolean): boolean {
  const param = fn.params[index];
  if (!param || param.type !== "Identifier") return false;
  return bodyStatements(fn).some((st) => {
    const e = st.type === "ExpressionStatement" ? unwrap(st.expression) : st.type === "ReturnStatement" && st.argument ? unwrap(st.argument) : null;
    return (
      !!e &&
      e.type === "CallExpression" &&
      unwrap(e.callee).type === "Identifier" &&
      unwrap(e.callee).name === param.name &&
      e.arguments.length >= 1 &&
      accepts(e.arguments[e.arguments.length - 1])
    );
  });
}

export default createRule({
  id: "insecure-browser-settings",
  meta: {
    title: "Electron or headless-browser security switched off",
    description:
      "Finds Electron windows with nodeIntegration, contextIsolation: false, webSecurity: false, allowRunningInsecureContent or sandbox: false, certificate-error handlers that trust every certificate, and headless browsers launched with --disable-web-security, --ignore-certificate-errors or --allow-running-insecure-content. Any script injected into such a page can run code on the machine, read other origins or intercept traffic.",
    severity: "high",
    confidence: "high",
    category: "transport",
    cwe: ["CWE-693", "CWE-749", "CWE-346", "CWE-295"],
    owasp: ["A05:2021"],
    pci: ["6.2.4", "4.2.1"],
    remediation:
      "Keep Electron's defaults (nodeIntegration: false, contextIsolation: true, sandbox: true, webSecurity: true) and expose only the functions the page needs through a preload script with contextBridge; never trust certificates in a certificate-error handler. Launch headless browsers without the switches, and give them a private CA with the proper flags instead of ignoring errors.",
    references: [
      "https://www.electronjs.org/docs/latest/tutorial/security",
      "https://cwe.mitre.org/data/definitions/693.html",
      "https://cwe.mitre.org/data/definitions/295.html",
      "https://pptr.dev/api/puppeteer.launchoptions",
    ],
    tags: ["security", "electron", "browser"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !MENTIONS.test(ctx.file.text)) return {};
    return {
      js: {
        Property(node, parent) {
          if (parent?.type !== "ObjectExpression") return;
          const name = propertyName(node);
          const value = unwrap(node.value);
          if (name === "webPreferences" && value.type === "ObjectExpression") {
            const found: Array<{ key: string; severity: NonNullable<Report["severity"]>; why: string }> = [];
            for (const p of value.properties) {
              const key = p.type === "Property" ? propertyName(p) : null;
              const rule = key === null ? undefined : PREFERENCES.get(key);
              if (rule && literalBoolean(p.value) === rule.unsafe) found.push({ key: `${key}: ${rule.unsafe}`, severity: rule.severity, why: rule.why });
            }
            if (found.length === 0) return;
            const severity = found.some((f) => f.severity === "high") ? "high" : found.some((f) => f.severity === "medium") ? "medium" : "low";
            ctx.report({
              start: node.start,
              end: node.end,
              severity,
              message: `This window's webPreferences switch protections off: ${found.map((f) => `\`${f.key}\` ${f.why}`).join("; ")}. Keep Electron's defaults and expose what the page needs through contextBridge.`,
              fingerprintKey: found.map((f) => f.key).join(","),
            });
          } else if (name === "args" && value.type === "ArrayExpression") {
            const found = value.elements
              .map((e: JsNode | null) => (e ? literalString(e) : null))
              .filter((s: string | null): s is string => s !== null)
              .map((s: string) => s.split("=")[0]!)
              .filter((s: string) => BROWSER_ARGS.has(s));
            if (found.length === 0) return;
            const certificates = found.includes("--ignore-certificate-errors");
            ctx.report({
              start: node.start,
              end: node.end,
              severity: found.includes("--disable-web-security") || certificates ? "high" : "medium",
              message: `The browser is launched with ${found.map((f: string) => `${f} (${BROWSER_ARGS.get(f)})`).join(", ")}: pages it renders — often user-supplied HTML — lose that protection.`,
              fingerprintKey: found.join(","),
            });
          }
        },
        CallExpression(node) {
          const callee = unwrap(node.callee);
          if (callee.type !== "MemberExpression") return;
          const method = propertyName(callee);
          // app.on("certificate-error", (event, webContents, url, error, cert, callback) => callback(true))
          if ((method === "on" || method === "once") && literalString(node.arguments[0]) === "certificate-error") {
            const handler = node.arguments[1] ? unwrap(node.arguments[1]) : null;
            if (handler && FUNCTION_TYPES.has(handler.type) && callsBackWith(handler, 5, (a) => literalBoolean(a) === true)) {
              ctx.report({
                start: node.start,
                end: node.end,
                message:
                  "This certificate-error handler calls callback(true) for every error, so Electron trusts any certificate: anyone on the network can impersonate the server. Let the error stand (or pin the one certificate you expect).",
              });
            }
          } else if (method === "setCertificateVerifyProc") {
            const proc = node.arguments[0] ? unwrap(node.arguments[0]) : null;
            if (
              proc &&
              FUNCTION_TYPES.has(proc.type) &&
              callsBackWith(proc, 1, (a) => {
                const n = unwrap(a);
                return n.type === "Literal" && n.value === 0;
              })
            ) {
              ctx.report({
                start: node.start,
                end: node.end,
                message:
                  "This certificate verify procedure answers 0 (trusted) for every certificate: Electron accepts any server certificate. Return -3 to use Chromium's verification, or check the certificate you expect.",
              });
            }
          } else if (method === "appendSwitch") {
            const sw = literalString(node.arguments[0]);
            const flag = sw === null ? null : `--${sw.replace(/^--/, "")}`;
            // ignore-certificate-errors is tls-verification-disabled's.
            if (flag && flag !== "--ignore-certificate-errors" && BROWSER_ARGS.has(flag)) {
              ctx.report({
                start: node.start,
                end: node.end,
                severity: "high",
                message: `Electron's ${flag} switch ${BROWSER_ARGS.get(flag)} in every window.`,
                fingerprintKey: flag,
              });
            }
          }
        },
      },
    };
  },
});
