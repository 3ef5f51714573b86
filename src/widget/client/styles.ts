/**
 * The widget's stylesheet, adopted as a constructable stylesheet (no <style> element, no style
 * attribute: nothing a strict CSP's style-src would block). Hosts restyle it through the
 * --pci-auditor-* custom properties and the ::part() names; `theme="dark"` swaps the palette,
 * `theme="auto"` follows the visitor's setting. Every text/background pair meets WCAG AA (4.5:1).
 */
/** The dark palette, for `theme="dark"` and for `theme="auto"` on a dark system. */
const DARK_PALETTE = `
  --pci-auditor-bg: #1b1b1f;
  --pci-auditor-fg: #ececf1;
  --pci-auditor-muted: #c4c4cf;
  --pci-auditor-border: #9a9aa6;
  --pci-auditor-surface: #2a2a31;
  --pci-auditor-accent: #a8c7fa;
  --pci-auditor-accent-fg: #0b0b0f;
  --pci-auditor-focus: #a8c7fa;
  --pci-auditor-added-bg: #5c1a1a;
  --pci-auditor-added-fg: #ffe3e0;
  --pci-auditor-removed-bg: #173d22;
  --pci-auditor-removed-fg: #e0f5e6;
`;

export const WIDGET_CSS = `
:host {
  --pci-auditor-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --pci-auditor-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  --pci-auditor-bg: #ffffff;
  --pci-auditor-fg: #1b1b1f;
  --pci-auditor-muted: #4a4a55;
  --pci-auditor-border: #767680;
  --pci-auditor-surface: #f3f3f6;
  --pci-auditor-accent: #0b57d0;
  --pci-auditor-accent-fg: #ffffff;
  --pci-auditor-focus: #0b57d0;
  --pci-auditor-radius: 6px;
  --pci-auditor-added-bg: #ffd9d6;
  --pci-auditor-added-fg: #5c0000;
  --pci-auditor-removed-bg: #d6f0dc;
  --pci-auditor-removed-fg: #0b3d17;
  --pci-auditor-critical: #a50e0e;
  --pci-auditor-high: #9a3412;
  --pci-auditor-medium: #6b4f00;
  --pci-auditor-low: #1f5f8b;
  --pci-auditor-info: #4a4a55;
  --pci-auditor-severity-fg: #ffffff;
  display: block;
  font-family: var(--pci-auditor-font);
  color: var(--pci-auditor-fg);
  background: var(--pci-auditor-bg);
  line-height: 1.45;
}
:host([theme="dark"]) {
${DARK_PALETTE}}
@media (prefers-color-scheme: dark) {
  :host([theme="auto"]) {
${DARK_PALETTE}  }
}
* { box-sizing: border-box; }
.root { padding: 1rem; border: 1px solid var(--pci-auditor-border); border-radius: var(--pci-auditor-radius); }
h2, h3, h4, h5 { margin: 1rem 0 .5rem; line-height: 1.25; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1.05rem; }
h4 { font-size: 1rem; margin-top: 0; }
h5 { font-size: .9rem; }
label { font-weight: 600; display: block; margin-bottom: .25rem; }
textarea, input[type="text"] {
  width: 100%; font: inherit; color: inherit; background: var(--pci-auditor-bg);
  border: 1px solid var(--pci-auditor-border); border-radius: var(--pci-auditor-radius); padding: .5rem;
}
textarea { font-family: var(--pci-auditor-mono); font-size: .875rem; min-height: 12rem; resize: vertical; }
.drop[data-over] textarea { outline: 3px dashed var(--pci-auditor-accent); }
.row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-top: .75rem; }
.row > div { flex: 1 1 12rem; }
.hint, .meta { color: var(--pci-auditor-muted); font-size: .875rem; margin: .25rem 0; }
button, input[type="file"]::file-selector-button {
  font: inherit; font-weight: 600; border-radius: var(--pci-auditor-radius); padding: .5rem 1rem; cursor: pointer;
  border: 1px solid var(--pci-auditor-accent); background: var(--pci-auditor-bg); color: var(--pci-auditor-fg);
}
button[type="submit"] { background: var(--pci-auditor-accent); color: var(--pci-auditor-accent-fg); }
button:disabled { opacity: .6; cursor: progress; }
input[type="file"] { font: inherit; color: inherit; }
:focus-visible, [tabindex="-1"]:focus { outline: 3px solid var(--pci-auditor-focus); outline-offset: 2px; }
.status { margin: .75rem 0 0; min-height: 1.5em; }
.error { color: var(--pci-auditor-fg); background: var(--pci-auditor-added-bg); border-left: 4px solid var(--pci-auditor-critical); padding: .5rem .75rem; }
.files { margin: .25rem 0 0; padding-left: 1.25rem; font-size: .875rem; }
ol.findings { list-style: none; padding: 0; margin: 0; }
.finding { border: 1px solid var(--pci-auditor-border); border-radius: var(--pci-auditor-radius); padding: .75rem; margin-bottom: .75rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase; padding: .1rem .45rem; border-radius: 999px; color: var(--pci-auditor-severity-fg); margin-right: .4rem; }
.badge.critical { background: var(--pci-auditor-critical); }
.badge.high { background: var(--pci-auditor-high); }
.badge.medium { background: var(--pci-auditor-medium); }
.badge.low { background: var(--pci-auditor-low); }
.badge.info { background: var(--pci-auditor-info); }
.badge.proven, .patch .add { background: var(--pci-auditor-removed-bg); color: var(--pci-auditor-removed-fg); }
.badge.rejected, .patch .del { background: var(--pci-auditor-added-bg); color: var(--pci-auditor-added-fg); }
.badge.plausible { background: var(--pci-auditor-bg); color: var(--pci-auditor-fg); border: 1px solid var(--pci-auditor-border); }
.patch code { display: block; }
.patch .file, .patch .hunk { color: var(--pci-auditor-muted); }
pre { font-family: var(--pci-auditor-mono); font-size: .8125rem; background: var(--pci-auditor-surface); padding: .5rem; border-radius: var(--pci-auditor-radius); overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .25rem 0; }
ol.flow { margin: .25rem 0; padding-left: 1.25rem; }
ol.flow li { margin: .15rem 0; }
.proof-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .75rem; }
figure { margin: 0; }
figcaption { font-weight: 600; }
mark { background: var(--pci-auditor-added-bg); color: var(--pci-auditor-added-fg); font-weight: 700; border-radius: 2px; }
del { background: var(--pci-auditor-removed-bg); color: var(--pci-auditor-removed-fg); text-decoration: none; border-radius: 2px; }
summary { cursor: pointer; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .875rem; }
th, td { text-align: left; border-bottom: 1px solid var(--pci-auditor-border); padding: .3rem .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
