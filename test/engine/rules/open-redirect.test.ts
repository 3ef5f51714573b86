import rule from "../../../src/engine/rules/open-redirect";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.get("/x", (req, res) => res.redirect("/products/" + req.params.id));`,
    `app.get("/x", (req, res) => res.redirect("/login?next=" + encodeURIComponent(req.query.next)));`,
    `app.get("/x", (req, res) => { if (req.query.next === "/home") res.redirect(req.query.next); });`,
    `app.get("/x", (req, res) => res.redirect("https://" + req.headers.host + req.url));`,
    { path: "src/middleware.ts", code: `export function middleware(request) { return NextResponse.redirect(new URL("/login", request.url)); }` },
    // A path on the site's own origin: no second "/" or "\" (read as "/"), no tab or line break (dropped by URL parsing) after the first.
    String.raw`app.get("/x", (req, res) => res.redirect(/^\/(?![/\\\t\n\r])/.test(req.query.next) ? req.query.next : "/"));`,
    String.raw`const LOCAL = /^\/(?![\s/\\])/; app.get("/x", (req, res) => { if (LOCAL.test(req.query.next)) res.redirect(req.query.next); });`,
  ],
  invalid: [
    {
      code: `app.get("/x", (req, res) => {
  res.redirect(req.query.returnTo);
});`,
      errors: [{ line: 2, column: 3, message: /req\.query\.returnTo \(query string\) flows into res\.redirect\(\) as the target of a redirect/ }],
    },
    {
      code: `app.get("/x", (req, res) => res.redirect(302, "/" + req.query.p));`,
      errors: [{ line: 1, column: 29 }],
    },
    {
      path: "src/page.js",
      code: `const next = new URLSearchParams(location.search).get("next");
location.href = next;`,
      errors: [{ line: 2, column: 1 }],
    },
    {
      // "/\attacker.example" passes this check, and browsers follow it to attacker.example.
      code: String.raw`app.get("/x", (req, res) => res.redirect(/^\/(?!\/)/.test(req.query.next) ? req.query.next : "/"));`,
      errors: [{ line: 1, column: 29 }],
    },
    {
      // With the m flag, ^ matches after a line break: "https://attacker.example\n/" passes.
      code: String.raw`app.get("/x", (req, res) => res.redirect(/^\/(?![/\\\t\n\r])/m.test(req.query.next) ? req.query.next : "/"));`,
      errors: [{ line: 1, column: 29 }],
    },
    {
      code: `router.get("/x", (ctx) => ctx.redirect(ctx.query.to));`,
      errors: [{ line: 1, column: 27 }],
    },
  ],
});
