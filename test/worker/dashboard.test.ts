/**
 * The dashboard in workerd: the page registry walked (a signed-out browser is sent to the login
 * page, a form without the CSRF token is refused, every page answers HTML under a strict CSP with
 * no script and no inline style), sign-in (one-time login links: bad, expired and reused links
 * refused; Clerk sessions exchanged for a project-bound session), the session cookie's flags, and
 * what each page shows — projects, keys (created once, revoked, last used), scans (filters,
 * cursor pages), a scan (findings, PCI DSS chart, SARIF) and a finding (flow, proof) — with no
 * card number unmasked anywhere.
 */
import { env } from "cloudflare:workers";
import { sign } from "hono/utils/jwt/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PAGES } from "../../src/dashboard/pages";
import type { PageDef } from "../../src/dashboard/page";
import { ADMIN, call, createProject, freshIp, postScan } from "./helpers";

const ORIGIN = "https://api.test";

/** A GET or form POST from a browser holding `cookie` (a fresh address, so the per-IP policy stays out of the way). */
function browse(path: string, cookie?: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { "cf-connecting-ip": freshIp(), ...(cookie ? { cookie } : {}) };
  // The Worker is called directly: redirects come back as they are, as a browser sees them.
  if (!form) return call(path, { headers: { ...h, ...headers }, redirect: "manual" });
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) body.append(name, v);
  return call(path, {
    method: "POST",
    headers: { ...h, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
    redirect: "manual",
  });
}

async function mintLink(): Promise<string> {
  const res = await call("/v1/dashboard/login-links", { method: "POST", headers: ADMIN });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  const u = new URL(url);
  expect(u.origin).toBe(ORIGIN);
  return u.pathname + u.search;
}

