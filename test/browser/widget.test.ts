/**
 * The widget in a real browser, embedded as the README says (versioned URL + integrity) in a host
 * page served under a strict CSP from another origin: a visitor on an allowed origin scans a
 * vulnerable snippet and sees the proven finding with its proof; on a disallowed origin the
 * widget shows the error; a keyboard-only visitor gets through; axe finds nothing serious; the
 * CORS matrix (origin × key kind → status) is asserted. Screenshots and the measured figures go
 * to test/browser/artifacts/.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, ElementHandle, Page } from "puppeteer-core";
import { WIDGET_INTEGRITY, WIDGET_VERSION } from "../../src/widget/bundle.generated";
import {
  api,
  auditAccessibility,
  countByImpact,
  createProject,
  launchBrowser,
  screenshot,
  serveFiles,
  workerFromSetup,
  writeArtifact,
  type FileServer,
} from "./harness";

const worker = workerFromSetup();
/** Luhn-valid, not a published test card: the engine must mask it everywhere the page shows it. */
const PAN = "4532015112830366";
const VULNERABLE = [
  'const express = require("express");',
  "const app = express();",
  `const fallbackCard = "${PAN}";`,
  'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id));',
  "",
].join("\n");

/** A ~10 KB file: the vulnerable handler among ordinary helpers. */
function tenKilobytes(tag: string): string {
  const lines = [`// ${tag}`, VULNERABLE];
  for (let i = 0; lines.join("\n").length < 10_240; i++)
    lines.push(`export function total${i}(items) { return items.reduce((sum, item) => sum + item.price * ${i + 1}, 0); }`);
  return lines.join("\n");
}

let browser: Browser;
let allowed: FileServer;
let disallowed: FileServer;
let publishableKey: string;
let secretKey: string;

