import rule from "../../../src/engine/rules/ssrf";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // A leading constant path keeps the base's host; query values cannot change it.
    `app.get("/p/:sku", (req, res) => fetch(new URL("/api/products/" + req.params.sku, "https://inventory.example")));`,
    `app.get("/s", (req, res) => {
  const u = new URL("/api/search", "https://inventory.example");
  u.searchParams.set("q", req.query.q);
  return fetch(u);
});`,
    `const url = require("url"); const axios = require("axios");
app.get("/m", (req, res) => axios.get(url.format({ protocol: "https", host: "inventory.example", pathname: "/api", query: { sku: req.query.sku } })));`,
    // Escaped text embeds nothing for the browser to fetch; pdfkit draws text, it renders no markup.
    `const escapeHtml = require("escape-html");
app.post("/r", async (req, res) => { const page = await browser.newPage(); await page.setContent("<p>" + escapeHtml(req.body.notes) + "</p>"); });`,
    `const PDFDocument = require("pdfkit"); app.post("/r", (req, res) => new PDFDocument().text(req.body.notes));`,
    `app.get("/x", async (req, res) => fetch("https://api.example.com/items/" + req.query.id));`,
    `app.get("/x", async (req, res) => fetch(\`\${process.env.API}/items/\${req.query.id}\`));`,
    `const axios = require("axios"); app.get("/x", (req, res) => axios.get("https://api.example.com/search", { params: { q: req.query.q } }));`,
    `const HOSTS = ["a.example.com"];
app.get("/x", async (req, res) => {
  const u = new URL(req.query.url);
  if (!HOSTS.includes(u.hostname)) return res.sendStatus(400);
  await fetch(u);
});`,
    // The request's own URL: same host.
    `export default { async fetch(request) { return fetch(request.url); } };`,
  ],
  invalid: [
    {
      code: `app.get("/x", async (req, res) => {
  const r = await fetch(req.query.url);
});`,
      errors: [{ line: 2, column: 19, message: /req\.query\.url \(query string\) flows into fetch\(\) as the URL of a server-side request/ }],
    },
    {
      code: `const axios = require("axios");
app.post("/x", (req, res) => axios({ method: "post", url: req.body.hook }));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      code: `import got from "got";
app.get("/x", (req, res) => got(\`https://\${req.query.tenant}.internal.example/api\`));`,
      errors: [{ line: 2, column: 29 }],
    },
    {
      code: `const https = require("https");
app.get("/x", (req, res) => https.request({ hostname: req.query.h, path: "/" }).end());`,
      errors: [{ line: 2, column: 29 }],
    },
    {
      code: `app.get("/shot", async (req, res) => {
  const page = await browser.newPage();
  await page.goto(req.query.url);
});`,
      errors: [{ line: 3, column: 9, message: /page\.goto\(\) as the URL a headless browser loads/ }],
    },
    {
      code: `app.post("/r", async (req, res) => {
  const page = await browser.newPage();
  await page.setContent("<h1>Receipt</h1>" + req.body.notes);
});`,
      errors: [{ line: 3, column: 9, message: /fetches what the markup embeds, file:\/\/ URLs included/ }],
    },
    {
      code: `const pdf = require("html-pdf");
app.post("/i", (req, res) => pdf.create("<body>" + req.body.html + "</body>").toBuffer(() => {}));`,
      errors: [{ line: 2, column: 30 }],
    },
    {
      // A whole input decides the host: the base is only a fallback.
      code: `app.get("/p", (req, res) => fetch(new URL(req.query.href, "https://inventory.example")));`,
      errors: [{ line: 1, column: 29 }],
    },
    {
      code: `const url = require("url"); const axios = require("axios");
app.get("/m", (req, res) => axios.get(url.format({ protocol: "https", host: req.query.mirror, pathname: "/api" })));`,
      errors: [{ line: 2, column: 29 }],
    },
    {
      code: `const axios = require("axios");
app.get("/c", (req, res) => axios.get(Buffer.concat([Buffer.from("https://"), Buffer.from(req.query.host)]).toString()));`,
      errors: [{ line: 2, column: 29 }],
    },
    {
      // Hex is letters and digits only, but after "https://" digits are a host: 2130706433 is 127.0.0.1.
      code: `const axios = require("axios");
app.get("/h", (req, res) => axios.get("https://" + Buffer.from(req.query.h).toString("hex")));`,
      errors: [{ line: 2, column: 29 }],
    },
  ],
});
