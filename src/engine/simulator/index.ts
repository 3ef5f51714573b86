/**
 * The attack simulator: proves an injection by parsing, never by running. Given what a sink
 * receives as a template (constant text and tainted holes), it fills every hole with a benign
 * value for its context, then tries the catalogue's payloads one hole at a time, parses each
 * rendering with the prover for the attack kind, and keeps the payload whose parse differs most
 * convincingly from the benign parse. A proof is `proven` only when the structures differ in a
 * way the payload caused (DESIGN.md "An attack proof").
 *
 * Work is bounded (holes, payloads per hole, characters parsed per proof) and so is the output:
 * renderings are cut to a window around the payload, and every string is masked before it is
 * cut (maskBeforeCut), since a template's constant text may hold a card number or a key.
 */
import type { Proof, SimulatedKind, SqlDialect } from "../types";
import { sqlParseWork } from "../parse/sql";
import { maskBeforeCut } from "../report/output-boundary";
import { detectContext, type HoleContext } from "./context";
import { createHtmlProver, HTML_PARSER } from "./html";
import { createJsProver } from "./js";
import { createLdapProver } from "./ldap";
import { createNosqlProver, createServerJsProver } from "./nosql";
import { createPathProver } from "./path";
import { BENIGN, payloadsFor } from "./payloads";
import { shorten, type Analysis, type Change, type Prover } from "./prover";
import { createShellProver } from "./shell";
import { createSqlProver, NODE_SQL_PARSER_VERSION } from "./sql";
import { holeCount, render, type SinkTemplate } from "./template";
import { createScriptUrlProver, createUrlProver } from "./url";
import { createXpathProver } from "./xpath";

export type { SinkTemplate, TemplatePart } from "./template";
export { templateOf } from "./template";

export interface ProveOptions {
  /** SQL dialect for `sql` proofs (default mysql). */
  dialect?: SqlDialect;
  /** For `path` proofs: the directory the sink must stay inside (default: the template's constant prefix). */
  baseDir?: string;
  /** For `path` proofs: the sink normalises the path lexically first (path.join/resolve/normalize). */
  lexicalPaths?: boolean;
  /** For `url` proofs: the URL is a link, a frame or a navigation in a page, where only a scheme that runs script (`javascript:`) counts. */
  scriptUrl?: boolean;
  /**
   * For `nosql` proofs: the template is JavaScript the database server runs (`$where`,
   * `$function`/`$accumulator` bodies, mapReduce functions), not a query document.
   */
  serverJs?: boolean;
  /**
   * Pays for parsing one rendering, in work units (sqlParseWork for SQL, characters otherwise):
   * the scan's budget. The benign rendering is always parsed; an attack the charge refuses ends
   * the search, as the per-proof budget does.
   */
  charge?: (work: number, benign: boolean) => boolean;
}

/** Bounds on the work of one proof and on the size of what it returns. */
export const SIMULATOR_LIMITS = {
  /** Payloads tried per hole. */
  maxPayloadsPerHole: 8,
  /** Templates with more holes are not simulated. */
  maxHoles: 32,
  /**
   * Longest template simulated (constant text). Sinks rarely receive more; node-sql-parser needs
   * ~0.1 s for 10,000 characters of pathological SQL (long AND chains), so this stays well under
   * the engine's statement bound.
   */
  maxSimulatedChars: 16_000,
  /**
   * Characters parsed per proof, benign and attack renderings together: ~120 parses of a
   * 500-character query, or the benign and three attacks of the largest template.
   */
  maxParsedChars: 64_000,
  /** Longest rendering kept in a proof (a window around the payload). */
  maxRenderedChars: 2_000,
  maxStructureChars: 600,
  maxEvidenceChars: 1_000,
  maxInputChars: 300,
} as const;

