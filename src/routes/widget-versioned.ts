/**
 * GET /widget/{file} — the widget at its content-versioned URL (`/widget/<version>.js`): the
 * bytes under one URL never change, so browsers and CDNs may keep them for a year, and the
 * README's integrity hash stays valid for it. Another version's URL is 404: only the current
 * bundle is deployed.
 */
import { z } from "zod";
import { ApiError } from "../errors";
import { problemExample } from "../openapi";
import { WIDGET_JS, WIDGET_VERSION } from "../widget/bundle.generated";
import { defineRoute } from "./route";
import { WIDGET_HEADERS } from "./widget-script";

const Params = z.object({ file: z.string().describe("`<version>.js`, the version being the current bundle's content hash (16 hex digits)") });

export const widgetVersioned = defineRoute({
  method: "get",
  path: "/widget/{file}",
  operationId: "getWidgetVersion",
  summary: "The embeddable scan widget (one version, immutable)",
  tags: ["widget"],
  auth: "none",
  request: { params: Params },
  responses: {
    200: { description: "The widget's ES module, cached for a year", contentType: "text/javascript", headers: ["Cache-Control"] },
    404: {
      description: "Not the current version",
      example: problemExample("not_found", "/widget/0123456789abcdef.js", "No such widget version; load /widget.js for the current one."),
    },
  },
  handler(c) {
    if (c.req.param("file") !== `${WIDGET_VERSION}.js`) throw new ApiError("not_found", "No such widget version; load /widget.js for the current one.");
    return c.body(WIDGET_JS, 200, { ...WIDGET_HEADERS, "Cache-Control": "public, max-age=31536000, immutable" });
  },
});
