/**
 * XSS fixes in view templates: an unescaped output tag the finding points at becomes the
 * engine's escaping one (ejs `<%-` → `<%=`, Handlebars/mustache `{{{x}}}` and `{{& x}}` →
 * `{{x}}`, pug `!=` → `=` and `!{x}` → `#{x}`), and in a nunjucks/swig view whose environment
 * switched autoescaping off, `{{ x }}` → `{{ x | escape }}`. One row per template syntax.
 *
 * A template is not JavaScript, so the dataflow is not re-run on it: the fix is verified by the
 * attack simulator on the view's markup as the finding's proof rendered it, with every payload
 * for the hole's HTML context escaped as the escaping tag escapes it (the five characters HTML
 * gives meaning to): the markup must keep the elements and attributes benign input gives, and
 * a hole where escaping is not enough (a URL attribute's start, an event handler) gets no fix.
 */
import type { SourceFile } from "../source";
import { detectContext } from "../simulator/context";
import { createHtmlProver } from "../simulator/html";
import { BENIGN, payloadsFor } from "../simulator/payloads";
import type { Fix, Proof } from "../types";
import { escapeHtml, escapingSuffices, markupShape } from "./html";
import { replacementsOf, unifiedDiff, type Edit } from "./patch";

/** An unescaped output tag and its escaping twin. */
interface TagRow {
  syntax: string;
  files: RegExp;
  raw: RegExp;
  escaped: (match: RegExpExecArray) => string;
}

const TAG_ROWS: readonly TagRow[] = [
  { syntax: "ejs", files: /\.ejs$/i, raw: /^<%-([\s\S]*)%>$/, escaped: (m) => `<%=${m[1]}%>` },
  { syntax: "Handlebars", files: /\.(?:hbs|handlebars|mustache|html)$/i, raw: /^\{\{\{([\s\S]*)\}\}\}$/, escaped: (m) => `{{${m[1]}}}` },
  { syntax: "Handlebars", files: /\.(?:hbs|handlebars|mustache|html)$/i, raw: /^\{\{&\s*([\s\S]*)\}\}$/, escaped: (m) => `{{${m[1]}}}` },
  { syntax: "pug", files: /\.(?:pug|jade)$/i, raw: /^!=([\s\S]*)$/, escaped: (m) => `=${m[1]}` },
  { syntax: "pug", files: /\.(?:pug|jade)$/i, raw: /^!\{([\s\S]*)\}$/, escaped: (m) => `#{${m[1]}}` },
  { syntax: "nunjucks", files: /\.(?:njk|nunjucks|swig|html)$/i, raw: /^\{\{(?!\{)([\s\S]*?)\s*\}\}$/, escaped: (m) => `{{${m[1]} | escape }}` },
];

/** The edit that makes the output tag at [start, end) escape, or why there is none. */
export function templatePatch(file: SourceFile, start: number, end: number): { edit: Edit; syntax: string } | { reason: string } {
  const tag = file.text.slice(start, end);
  for (const row of TAG_ROWS) {
    if (!row.files.test(file.path)) continue;
    const m = row.raw.exec(tag);
    if (m && !/\|\s*(?:e|escape)\s*$/.test(m[1] ?? "")) return { edit: { start, end, text: row.escaped(m) }, syntax: row.syntax };
  }
  return { reason: "the view writes the value with a construct the fix does not know how to make escape: use the template's escaping output" };
}

/**
 * Judges a template fix with the attack simulator on the proof's rendering of the view (see the
 * module header). The proof's attack rendering holds the payload where the tag writes it. A
 * value where escaping is not enough gets a reason instead of a fix.
 */
export async function verifyTemplatePatch(file: SourceFile, edit: Edit, syntax: string, proof: Proof | undefined): Promise<Fix | { reason: string }> {
  const text = file.text.slice(0, edit.start) + edit.text + file.text.slice(edit.end);
  const record = (verdict: Fix["verdict"], evidence: string, check?: Fix["check"]): Fix => ({
    verdict,
    origin: "mechanical",
    description: `Writes the value with ${syntax}'s escaping output (\`${edit.text}\`), so the browser shows it as text.`,
    evidence,
    diff: unifiedDiff(file.path, file.text, text, [edit]),
    changes: [{ path: file.path, replacements: replacementsOf(file.lines, [edit]) }],
    ...(check ? { check } : {}),
  });
  const rendered = proof?.kind === "html" ? proof.attack.rendered : "";
  const at = proof ? rendered.indexOf(proof.payload) : -1;
  if (!proof || at < 0 || proof.payload === "")
    return record("plausible", "The view's markup could not be rendered again from the finding's proof, so the escaped output was not re-attacked.");
  const before = rendered.slice(0, at);
  const after = rendered.slice(at + proof.payload.length);
  const context = detectContext("html", before);
  if (!escapingSuffices(context)) {
    return {
      reason: `the view writes the value ${context.description}, where HTML escaping does not make it safe; check it against an allowlist (a URL's scheme, a known value)`,
    };
  }
  const prover = await createHtmlProver();
  const benignText = before + BENIGN[context.id] + after;
  const benign = prover.analyze(benignText);
  if (!benign.ok) return record("plausible", `The view's markup does not parse as HTML with benign input: ${benign.message}.`);
  for (const payload of payloadsFor(context)) {
    const attack = prover.analyze(before + escapeHtml(payload) + after);
    if (!attack.ok || markupShape(attack.structure) !== markupShape(benign.structure)) {
      return record("rejected", `Escaped, the payload ${JSON.stringify(payload)} still changes the view's markup.`);
    }
  }
  const payload = proof.payload;
  const attackText = before + escapeHtml(payload) + after;
  const attack = prover.analyze(attackText);
  return record(
    "proven",
    `Re-attacked on the view's markup with every payload for a hole ${context.description}, escaped as the escaping output writes it: the markup keeps the elements and attributes benign input gives (${benign.summary}). The dataflow is not re-run for a view template.`,
    {
      payload,
      before: proof.benign,
      benign: { input: BENIGN[context.id], rendered: benignText, structure: benign.summary },
      attack: { input: payload, rendered: attackText, structure: attack.ok ? attack.summary : "" },
      parser: prover.parser,
    },
  );
}