/** What text each encoding's output can be: hex digits, base64 with its padding, base64url. */
const ALPHABETS: Record<"hex" | "base64" | "base64url" | "any", RegExp> = {
  hex: /^[0-9a-f]*$/,
  base64: /^[A-Za-z0-9+/]*={0,2}$/,
  base64url: /^[A-Za-z0-9_-]*$/,
  any: /^/,
};

interface Attempt {
  hole: number;
  context: HoleContext;
  payload: string;
  text: string;
  analysis: Analysis<unknown>;
  changes: Change[];
  score: number;
}

/**
 * Simulates an attack on what a sink receives and returns the proof; null when the template
 * has no holes (nothing is tainted, so there is nothing to prove).
 *
 * @example
 * await prove("sql", templateOf("SELECT * FROM users WHERE name = '", { hole: "req.query.name" }, "'"))
 * // → verdict "proven", payload "' OR '1'='1",
 * //   evidence "The WHERE condition is now always true: ((name = '') OR ('1' = '1')) (payload in req.query.name, …)."
 */
export async function prove(kind: SimulatedKind, template: SinkTemplate, options: ProveOptions = {}): Promise<Proof | null> {
  const holes = holeCount(template);
  if (holes === 0) return null;
  const dialect = options.dialect ?? "mysql";
  const constantChars = template.parts.reduce((sum, p) => sum + (p.kind === "text" ? p.text.length : 0), 0);
  if (holes > SIMULATOR_LIMITS.maxHoles || constantChars > SIMULATOR_LIMITS.maxSimulatedChars) {
    const why =
      holes > SIMULATOR_LIMITS.maxHoles
        ? `the template has ${holes} holes; the simulator handles at most ${SIMULATOR_LIMITS.maxHoles}`
        : `the template is ${constantChars} characters long; the simulator parses at most ${SIMULATOR_LIMITS.maxSimulatedChars}`;
    return unsimulated(kind, template, why, dialect);
  }

  // Contexts and benign values, hole by hole: each context is read from the text before it.
  const contexts: HoleContext[] = [];
  const benignValues: string[] = [];
  const starts: number[] = [];
  let prefix = "";
  for (const part of template.parts) {
    if (part.kind === "text") {
      prefix += part.text;
      continue;
    }
    const context = detectContext(kind, prefix, dialect, options.serverJs);
    contexts.push(context);
    benignValues.push(BENIGN[context.id]);
    starts.push(prefix.length);
    prefix += BENIGN[context.id];
  }
  const labels = template.parts.flatMap((p) => (p.kind === "hole" ? [p.label] : []));
  const alphabets = template.parts.flatMap((p) => (p.kind === "hole" ? [p.alphabet] : []));
  const prover = await createProver(kind, template, options, dialect);
  const benignText = render(template, benignValues);
  const work = (text: string) => (kind === "sql" ? sqlParseWork(text.length) : text.length);
  options.charge?.(work(benignText), true);
  const benign = prover.analyze(benignText);
  let parsedChars = benignText.length;

  const attempts: Attempt[] = [];
  let best: Attempt | undefined;
  let budgetHit: "proof" | "scan" | null = null;
  search: for (let hole = 0; hole < holes; hole++) {
    const context = contexts[hole]!;
    // Encoded data can spell only its alphabet: a payload it cannot write proves nothing.
    const spellable = ALPHABETS[alphabets[hole] ?? "any"];
    for (const payload of payloadsFor(context)
      .filter((p) => spellable.test(p))
      .slice(0, SIMULATOR_LIMITS.maxPayloadsPerHole)) {
      const values = benignValues.slice();
      values[hole] = payload;
      const text = render(template, values);
      if (parsedChars + text.length > SIMULATOR_LIMITS.maxParsedChars) {
        budgetHit = "proof";
        break search;
      }
      if (options.charge?.(work(text), false) === false) {
        budgetHit = "scan";
        break search;
      }
      parsedChars += text.length;
      const analysis = prover.analyze(text);
      const changes = benign.ok && analysis.ok ? prover.compare(benign.structure, analysis.structure) : [];
      const score = Math.max(0, ...changes.map((c) => c.rank));
      const attempt: Attempt = { hole, context, payload, text, analysis, changes, score };
      attempts.push(attempt);
      if (!benign.ok) break search; // One attack rendering is enough to show alongside.
      if (score > (best?.score ?? 0)) best = attempt;
      if (score === 3) break search;
    }
  }

  const shown = best ?? attempts.find((a) => a.analysis.ok) ?? attempts[0];
  const benignRendering = {
    input: bound(shown ? benignValues[shown.hole]! : "", SIMULATOR_LIMITS.maxInputChars),
    rendered: clip(benignText, shown ? starts[shown.hole]! : 0, shown ? benignValues[shown.hole]!.length : 0),
    structure: structureText(benign),
  };
  const attackRendering = shown
    ? {
        input: bound(shown.payload, SIMULATOR_LIMITS.maxInputChars),
        rendered: clip(shown.text, starts[shown.hole]!, shown.payload.length),
        structure: structureText(shown.analysis),
      }
    : { ...benignRendering, input: "" };
  const where = (a: Attempt): string => `payload in ${shorten(labels[a.hole] ?? "a hole", 60)}, ${a.context.description}`;

  let verdict: Proof["verdict"] = "not-proven";
  let evidence: string;
  if (!benign.ok) {
    evidence = `benign rendering does not parse: ${benign.message}`;
  } else if (best) {
    verdict = "proven";
    const words = best.changes
      .filter((c) => c.rank > 0)
      .sort((a, b) => b.rank - a.rank)
      .map((c) => c.words);
    evidence = `${capitalise(words.join("; "))} (${where(best)}).`;
  } else {
    evidence = notProvenEvidence(
      attempts,
      contexts,
      holes,
      budgetHit,
      alphabets.find((a) => a !== undefined),
    );
  }
  return {
    kind,
    payload: bound(shown?.payload ?? "", SIMULATOR_LIMITS.maxInputChars),
    benign: benignRendering,
    attack: attackRendering,
    verdict,
    evidence: bound(evidence, SIMULATOR_LIMITS.maxEvidenceChars),
    parser: prover.parser,
  };
}

