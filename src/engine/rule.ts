/**
 * The shape every rule shares (STYLE.md §6): `createRule({ id, meta, create(ctx) })`, where
 * `create` returns listeners for the passes the engine makes over a file. A rule reports only
 * through `ctx.report(...)`; the engine turns reports into findings (location, masked snippet,
 * fingerprint, metadata), so rules never format output themselves.
 */
import type { SourceFile } from "./source";
import type { Confidence, FlowStep, Language, Proof, RuleCategory, SimulatedKind, ScanLimits, Severity, SqlDialect } from "./types";
import type { SqlStatement } from "./parse/sql-statement";
import type { JsNode } from "./parse/js";
import type { ProveOptions } from "./simulator/index";
import type { SinkTemplate } from "./simulator/template";
import type { SharedTrackers } from "./js/shared-trackers";

export interface RuleMeta {
  /** Short human title, shown as the SARIF rule name and the finding title. */
  title: string;
  /** One or two sentences: what the rule finds and why it matters for PCI DSS. */
  description: string;
  severity: Severity;
  confidence: Confidence;
  category: RuleCategory;
  /** e.g. ["CWE-89"] */
  cwe: string[];
  /** OWASP Top 10 2021 ids, e.g. ["A03:2021"] */
  owasp: string[];
  /** PCI DSS v4.0.1 requirement numbers, e.g. ["6.2.4"] */
  pci: string[];
  /** The written fix, used as-is when no AI explanation is available. */
  remediation: string;
  references: string[];
  tags?: string[];
  /** Languages whose files the rule runs on. */
  languages: Language[];
  /**
   * Rules whose findings at the same location this rule's findings replace (a specific rule
   * over a generic one), so one defect is reported once.
   */
  supersedes?: string[];
}

export interface Report {
  /** Character range [start, end) in the file. */
  start: number;
  end: number;
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  tags?: string[];
  flow?: FlowStep[];
  proof?: Proof;
  /**
   * What an injection sink receives, for the attack simulator: the engine renders the template
   * with benign values and payloads, parses both, attaches the proof, and lowers the confidence
   * of findings no payload could change.
   */
  simulate?: { kind: SimulatedKind; template: SinkTemplate; options?: ProveOptions };
  /** Extra text that tells two findings on the same line apart in the fingerprint. */
  fingerprintKey?: string;
}

/** A sensitive character range (card number or secret) that every snippet must mask. */
export interface Redaction {
  start: number;
  end: number;
  kind: "pan" | "secret";
}

export interface RuleContext {
  readonly file: SourceFile;
  readonly dialect: SqlDialect;
  readonly limits: ScanLimits;
  /** The file's bindings, constants, ancestor trails and hash calls, shared by all rules: ask in `create()`. */
  readonly shared: SharedTrackers;
  report(report: Report): void;
  /** Marks a range as sensitive so snippets of every finding on this file mask it. */
  redact(redaction: Redaction): void;
  /** A notification about this rule on this file (budget reached, input skipped...). */
  notify(code: "detector-budget" | "line-too-long", message: string, line?: number): void;
}

export type JsListener = (node: JsNode, parent: JsNode | null) => void;

export interface RuleListeners {
  /** Once per file with its whole text (every language). */
  text?: () => void;
  /** Each SQL statement: from .sql files, and SQL string literals found in JS/TS. */
  sql?: (statement: SqlStatement) => void;
  /** ESTree node listeners keyed by node type; "Type:exit" runs after the node's children. */
  js?: Record<string, JsListener>;
  /** After every pass over the file. */
  end?: () => void;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  create(ctx: RuleContext): RuleListeners;
}

/** Identity helper that gives rule definitions their type (and one place to grow checks). */
export function createRule(rule: Rule): Rule {
  return rule;
}
