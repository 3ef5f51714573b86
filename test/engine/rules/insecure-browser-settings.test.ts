import rule from "../../../src/engine/rules/insecure-browser-settings";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const win = new BrowserWindow({ webPreferences: { preload: path.join(__dirname, "preload.js"), contextIsolation: true, nodeIntegration: false, sandbox: true } });`,
    // Values decided at run time.
    `new BrowserWindow({ webPreferences: { webSecurity: !isDev } });`,
    `const browser = await puppeteer.launch({ headless: "new", args: ["--no-sandbox", "--disable-setuid-sandbox", "--font-render-hinting=none"] });`,
    // A handler that decides per certificate.
    `app.on("certificate-error", (event, webContents, url, error, certificate, callback) => {\n  if (certificate.fingerprint === PINNED) { event.preventDefault(); callback(true); } else callback(false);\n});`,
    `session.defaultSession.setCertificateVerifyProc((request, callback) => callback(-3));`,
    // tls-verification-disabled's: not reported twice.
    `app.commandLine.appendSwitch("ignore-certificate-errors");\nconst b = await chromium.launch({ ignoreHTTPSErrors: true });`,
    { path: "test/e2e/setup.js", code: `const b = await puppeteer.launch({ args: ["--disable-web-security"] });` },
  ],
  invalid: [
    {
      code: `const win = new BrowserWindow({\n  width: 1200,\n  webPreferences: { nodeIntegration: true, contextIsolation: false },\n});`,
      errors: [{ line: 3, column: 3, severity: "high", message: /`nodeIntegration: true` gives page scripts Node\.js .*; `contextIsolation: false`/ }],
    },
    {
      code: `new BrowserWindow({ webPreferences: { sandbox: false, allowRunningInsecureContent: true } });`,
      errors: [
        { line: 1, column: 21, severity: "medium", message: /`sandbox: false` takes the renderer out of the OS sandbox; `allowRunningInsecureContent: true`/ },
      ],
    },
    {
      code: `const view = new BrowserView({ webPreferences: { webSecurity: false } });`,
      errors: [{ line: 1, column: 32, severity: "high", message: /same-origin policy/ }],
    },
    {
      code: `app.on("certificate-error", (event, webContents, url, error, certificate, callback) => {\n  event.preventDefault();\n  callback(true);\n});`,
      errors: [{ line: 1, column: 1, severity: "high", message: /calls callback\(true\) for every error/ }],
    },
    {
      code: `session.defaultSession.setCertificateVerifyProc((request, callback) => callback(0));`,
      errors: [{ line: 1, column: 1, message: /answers 0 \(trusted\)/ }],
    },
    {
      code: `app.commandLine.appendSwitch("disable-web-security");`,
      errors: [{ line: 1, column: 1, severity: "high", message: /--disable-web-security switch turns off the same-origin policy/ }],
    },
    {
      code: `const browser = await puppeteer.launch({\n  headless: true,\n  args: ["--no-sandbox", "--disable-web-security", "--ignore-certificate-errors"],\n});`,
      errors: [
        {
          line: 3,
          column: 3,
          severity: "high",
          message: /--disable-web-security \(turns off the same-origin policy .*\), --ignore-certificate-errors \(accepts any TLS certificate\)/,
        },
      ],
    },
    {
      code: `const browser = await chromium.launch({ args: ["--allow-running-insecure-content"] });`,
      errors: [{ line: 1, column: 41, severity: "medium" }],
    },
  ],
});
