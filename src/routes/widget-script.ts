/**
 * GET /widget.js — the embeddable scan widget (src/widget/client/) at a stable URL, cached for
 * minutes only so pages that use it pick up a new version soon. Pages that pin a version with
 * Subresource Integrity use /widget/{version}.js instead (widget-versioned.ts), cached for good.
 * Both allow any origin: module scripts load in CORS mode, and the script itself holds no secret.
 */
import { WIDGET_JS, WIDGET_VERSION } from "../widget/bundle.generated";
import { defineRoute } from "./route";

/** Headers both widget URLs send besides their caching. */
export const WIDGET_HEADERS = {
  "Content-Type": "text/javascript; charset=utf-8",
  "Access-Control-Allow-Origin": "*",
  "X-Content-Type-Options": "nosniff",
} as const;

export const widgetScript = defineRoute({
  method: "get",
  path: "/widget.js",
  operationId: "getWidgetScript",
  summary: "The embeddable scan widget (latest)",
  description: "An ES module defining <pci-auditor-scan>; use it with a publishable key. The README shows how to embed it.",
  tags: ["widget"],
  auth: "none",
  responses: {
    200: { description: "The widget's ES module; its current versioned URL is in Link", contentType: "text/javascript", headers: ["Cache-Control", "Link"] },
  },
  handler(c) {
    return c.body(WIDGET_JS, 200, { ...WIDGET_HEADERS, "Cache-Control": "public, max-age=300", Link: `</widget/${WIDGET_VERSION}.js>; rel="canonical"` });
  },
});
