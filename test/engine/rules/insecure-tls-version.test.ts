import rule from "../../../src/engine/rules/insecure-tls-version";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `tls.createServer({ minVersion: "TLSv1.2" });`,
    `new https.Agent({ minVersion: "TLSv1.3", maxVersion: "TLSv1.3" });`,
    `new https.Agent({ secureProtocol: "TLS_method" });`,
    `tls.createServer({ ciphers: "HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA" });`,
    `tls.createServer({ ciphers: "TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256" });`,
    `tls.DEFAULT_MIN_VERSION = "TLSv1.2";`,
    `const v = { minVersion: process.env.TLS_MIN };`,
    { path: "package.json", code: `{ "scripts": { "start": "node --tls-min-v1.2 server.js" } }` },
  ],
  invalid: [
    {
      code: `tls.createServer({ key, cert, minVersion: "TLSv1" });`,
      errors: [{ line: 1, column: 31, severity: "high", message: /`minVersion` set to TLSv1 allows early TLS/ }],
    },
    {
      code: `const agent = new https.Agent({\n  maxVersion: "TLSv1.1",\n  secureProtocol: "SSLv3_method",\n});`,
      errors: [
        { line: 2, column: 3, message: /maxVersion/ },
        { line: 3, column: 3, message: /SSLv3_method/ },
      ],
    },
    {
      code: `tls.createServer({ ciphers: "ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA:!RC4" });`,
      errors: [{ line: 1, column: 20, message: /DES-CBC3-SHA/ }],
    },
    {
      code: `tls.createServer({ ciphers: "DEFAULT:@SECLEVEL=0" });\ntls.createServer({ ciphers: "TLS_RSA_WITH_RC4_128_SHA" });`,
      errors: [
        { line: 1, column: 20, message: /@SECLEVEL=0/ },
        { line: 2, column: 20, message: /RC4/ },
      ],
    },
    {
      code: `import tls from "node:tls";\ntls.DEFAULT_MIN_VERSION = "TLSv1.1";`,
      errors: [{ line: 2, column: 1, message: /DEFAULT_MIN_VERSION/ }],
    },
    {
      path: "package.json",
      code: `{\n  "scripts": { "start": "node --tls-min-v1.0 server.js" }\n}`,
      errors: [{ line: 2, column: 31, message: /--tls-min-v1\.0/ }],
    },
  ],
});
