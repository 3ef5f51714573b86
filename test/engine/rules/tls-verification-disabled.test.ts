import rule from "../../../src/engine/rules/tls-verification-disabled";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `new https.Agent({ rejectUnauthorized: true });`,
    `new https.Agent({ ca: fs.readFileSync("ca.pem") });`,
    `new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === "production" });`,
    `const insecure = process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0";`,
    `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";`,
    `tls.connect({ host, checkServerIdentity: (host, cert) => tls.checkServerIdentity(host, cert) });`,
    `tls.connect({ host, checkServerIdentity(host, cert) { if (!ok(cert)) return new Error("bad"); } });`,
    `const opts = { strictSSL: true, verifyCertificate: true };`,
    // A destructuring pattern is not an options object.
    `const { rejectUnauthorized = false } = options;`,
    { path: ".env", code: "NODE_TLS_REJECT_UNAUTHORIZED=1\nNODE_EXTRA_CA_CERTS=/etc/ca.pem\n" },
    { path: "config/app.yaml", code: 'env:\n  NODE_TLS_REJECT_UNAUTHORIZED: "10"\n' },
    { path: ".npmrc", code: "strict-ssl=true\n" },
  ],
  invalid: [
    {
      code: `const agent = new https.Agent({ rejectUnauthorized: false });`,
      errors: [{ line: 1, column: 33, severity: "high", message: /`rejectUnauthorized: false`/ }],
    },
    {
      code: `const pool = new Pool({\n  ssl: { rejectUnauthorized: 0 },\n});`,
      errors: [{ line: 2, column: 10 }],
    },
    {
      code: `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\nprocess.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0;`,
      errors: [
        { line: 1, column: 1, message: /NODE_TLS_REJECT_UNAUTHORIZED to 0/ },
        { line: 2, column: 1 },
      ],
    },
    {
      code: `https.globalAgent.options.rejectUnauthorized = false;`,
      errors: [{ line: 1, column: 1 }],
    },
    {
      code: `request({ url, strictSSL: false });\nconst m = { tlsAllowInvalidCertificates: true, sslValidate: false, verify_ssl: false };`,
      errors: [
        { line: 1, column: 16 },
        { line: 2, column: 13 },
        { line: 2, column: 48 },
        { line: 2, column: 68 },
      ],
    },
    {
      code: `tls.connect({ host, checkServerIdentity: () => undefined });\ntls.connect({ host, checkServerIdentity: function () {} });`,
      errors: [
        { line: 1, column: 21, message: /checkServerIdentity/ },
        { line: 2, column: 21 },
      ],
    },
    {
      code: `fork("w.js", { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0" } });`,
      errors: [{ line: 1, column: 39 }],
    },
    {
      code: `superagent.get(url).disableTLSCerts();\napp.commandLine.appendSwitch("ignore-certificate-errors");`,
      errors: [
        { line: 1, column: 1, message: /superagent/ },
        { line: 2, column: 1, message: /Electron/ },
      ],
    },
    {
      code: `const browser = await puppeteer.launch({ ignoreHTTPSErrors: true });`,
      errors: [{ line: 1, column: 42, severity: "medium" }],
    },
    {
      // Test files keep the finding at low severity.
      path: "test/client.test.ts",
      code: `const agent = new https.Agent({ rejectUnauthorized: false });`,
      errors: [{ line: 1, column: 33, severity: "low", confidence: "low" }],
    },
    {
      path: ".env.staging",
      code: "PORT=8080\nNODE_TLS_REJECT_UNAUTHORIZED=0\n",
      errors: [{ line: 2, column: 1, message: /NODE_TLS_REJECT_UNAUTHORIZED=0/ }],
    },
    {
      path: "package.json",
      code: `{\n  "scripts": {\n    "start": "NODE_TLS_REJECT_UNAUTHORIZED=0 node server.js"\n  }\n}\n`,
      errors: [{ line: 3, column: 15 }],
    },
    {
      path: "docker-compose.yml",
      code: `services:\n  api:\n    environment:\n      NODE_TLS_REJECT_UNAUTHORIZED: "0"\n`,
      errors: [{ line: 4, column: 7 }],
    },
    {
      path: "Dockerfile",
      code: "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n",
      errors: [{ line: 2, column: 5 }],
    },
    {
      path: ".npmrc",
      code: "registry=https://registry.npmjs.org/\nstrict-ssl=false\n",
      errors: [{ line: 2, column: 1, message: /strict-ssl=false/ }],
    },
  ],
});
