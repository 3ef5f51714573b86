import rule from "../../../src/engine/rules/xss";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.get("/x", (req, res) => res.json({ q: req.query.q }));`,
    `app.get("/x", (req, res) => res.send(req.body));`,
    `const escape = require("escape-html"); app.get("/x", (req, res) => res.send("<p>" + escape(req.query.q) + "</p>"));`,
    `app.get("/x", (req, res) => { res.type("text"); res.send("Hi " + req.query.q); });`,
    `app.get("/x", (req, res) => res.render("page", { q: req.query.q }));`,
    { path: "src/a.js", code: `el.textContent = location.hash;` },
    { path: "src/a.js", code: `el.innerHTML = DOMPurify.sanitize(location.hash);` },
    // Fastify sends strings as text/plain unless told otherwise.
    `fastify.get("/x", async (request, reply) => reply.send("Hi " + request.query.q));`,
    // Koa: text that does not start with "<" is sent as text/plain.
    `router.get("/x", (ctx) => { ctx.body = "Hello " + ctx.query.name; });`,
    { path: "src/a.jsx", code: `export const A = () => <p>{new URLSearchParams(location.search).get("q")}</p>;` },
  ],
  invalid: [
    {
      code: `app.get("/x", (req, res) => {
  res.send("<h1>Hello " + req.query.name + "</h1>");
});`,
      errors: [{ line: 2, column: 3, message: /req\.query\.name \(query string\) flows into res\.send\(\) in an HTML response/ }],
    },
    {
      path: "src/widget.js",
      code: `const q = new URLSearchParams(window.location.search).get("q");
document.getElementById("out").innerHTML = q;`,
      errors: [{ line: 2, column: 1 }],
    },
    {
      path: "src/widget.js",
      code: `window.addEventListener("message", (e) => {
  document.write(e.data);
});`,
      errors: [{ line: 2, column: 3 }],
    },
    {
      path: "src/Comp.jsx",
      code: `export function Comp() {
  const q = new URLSearchParams(location.search).get("bio");
  return <div dangerouslySetInnerHTML={{ __html: q }} />;
}`,
      errors: [{ line: 3, column: 15 }],
    },
    {
      code: `router.get("/x", (ctx) => {
  ctx.body = \`<p>\${ctx.query.name}</p>\`;
});`,
      errors: [{ line: 2, column: 3 }],
    },
    {
      path: "src/app.ts",
      code: `app.get("/x", (c) => c.html("<b>" + c.req.query("q") + "</b>"));`,
      errors: [{ line: 1, column: 22 }],
    },
  ],
});
