import rule from "../../../src/engine/rules/cleartext-http-endpoint";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `await fetch("https://api.acme-pay.com/v1/charges");`,
    // Local, private and reserved hosts.
    `await fetch("http://localhost:3000/api");`,
    `await fetch("http://127.0.0.1/api");`,
    `await fetch("http://[::1]:8080/api");`,
    `await fetch("http://192.168.1.20/api");`,
    `await fetch("http://172.20.0.3/api");`,
    `await fetch("http://orders-service:8080/api");`,
    `await fetch("http://api.shop.internal/v1");`,
    `await fetch("http://printer.local/status");`,
    `await fetch("http://api.example.com/v1");`,
    `const baseURL = "http://sandbox.example.org";`,
    // Namespaces and schema ids, links, proxies.
    `const ns = "http://www.w3.org/2000/svg";`,
    `const schema = { $schema: "http://json-schema.org/draft-07/schema#", $id: "http://acme-pay.com/order.json" };`,
    `const docsUrl = "http://docs.acme-pay.com";`,
    `const HTTP_PROXY_URL = "http://proxy.acme-corp.com:3128";`,
    // Computed or incomplete hosts.
    "await fetch(`http://${host}/status`);",
    `const apiHost = "http://api." + region + ".acme-pay.com";`,
    // Not an endpoint: a plain string or a URL parser.
    `const message = "Visit http://acme-pay.com for details";`,
    `const u = new URL("http://acme-pay.com/a?b=1");`,
    `cache.get("http://acme-pay.com/a");`,
    // Test files are skipped.
    { path: "test/url.test.ts", code: `await fetch("http://api.acme-pay.com/v1");` },
  ],
  invalid: [
    {
      code: `await fetch("http://api.acme-shop.com/v1/orders");`,
      errors: [{ line: 1, column: 13, severity: "medium", message: /http:\/\/api\.acme-shop\.com\/v1\/orders \(fetch\)/ }],
    },
    {
      code: `const API_BASE_URL = "http://api.acme-pay.com/v1";`,
      errors: [{ line: 1, column: 22, severity: "high", message: /API_BASE_URL/ }],
    },
    {
      code: `import axios from "axios";\nconst client = axios.create({ baseURL: "http://orders.acme-shop.com" });\naxios.post("http://api.acme-shop.com/checkout", body);`,
      errors: [
        { line: 2, column: 40, severity: "medium" },
        { line: 3, column: 12, severity: "high" },
      ],
    },
    {
      // A constant used as the URL is reported where it is written.
      code: `const STATUS = "http://status.acme-shop.com";\nawait fetch(STATUS + "/ping");`,
      errors: [{ line: 1, column: 16 }],
    },
    {
      code: "await fetch(`http://status.acme-shop.com/${id}`);",
      errors: [{ line: 1, column: 13 }],
    },
    {
      // Credentials in the URL stay out of the message.
      code: `const endpoint = "http://svc:hunter22@api.acme-shop.com/v1";`,
      errors: [{ line: 1, column: 18, message: /http:\/\/api\.acme-shop\.com\/v1/ }],
    },
    {
      code: `const ws = new WebSocket("ws://stream.acme-shop.com/prices");\nxhr.open("POST", "http://legacy.acme-shop.com/submit");`,
      errors: [
        { line: 1, column: 26, message: /ws:\/\/.*Use wss:\/\// },
        { line: 2, column: 18 },
      ],
    },
    {
      code: `import got from "got";\nawait got.post("http://hooks.acme-shop.com/events", { json: event });\nthis.http.get("http://api.acme-shop.com/items");`,
      errors: [
        { line: 2, column: 16 },
        { line: 3, column: 15 },
      ],
    },
    {
      path: "src/Checkout.tsx",
      code: `export const Form = () => <form action="http://pay.acme-shop.com/submit" method="post" />;`,
      errors: [{ line: 1, column: 40, severity: "high", message: /<form action>/ }],
    },
    {
      code: `class PaymentsClient {\n  gatewayUrl = "http://gw.acme-pay.com";\n}`,
      errors: [{ line: 2, column: 16, severity: "high" }],
    },
  ],
});
