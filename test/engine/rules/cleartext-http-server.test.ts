import rule from "../../../src/engine/rules/cleartext-http-server";
import { ruleCases } from "./rule-tester";

const CHECKOUT = `app.post("/pay", async (req, res) => {\n  const { cardNumber, cvv } = req.body;\n  res.json(await charge(cardNumber, cvv));\n});`;

ruleCases(rule, {
  valid: [
    // No card data in the project.
    `const express = require("express");\nconst app = express();\napp.get("/", (req, res) => res.send("ok"));\napp.listen(3000);`,
    // TLS in front of it, made visible.
    `const express = require("express");\nconst app = express();\napp.set("trust proxy", 1);\n${CHECKOUT}\napp.listen(process.env.PORT);`,
    `const https = require("https");\nconst express = require("express");\nconst app = express();\n${CHECKOUT}\nhttps.createServer({ key, cert }, app).listen(443);`,
    `const express = require("express");\nconst helmet = require("helmet");\nconst app = express();\napp.use(helmet.hsts({ maxAge: 31536000 }));\n${CHECKOUT}\napp.listen(8080);`,
    // Loopback only.
    `const express = require("express");\nconst app = express();\n${CHECKOUT}\napp.listen(8080, "127.0.0.1");`,
    // Not a server this rule knows.
    `const app = makeApp();\n${CHECKOUT}\napp.listen(8080);`,
    { path: "test/server.test.js", code: `const express = require("express");\nconst app = express();\n${CHECKOUT}\napp.listen(0);` },
  ],
  invalid: [
    {
      code: `const express = require("express");\nconst app = express();\n${CHECKOUT}\napp.listen(process.env.PORT || 8080, () => console.log("up"));`,
      errors: [{ line: 7, column: 1, severity: "low", message: /plain HTTP in an application that handles card data.*trust proxy/ }],
    },
    {
      code: `import http from "node:http";\nimport { handler } from "./handler";\nhttp.createServer(handler).listen(80);`,
      path: "src/server.ts",
      files: {
        "src/handler.ts": `export function handler(req, res) {\n  const payment = JSON.parse(body(req));\n  store(payment.card_number, payment.expiry);\n}`,
      },
      errors: [{ line: 3, column: 1, severity: "low" }],
    },
    {
      code: `const Fastify = require("fastify");\nconst fastify = Fastify({ logger: true });\nfastify.post("/charge", async (request) => charge(request.body.pan_number, request.body.cvc));\nfastify.listen({ port: 3000, host: "0.0.0.0" });`,
      errors: [{ line: 4, column: 1 }],
    },
  ],
});
