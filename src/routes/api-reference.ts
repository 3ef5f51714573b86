/**
 * GET /docs — a readable API reference rendered on the server from the same OpenAPI document as
 * /openapi.json: no scripts, no third-party assets, so it works behind strict CSPs and offline.
 */
import { buildOpenApi } from "../openapi";
import { defineRoute, type RouteDef } from "./route";

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Ref = { $ref: string };
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: unknown };
type Header = { description: string; required?: boolean; schema: unknown };
type Response = { description: string; headers?: Record<string, Ref>; content?: Record<string, { schema: unknown; example?: unknown }> };
type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<Parameter | Ref>;
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, Response | Ref>;
};
type Components = {
  schemas: Record<string, unknown>;
  responses: Record<string, Response>;
  headers: Record<string, Header>;
  parameters: Record<string, Parameter>;
};

/** A schema as JSON, its `$ref`s linked to the schema sections below. */
function schemaHtml(schema: unknown): string {
  return esc(JSON.stringify(schema, null, 2)).replace(/&#34;#\/components\/schemas\/(\w+)&#34;/g, (_, id: string) => `<a href="#schema-${id}">${id}</a>`);
}

/** A body: its media type, and its schema (a link when named) with the documented example. */
function contentHtml(content: Record<string, { schema: unknown; example?: unknown }>): string {
  return Object.entries(content)
    .map(([type, media]) => {
      const ref = (media.schema as Partial<Ref>).$ref?.split("/").pop();
      const schema = ref ? `<a href="#schema-${esc(ref)}">${esc(ref)}</a>` : `<code>${schemaHtml(media.schema)}</code>`;
      const example =
        media.example === undefined ? "" : `<details><summary>Example</summary><pre>${esc(JSON.stringify(media.example, null, 2))}</pre></details>`;
      return `<code>${esc(type)}</code> ${schema}${example}`;
    })
    .join("<br>");
}

export function renderReference(doc: ReturnType<typeof buildOpenApi>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const components = doc.components as Components;
  const resolve = <T>(kind: keyof Components, value: T | Ref): T =>
    "$ref" in (value as object) ? (components[kind][(value as Ref).$ref.split("/").pop()!] as T) : (value as T);
  const headerLink = (name: string) => `<a href="#header-${esc(name)}"><code>${esc(name)}</code></a>`;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const auth = op.security?.length
        ? Object.entries(op.security[0]!)
            .map(([k, v]) => `${k}${v.length ? ` (${v.join(", ")})` : ""}`)
            .join(", ")
        : "none";
      const params = (op.parameters ?? [])
        .map((ref) => resolve<Parameter>("parameters", ref))
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> in ${esc(p.in)}${p.required ? " (required)" : ""}${p.description ? ` — ${esc(p.description)}` : ""} <code>${schemaHtml(p.schema)}</code></li>`,
        )
        .join("");
      const body = op.requestBody ? `<h4>Request body</h4><p>${contentHtml(op.requestBody.content)}</p>` : "";
      const responses = Object.entries(op.responses)
        .map(([status, ref]) => {
          const r = resolve<Response>("responses", ref);
          const headers = Object.keys(r.headers ?? {})
            .map(headerLink)
            .join(", ");
          return `<tr><td><b>${esc(status)}</b></td><td>${esc(r.description)}</td><td>${r.content ? contentHtml(r.content) : "no body"}</td><td>${headers}</td></tr>`;
        })
        .join("");
      sections.push(`<section id="${esc(method + path)}"><h3><span class="m">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}${op.description ? ` — ${esc(op.description)}` : ""}</p><p>Auth: ${esc(auth)}</p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${body}<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th><th>Headers</th></tr>${responses}</table></section>`);
    }
  }
  const headers = Object.entries(components.headers)
    .map(
      ([name, h]) =>
        `<tr id="header-${esc(name)}"><td><code>${esc(name)}</code></td><td>${esc(h.description)}${h.required ? "" : " (not on every such response)"}</td><td><code>${schemaHtml(h.schema)}</code></td></tr>`,
    )
    .join("");
  const schemas = Object.entries(components.schemas)
    .map(([id, schema]) => `<section id="schema-${esc(id)}"><h3>${esc(id)}</h3><pre>${schemaHtml(schema)}</pre></section>`)
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.75rem;overflow:auto;max-height:24rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;vertical-align:top}</style>
</head><body><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p><p>Version ${esc(info.version)} · machine-readable: <a href="/openapi.json">/openapi.json</a> · errors are <code>application/problem+json</code> (RFC 9457, schema <a href="#schema-Problem">Problem</a>) with a <code>code</code> and the <code>requestId</code> · every response carries ${["RateLimit", "RateLimit-Policy", "X-Request-Id"].map(headerLink).join(", ")}.</p>
<h2>Operations</h2>
${sections.join("\n")}
<h2>Response headers</h2><table>${headers}</table>
<h2>Schemas</h2>
${schemas}</body></html>`;
}

export function apiReference(routes: () => readonly RouteDef[]): RouteDef {
  let cached: string | undefined;
  return defineRoute({
    method: "get",
    path: "/docs",
    operationId: "getApiReference",
    summary: "This API's reference, as a web page",
    tags: ["operations"],
    auth: "none",
    responses: { 200: { description: "HTML page", contentType: "text/html" } },
    handler(c) {
      c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
      return c.html((cached ??= renderReference(buildOpenApi(routes()))));
    },
  });
}
