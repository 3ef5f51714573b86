/** Where attacker data enters, per framework, and what does not count as attacker data. */
import { describe, expect, it } from "vitest";
import { taintHits, where } from "./taint-harness";

describe("sources", () => {
  it.each([
    ["Express req.query", "src/a.js", `app.get("/x", (req, res) => res.send("<p>" + req.query.q));`, "req.query.q"],
    ["Express req.get()", "src/a.js", `app.get("/x", (req, res) => res.send("<p>" + req.get("x-name")));`, 'req.get("x-name")'],
    [
      "Express, unusual parameter names",
      "src/a.js",
      `const express = require("express"); const app = express(); app.get("/x", (rq, rs) => rs.send("<p>" + rq.params.id));`,
      "rq.params.id",
    ],
    ["Koa ctx.request.body", "src/a.js", `router.post("/x", async (ctx) => { ctx.body = "<p>" + ctx.request.body.name; });`, "ctx.request.body.name"],
    ["Hono c.req.param()", "src/a.ts", `app.get("/x/:id", (c) => c.html("<p>" + c.req.param("id")));`, 'c.req.param("id")'],
    [
      "Fastify request.body",
      "src/a.js",
      `fastify.post("/x", async (request, reply) => reply.type("text/html").send("<p>" + request.body.name));`,
      "request.body.name",
    ],
    [
      "a Next.js route's search params",
      "app/x/route.ts",
      `export async function GET(request) { return new Response("<p>" + request.nextUrl.searchParams.get("q"), { headers: { "content-type": "text/html" } }); }`,
      'request.nextUrl.searchParams.get("q")',
    ],
    [
      "a Next.js route's params",
      "app/x/[id]/route.ts",
      `export async function GET(request, { params }) { return new Response("<p>" + params.id, { headers: { "content-type": "text/html" } }); }`,
      "context.params.id",
    ],
    ["a NestJS @Query parameter", "src/x.controller.ts", `class C { @Get() f(@Query("q") q: string, @Res() res) { res.send("<p>" + q); } }`, '@Query("q")'],
    ["location.hash", "src/a.js", `el.innerHTML = location.hash;`, "location.hash"],
    ["document.referrer", "src/a.js", `el.innerHTML = document.referrer;`, "document.referrer"],
    ["a postMessage event", "src/a.js", `window.addEventListener("message", (e) => { el.innerHTML = e.data; });`, "e.data"],
    ["a WebSocket message", "src/a.js", `ws.on("message", (data) => { el.innerHTML = data; });`, "data"],
    ["a GraphQL resolver's arguments", "src/a.js", `const resolvers = { Query: { page: (_p, args) => { el.innerHTML = args.html; } } };`, "args.html"],
    ["a Remix loader", "app/routes/x.tsx", `export async function loader({ params }) { el.innerHTML = params.slug; }`, "context.params.slug"],
    [
      "a server action",
      "app/actions.ts",
      `"use server";
export async function save(form) { el.innerHTML = form.get("bio"); }`,
      'form.get("bio")',
    ],
    ["an AWS Lambda event", "src/a.js", `exports.handler = async (event) => { el.innerHTML = event.body; };`, "event.body"],
    ["an AMQP message", "src/a.js", `channel.consume("jobs", (msg) => { el.innerHTML = msg.content.toString(); });`, "msg.content"],
    [
      "a hapi payload",
      "src/a.js",
      `server.route({ method: "POST", path: "/", handler: (request, h) => { el.innerHTML = request.payload.bio; } });`,
      "request.payload.bio",
    ],
    [
      "React Router search params",
      "src/a.jsx",
      `import { useSearchParams } from "react-router-dom";
export function A() { const [p] = useSearchParams(); el.innerHTML = p.get("q"); }`,
      'p.get("q")',
    ],
  ])("%s", (_name, path, code, label) => {
    const { hits } = taintHits(code, path);
    expect(hits.map((h) => h.rule)).toEqual(["xss"]);
    expect(hits[0]!.message.startsWith(label + " (")).toBe(true);
  });

  it("command-line arguments are the operator's own input: low confidence", () => {
    const { hits } = taintHits(`const { execSync } = require("child_process"); execSync("git checkout " + process.argv[2]);`);
    expect(hits.map((h) => `${h.rule} ${h.confidence}`)).toEqual(["command-injection low"]);
  });

  it.each([
    ["process.env", `el.innerHTML = process.env.BANNER;`],
    ["server-set request fields", `app.get("/x", (req, res) => res.send("<p>" + req.user.name + req.ip));`],
    ["lifecycle events", `server.on("connection", (socket) => { el.innerHTML = socket; });`],
    ["a click event", `button.addEventListener("click", (e) => { el.innerHTML = e.target.value; });`],
    ["location.origin", `el.innerHTML = location.origin;`],
  ])("not a source: %s", (_name, code) => {
    expect(where(code)).toEqual([]);
  });
});
