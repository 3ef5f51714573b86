/**
 * The widget showing a finding's fix, in Chromium: the scan answer is the real Worker's (a
 * `wrangler dev --local` scan of mysql2 code holding a SQL injection with a value, one in ORDER
 * BY, and a card number), with each finding's `fix` / `fixUnavailable` as the engine made them
 * for the same code — the fields the API's findings carry — served to the widget, loaded by its
 * versioned URL and integrity, as the answer to its POST /v1/scans. A keyboard user reaches the
 * fold and opens it; the patch's added line with its `?` placeholder is visible, the verdict is
 * in words, the ORDER BY finding says why it has no patch, no card number shows, and axe finds
 * nothing at all, light and dark. Screenshots go to test/browser/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "puppeteer-core";
import { scan as engineScan } from "../../src/engine/index";
import { WIDGET_INTEGRITY, WIDGET_VERSION } from "../../src/widget/bundle.generated";
import { api, auditAccessibility, createProject, launchBrowser, screenshot, serveFiles, workerFromSetup, type FileServer, type StaticFile } from "./harness";

const worker = workerFromSetup();
/** Luhn-valid, not a published test card: masked in the snippet and in the patch's context lines. */
const PAN = "4532015112830366";
const ORDERS = [
  'const mysql = require("mysql2");',
  "const db = mysql.createPool({});",
  `const fallbackCard = "${PAN}";`,
  'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id, (err, rows) => res.json(rows)));',
  'app.get("/sorted", (req, res) => db.query("SELECT * FROM orders ORDER BY " + req.query.col, (err, rows) => res.json(rows)));',
  "",
].join("\n");

let browser: Browser;
let host: FileServer;