/** Signs in with a fresh login link; the Cookie header value the browser would send. */
async function signIn(): Promise<string> {
  const res = await browse(await mintLink());
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/dashboard");
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

let cookie: string;
let csrf: string;
let project: Awaited<ReturnType<typeof createProject>>;
let other: Awaited<ReturnType<typeof createProject>>;
let scanId: string;
let findingId: string;
let panScanId: string;
/** Webhooks live in a project of their own, which no scan of this file notifies (so nothing is sent out). */
let hooks: Awaited<ReturnType<typeof createProject>>;
let webhookId: string;

const SQLI = 'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id));\n';
const PAN_CODE = 'const card = "4111 1111 1111 1111";\nconsole.log("charging", "4111111111111111");\n';

beforeAll(async () => {
  project = await createProject("Dashboard payments");
  other = await createProject("Another team");
  const scan = (await (await postScan(project.headers, { files: [{ path: "src/orders.js", content: SQLI }] })).json()) as {
    id: string;
    findings: Array<{ id: string; ruleId: string }>;
  };
  scanId = scan.id;
  findingId = scan.findings.find((f) => f.ruleId === "sql-injection")!.id;
  const panScan = await postScan(project.headers, { files: [{ path: "src/charge.js", content: PAN_CODE }] });
  expect(panScan.status).toBe(201);
  panScanId = ((await panScan.json()) as { id: string }).id;
  hooks = await createProject("Hooks");
  const endpoint = await call("/v1/webhooks", {
    method: "POST",
    headers: { ...hooks.headers, "content-type": "application/json" },
    body: JSON.stringify({ url: "https://hooks.example.com/existing", description: "existing" }),
  });
  expect(endpoint.status).toBe(201);
  webhookId = ((await endpoint.json()) as { id: string }).id;
  cookie = await signIn();
  csrf = csrfOf(await (await browse("/dashboard", cookie)).text())!;
  expect(csrf).toMatch(/^[0-9a-f]{64}$/);
});

/** A page's path with its parameters filled from this file's project, scan, key and finding. */
function samplePath(page: PageDef, keyId = "key_" + "0".repeat(32)): string {
  if (page.path.includes("/webhooks")) return page.path.replace("{projectId}", hooks.projectId).replace("{webhookId}", webhookId);
  return page.path.replace("{projectId}", project.projectId).replace("{scanId}", scanId).replace("{findingId}", findingId).replace("{keyId}", keyId);
}

describe("the page registry", () => {
  it("declares each page once, under /dashboard, and none of them in the OpenAPI document", async () => {
    expect(new Set(PAGES.map((p) => `${p.method} ${p.path}`)).size).toBe(PAGES.length);
    for (const p of PAGES) expect(p.path === "/dashboard" || p.path.startsWith("/dashboard/"), p.path).toBe(true);
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((path) => path.startsWith("/dashboard"))).toEqual([]);
  });

  it("sends a browser without a session to the login page, from every signed-in page", async () => {
    for (const p of PAGES.filter((p) => p.auth === "session")) {
      const res = p.method === "get" ? await browse(samplePath(p)) : await browse(samplePath(p), undefined, { _csrf: csrf });
      expect(res.status, p.summary).toBe(303);
      expect(res.headers.get("location"), p.summary).toBe("/dashboard/login");
    }
  });

  it("refuses every form without the session's CSRF token (403), or sent from another origin", async () => {
    for (const p of PAGES.filter((p) => p.method === "post")) {
      const missing = await browse(samplePath(p), cookie, { name: "x" });
      expect(missing.status, p.summary).toBe(403);
      expect(await missing.text(), p.summary).toContain("CSRF token");
      expect((await browse(samplePath(p), cookie, { _csrf: "0".repeat(64) })).status, p.summary).toBe(403);
      expect((await browse(samplePath(p), cookie, { _csrf: csrf }, { origin: "https://evil.example" })).status, p.summary).toBe(403);
    }
    // The session survived every refused sign-out.
    expect((await browse("/dashboard", cookie)).status).toBe(200);
  });

  it("answers every page as HTML under a strict CSP, with no script and no inline style", async () => {
    for (const p of PAGES.filter((p) => p.method === "get" && !p.path.startsWith("/dashboard/login/"))) {
      const res = await browse(samplePath(p), p.auth === "session" ? cookie : undefined);
      const where = `${p.summary} (${samplePath(p)})`;
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, where).toContain("default-src 'none'");
      expect(csp, where).toContain("style-src 'self'");
      expect(csp, where).toContain("frame-ancestors 'none'");
      expect(csp, where).toContain("form-action 'self'");
      expect(csp, where).not.toContain("unsafe");
      expect(csp, where).not.toContain("script-src");
      expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
      const type = res.headers.get("content-type") ?? "";
      const body = await res.text();
      if (p.path.endsWith(".css")) {
        expect(type, where).toMatch(/^text\/css/);
        continue;
      }
      if (p.path.endsWith("/sarif")) {
        expect(type, where).toBe("application/sarif+json");
        continue;
      }
      expect(res.status, where).toBe(200);
      expect(type, where).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control"), where).toBe("no-store");
      expect(body, where).toMatch(/^<!doctype html><html lang="en">/);
      expect(body, where).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(body, where).toContain('<link rel="stylesheet" href="/dashboard/assets/dashboard.css"/>');
    }
  });
});

