/**
 * Every request the README shows, sent as a reader would paste it: each `curl` in its shell blocks
 * is read from the README itself (continuation lines, quoting, `$ADMIN_TOKEN` and `$KEY`, the
 * `scn_…` id of the scan it just made and the `findings/…/` id of its injection) and sent to the
 * Worker, in order, and its answer must be what the README promises — the example scan included,
 * which must find and prove its SQL injection, and the fix example, which must answer the proven
 * patch the README shows. A curl the README gains without an expectation here fails the test.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import readme from "../../README.md?raw";
import { call } from "./helpers";
import { captureWebhookQueue } from "./webhook-receiver";

interface Curl {
  /** As written in the README, continuation lines joined. */
  source: string;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Shell words of one command: single quotes literal, double quotes expanding $VARS, # comments dropped. */
function words(command: string, vars: Record<string, string>): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? "") + command.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      const end = command.indexOf('"', i + 1);
      word = (word ?? "") + command.slice(i + 1, end).replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? `$${name}`);
      i = end;
    } else if (ch === "#" && word === null) {
      break;
    } else if (/\s/.test(ch)) {
      if (word !== null) out.push(word);
      word = null;
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (word !== null) out.push(word);
  return out;
}

/** The curl commands of the README's shell blocks, in order. */
function readmeCurls(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.replace(/\\\n\s*/g, " ").split("\n")).filter((line) => line.trimStart().startsWith("curl "));
}

function parseCurl(source: string, vars: Record<string, string>): Curl {
  const argv = words(source, vars);
  const curl: Curl = { source, method: "GET", url: new URL("http://invalid"), headers: {} };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-s") continue;
    else if (arg === "-X") curl.method = argv[++i]!;
    else if (arg === "-H") {
      const [name, ...value] = argv[++i]!.split(":");
      curl.headers[name!.trim().toLowerCase()] = value.join(":").trim();
    } else if (arg === "-d") {
      curl.body = argv[++i]!;
      if (curl.method === "GET") curl.method = "POST";
    } else if (arg === ">") i++;
    else if (/^https?:\/\//.test(arg)) curl.url = new URL(arg);
    else throw new Error(`README curl option this test does not know: ${arg}`);
  }
  return curl;
}

function send(curl: Curl): Promise<Response> {
  expect(curl.url.origin).toBe("http://localhost:8787");
  return call(curl.url.pathname + curl.url.search, { method: curl.method, headers: curl.headers, ...(curl.body !== undefined ? { body: curl.body } : {}) });
}

