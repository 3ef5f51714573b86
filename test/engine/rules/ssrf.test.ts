import rule from "../../../src/engine/rules/ssrf";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
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
  ],
});