describe("signing in", () => {
  it("sets a Secure, HttpOnly, SameSite=Lax, host-only session cookie, and keeps only its hash", async () => {
    const res = await browse(await mintLink());
    const setCookie = res.headers.get("set-cookie")!;
    const [pair, ...attributes] = setCookie.split(/;\s*/);
    expect(pair).toMatch(/^__Host-pca_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(["Path=/", "Secure", "HttpOnly", "SameSite=Lax", "Max-Age=28800"]));
    expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
    const token = pair!.split("=")[1]!;
    const stored = await env.DB.prepare("SELECT hash FROM dashboard_sessions").all<{ hash: string }>();
    expect(stored.results.map((r) => r.hash)).not.toContain(token);
    expect(stored.results.length).toBeGreaterThan(0);
  });

  it("refuses a made-up, a reused and an expired login link", async () => {
    const unknown = await browse(`/dashboard/login/link?token=${"A".repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("set-cookie")).toBeNull();
    expect(await unknown.text()).toContain("invalid, expired or already used");
    expect((await browse("/dashboard/login/link")).status).toBe(401);

    const link = await mintLink();
    expect((await browse(link)).status).toBe(303);
    const reused = await browse(link);
    expect(reused.status).toBe(401);
    expect(reused.headers.get("set-cookie")).toBeNull();

    const stale = await mintLink();
    await env.DB.prepare("UPDATE dashboard_login_tokens SET expires_at = ?")
      .bind(Date.now() - 1)
      .run();
    expect((await browse(stale)).status).toBe(401);
  });

  it("only mints links for the admin token", async () => {
    expect((await call("/v1/dashboard/login-links", { method: "POST" })).status).toBe(401);
    expect((await call("/v1/dashboard/login-links", { method: "POST", headers: project.headers })).status).toBe(403);
  });

  it("refuses an expired session and a signed-out one", async () => {
    const mine = await signIn();
    const page = await (await browse("/dashboard", mine)).text();
    const out = await browse("/dashboard/logout", mine, { _csrf: csrfOf(page)! });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-pca_session=;.*Max-Age=0/);
    expect((await browse("/dashboard", mine)).headers.get("location")).toBe("/dashboard/login");

    const aged = await signIn();
    await env.DB.prepare("UPDATE dashboard_sessions SET expires_at = ? WHERE hash = ?")
      .bind(Date.now() - 1, await sha256(aged.split("=")[1]!))
      .run();
    expect((await browse("/dashboard", aged)).status).toBe(303);
  });

  it("shows the login page to a signed-out browser, and sends a signed-in one on", async () => {
    const res = await browse("/dashboard/login");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("npm start");
    expect((await browse("/dashboard/login", cookie)).status).toBe(303);
  });
});

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("signing in with Clerk", () => {
  const ISSUER = "https://clerk.example.test";
  let privateKey: JsonWebKey;
  let fetchSpy: ReturnType<typeof vi.spyOn>;
  let clerkProjectId: string;

  beforeAll(async () => {
    const pair = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const jwk = { ...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey), kid: "dash", alg: "RS256", use: "sig" };
    privateKey = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid: "dash", alg: "RS256" } as JsonWebKey;
    const realFetch = globalThis.fetch;
    // Clerk's JWKS endpoint is a third party with no local form: served through a fetch mock.
    fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url === `${ISSUER}/.well-known/jwks.json` ? Response.json({ keys: [jwk] }) : realFetch(input, init);
    });
    const res = await call("/v1/projects", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "Clerk org project", clerkOrgId: "org_dash" }),
    });
    clerkProjectId = ((await res.json()) as { project: { id: string } }).project.id;
  });
  afterAll(() => fetchSpy.mockRestore());

  const clerkToken = (claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return sign(
      {
        iss: ISSUER,
        sub: "user_dash",
        sid: "sess_dash",
        azp: "https://dashboard.example.test",
        org_id: "org_dash",
        iat: now,
        nbf: now - 5,
        exp: now + 60,
        ...claims,
      },
      privateKey as never,
      "RS256",
    );
  };

  it("exchanges a valid __session for a session that sees its organization's project only", async () => {
    const res = await browse("/dashboard/login/clerk", `__session=${await clerkToken()}`);
    expect(res.status).toBe(303);
    const session = res.headers.get("set-cookie")!.split(";")[0]!;
    const projects = await (await browse("/dashboard", session)).text();
    expect(projects).toContain("Clerk org project");
    expect(projects).not.toContain("Dashboard payments");
    expect((await browse(`/dashboard/projects/${clerkProjectId}/scans`, session)).status).toBe(200);
    // Another project's pages answer like missing ones.
    const foreign = await browse(`/dashboard/projects/${project.projectId}/scans`, session);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await browse(`/dashboard/projects/${project.projectId}/scans/${scanId}`, session)).status).toBe(404);
  });

  it("refuses a missing, forged or expired Clerk session, and an organization without a project", async () => {
    expect((await browse("/dashboard/login/clerk")).status).toBe(401);
    expect((await browse("/dashboard/login/clerk", `__session=${await clerkToken({ exp: Math.floor(Date.now() / 1000) - 60 })}`)).status).toBe(401);
    expect((await browse("/dashboard/login/clerk", `__session=${await clerkToken({ iss: "https://evil.example.test" })}`)).status).toBe(401);
    expect((await browse("/dashboard/login/clerk", `__session=${await clerkToken({ sid: undefined })}`)).status).toBe(401);
    const orphan = await browse("/dashboard/login/clerk", `__session=${await clerkToken({ org_id: "org_nobody" })}`);
    expect(orphan.status).toBe(403);
    expect(orphan.headers.get("set-cookie")).toBeNull();
  });
});

describe("what the pages show", () => {
  it("lists every project to an operator", async () => {
    const html = await (await browse("/dashboard", cookie)).text();
    expect(html).toContain("Dashboard payments");
    expect(html).toContain("Another team");
    expect(html).toContain(`/dashboard/projects/${project.projectId}/scans`);
  });

  it("creates a key, shows it once, records its use, and revokes it", async () => {
    const keysPath = `/dashboard/projects/${project.projectId}/keys`;
    const created = await browse(keysPath, cookie, { _csrf: csrf, name: "ci from the dashboard", scopes: ["scans:write", "scans:read"], kind: "test" });
    expect(created.status).toBe(201);
    const html = await created.text();
    const key = /<code id="new-key">(pca_test_[0-9A-Za-z]{43})<\/code>/.exec(html)?.[1];
    expect(key).toBeDefined();
    // The key works against the API, and the list shows it used but never shows it again.
    const scan = await postScan({ authorization: `Bearer ${key}` }, { files: [{ path: "a.js", content: "let a = 1;\n" }] });
    expect(scan.status).toBe(201);
    await new Promise((r) => setTimeout(r, 50));
    const list = await (await browse(keysPath, cookie)).text();
    expect(list).not.toContain(key);
    const row = new RegExp(
      `<tr><th scope="row">ci from the dashboard</th><td><code>${key!.slice(0, 13)}…</code></td><td>secret</td><td>scans:write, scans:read</td><td>[^<]+</td><td>([^<]+)</td>`,
    ).exec(list);
    expect(row?.[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);

    const keyId = (await env.DB.prepare("SELECT id FROM api_keys WHERE name = ?").bind("ci from the dashboard").first<{ id: string }>())!.id;
    const revoked = await browse(`${keysPath}/${keyId}/revoke`, cookie, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe(keysPath);
    expect((await postScan({ authorization: `Bearer ${key}` }, { files: [{ path: "a.js", content: "let a = 1;\n" }] })).status).toBe(401);
    expect(await (await browse(keysPath, cookie)).text()).toMatch(/ci from the dashboard<\/th>.*?Revoked \d{4}-/s);
    // Revoking it again, or another project's key, is a 404.
    expect((await browse(`${keysPath}/${keyId}/revoke`, cookie, { _csrf: csrf })).status).toBe(404);
    const othersKey = (await env.DB.prepare("SELECT id FROM api_keys WHERE project_id = ?").bind(other.projectId).first<{ id: string }>())!.id;
    expect((await browse(`${keysPath}/${othersKey}/revoke`, cookie, { _csrf: csrf })).status).toBe(404);
    expect((await call("/v1/scans", { headers: other.headers })).status).toBe(200);
  });

  it("creates a publishable key bound to the origins typed in the form, and refuses one without origins", async () => {
    const keysPath = `/dashboard/projects/${project.projectId}/keys`;
    // The scope boxes stay as they were: a publishable key takes its kind's scope whatever they say.
    const created = await browse(keysPath, cookie, {
      _csrf: csrf,
      name: "wiki widget",
      kind: "publishable",
      scopes: ["scans:write", "scans:read"],
      allowedOrigins: "https://wiki.example.com\r\nhttps://portal.example.com",
    });
    expect(created.status).toBe(201);
    expect(await created.text()).toMatch(/<code id="new-key">pca_pub_[0-9A-Za-z]{43}<\/code>/);
    const list = await (await browse(keysPath, cookie)).text();
    expect(list).toMatch(
      /<th scope="row">wiki widget<\/th><td><code>pca_pub_[0-9A-Za-z]{4}…<\/code><\/td><td>publishable, from https:\/\/wiki.example.com, https:\/\/portal.example.com<\/td><td>scans:write<\/td>/,
    );

    const refused = await browse(keysPath, cookie, { _csrf: csrf, name: "no origins", kind: "publishable" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/<li>allowedOrigins: [^<]+<\/li>/);
  });

  it("refuses a key form without a name or a scope, saying why (400)", async () => {
    const res = await browse(`/dashboard/projects/${project.projectId}/keys`, cookie, { _csrf: csrf, name: "", kind: "live" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("The key was not created");
    expect(html).toMatch(/<li>name: [^<]+<\/li>/);
    expect(html).toMatch(/<li>scopes: [^<]+<\/li>/);
    expect(html).not.toContain('id="new-key"');
  });

  it("lists scans with status and severity filters, and pages through them with cursors", async () => {
    const base = `/dashboard/projects/${other.projectId}/scans`;
    // 30 scans written directly (running the engine 30 times would test nothing more): one in five failed, one in three with a critical finding.
    const now = Date.now();
    const ids = Array.from({ length: 30 }, (_, i) => `scn_${i.toString(16).padStart(32, "0")}`);
    await env.DB.batch(
      ids.map((id, i) =>
        env.DB.prepare(
          "INSERT INTO scans (id, project_id, status, content_hash, engine_version, options, file_count, byte_count, findings_critical, created_at) VALUES (?, ?, ?, 'h', '0.1.0', '{}', 1, 10, ?, ?)",
        ).bind(id, other.projectId, i % 5 === 0 ? "failed" : "completed", i % 3 === 0 ? 1 : 0, now - i * 1000),
      ),
    );
    const listed = (html: string) => [...html.matchAll(/<code>(scn_[0-9a-f]{32})<\/code>/g)].map((m) => m[1]);
    const first = await (await browse(base, cookie)).text();
    expect(listed(first)).toEqual(ids.slice(0, 25));
    const next = /href="([^"]+)" rel="next"/.exec(first)![1]!.replace(/&amp;/g, "&");
    expect(listed(await (await browse(next, cookie)).text())).toEqual(ids.slice(25));

    expect(listed(await (await browse(`${base}?status=failed`, cookie)).text())).toEqual(ids.filter((_, i) => i % 5 === 0));
    expect(listed(await (await browse(`${base}?status=completed&severity=critical`, cookie)).text())).toEqual(ids.filter((_, i) => i % 3 === 0 && i % 5 !== 0));
    expect(listed(await (await browse(`${base}?status=&severity=`, cookie)).text())).toHaveLength(25);
    // The filters carry over to the next page.
    const critical = await (await browse(`${base}?severity=critical`, cookie)).text();
    expect(critical).toContain('<option value="critical" selected="">critical</option>');
    expect((await browse(`${base}?status=bogus`, cookie)).status).toBe(400);
    expect((await browse(`${base}?cursor=not-a-cursor`, cookie)).status).toBe(400);
  });

  it("shows a scan: findings table, PCI DSS chart as inline SVG, SARIF download", async () => {
    const base = `/dashboard/projects/${project.projectId}/scans/${scanId}`;
    const html = await (await browse(base, cookie)).text();
    expect(html).toContain(`<a href="${base}/findings/${findingId}">SQL injection: untrusted data in SQL text</a>`);
    expect(html).toMatch(/<svg class="chart" role="img" aria-labelledby="pci-chart-title pci-chart-desc"[^>]*>/);
    expect(html).toContain("requirement 6.2.4: 1 finding");
    expect(html).toContain(`<a href="${base}/sarif" download="">Download SARIF 2.1.0</a>`);
    expect(html).toContain("<code>src/orders.js:1</code>");

    const sarif = await browse(`${base}/sarif`, cookie);
    expect(sarif.headers.get("content-disposition")).toBe(`attachment; filename="${scanId}.sarif"`);
    const log = (await sarif.json()) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain("sql-injection");
  });

  it("shows a finding: the source → sink flow and the proof, benign against attack with the change marked", async () => {
    const html = await (await browse(`/dashboard/projects/${project.projectId}/scans/${scanId}/findings/${findingId}`, cookie)).text();
    expect(html).toContain("Flow: source → sink");
    expect(html).toMatch(/<li><strong>Source<\/strong> <code>src\/orders.js:1:\d+<\/code>: req\.query\.id/);
    expect(html).toMatch(/<li><strong>Sink<\/strong>/);
    expect(html).toContain('Verdict: <span class="verdict-proven">proven</span>');
    // The attack's rendered SQL carries the payload marked as added; the benign side has no mark there.
    const attack = /<h3 id="proof-attack">Attack input<\/h3>.*?<\/section>/s.exec(html)![0];
    expect(attack).toMatch(/<ins>[^<]*OR[^<]*<\/ins>/);
    const benign = /<h3 id="proof-benign">Benign input<\/h3>.*?<\/section>/s.exec(html)![0];
    expect(benign).not.toContain("<ins>");
    expect((await browse(`/dashboard/projects/${project.projectId}/scans/${scanId}/findings/ffff`, cookie)).status).toBe(404);
  });

  it("never shows a card number unmasked: scan, finding and SARIF pages of code holding a test PAN", async () => {
    const base = `/dashboard/projects/${project.projectId}/scans/${panScanId}`;
    const scanHtml = await (await browse(base, cookie)).text();
    const links = [...scanHtml.matchAll(new RegExp(`href="(${base}/findings/[0-9a-f]+)"`, "g"))].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    const bodies = [scanHtml, await (await browse(`${base}/sarif`, cookie)).text()];
    for (const link of links) bodies.push(await (await browse(link, cookie)).text());
    for (const body of bodies) {
      expect(body.replace(/[\s.-]/g, "")).not.toContain("4111111111111111");
    }
    expect(bodies.slice(2).join("")).toContain("411111******1111");
  });

  it("registers a webhook endpoint, shows its secret once, and refuses a URL the API would refuse", async () => {
    const base = `/dashboard/projects/${hooks.projectId}/webhooks`;
    const created = await browse(base, cookie, { _csrf: csrf, url: "https://hooks.example.com/ci", description: "CI notifier", events: ["scan.completed"] });
    expect(created.status).toBe(201);
    const secret = /<code id="new-secret">(whsec_[^<]+)<\/code>/.exec(await created.text())?.[1];
    expect(secret).toBeDefined();
    const list = await (await browse(base, cookie)).text();
    expect(list).not.toContain(secret);
    expect(list).toMatch(
      /<a href="[^"]+\/webhooks\/whe_[0-9a-f]{32}">https:\/\/hooks.example.com\/ci<\/a><\/th><td>CI notifier<\/td><td>scan.completed<\/td><td>enabled<\/td>/,
    );
    const api = (await (await call("/v1/webhooks", { headers: hooks.headers })).json()) as { webhooks: Array<{ url: string; events: string[] }> };
    expect(api.webhooks.find((w) => w.url === "https://hooks.example.com/ci")?.events).toEqual(["scan.completed"]);

    const refused = await browse(base, cookie, { _csrf: csrf, url: "http://127.0.0.1/hook", events: ["scan.completed"] });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/<li>url: refused: [^<]+<\/li>/);
  });

  it("shows an endpoint's deliveries with every attempt, and another project's endpoint as missing", async () => {
    const now = Date.now();
    const deliveryId = `whd_${"1".repeat(32)}`;
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, scan_id, payload, status, attempts, last_status_code, last_latency_ms, created_at, delivered_at) VALUES (?, ?, 'msg_1', 'scan.completed', ?, '{}', 'delivered', 2, 204, 184, ?, ?)",
      ).bind(deliveryId, webhookId, scanId, now - 6000, now),
      env.DB.prepare(
        "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, error_class, next_attempt_at, created_at) VALUES (?, 1, 503, 95, 'server_error', ?, ?)",
      ).bind(deliveryId, now, now - 5000),
      env.DB.prepare(
        "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, error_class, next_attempt_at, created_at) VALUES (?, 2, 204, 184, NULL, NULL, ?)",
      ).bind(deliveryId, now),
    ]);
    const html = await (await browse(`/dashboard/projects/${hooks.projectId}/webhooks/${webhookId}`, cookie)).text();
    expect(html).toMatch(/<th scope="row">scan.completed <a href="[^"]+"><code>scn_[0-9a-f]{32}<\/code><\/a><\/th><td>delivered<\/td>/);
    expect(html).toMatch(/<li>[^<]+ UTC: 503 server_error, 95 ms<\/li><li>[^<]+ UTC: 204, 184 ms<\/li>/);
    expect((await browse(`/dashboard/projects/${project.projectId}/webhooks/${webhookId}`, cookie)).status).toBe(404);
    expect((await browse(`/dashboard/projects/${hooks.projectId}/webhooks/whe_${"0".repeat(32)}`, cookie)).status).toBe(404);
  });

  it("answers unknown dashboard paths and wrong methods with HTML error pages carrying the request id", async () => {
    const res = await browse("/dashboard/no/such/page", cookie);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await res.text()).toContain(res.headers.get("x-request-id")!);
    expect((await call(`/dashboard/projects/${project.projectId}/keys`, { method: "DELETE", headers: { cookie } })).status).toBe(405);
  });
});
