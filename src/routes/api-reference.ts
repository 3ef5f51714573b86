/**
 * GET /docs — a readable API reference rendered on the server from the same OpenAPI document as
 * /openapi.json: no scripts, no third-party assets, so it works behind strict CSPs and offline.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../env";
import { buildOpenApi } from "../openapi";
import type { RouteDef } from "./route";

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
};

export function renderReference(doc: ReturnType<typeof buildOpenApi>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const auth = op.security?.length ? Object.entries(op.security[0]!).map(([k, v]) => `${k}${v.length ? ` (${v.join(", ")})` : ""}`).join(", ") : "none";
      const params = (op.parameters ?? []).map((p) => `<li><code>${esc(p.name)}</code> in ${esc(p.in)}${p.required ? " (required)" : ""} <code>${esc(JSON.stringify(p.schema))}</code></li>`).join("");
      const body = op.requestBody ? `<h4>Request body</h4><pre>${esc(JSON.stringify(op.requestBody.content["application/json"]?.schema, null, 2))}</pre>` : "";
      const responses = Object.entries(op.responses).map(([status, r]) => `<li><b>${esc(status)}</b> ${esc(r.description)}</li>`).join("");
      sections.push(`<section id="${esc(method + path)}"><h3><span class="m">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}${op.description ? ` — ${esc(op.description)}` : ""}</p><p>Auth: ${esc(auth)}</p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${body}<h4>Responses</h4><ul>${responses}</ul></section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.75rem;overflow:auto;max-height:24rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}</style>
</head><body><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p><p>Version ${esc(info.version)} · machine-readable: <a href="/openapi.json">/openapi.json</a> · errors are <code>application/problem+json</code> (RFC 9457) with a <code>code</code> and the <code>requestId</code>.</p>
${sections.join("\n")}</body></html>`;
}

export function apiReference(routes: () => readonly RouteDef[]): RouteDef {
  let cached: string | undefined;
  return {
    method: "get",
    path: "/docs",
    operationId: "getApiReference",
    summary: "This API's reference, as a web page",
    tags: ["operations"],
    auth: "none",
    responses: { 200: { description: "HTML page", contentType: "text/html" } },
    register(app: Hono<AppEnv>) {
      app.get("/docs", (c) => {
        c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
        return c.html((cached ??= renderReference(buildOpenApi(routes()))));
      });
    },
  };
}
