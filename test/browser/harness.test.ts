/**
 * The harness itself: the Worker it started answers and takes the admin token, host pages are
 * served on their own origin, and Chromium loads them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "puppeteer-core";
import { api, createProject, launchBrowser, serveFiles, workerFromSetup, type FileServer } from "./harness";

const worker = workerFromSetup();
let browser: Browser;
let host: FileServer;

beforeAll(async () => {
  [browser, host] = await Promise.all([
    launchBrowser(),
    serveFiles({ "/": { type: "text/html", body: "<!doctype html><title>Host</title><h1>host page</h1>" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), host?.close()]);
});

describe("browser harness", () => {
  it("starts a Worker whose admin token creates a project whose key reads scans", async () => {
    const { key } = await createProject(worker, "Harness");
    const res = await api(worker, "/v1/scans", { token: key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ scans: [], nextCursor: null });
  });

  it("serves host pages on another origin, and Chromium renders them", async () => {
    expect(new URL(host.origin).port).not.toBe(new URL(worker.base).port);
    const page = await browser.newPage();
    await page.goto(`${host.origin}/`);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("host page");
    expect((await page.goto(`${host.origin}/missing`))?.status()).toBe(404);
    await page.close();
  });
});
