/**
 * Headless browsers and HTML-to-PDF converters on the server (puppeteer, playwright, html-pdf,
 * wkhtmltopdf, html-pdf-node). A URL they load is a server-side request; so is markup they
 * render: the browser fetches what the markup embeds (`<img src="http://169.254.169.254/…">`,
 * `<iframe src="file:///etc/passwd">`) from the server's network, and a PDF of the page hands the
 * answer back. Markup the attacker cannot write (HTML-escaped text) embeds nothing. PDF libraries
 * that draw text (pdfkit, jsPDF) render no markup and are not here.
 */
import { HTML, SSRF } from "../taint/kinds";
import { Hole, shallowCopy, type Taint, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import { calleeReceiverName } from "./receiver-names";
import type { LibraryModel, SinkEffect, SinkRow } from "./rows";
import { reportCallSink } from "./sink-report";

const LOADS_URL = "as the URL a headless browser loads";
const RENDERS_HTML = "as HTML a headless browser renders (it fetches what the markup embeds, file:// URLs included)";

/** A page or frame of a headless browser, by the names code gives them: `page`, `newPage`, `this.page`, `frame`. */
const PAGE_NAME = /page$|frame$|^tab$/i;

/** Text safe in HTML carries no markup, so it embeds nothing for the browser to fetch. */
function markupOnly(v: Value): Value {
  const lift = (t: Taint): Taint => (t.safe & HTML ? t.with({ safe: t.safe | SSRF }) : t);
  if (!v.taint) return v;
  const out = shallowCopy(v);
  out.taint = lift(v.taint);
  if (v.parts) out.parts = v.parts.map((p) => (p instanceof Hole ? new Hole(lift(p.taint)) : p));
  return out;
}

function reportHtml(host: ModelHost, site: CallSite, kind: number, html: Value | undefined): void {
  if (html) reportCallSink(host, site, kind, markupOnly(html), RENDERS_HTML, "any");
}

/** The argument at `index` is markup the browser renders. */
const htmlArgument =
  (index: number): SinkEffect =>
  (host, site, kind) =>
    reportHtml(host, site, kind, site.args[index]);

/** `wkhtmltopdf(input)`: a URL, or markup when the text starts with "<". */
function urlOrHtml(host: ModelHost, site: CallSite, kind: number): void {
  const v = site.args[0];
  if (!v) return;
  const lead = v.str ?? (typeof v.parts?.[0] === "string" ? v.parts[0] : "");
  if (/^\s*</.test(lead)) reportHtml(host, site, kind, v);
  else reportCallSink(host, site, kind, v, LOADS_URL, "url");
}

/** `htmlPdf.generatePdf({ url } | { content }, options)`, and `generatePdfs([…])`. */
function pdfFile(host: ModelHost, site: CallSite, kind: number): void {
  const arg = site.args[0];
  if (!arg) return;
  const file = arg.props?.has("url") || arg.props?.has("content") ? arg : host.elementOf(arg);
  const url = file.props?.get("url");
  if (url) reportCallSink(host, site, kind, url, LOADS_URL, "url");
  reportHtml(host, site, kind, file.props?.get("content"));
}

const SINKS: SinkRow[] = [
  { method: "goto", receiver: "browser-page", argument: 0, rule: "ssrf", what: LOADS_URL, mode: "url" },
  { method: "setContent", receiver: "browser-page", rule: "ssrf", effect: htmlArgument(0) },
  { call: "html-pdf:create", rule: "ssrf", effect: htmlArgument(0) },
  { call: "wkhtmltopdf:", rule: "ssrf", effect: urlOrHtml },
  ...["html-pdf-node:generatePdf", "html-pdf-node:generatePdfs"].map((call): SinkRow => ({ call, rule: "ssrf", effect: pdfFile })),
];

export const model: LibraryModel = {
  id: "headless-browsers",
  description: "Headless browsers and HTML-to-PDF converters: puppeteer and playwright pages, html-pdf, wkhtmltopdf, html-pdf-node.",
  fixtures: ["ssrf/receipt-renderer.js"],
  receivers: [{ receiver: "browser-page", test: (site) => PAGE_NAME.test(calleeReceiverName(site.callee) ?? "") }],
  sinks: SINKS,
};