/** The host page: the widget by its versioned URL with SRI, a host script recording events and CSP violations. */
function hostPage(key: string, theme: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payments developer portal</title>
<script type="module" src="${worker.base}/widget/${WIDGET_VERSION}.js" integrity="${WIDGET_INTEGRITY}" crossorigin="anonymous"></script>
<script type="module" src="/host.js"></script>
</head><body><main><h1>Scan your payment code</h1>
<pci-auditor-scan publishable-key="${key}" api-base="${worker.base}" theme="${theme}"></pci-auditor-scan>
</main></body></html>`;
}

const HOST_JS = `
window.events = [];
window.cspViolations = [];
for (const type of ["pci-auditor:scan-complete", "pci-auditor:error"]) document.addEventListener(type, (e) => window.events.push({ type, detail: e.detail }));
document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
`;

/** No inline script or style, no eval: only the page's own scripts, the widget's, and calls to the API. */
const strictCsp = () =>
  `default-src 'none'; script-src 'self' ${worker.base}; connect-src ${worker.base}; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

async function hostFiles(key: string): Promise<Record<string, { type: string; body: string }>> {
  return {
    "/": { type: "text/html; charset=utf-8", body: hostPage(key, "light") },
    "/dark": { type: "text/html; charset=utf-8", body: hostPage(key, "dark") },
    "/host.js": { type: "text/javascript", body: HOST_JS },
  };
}

beforeAll(async () => {
  const project = await createProject(worker, "Widget in a browser");
  secretKey = project.key;
  // Two servers, two origins: the key is bound to the first only. Pages are filled in once the key exists.
  const pages: Record<string, { type: string; body: string }> = {};
  [allowed, disallowed, browser] = await Promise.all([
    serveFiles(pages, { headers: { "content-security-policy": strictCsp() } }),
    serveFiles(pages, { headers: { "content-security-policy": strictCsp() } }),
    launchBrowser(),
  ]);
  const res = await api(worker, "/v1/keys", { token: secretKey, body: { name: "portal widget", kind: "publishable", allowedOrigins: [allowed.origin] } });
  expect(res.status).toBe(201);
  publishableKey = ((await res.json()) as { key: string }).key;
  Object.assign(pages, await hostFiles(publishableKey));
});

afterAll(async () => {
  await Promise.all([browser?.close(), allowed?.close(), disallowed?.close()]);
});

async function openWidget(origin: string, path = "/"): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}${path}`);
  await page.waitForFunction(() => customElements.get("pci-auditor-scan") !== undefined);
  return page;
}

/** The widget's shadow root text, as a visitor reads it. */
const widgetText = (page: Page) => page.$eval("pci-auditor-scan", (el) => el.shadowRoot!.textContent ?? "");
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Array<{ type: string; detail: Record<string, unknown> }> }).events);
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

async function pasteAndScan(page: Page, code: string, fileName = "orders.js"): Promise<void> {
  await page.$eval("pci-auditor-scan >>> textarea", (el, value) => ((el as HTMLTextAreaElement).value = value), code);
  await page.$eval("pci-auditor-scan >>> #file-name", (el, value) => ((el as HTMLInputElement).value = value), fileName);
  await (await page.$("pci-auditor-scan >>> button[type=submit]"))!.click();
}

const figures: Record<string, unknown> = {};

describe("<pci-auditor-scan> on an allowed origin", () => {
  it("loads under a strict CSP by its versioned URL and integrity, and scans a vulnerable snippet into a proven finding with its proof", async () => {
    const page = await openWidget(allowed.origin);
    await pasteAndScan(page, VULNERABLE);
    await page.waitForSelector("pci-auditor-scan >>> #results-heading");

    const text = await widgetText(page);
    expect(text).toMatch(/Results: \d+ findings/);
    expect(text).toContain("Critical (");
    expect(text).toContain("SQL injection");
    expect(text).toContain("Flow: source → sink");
    expect(text).toContain("Attack proof (sql): proven");
    expect(text).toContain("6.2.4");
    // The card number is in the code, so in a finding's snippet — masked.
    expect(text).toContain("card-number-in-source");
    expect(text).not.toContain(PAN);
    // The attack rendering highlights what the payload added.
    const marks = await page.$$eval("pci-auditor-scan >>> details[part=proof][open] mark", (els) => els.map((e) => e.textContent));
    expect(marks.join(" ")).toMatch(/OR/);
    expect(await page.$eval("pci-auditor-scan >>> [role=status]", (el) => el.textContent)).toMatch(/^Scan complete: \d+ findings: \d+ critical/);

    const fired = await events(page);
    expect(fired.map((e) => e.type)).toEqual(["pci-auditor:scan-complete"]);
    expect(fired[0]!.detail.scanId).toMatch(/^scn_/);
    expect(await cspViolations(page)).toEqual([]);
    figures.screenshotResults = await screenshot(page, "widget-results");
    await page.close();
  });

  it("scans files chosen and dropped, naming each one's language from its file name", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "widget-files-"));
    try {
      const chosen = path.join(dir, "checkout.ts");
      writeFileSync(chosen, "export const pay = (req: any) => db.query(`UPDATE carts SET total = ${req.body.total}`);\n");
      const page = await openWidget(allowed.origin);
      await ((await page.$("pci-auditor-scan >>> #files")) as ElementHandle<HTMLInputElement>).uploadFile(chosen);
      await page.$eval("pci-auditor-scan >>> .drop", (zone) => {
        const data = new DataTransfer();
        data.items.add(new File(["SELECT * FROM cards WHERE pan = '4532015112830366';\n"], "legacy.sql"));
        zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      await page.waitForFunction(() => document.querySelector("pci-auditor-scan")!.shadowRoot!.querySelectorAll(".files li").length === 2);
      const listed = await page.$$eval("pci-auditor-scan >>> .files li", (items) => items.map((li) => li.textContent));
      expect(listed).toEqual([expect.stringMatching(/^checkout\.ts — TypeScript/), expect.stringMatching(/^legacy\.sql — SQL/)]);
      await (await page.$("pci-auditor-scan >>> button[type=submit]"))!.click();
      await page.waitForSelector("pci-auditor-scan >>> #results-heading");
      const text = await widgetText(page);
      expect(text).toContain("checkout.ts:1:");
      expect(text).toContain("legacy.sql:1:");
      expect(text).not.toContain(PAN);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("measures click → rendered results for a 10 KB file (figure only, no assertion on time)", async () => {
    const page = await openWidget(allowed.origin);
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const code = tenKilobytes(`run ${run} ${Date.now()}`);
      await page.$eval("pci-auditor-scan >>> textarea", (el, value) => ((el as HTMLTextAreaElement).value = value), code);
      times.push(
        await page.$eval("pci-auditor-scan", async (el) => {
          const done = new Promise((resolve) => el.addEventListener("pci-auditor:scan-complete", resolve, { once: true }));
          const started = performance.now();
          el.shadowRoot!.querySelector<HTMLButtonElement>("button[type=submit]")!.click();
          await done;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          return performance.now() - started;
        }),
      );
      expect(await widgetText(page)).toContain("SQL injection");
    }
    figures.clickToResults10KbMs = { runs: times.map(Math.round), median: Math.round([...times].sort((a, b) => a - b)[1]!) };
    await page.close();
  });

  it("works keyboard-only: Tab to each control, type, Enter to scan, focus lands on the results", async () => {
    const page = await openWidget(allowed.origin);
    const focused = () => page.$eval("pci-auditor-scan", (el) => el.shadowRoot!.activeElement?.id || el.shadowRoot!.activeElement?.tagName || null);
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("code");
    await page.keyboard.type('app.get("/cards/:id", (req, res) => db.query("SELECT * FROM cards WHERE id = " + req.params.id));\n');
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("file-name");
    await page.keyboard.down("Control");
    await page.keyboard.press("a");
    await page.keyboard.up("Control");
    await page.keyboard.type("cards.ts");
    expect(await widgetText(page)).toContain("Language: TypeScript");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("files");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("BUTTON");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("pci-auditor-scan")!.shadowRoot!.activeElement?.id === "results-heading");
    expect(await widgetText(page)).toContain("SQL injection");
    // Onwards from the results: the first proof's summary, which Enter folds.
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("SUMMARY");
    await page.keyboard.press("Enter");
    expect(await page.$eval("pci-auditor-scan >>> details[part=proof]", (d) => (d as HTMLDetailsElement).open)).toBe(false);
    await screenshot(page, "widget-keyboard");
    await page.close();
  });

  it("has no serious or critical axe violations, before and after results, light and dark", async () => {
    const report: Record<string, unknown> = {};
    for (const path of ["/", "/dark"]) {
      const page = await openWidget(allowed.origin, path);
      const before = await auditAccessibility(page);
      await pasteAndScan(page, VULNERABLE + `// ${path}\n`);
      await page.waitForSelector("pci-auditor-scan >>> #results-heading");
      const after = await auditAccessibility(page);
      report[path] = {
        before: countByImpact(before),
        after: countByImpact(after),
        ids: [...new Set([...before, ...after].map((v) => `${v.impact}: ${v.id}`))],
      };
      const blocking = [...before, ...after].filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(blocking.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
      if (path === "/dark") await screenshot(page, "widget-results-dark");
      await page.close();
    }
    figures.axe = report;
  });
});

