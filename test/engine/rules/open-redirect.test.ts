import rule from "../../../src/engine/rules/open-redirect";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.get("/x", (req, res) => res.redirect("/products/" + req.params.id));`,
    `app.get("/x", (req, res) => res.redirect("/login?next=" + encodeURIComponent(req.query.next)));`,
    `app.get("/x", (req, res) => { if (req.query.next === "/home") res.redirect(req.query.next); });`,
    `app.get("/x", (req, res) => res.redirect("https://" + req.headers.host + req.url));`,
    { path: "src/middleware.ts", code: `export function middleware(request) { return NextResponse.redirect(new URL("/login", request.url)); }` },
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
      code: `router.get("/x", (ctx) => ctx.redirect(ctx.query.to));`,
      errors: [{ line: 1, column: 27 }],
    },
  ],
});