/** The host page: the widget by versioned URL and integrity, its API the host's own origin (where the scan answer is served). */
function hostPage(theme: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payments developer portal</title>
<script type="module" src="${worker.base}/widget/${WIDGET_VERSION}.js" integrity="${WIDGET_INTEGRITY}" crossorigin="anonymous"></script>
</head><body><main><h1>Scan your payment code</h1>
<pci-auditor-scan publishable-key="pca_pub_fixture" api-base="${host.origin}" theme="${theme}"></pci-auditor-scan>
</main></body></html>`;
}

beforeAll(async () => {
  const { key } = await createProject(worker, "Widget fixes");
  const res = await api(worker, "/v1/scans", { token: key, body: { files: [{ path: "orders.js", content: ORDERS }] } });
  expect(res.status).toBe(201);
  const answer = (await res.json()) as { status: string; findings: Array<Record<string, unknown> & { fingerprint: string }> };
  expect(answer.status).toBe("completed");
  // The engine's fix for each finding of the same code, matched by fingerprint.
  const engine = new Map((await engineScan({ files: [{ path: "orders.js", content: ORDERS }] })).findings.map((f) => [f.fingerprint, f]));
  for (const finding of answer.findings) {
    const made = engine.get(finding.fingerprint);
    if (made?.fix) finding.fix = made.fix;
    if (made?.fixUnavailable) finding.fixUnavailable = made.fixUnavailable;
  }
  expect(answer.findings.filter((f) => f.fix).length).toBe(1);
  expect(answer.findings.filter((f) => f.fixUnavailable).length).toBe(1);

  const pages: Record<string, StaticFile> = {};
  [host, browser] = await Promise.all([
    serveFiles(pages, {
      headers: { "content-security-policy": `default-src 'none'; script-src ${worker.base}; connect-src 'self'; base-uri 'none'; form-action 'none'` },
    }),
    launchBrowser(),
  ]);
  pages["/"] = { type: "text/html; charset=utf-8", body: hostPage("light") };
  pages["/dark"] = { type: "text/html; charset=utf-8", body: hostPage("dark") };
  pages["/v1/scans"] = { type: "application/json", body: JSON.stringify(answer) };
});

afterAll(async () => {
  await Promise.all([browser?.close(), host?.close()]);
});

/** Opens the host page, scans, and waits for the results. */
async function scanned(path: string): Promise<Page> {
  const page = await browser.newPage();
  const cspViolations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) cspViolations.push(m.text());
  });
  await page.goto(`${host.origin}${path}`);
  await page.waitForFunction(() => customElements.get("pci-auditor-scan") !== undefined);
  await page.$eval("pci-auditor-scan >>> textarea", (el, value) => ((el as HTMLTextAreaElement).value = value), ORDERS);
  await page.$eval("pci-auditor-scan >>> #file-name", (el) => ((el as HTMLInputElement).value = "orders.js"));
  await (await page.$("pci-auditor-scan >>> button[type=submit]"))!.click();
  await page.waitForFunction(() => document.querySelector("pci-auditor-scan")!.shadowRoot!.activeElement?.id === "results-heading");
  expect(cspViolations).toEqual([]);
  return page;
}

const activePart = (page: Page) =>
  page.$eval("pci-auditor-scan", (el) => {
    const active = el.shadowRoot!.activeElement;
    return active?.tagName === "SUMMARY" ? (active.parentElement?.getAttribute("part") ?? null) : (active?.tagName ?? null);
  });

describe("<pci-auditor-scan> showing a finding's fix", () => {
  it("folds the patch under its verdict; Tab reaches the fold, Enter opens it: the + line with the ? placeholder, the evidence and the re-run attack", async () => {
    const page = await scanned("/");
    expect(await page.$eval("pci-auditor-scan >>> details[part=fix]", (d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.$eval("pci-auditor-scan >>> details[part=fix] > summary", (s) => s.textContent)).toBe("Fix: proven (mechanical)");

    // From the results heading, Tab on until the fix's summary has focus (past the proofs' summaries).
    for (let i = 0; i < 10 && (await activePart(page)) !== "fix"; i++) await page.keyboard.press("Tab");
    expect(await activePart(page)).toBe("fix");
    await page.keyboard.press("Enter");
    expect(await page.$eval("pci-auditor-scan >>> details[part=fix]", (d) => (d as HTMLDetailsElement).open)).toBe(true);

    const lines = await page.$$eval("pci-auditor-scan >>> details[part=fix] pre.patch code", (codes) =>
      codes.map((c) => ({ kind: c.className, text: c.textContent ?? "", visible: c.checkVisibility() })),
    );
    const added = lines.filter((l) => l.kind === "add");
    const removed = lines.filter((l) => l.kind === "del");
    expect(added).toHaveLength(1);
    expect(added[0]!.text).toMatch(/^\+app\.get\("\/orders".*"SELECT \* FROM orders WHERE id = \?", \[req\.query\.id\]/);
    expect(added[0]!.visible).toBe(true);
    expect(removed.map((l) => l.text)).toEqual([expect.stringMatching(/^-app\.get\("\/orders".*WHERE id = " \+ req\.query\.id,/)]);
    expect(lines.slice(0, 3).map((l) => l.kind)).toEqual(["file", "file", "hunk"]);

    const fold = await page.$eval("pci-auditor-scan >>> details[part=fix]", (d) => d.textContent ?? "");
    expect(fold).toContain("Patched code, attack input: 1 OR 1=1");
    expect(fold).toContain("Same structure in all three: the payload stays a value.");
    const text = await page.$eval("pci-auditor-scan", (el) => el.shadowRoot!.textContent ?? "");
    expect(text).toMatch(/No patch proposed: the data is used in ORDER BY[^.]*\./);
    expect(text).not.toContain(PAN);
    await screenshot(page, "widget-fix");
    await page.close();
  });

  it("has no axe violations at all with the fix open, light and dark", async () => {
    for (const path of ["/", "/dark"]) {
      const page = await scanned(path);
      await page.$eval("pci-auditor-scan >>> details[part=fix]", (d) => ((d as HTMLDetailsElement).open = true));
      const violations = await auditAccessibility(page);
      expect(violations.map((v) => `${v.impact}: ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
      if (path === "/dark") await screenshot(page, "widget-fix-dark");
      await page.close();
    }
  });
});