async function createProver(kind: SimulatedKind, template: SinkTemplate, options: ProveOptions, dialect: SqlDialect): Promise<Prover<unknown>> {
  switch (kind) {
    case "sql":
      return await createSqlProver(dialect);
    case "shell":
      return createShellProver();
    case "js":
      return createJsProver();
    case "html":
      return await createHtmlProver();
    case "url":
      return options.scriptUrl ? createScriptUrlProver() : createUrlProver();
    case "nosql":
      return options.serverJs ? createServerJsProver() : createNosqlProver();
    case "xpath":
      return createXpathProver();
    case "ldap":
      return createLdapProver();
    case "path": {
      const first = template.parts.findIndex((p) => p.kind === "hole");
      const constantPrefix = template.parts
        .slice(0, first)
        .map((p) => (p.kind === "text" ? p.text : ""))
        .join("");
      return createPathProver({ baseDir: options.baseDir, constantPrefix, lexical: options.lexicalPaths });
    }
  }
}

/** Why nothing was proven, in words. */
function notProvenEvidence(attempts: Attempt[], contexts: HoleContext[], holes: number, budgetHit: "proof" | "scan" | null, alphabet?: string): string {
  const budget =
    budgetHit === "proof"
      ? ` The work budget (${SIMULATOR_LIMITS.maxParsedChars} characters parsed) ran out first.`
      : budgetHit === "scan"
        ? " The scan's simulation budget ran out first."
        : "";
  if (attempts.length === 0) {
    const where = [...new Set(contexts.map((c) => c.description))].join("; ");
    return budgetHit
      ? `No payload was tried.${budget}`
      : alphabet
        ? `No payload in the catalogue for a hole ${where} can be written in ${alphabet} (the data is ${alphabet}-encoded before it gets there).`
        : `No payload in the catalogue applies to a hole ${where}.`;
  }
  const failed = attempts.filter((a) => !a.analysis.ok).length;
  const notes = [...new Set(attempts.flatMap((a) => a.changes.filter((c) => c.rank === 0).map((c) => c.words)))].slice(0, 1);
  const tried = `${attempts.length} payload${attempts.length === 1 ? "" : "s"} on ${Math.min(holes, new Set(attempts.map((a) => a.hole)).size)} hole${holes === 1 ? "" : "s"}`;
  const parseNote =
    failed === attempts.length
      ? ` Every attack rendering failed to parse.`
      : failed > 0
        ? ` ${failed} attack rendering${failed === 1 ? "" : "s"} did not parse.`
        : "";
  const noteText = notes.length > 0 ? ` ${capitalise(notes.join("; "))}.` : "";
  return `No payload changed the parsed structure (${tried}).${noteText}${parseNote}${budget}`;
}