describe("<pci-auditor-scan> on a disallowed origin", () => {
  it("shows the error and reports it, as the API refuses the page's origin", async () => {
    const page = await openWidget(disallowed.origin);
    await pasteAndScan(page, VULNERABLE);
    await page.waitForSelector("pci-auditor-scan >>> [part=error]");
    expect(await page.$eval("pci-auditor-scan >>> [part=error]", (el) => el.textContent)).toMatch(/origin may not be allowed for this key/);
    expect(await page.$eval("pci-auditor-scan", (el) => el.shadowRoot!.activeElement?.getAttribute("part"))).toBe("error");
    const fired = await events(page);
    expect(fired).toEqual([{ type: "pci-auditor:error", detail: expect.objectContaining({ code: "network", status: null }) }]);
    expect(await widgetText(page)).not.toContain("Results:");
    figures.screenshotError = await screenshot(page, "widget-error");
    await page.close();
  });
});

describe("the CORS matrix against wrangler dev", () => {
  it("answers each origin × key kind as documented", async () => {
    let n = 0;
    const scan = (key: string, origin: string | null) =>
      api(worker, "/v1/scans", {
        token: key,
        headers: origin ? { origin } : {},
        body: { files: [{ path: "m.js", content: `${VULNERABLE}// matrix ${n++}\n` }] },
      });
    const preflight = (origin: string) =>
      api(worker, "/v1/scans", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
    const rows: Array<[string, string, string, number, string | null]> = [];
    const record = async (request: string, origin: string, key: string, res: Promise<Response>) => {
      const r = await res;
      rows.push([request, origin, key, r.status, r.headers.get("access-control-allow-origin")]);
    };
    await record("OPTIONS preflight", "allowed", "(none)", preflight(allowed.origin));
    await record("OPTIONS preflight", "other", "(none)", preflight(disallowed.origin));
    await record("POST /v1/scans", "allowed", "publishable", scan(publishableKey, allowed.origin));
    await record("POST /v1/scans", "other", "publishable", scan(publishableKey, disallowed.origin));
    await record("POST /v1/scans", "no Origin", "publishable", scan(publishableKey, null));
    await record("POST /v1/scans", "allowed", "secret", scan(secretKey, allowed.origin));
    await record("POST /v1/scans", "other", "secret", scan(secretKey, disallowed.origin));
    await record("POST /v1/scans", "no Origin", "secret", scan(secretKey, null));
    expect(rows).toEqual([
      ["OPTIONS preflight", "allowed", "(none)", 204, allowed.origin],
      ["OPTIONS preflight", "other", "(none)", 403, null],
      ["POST /v1/scans", "allowed", "publishable", 201, allowed.origin],
      ["POST /v1/scans", "other", "publishable", 403, null],
      ["POST /v1/scans", "no Origin", "publishable", 403, null],
      ["POST /v1/scans", "allowed", "secret", 403, allowed.origin],
      ["POST /v1/scans", "other", "secret", 403, null],
      ["POST /v1/scans", "no Origin", "secret", 201, null],
    ]);
    figures.corsMatrix = rows.map(([request, origin, key, status, acao]) => ({ request, origin, key, status, allowOrigin: acao }));
  });
});

afterAll(() => {
  writeArtifact("widget-figures.json", JSON.stringify(figures, null, 2) + "\n");
});
