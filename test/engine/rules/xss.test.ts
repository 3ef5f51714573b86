import rule from "../../../src/engine/rules/xss";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    {
      path: "app.js",
      code: `app.get("/o", (req, res) => res.render("orders/show", { note: req.query.note }));`,
      files: { "views/orders/show.ejs": "<p><%= note %></p>\n<%- include('footer') %>\n" },
    },
    {
      path: "app.js",
      code: `app.get("/o", (req, res) => res.render("show", { note: escapeHtml(req.query.note), n: Number(req.query.n) }));
const escapeHtml = require("escape-html");`,
      files: { "views/show.hbs": "<p>{{{note}}}</p><p>{{{n}}}</p>\n" },
    },
    {
      path: "app.js",
      code: `app.get("/o", (req, res) => res.render("show", { note: req.query.note }));`,
      files: { "views/show.njk": "<p>{{ note }}</p>\n" },
    },
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
    // A link whose scheme the code fixes, or checks, cannot become javascript:.
    { path: "src/a.jsx", code: `const q = new URLSearchParams(location.search).get("q");\nexport const A = () => <a href={"/orders/" + q}>x</a>;` },
    {
      path: "src/a.jsx",
      code: `const q = new URLSearchParams(location.search).get("q");\nexport const A = () => <a href={q.startsWith("https://") ? q : "/"}>x</a>;`,
    },
    { path: "src/a.jsx", code: `const q = new URLSearchParams(location.search).get("q");\nexport const A = () => <img src={q} />;` },
    {
      path: "src/a.js",
      code: `const u = new URL(location.hash.slice(1), location.origin);\nif (u.protocol === "javascript:") throw new Error("bad");\nwindow.open(u.href);`,
    },
    { path: "src/admin.js", code: `angular.module("admin", []).config(function ($sceProvider) { $sceProvider.enabled(true); });` },
    // jQuery 1.9+ reads text that does not start with "<" as a selector.
    { path: "src/a.js", code: `$("#row-" + location.hash.slice(1)).addClass("on");` },
    // Angular sanitizes what it binds unless the value was marked trusted.
    {
      path: "src/a.ts",
      code: `import { ActivatedRoute } from "@angular/router";\nexport class C { note = ""; constructor(private route: ActivatedRoute) { this.note = this.route.snapshot.queryParams["note"]; } }`,
    },
    {
      path: "src/A.vue",
      code: `<template><p>{{ note }}</p><p v-text="note"></p></template>\n<script setup>\nimport { useRoute } from "vue-router";\nconst note = useRoute().query.note;\n</script>\n`,
    },
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
    {
      path: "app.js",
      code: `app.get("/o", (req, res) => {
  res.render("orders/show", { note: req.query.note });
});`,
      files: { "views/orders/show.ejs": '<h1>Order</h1>\n<p><%= note %></p>\n<p class="n"><%- note %></p>\n' },
      errors: [
        {
          path: "views/orders/show.ejs",
          line: 3,
          column: 14,
          message: /req\.query\.note \(query string\) flows into <%- note %> in views\/orders\/show\.ejs, which ejs writes unescaped/,
        },
      ],
    },
    {
      path: "src/routes.js",
      code: `router.get("/p", (req, res) => res.render("profile", { user: { bio: req.query.bio } }));`,
      files: { "views/profile.hbs": "<div>{{user.bio}}</div>\n<div>{{{user.bio}}}</div>\n", "other/profile.hbs": "{{{user.bio}}}\n" },
      errors: [{ path: "views/profile.hbs", line: 2, column: 6 }],
    },
    {
      path: "app.js",
      code: `const nunjucks = require("nunjucks");
nunjucks.configure("views", { autoescape: false });
app.get("/s", (req, res) => res.render("search.njk", { q: req.query.q }));`,
      files: { "views/search.njk": "<p>Results for {{ q }}</p>\n" },
      errors: [
        { line: 2, column: 31, message: /switches off escaping for views\/search\.njk/ },
        { path: "views/search.njk", line: 1, column: 16, message: /switches nunjucks's escaping off/ },
      ],
    },
    {
      path: "app.js",
      code: `ctxRouter.get("/s", async (ctx) => ctx.render("search", { q: ctx.query.q }));`,
      files: { "views/search.pug": "p= q\ndiv!= q\n" },
      errors: [{ path: "views/search.pug", line: 2, column: 4 }],
    },
    {
      path: "src/Link.jsx",
      code: `export function Link() {
  const next = new URLSearchParams(location.search).get("next");
  return <a href={next}>Continue</a>;
}`,
      errors: [{ line: 3, column: 13, message: /flows into <a href> as a link URL/ }],
    },
    {
      path: "src/order-status.component.ts",
      code: `import { ActivatedRoute } from "@angular/router";
import { DomSanitizer } from "@angular/platform-browser";
export class OrderStatus {
  constructor(private route: ActivatedRoute, private sanitizer: DomSanitizer) {}
  banner() {
    return this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.queryParams["banner"]);
  }
}`,
      errors: [{ line: 6, column: 12, message: /page URL \(Angular router\).*past Angular's sanitizer/ }],
    },
    {
      path: "src/controller.js",
      code: `app.controller("Receipt", function ($scope, $location, $sce) {
  $scope.message = $sce.trustAsHtml($location.search().message);
});`,
      errors: [{ line: 2, column: 20 }],
    },
    {
      path: "src/admin.js",
      code: `angular.module("admin", []).config(function ($sceProvider) {
  $sceProvider.enabled(false);
});`,
      errors: [{ line: 2, column: 3, severity: "medium", message: /strict contextual escaping/ }],
    },
    {
      path: "src/widget.js",
      code: `$(decodeURIComponent(location.hash.slice(1))).appendTo("body");`,
      errors: [{ line: 1, column: 1, message: /jQuery builds elements/ }],
    },
    {
      // Second-order: what the page stored itself is the attacker's only through another flaw.
      path: "src/history.js",
      code: `const last = localStorage.getItem("lastSearch");
document.getElementById("h").innerHTML = "<b>" + last + "</b>";`,
      errors: [{ line: 2, column: 1, severity: "medium", message: /browser storage/ }],
    },
    {
      path: "src/cards.js",
      code: `fetch("/api/cards").then((r) => r.json()).then((cards) => {
  document.getElementById("c").innerHTML = cards[0].nickname;
});`,
      errors: [{ line: 2, column: 3, severity: "medium", message: /API response/ }],
    },
    {
      path: "src/Note.vue",
      code: `<template>
  <div v-html="note"></div>
</template>
<script setup>
import { useRoute } from "vue-router";
const note = useRoute().query.note;
</script>
`,
      errors: [{ line: 2, column: 16, message: /flows into v-html as HTML/ }],
    },
    {
      path: "src/Search.svelte",
      code: `<script>
  import { page } from "$app/stores";
  const q = $page.url.searchParams.get("q");
</script>
<p>{@html q}</p>`,
      errors: [{ line: 5, column: 11, message: /flows into \{@html\} as HTML/ }],
    },
  ],
});