/** A proof for a template too large to simulate: the constant text and the reason. */
function unsimulated(kind: SimulatedKind, template: SinkTemplate, why: string, dialect: SqlDialect): Proof {
  let text = "";
  for (const part of template.parts) {
    text += part.kind === "text" ? part.text.slice(0, SIMULATOR_LIMITS.maxRenderedChars * 2) : "";
    if (text.length > SIMULATOR_LIMITS.maxRenderedChars * 2) break;
  }
  const rendering = { input: "", rendered: clip(text, 0, 0), structure: "not parsed" };
  return {
    kind,
    payload: "",
    benign: rendering,
    attack: { ...rendering },
    verdict: "not-proven",
    evidence: `Not simulated: ${why}.`,
    parser: parserFor(kind, dialect),
  };
}

function parserFor(kind: SimulatedKind, dialect: SqlDialect): Proof["parser"] {
  switch (kind) {
    case "sql":
      return { name: "node-sql-parser", version: NODE_SQL_PARSER_VERSION, dialect };
    case "shell":
      return createShellProver().parser;
    case "js":
      return createJsProver().parser;
    case "nosql":
      return createNosqlProver().parser;
    case "html":
      return { ...HTML_PARSER };
    case "url":
      return createUrlProver().parser;
    case "path":
      return createPathProver({ constantPrefix: "" }).parser;
    case "xpath":
      return createXpathProver().parser;
    case "ldap":
      return createLdapProver().parser;
  }
}

function structureText(analysis: Analysis<unknown>): string {
  return bound(analysis.ok ? analysis.summary : `does not parse: ${analysis.message}`, SIMULATOR_LIMITS.maxStructureChars);
}

/** Masks card numbers and secrets, then cuts to `max` characters. */
function bound(text: string, max: number): string {
  const masked = maskBeforeCut(text.length > max * 4 ? text.slice(0, max * 4) : text, max);
  return masked.length <= max ? masked : masked.slice(0, max - 1) + "…";
}

/**
 * Masks card numbers and secrets, then keeps a window of at most maxRenderedChars around the hole at
 * [focus, focus + length), marking cuts with "…".
 */
function clip(text: string, focus: number, length: number): string {
  const max = SIMULATOR_LIMITS.maxRenderedChars;
  // Masking may shorten the text slightly (separators in card numbers); the window stays close.
  const masked = maskBeforeCut(text, max);
  if (masked.length <= max) return masked;
  const room = max - 2;
  const span = Math.min(length, room);
  let start = Math.max(0, Math.min(focus - Math.floor((room - span) / 2), masked.length - room));
  if (focus >= masked.length) start = Math.max(0, masked.length - room);
  const window = masked.slice(start, start + room);
  return (start > 0 ? "…" : "") + window + (start + room < masked.length ? "…" : "");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
