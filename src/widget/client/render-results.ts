/**
 * A completed scan as the widget shows it: a PCI DSS requirement summary, then findings grouped
 * by severity, each with its masked snippet (the API masks card numbers and secrets before
 * storing anything), its source → sink flow, and its proof as the benign and the attack rendering
 * side by side with the tokens the payload changed highlighted, and its fix: the patch as a diff
 * with its verdict, and the attack re-run on the patched code (or why there is no patch).
 */
import type { Fix } from "../../engine/types";
import type { Finding, Proof, Scan } from "./api-client";
import { h } from "./dom";
import { diffTokens, type DiffPart } from "../../proof-diff";
import { patchLines } from "../../patch-lines";

const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
const SEVERITY_NAMES: Record<(typeof SEVERITIES)[number], string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low", info: "Info" };

/** PCI DSS v4.0.1 requirements the rules cite, in a few words each. */
const PCI_REQUIREMENTS: Record<string, string> = {
  "3.3.1": "No sensitive authentication data kept after authorization",
  "3.3.1.1": "No full track data retained",
  "3.3.1.2": "No card verification code retained",
  "3.3.1.3": "No PIN or PIN block retained",
  "3.4.1": "PAN masked when displayed",
  "3.5.1": "PAN unreadable wherever it is stored",
  "3.5.1.1": "Hashes of PAN are keyed",
  "3.6.1": "Cryptographic keys protected",
  "4.2.1": "Strong cryptography for PAN in transit",
  "6.2.4": "Software prevents common attacks (injection and others)",
  "6.3.3": "Known vulnerabilities fixed",
  "6.4.3": "Payment page scripts authorized and checked",
  "7.2.1": "Access control model defined",
  "7.2.2": "Access assigned by least privilege",
  "8.3.2": "Authentication factors unreadable in storage and transit",
  "8.6.2": "No passwords hard-coded in scripts or source",
  "10.2.1": "Audit logs capture required events",
  "10.3.2": "Audit logs protected from modification",
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One line read aloud when results arrive: "3 findings: 1 critical, 2 high." */
export function resultSentence(scan: Scan): string {
  const findings = scan.findings ?? [];
  if (findings.length === 0) return "Scan complete: no findings.";
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  return `Scan complete: ${plural(findings.length, "finding")}: ${counts.map(([s, n]) => `${n} ${s}`).join(", ")}.`;
}

/** The results section's content; `headingId` names the heading focus moves to. */
export function renderResults(scan: Scan, headingId: string): DocumentFragment {
  const findings = scan.findings ?? [];
  const out = document.createDocumentFragment();
  out.append(h("h2", { id: headingId, tabindex: "-1" }, findings.length === 0 ? "No findings" : `Results: ${plural(findings.length, "finding")}`));
  if (scan.findingsTruncated) out.append(h("p", { class: "meta" }, "Only the first findings are shown."));
  if (findings.length === 0) {
    out.append(h("p", {}, "Nothing in this code breaks the PCI DSS checks this scanner runs."));
    return out;
  }
  out.append(pciSummary(scan));
  for (const severity of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const id = `${headingId}-${severity}`;
    out.append(
      h(
        "section",
        { "aria-labelledby": id, part: `group group-${severity}` },
        h("h3", { id }, `${SEVERITY_NAMES[severity]} (${group.length})`),
        h("ol", { class: "findings" }, ...group.map((f) => h("li", {}, renderFinding(f)))),
      ),
    );
  }
  return out;
}

function pciSummary(scan: Scan): HTMLElement {
  const counts = Object.entries(scan.summary?.byPciRequirement ?? {}).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
  return h(
    "section",
    { "aria-label": "PCI DSS requirements", part: "pci-summary" },
    h("h3", {}, "PCI DSS v4.0.1 requirements affected"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Requirement"), h("th", { scope: "col" }, "What it asks"), h("th", { scope: "col" }, "Findings"))),
      h(
        "tbody",
        {},
        ...counts.map(([req, n]) => h("tr", {}, h("th", { scope: "row" }, req), h("td", {}, PCI_REQUIREMENTS[req] ?? "—"), h("td", {}, String(n)))),
      ),
    ),
  );
}

function renderFinding(f: Finding): HTMLElement {
  const where = `${f.location.path}:${f.location.startLine}:${f.location.startColumn}`;
  return h(
    "article",
    { class: "finding", part: "finding", "aria-label": `${SEVERITY_NAMES[f.severity]}: ${f.title}` },
    h("h4", {}, h("span", { class: `badge ${f.severity}` }, f.severity), f.title),
    h("p", { class: "meta" }, `${where} · ${f.ruleId}${f.cwe.length ? ` · ${f.cwe.join(", ")}` : ""}${f.pci.length ? ` · PCI DSS ${f.pci.join(", ")}` : ""}`),
    h("p", {}, f.message),
    h("pre", { part: "snippet", "aria-label": `Code at ${where} (card numbers and secrets masked)` }, h("code", {}, f.snippet)),
    f.flow.length > 0 &&
      h(
        "div",
        { part: "flow" },
        h("h5", {}, "Flow: source → sink"),
        h("ol", { class: "flow" }, ...f.flow.map((step) => h("li", {}, `${step.message} `, h("span", { class: "meta" }, `(line ${step.location.startLine})`)))),
      ),
    f.proof && renderProof(f.proof),
    h("h5", {}, "How to fix it"),
    h("p", {}, f.remediation),
    f.fix
      ? renderFix(f.fix)
      : f.fixUnavailable && h("p", { class: "meta", part: "fix-unavailable" }, `No patch proposed: ${f.fixUnavailable.replace(/\.$/, "")}.`),
  );
}

/** Diff parts as text, the changed ones in `tag` (mark: the attack's additions; del: what benign had instead). */
function diffNodes(parts: DiffPart[], tag: "mark" | "del"): Array<Node | string> {
  return parts.map((p) => (p.changed ? h(tag, {}, p.text) : p.text));
}

const parserName = (p: Proof["parser"]) => `${p.name} ${p.version}${p.dialect ? ` (${p.dialect})` : ""}`;

function renderProof(proof: Proof): HTMLElement {
  const rendered = diffTokens(proof.benign.rendered, proof.attack.rendered);
  const structure = diffTokens(proof.benign.structure, proof.attack.structure);
  const side = (label: string, input: string, text: Array<Node | string>, shape: Array<Node | string>) =>
    h(
      "figure",
      {},
      h("figcaption", {}, `${label} input: `, h("code", {}, input)),
      h("pre", { "aria-label": `${label} rendering` }, h("code", {}, ...text)),
      h("p", { class: "meta" }, "Parsed: ", ...shape),
    );
  return h(
    "details",
    { part: "proof", open: proof.verdict === "proven" },
    h("summary", {}, `Attack proof (${proof.kind}): ${proof.verdict === "proven" ? "proven" : "not proven"}`),
    h("p", {}, proof.evidence),
    h(
      "div",
      { class: "proof-grid" },
      side("Benign", proof.benign.input, diffNodes(rendered.benign, "del"), diffNodes(structure.benign, "del")),
      side("Attack", proof.attack.input, diffNodes(rendered.attack, "mark"), diffNodes(structure.attack, "mark")),
    ),
    h("p", { class: "meta" }, `Highlighted: what the payload changed. Parser: ${parserName(proof.parser)}.`),
  );
}

/** A patch, folded under its verdict: what it does, the diff line by line, why the verdict, and the attack re-run on the patched code. */
function renderFix(fix: Fix): HTMLElement {
  const check = fix.check;
  const run = (label: string, r: { input: string; rendered: string; structure: string }) =>
    h(
      "figure",
      {},
      h("figcaption", {}, `${label}: `, h("code", {}, r.input)),
      h("pre", { "aria-label": `${label}, rendered` }, h("code", {}, r.rendered)),
      h("p", { class: "meta" }, "Parsed: ", r.structure),
    );
  const same = check && check.before.structure === check.benign.structure && check.benign.structure === check.attack.structure;
  return h(
    "details",
    { part: "fix" },
    h("summary", {}, "Fix: ", h("span", { class: `badge ${fix.verdict}` }, fix.verdict), ` (${fix.origin === "ai" ? "AI" : "mechanical"})`),
    h("p", {}, fix.description),
    h(
      "pre",
      { class: "patch", part: "patch", "aria-label": "The patch (unified diff)" },
      ...patchLines(fix.diff).map((l) => h("code", { class: l.kind }, l.text)),
    ),
    h("p", {}, fix.evidence),
    check &&
      h(
        "div",
        { class: "proof-grid" },
        run("Original code, benign input", check.before),
        run("Patched code, benign input", check.benign),
        run("Patched code, attack input", check.attack),
      ),
    check &&
      h(
        "p",
        { class: "meta" },
        `${same ? "Same structure in all three: the payload stays a value." : "The structures differ."} Parser: ${parserName(check.parser)}.`,
      ),
  );
}
