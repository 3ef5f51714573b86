/**
 * The dashboard as an operator meets it, in Chromium against `wrangler dev --local`: the one-time
 * login link signs the browser in (the session cookie Secure, HttpOnly, SameSite=Lax, out of
 * script's reach), a key is created in the keys form and shown once, a scan made through the API
 * with that key appears in the scans list, its detail page shows the PCI DSS chart and the
 * finding, and the finding's page shows the proof; a webhook endpoint is registered in its form
 * and its delivery log shown. axe-core audits every page on the way (no serious or critical
 * violation); the scan detail and finding pages are written to screenshots/.
 */
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, auditAccessibility, countByImpact, createProject, launchBrowser, screenshot, workerFromSetup, type AxeViolation } from "./harness";

const worker = workerFromSetup();
let browser: Browser;
let page: Page;

const SQLI = 'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id));\n';

/** Axe violations by impact for each page audited, printed at the end for the closing note. */
const audits: Record<string, ReturnType<typeof countByImpact>> = {};

async function audit(name: string): Promise<void> {
  const violations = await auditAccessibility(page);
  audits[name] = countByImpact(violations);
  const blocking = violations.filter((v: AxeViolation) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    name,
  ).toEqual([]);
}

/** Clicks a link or button and waits for the page it leads to. */
async function follow(selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
}

async function loginLink(): Promise<string> {
  const res = await api(worker, "/v1/dashboard/login-links", { method: "POST", token: worker.adminToken });
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  console.log(`axe violations by impact, per dashboard page: ${JSON.stringify(audits)}`);
  await browser?.close();
});

describe("the dashboard in a browser", () => {
  it("sends a signed-out browser to the login page, which passes the audit", async () => {
    await page.goto(`${worker.base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Sign in");
    await audit("login");
  });

  it("local login → create key → scan → open the finding → proof visible", async () => {
    const { projectId, key: ownerKey } = await createProject(worker, "Browser dashboard");

    // The one-time link signs in and lands on the projects page; the session cookie is out of script's reach.
    await page.goto(await loginLink());
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    const session = (await page.cookies()).find((c) => c.name === "__Host-pca_session");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("pca_session");
    await audit("projects");

    // Keys: the form creates a key and the answer shows it, once.
    await page.goto(`${worker.base}/dashboard/projects/${projectId}/keys`);
    await page.type("#key-name", "browser ci");
    await page.select("#key-kind", "test");
    await follow("form[action$='/keys'] button[type=submit]");
    const key = await page.$eval("#new-key", (el) => el.textContent ?? "");
    expect(key).toMatch(/^pca_test_[0-9A-Za-z]{43}$/);
    await audit("keys (new key shown)");
    await page.goto(`${worker.base}/dashboard/projects/${projectId}/keys`);
    expect(await page.content()).not.toContain(key);
    await audit("keys");

    // A scan through the API with the new key.
    const scan = await api(worker, "/v1/scans", { token: key, body: { files: [{ path: "src/orders.js", content: SQLI }] } });
    expect(scan.status).toBe(201);
    const scanId = ((await scan.json()) as { id: string }).id;

    // Scans list → scan detail (chart, findings) → finding (flow, proof).
    await follow("nav a[href$='/scans']");
    await audit("scans");
    await page.select("#status", "completed");
    await page.select("#severity", "critical");
    await follow("form[aria-label='Filter scans'] button[type=submit]");
    expect(new URL(page.url()).search).toBe("?status=completed&severity=critical");
    await audit("scans (filtered)");
    await follow(`a[href$='/scans/${scanId}']`);
    expect(await page.$eval("svg.chart title", (t) => t.textContent)).toBe("Findings per PCI DSS requirement");
    await audit("scan detail");
    await screenshot(page, "dashboard-scan-detail");

    await follow("table a[href*='/findings/']");
    await page.waitForSelector("#proof", { visible: true });
    const proof = await page.$eval("#proof", (el) => ({
      text: (el as HTMLElement).innerText,
      added: [...el.querySelectorAll("ins")].map((i) => i.textContent),
    }));
    expect(proof.text).toContain("Verdict: proven");
    expect(proof.added.join(" ")).toMatch(/OR/);
    expect(await page.$eval("ol.flow", (el) => (el as HTMLElement).innerText)).toMatch(/Source .*req\.query\.id/);
    await audit("finding");
    await screenshot(page, "dashboard-finding");

    // Webhooks: the form registers an endpoint and shows its secret once; its page lists deliveries (a test event here).
    await follow("nav a[href$='/webhooks']");
    await audit("webhooks");
    await page.type("#webhook-url", "https://hooks.example.com/pci-auditor");
    await page.type("#webhook-description", "CI notifier");
    await follow("form[action$='/webhooks'] button[type=submit]");
    expect(await page.$eval("#new-secret", (el) => el.textContent ?? "")).toMatch(/^whsec_/);
    await audit("webhooks (new secret shown)");
    const endpointPath = await page.$eval("table a[href*='/webhooks/whe_']", (a) => a.getAttribute("href") ?? "");
    const webhookId = endpointPath.split("/").pop()!;
    expect((await api(worker, `/v1/webhooks/${webhookId}/test`, { method: "POST", token: ownerKey })).status).toBe(202);
    await follow(`table a[href='${endpointPath}']`);
    expect(await page.$eval("table caption", (el) => el.textContent)).toBe("Deliveries, newest first, with every attempt");
    expect(await page.$eval("tbody th", (el) => el.textContent)).toBe("webhook.test");
    await audit("webhook deliveries");

    // A mistyped address answers the dashboard's own error page.
    await page.goto(`${worker.base}/dashboard/projects/${projectId}/scans/scn_${"0".repeat(32)}`);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Not found");
    await audit("error page");

    // Signing out (from the error page's header: a signed-in browser keeps its navigation there) ends the session.
    await follow(".signout button");
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
    await page.goto(`${worker.base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
  });

  it("a used login link does not sign in again", async () => {
    const link = await loginLink();
    const fresh = await browser.createBrowserContext();
    try {
      const first = await fresh.newPage();
      await first.goto(link);
      expect(new URL(first.url()).pathname).toBe("/dashboard");
      const other = await browser.createBrowserContext();
      const second = await other.newPage();
      const res = await second.goto(link);
      expect(res?.status()).toBe(401);
      expect(await second.$eval("h1", (h) => h.textContent)).toBe("Missing or invalid credentials");
      await other.close();
    } finally {
      await fresh.close();
    }
  });
});
