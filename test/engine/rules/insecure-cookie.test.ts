import rule from "../../../src/engine/rules/insecure-cookie";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const session = require("express-session");\napp.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: true, sameSite: "lax" } }));`,
    // Decided at run time, or set for production after the options are built (express-session's README).
    `const session = require("express-session");\napp.use(session({ secret: s, cookie: { secure: process.env.NODE_ENV === "production", sameSite: "strict" } }));`,
    `const session = require("express-session");\nconst sess = { secret: s, cookie: { sameSite: "lax" } };\nif (app.get("env") === "production") { app.set("trust proxy", 1); sess.cookie.secure = true; }\napp.use(session(sess));`,
    `const COOKIE = { httpOnly: true, secure: true, sameSite: "strict" };\napp.post("/login", (req, res) => { res.cookie("session", token, { ...COOKIE, maxAge: 3600e3 }); });`,
    // Not a session or token cookie.
    `app.get("/", (req, res) => { res.cookie("theme", "dark"); res.cookie("locale", req.query.lang); });`,
    // A CSRF token cookie is meant to be readable by scripts.
    `app.use((req, res, next) => { res.cookie("XSRF-TOKEN", req.csrfToken(), { secure: true, sameSite: "strict" }); next(); });`,
    // Options we cannot read.
    `app.post("/login", (req, res) => { res.cookie("token", token, cookieOptions(req)); });`,
    `res.setHeader("Set-Cookie", \`sid=\${id}; \${attributes}\`);`,
    `res.setHeader("Set-Cookie", \`sid=\${id}; Path=/; Max-Age=\${ttl}; HttpOnly; Secure; SameSite=Lax\`);`,
    { path: "test/session.test.js", code: `app.post("/login", (req, res) => { res.cookie("token", token); });` },
  ],
  invalid: [
    {
      code: `const session = require("express-session");\napp.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));`,
      errors: [{ line: 2, column: 9, severity: "medium", message: /"connect\.sid" cookie \(express-session\) is set without Secure, SameSite/ }],
    },
    {
      code: `import session from "express-session";\napp.use(session({ name: "pay.sid", secret: s, cookie: { secure: false, httpOnly: false, sameSite: "lax" } }));`,
      errors: [{ line: 2, column: 55, message: /"pay\.sid" cookie .* without Secure, HttpOnly:/ }],
    },
    {
      code: `const cookieSession = require("cookie-session");\napp.use(cookieSession({ name: "session", keys: [process.env.KEY], sameSite: "none" }));`,
      errors: [{ line: 2, column: 9, message: /without Secure, SameSite/ }],
    },
    {
      code: `app.post("/login", async (req, res) => {\n  const accessToken = await issue(req.user);\n  res.cookie("at", accessToken, { httpOnly: true, sameSite: "lax" });\n});`,
      errors: [{ line: 3, column: 3, severity: "medium", message: /"at" cookie \(res\.cookie\) is set without Secure:/ }],
    },
    {
      code: `app.post("/login", (req, res) => { res.cookie("remember_me", id, { secure: true, httpOnly: true }); });`,
      errors: [{ line: 1, column: 36, severity: "low", message: /without SameSite:/ }],
    },
    {
      code: `router.post("/login", async (ctx) => {\n  ctx.cookies.set("session_id", id, { signed: true });\n});`,
      errors: [{ line: 2, column: 3, message: /ctx\.cookies\.set\) is set without Secure, SameSite/ }],
    },
    {
      code: `import { setCookie } from "hono/cookie";\napp.post("/login", (c) => {\n  setCookie(c, "refresh_token", refreshToken, { path: "/", secure: true });\n  return c.json({ ok: true });\n});`,
      errors: [{ line: 3, column: 3, message: /"refresh_token" cookie \(setCookie\) is set without HttpOnly, SameSite/ }],
    },
    {
      code: `fastify.post("/login", async (request, reply) => {\n  reply.setCookie("token", jwt, { path: "/" });\n});`,
      errors: [{ line: 2, column: 3, message: /reply\.setCookie/ }],
    },
    {
      code: `import { cookies } from "next/headers";\nexport async function login() {\n  (await cookies()).set("session", sessionToken, { httpOnly: true, secure: true });\n}`,
      errors: [{ line: 3, column: 3, severity: "low", message: /cookies\(\)\.set\) is set without SameSite/ }],
    },
    {
      code: `res.setHeader("Set-Cookie", "sid=" + sessionId + "; Path=/; HttpOnly");`,
      errors: [{ line: 1, column: 29, message: /"sid" cookie \(Set-Cookie header\) is set without Secure, SameSite/ }],
    },
    {
      code: `return new Response(null, { status: 302, headers: { Location: "/", "Set-Cookie": \`auth=\${token}; Path=/; Max-Age=\${ttl}\` } });`,
      errors: [{ line: 1, column: 82, message: /"auth" cookie .* without Secure, HttpOnly, SameSite/ }],
    },
  ],
});
