/**
 * The widget as the Worker serves it: the stable URL (short cache) and the versioned one
 * (immutable), both loadable as module scripts from any origin; the served bytes match the
 * integrity hash the README prints; the bundle stays within its 20 KB gzipped budget and holds
 * nothing a strict CSP or an XSS review would object to. (test/browser/ runs it in Chromium.)
 */
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { WIDGET_INTEGRITY, WIDGET_JS, WIDGET_VERSION } from "../../src/widget/bundle.generated";
import { call, expectProblem } from "./helpers";

async function sri(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

async function gzippedSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe("GET /widget.js and /widget/{version}.js", () => {
  it("serves the current bundle at a stable URL, cached briefly, pointing at its versioned URL", async () => {
    const res = await call("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("link")).toBe(`</widget/${WIDGET_VERSION}.js>; rel="canonical"`);
    expect(await res.text()).toBe(WIDGET_JS);
  });

  it("serves the versioned URL immutable, with bytes matching the published integrity hash", async () => {
    const res = await call(`/widget/${WIDGET_VERSION}.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await sri(await res.arrayBuffer())).toBe(WIDGET_INTEGRITY);
    await expectProblem(await call("/widget/0123456789abcdef.js"), 404, "not_found");
    await expectProblem(await call(`/widget/${WIDGET_VERSION}.mjs`), 404, "not_found");
  });

  it("is embedded in the README with the current versioned URL and integrity (run npm run build:widget and update it)", () => {
    expect(readme).toContain(`/widget/${WIDGET_VERSION}.js`);
    expect(readme).toContain(`integrity="${WIDGET_INTEGRITY}"`);
  });

  it("stays within 20 KB gzipped and uses no eval, no HTML parsing of strings, no inline styles", async () => {
    expect(await gzippedSize(WIDGET_JS)).toBeLessThanOrEqual(20 * 1024);
    for (const banned of [
      /\beval\(/,
      /new Function\(/,
      /\.innerHTML\b/,
      /\.outerHTML\b/,
      /insertAdjacentHTML/,
      /document\.write/,
      /setAttribute\("style"/,
      /\.style\.cssText/,
    ]) {
      expect(WIDGET_JS, String(banned)).not.toMatch(banned);
    }
    expect(WIDGET_JS).toContain("adoptedStyleSheets");
    expect(WIDGET_JS).toContain('"pci-auditor-scan"');
  });
});
