/**
 * The JSON report: the whole ScanResult plus a summary, pretty-printed with a fixed key order so
 * two runs over the same code give byte-identical files (diffable in CI, cacheable by hash)
 * whatever order the result's producer (engine, database row, HTTP client) wrote keys in.
 */
import {
  SEVERITIES,
  type Finding,
  type Fix,
  type FlowStep,
  type Location,
  type Notification,
  type Proof,
  type ProofRendering,
  type ScanResult,
} from "../types";
import { summarize, type ScanSummary } from "./summary";

/** What `toJson` writes. */
export interface JsonReport {
  engineVersion: string;
  summary: ScanSummary;
  stats: ScanResult["stats"];
  findings: Finding[];
  /** Findings inline directives accepted, each with its `suppression`. */
  suppressed: Finding[];
  notifications: Notification[];
}

/**
 * Renders a scan result as pretty JSON (two-space indent, trailing newline).
 *
 * @example
 *   const text = toJson(await scan(input));
 *   JSON.parse(text).summary.byPciRequirement; // { "3.5.1": 2, "6.2.4": 1 }
 */
export function toJson(result: ScanResult): string {
  return JSON.stringify(toJsonReport(result), null, 2) + "\n";
}

/** The report as an object with its keys in report order (what `toJson` serialises). */
export function toJsonReport(result: ScanResult): JsonReport {
  const summary = summarize(result);
  return {
    engineVersion: result.engineVersion,
    summary: ordered(summary, ["findings", "suppressed", "bySeverity", "byPciRequirement", "byRule", "notifications"], {
      bySeverity: bySeverity(summary.bySeverity),
      notifications: ordered(summary.notifications, ["error", "warning", "note"]),
    }),
    stats: ordered(result.stats, ["files", "filesScanned", "filesSkipped", "bytes", "findings", "bySeverity", "rulesRun"], {
      bySeverity: bySeverity(result.stats.bySeverity),
    }),
    findings: result.findings.map(finding),
    suppressed: (result.suppressed ?? []).map(finding),
    notifications: result.notifications.map((n) => ordered(n, ["level", "code", "ruleId", "path", "line", "column", "message"])),
  };
}

const FINDING_ORDER: Array<keyof Finding> = [
  "id",
  "ruleId",
  "severity",
  "confidence",
  "title",
  "message",
  "cwe",
  "owasp",
  "pci",
  "category",
  "tags",
  "location",
  "snippet",
  "flow",
  "fingerprint",
  "remediation",
  "proof",
  "proofRef",
  "fix",
  "fixUnavailable",
  "suppression",
];

function finding(f: Finding): Finding {
  return ordered(f, FINDING_ORDER, {
    location: location(f.location),
    flow: f.flow.map((step: FlowStep) => ordered(step, ["location", "message"], { location: location(step.location) })),
    proof: f.proof && proof(f.proof),
    fix: f.fix && fix(f.fix),
  });
}

function location(l: Location): Location {
  return ordered(l, ["path", "startLine", "startColumn", "endLine", "endColumn"]);
}

function proof(p: Proof): Proof {
  return ordered(p, ["kind", "payload", "benign", "attack", "verdict", "evidence", "parser"], {
    benign: rendering(p.benign),
    attack: rendering(p.attack),
    parser: parser(p.parser),
  });
}

function fix(x: Fix): Fix {
  const check = x.check;
  return ordered(x, ["verdict", "origin", "description", "evidence", "diff", "changes", "check"], {
    changes: x.changes.map((c) =>
      ordered(c, ["path", "replacements"], {
        replacements: c.replacements.map((r) => ordered(r, ["startLine", "startColumn", "endLine", "endColumn", "text"])),
      }),
    ),
    check:
      check &&
      ordered(check, ["payload", "before", "benign", "attack", "parser"], {
        before: rendering(check.before),
        benign: rendering(check.benign),
        attack: rendering(check.attack),
        parser: parser(check.parser),
      }),
  });
}

function rendering(r: ProofRendering): ProofRendering {
  return ordered(r, ["input", "rendered", "structure"]);
}

function parser(p: Proof["parser"]): Proof["parser"] {
  return ordered(p, ["name", "version", "dialect"]);
}

function bySeverity<T extends Record<string, number>>(counts: T): T {
  return ordered(counts, [...SEVERITIES]);
}

/**
 * A copy of `value` (with `replace` applied) whose keys come in `order`, then any other keys
 * alphabetically; keys whose value is undefined are dropped, as JSON.stringify would.
 */
function ordered<T extends object>(value: T, order: ReadonlyArray<string>, replace: Partial<Record<string, unknown>> = {}): T {
  const source: Record<string, unknown> = { ...value, ...replace };
  const rest = Object.keys(source)
    .filter((k) => !order.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...order, ...rest]) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out as T;
}