describe("the README's requests", () => {
  afterEach(() => vi.restoreAllMocks());

  it("each answers as the README says, in order, ending with a proven SQL injection in SARIF", async () => {
    const vars: Record<string, string> = { ADMIN_TOKEN: "test-admin-token" };
    let scanId: string | undefined;
    let findingId: string | undefined;
    let projectId: string | undefined;
    let webhookId: string | undefined;
    // The example endpoint is not ours to call: its deliveries stay in the queue, where the test reads them.
    const webhookQueue = captureWebhookQueue();
    const handled: string[] = [];
    for (const line of readmeCurls()) {
      const curl = parseCurl(
        line
          .replace("scn_…", scanId ?? "scn_…")
          .replace("/findings/…/", `/findings/${findingId ?? "…"}/`)
          .replace("whe_…", webhookId ?? "whe_…")
          .replace("prj_…", projectId ?? "prj_…"),
        vars,
      );
      const route = `${curl.method} ${curl.url.pathname
        .replace(/scn_[0-9a-f]+/, "{id}")
        .replace(/whe_[0-9a-zA-Z]+/, "{id}")
        .replace(/\/findings\/[0-9a-f]+\//, "/findings/{findingId}/")}`;
      handled.push(route);
      const res = await send(curl);
      switch (route) {
        case "GET /healthz": {
          expect(res.status).toBe(200);
          expect(await res.json()).toMatchObject({ status: "ok" });
          break;
        }
        case "GET /openapi.json": {
          expect(res.status).toBe(200);
          const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
          expect(doc.openapi).toMatch(/^3\.1\./);
          expect(Object.keys(doc.paths)).toContain("/v1/scans");
          break;
        }
        case "POST /v1/projects": {
          // "a new project and its first API key": the key the README's scans then use as $KEY.
          expect(res.status).toBe(201);
          const created = (await res.json()) as { project: { id: string; name: string }; apiKey: { key: string } };
          expect(created.project.name).toBe("payments");
          expect(created.apiKey.key).toMatch(/^pca_/);
          vars.KEY = created.apiKey.key;
          projectId = created.project.id;
          break;
        }
        case "POST /v1/dashboard/login-links": {
          // "ask the API for one with the admin token": a link that signs a browser in, once.
          expect(res.status).toBe(201);
          const link = new URL(((await res.json()) as { url: string }).url);
          expect(link.pathname).toBe("/dashboard/login/link");
          const first = await call(link.pathname + link.search, { redirect: "manual" });
          expect([first.status, first.headers.get("location")]).toEqual([303, "/dashboard"]);
          expect((await call(link.pathname + link.search, { redirect: "manual" })).status).toBe(401);
          break;
        }
        case "POST /v1/scans": {
          expect(curl.headers.authorization).toBe(`Bearer ${vars.KEY}`);
          expect(res.status).toBe(201);
          const scan = (await res.json()) as {
            id: string;
            status: string;
            findings: Array<{ id: string; ruleId: string; location: { path: string }; proof?: { verdict: string }; fix?: { verdict: string } }>;
          };
          expect(scan.status).toBe("completed");
          expect(scan.findings.length).toBeGreaterThanOrEqual(1);
          const injections = scan.findings.filter((f) => f.ruleId === "sql-injection");
          // The first scan's `db` is of no known client, so it has no fix; the second's mysql2 pool gets a proven one.
          const first = handled.filter((r) => r === route).length === 1;
          expect(injections.map((f) => [f.location.path, f.proof?.verdict, f.fix?.verdict])).toEqual([
            first ? ["src/orders.js", "proven", undefined] : ["src/cards.js", "proven", "proven"],
          ]);
          scanId = scan.id;
          findingId = injections[0]!.id;
          break;
        }
        case "GET /v1/scans/{id}/findings/{findingId}/fix": {
          // "a proven fix": placeholders and bound values, as the diff the README shows.
          expect(res.status).toBe(200);
          const fix = (await res.json()) as { verdict: string; diff: string; changes: Array<{ path: string }> };
          expect(fix.verdict).toBe("proven");
          expect(fix.diff).toContain(`\n+app.get("/cards", (req, res) => pool.query("SELECT * FROM cards WHERE id = ?", [req.query.id]));\n`);
          expect(fix.changes.map((c) => c.path)).toEqual(["src/cards.js"]);
          break;
        }
        case "GET /v1/scans/{id}/sarif": {
          expect(res.status).toBe(200);
          const sarif = (await res.json()) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
          expect(sarif.version).toBe("2.1.0");
          expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain("sql-injection");
          break;
        }
        case "POST /v1/keys": {
          // A publishable key for the widget, bound to the portal's origin.
          expect(res.status).toBe(201);
          const key = (await res.json()) as { key: string; kind: string; scopes: string[]; allowedOrigins: string[] };
          expect(key).toMatchObject({ kind: "publishable", scopes: ["scans:write"], allowedOrigins: ["https://developers.example.com"] });
          expect(key.key).toMatch(/^pca_pub_/);
          break;
        }
        case "POST /v1/webhooks": {
          // The endpoint, with its signing secret shown once.
          expect(res.status).toBe(201);
          const created = (await res.json()) as { id: string; url: string; events: string[]; secret: string };
          expect(created).toMatchObject({ url: "https://ci.example.com/pci", events: ["scan.completed", "scan.failed"] });
          expect(created.secret).toMatch(/^whsec_/);
          webhookId = created.id;
          break;
        }
        case "POST /v1/webhooks/{id}/test": {
          // "a webhook.test event": queued for delivery to the endpoint.
          expect(res.status).toBe(202);
          expect(await res.json()).toMatchObject({ eventType: "webhook.test", status: "pending" });
          expect(webhookQueue.queued).toHaveLength(1);
          break;
        }
        case "PUT /v1/github/installations/4242": {
          // The administrator links a GitHub App installation to the project made above.
          expect(curl.headers.authorization).toBe("Bearer test-admin-token");
          expect(res.status).toBe(200);
          expect(await res.json()).toMatchObject({ installationId: 4242, projectId, failOn: "high" });
          break;
        }
        default:
          throw new Error(`The README shows a request this test does not check: ${curl.source}`);
      }
    }
    expect(handled).toEqual([
      "GET /healthz",
      "GET /openapi.json",
      "POST /v1/projects",
      "POST /v1/dashboard/login-links",
      "POST /v1/scans",
      "GET /v1/scans/{id}/sarif",
      "POST /v1/scans",
      "GET /v1/scans/{id}/findings/{findingId}/fix",
      "POST /v1/webhooks",
      "POST /v1/webhooks/{id}/test",
      "PUT /v1/github/installations/4242",
      "POST /v1/keys",
    ]);
  });

  it("reads the README's quoting as a shell would", () => {
    expect(words(`curl -H "authorization: Bearer $KEY" -d '{"a":"x \\"y\\""}' # comment`, { KEY: "k" })).toEqual([
      "curl",
      "-H",
      "authorization: Bearer k",
      "-d",
      '{"a":"x \\"y\\""}',
    ]);
  });
});
