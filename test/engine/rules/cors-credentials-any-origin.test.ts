import rule from "../../../src/engine/rules/cors-credentials-any-origin";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const cors = require("cors");\napp.use(cors({ origin: ["https://shop.example.com"], credentials: true }));`,
    `const cors = require("cors");\nconst allowed = new Set(["https://shop.example.com"]);\napp.use(cors({ origin: (origin, cb) => cb(null, !origin || allowed.has(origin)), credentials: true }));`,
    `const cors = require("cors");\napp.use(cors({ origin: /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/, credentials: true }));`,
    // No credentials: a public API may answer any origin.
    `const cors = require("cors");\napp.use(cors());\napp.use(cors({ origin: true }));`,
    `import { cors } from "hono/cors";\napp.use("/api/*", cors({ origin: (o) => o }));`,
    // Reflected only after an exact check.
    `app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (ALLOWED_ORIGINS.includes(origin)) {\n    res.setHeader("Access-Control-Allow-Origin", origin);\n    res.setHeader("Access-Control-Allow-Credentials", "true");\n  }\n  next();\n});`,
    `app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (!allowed.has(origin)) return next();\n  res.setHeader("Access-Control-Allow-Origin", origin);\n  res.setHeader("Access-Control-Allow-Credentials", "true");\n  next();\n});`,
    // The value an allowlist function chose, not the request's Origin.
    `app.use(async (c, next) => {\n  const allowOrigin = await findAllowOrigin(c.req.header("origin") || "", c);\n  if (allowOrigin) c.header("Access-Control-Allow-Origin", allowOrigin);\n  c.header("Access-Control-Allow-Credentials", "true");\n  await next();\n});`,
    // Reflection without credentials.
    `app.use((req, res, next) => { res.setHeader("Access-Control-Allow-Origin", req.headers.origin); next(); });`,
    { path: "test/cors.test.js", code: `const cors = require("cors");\napp.use(cors({ origin: true, credentials: true }));` },
  ],
  invalid: [
    {
      code: `const cors = require("cors");\napp.use(cors({ origin: true, credentials: true }));`,
      errors: [{ line: 2, column: 24, severity: "high", message: /reflects every request's Origin \(`origin: true`\) and allows credentials/ }],
    },
    {
      code: `import cors from "cors";\nconst corsOptions = { origin: (origin, callback) => callback(null, true), credentials: true };\napp.use(cors(corsOptions));`,
      errors: [{ line: 2, column: 31, severity: "high", message: /accepts every origin in its origin callback/ }],
    },
    {
      code: `import { cors } from "hono/cors";\napp.use("/api/*", cors({ origin: (origin) => origin, credentials: true }));`,
      errors: [{ line: 2, column: 34, severity: "high", message: /returns every request's Origin/ }],
    },
    {
      code: `const cors = require("@koa/cors");\napp.use(cors({ credentials: true }));`,
      errors: [{ line: 2, column: 9, severity: "high", message: /@koa\/cors\) answers every request with its own Origin/ }],
    },
    {
      code: `app.enableCors({ origin: true, credentials: true });`,
      errors: [{ line: 1, column: 26, severity: "high" }],
    },
    {
      code: `fastify.register(require("@fastify/cors"), { origin: true, credentials: true });`,
      errors: [{ line: 1, column: 54, severity: "high" }],
    },
    {
      code: `const cors = require("cors");\napp.use(cors({ origin: "*", credentials: true }));`,
      errors: [{ line: 2, column: 24, severity: "low", message: /browsers refuse that pair/ }],
    },
    {
      code: `const cors = require("cors");\napp.use(cors({ origin: /example\\.com/, credentials: true }));`,
      errors: [{ line: 2, column: 24, severity: "medium", message: /unanchored pattern/ }],
    },
    {
      code: `const cors = require("cors");\napp.use(cors({\n  origin(origin, cb) {\n    if (!origin || origin.includes("example.com")) return cb(null, true);\n    cb(new Error("blocked"));\n  },\n  credentials: true,\n}));`,
      errors: [{ line: 4, column: 20, severity: "medium", message: /pass `origin\.includes\(…\)`/ }],
    },
    {
      code: `app.use((req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*");\n  res.setHeader("Access-Control-Allow-Credentials", "true");\n  next();\n});`,
      errors: [{ line: 2, column: 48, severity: "high", message: /copies the request's Origin/ }],
    },
    {
      code: `app.use("*", async (c, next) => {\n  const origin = c.req.header("Origin") ?? "";\n  if (origin.endsWith("example.com")) {\n    c.header("Access-Control-Allow-Origin", origin);\n    c.header("Access-Control-Allow-Credentials", "true");\n  }\n  await next();\n});`,
      errors: [{ line: 4, column: 45, severity: "medium", message: /origin\.endsWith/ }],
    },
  ],
});
