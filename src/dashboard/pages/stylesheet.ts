/**
 * GET /dashboard/assets/dashboard.css — the dashboard's only stylesheet. Served from the Worker so
 * the Content-Security-Policy can forbid inline styles (style-src 'self'); colours meet WCAG AA
 * contrast on their backgrounds, severities are told apart by text as well as colour.
 */
import { definePage } from "../page";

export const STYLESHEET_PATH = "/dashboard/assets/dashboard.css";

const CSS = `
:root { --fg: #1b1f24; --muted: #4a5360; --bg: #ffffff; --panel: #f4f6f8; --line: #c9d1da; --accent: #0b5cad;
  --critical: #9b1c1c; --high: #b33c00; --medium: #7a5a00; --low: #245f2d; --info: #3d4a5c; --add: #ffe1dc; --del: #dcefe0;
  --patch-add: #dcefe0; --patch-del: #ffe1dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
.top { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; }
.top nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.top nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.signout { margin-left: auto; }
main { padding: 1.5rem; max-width: 80rem; }
.project-name { color: var(--muted); margin: 0; }
h1 { margin-top: .25rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
form.inline { display: inline; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
label { display: inline-block; margin: .25rem .75rem .25rem 0; }
input[type=text], input[type=url], select, textarea { font: inherit; padding: .3rem .4rem; border: 1px solid var(--muted); border-radius: 4px; }
button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: var(--bg); color: var(--accent); }
.new-key { border: 2px solid var(--high); padding: 1rem; border-radius: 6px; }
.new-key code { font-size: 1.05rem; word-break: break-all; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.sev { font-weight: 700; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); } .sev-info { color: var(--info); }
.proof { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.proof section { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
.proof h3 { margin-top: 0; }
ins { background: var(--add); text-decoration: underline; color: var(--fg); }
del { background: var(--del); color: var(--fg); }
.verdict-proven { color: var(--critical); font-weight: 700; }
.verdict-fix { font-weight: 700; text-transform: uppercase; }
.verdict-fix-proven { color: var(--low); } .verdict-fix-plausible { color: var(--medium); } .verdict-fix-rejected { color: var(--critical); }
.patch span { display: block; }
.patch-add { background: var(--patch-add); } .patch-del { background: var(--patch-del); } .patch-file, .patch-hunk { color: var(--muted); }
.chart text { fill: var(--fg); font-size: 13px; }
.chart .bar { fill: var(--accent); }
.chart .axis { stroke: var(--line); }
.pager { display: flex; gap: 1rem; }
.muted { color: var(--muted); }
ol.flow li { margin-bottom: .5rem; }
`;

export const stylesheet = definePage({
  method: "get",
  path: STYLESHEET_PATH,
  summary: "The dashboard's stylesheet",
  auth: "none",
  handler(c) {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(CSS, 200, { "content-type": "text/css; charset=utf-8" });
  },
});
