/**
 * What SQL analysis and attack simulation may spend, per file and per scan, and how many findings
 * a scan may hold. Both parse with node-sql-parser, whose cost per call does not shrink with the
 * text (133 KB of distinct statements no dialect parses once took 18.7 s), so the budgets count
 * statements and deterministic work units (sqlParseWork), never time: the engine has no clock,
 * and the same input must give the same findings on any machine. Findings are capped because each
 * costs a snippet, a fingerprint and masking, and 2,000 files of 37 rules × 500 findings would not
 * fit in an isolate; the cap is per severity, so a flood of low findings early in a scan never
 * crowds out a critical one later. What a budget skips is told once per file, with counts.
 */
import { SEVERITIES, type Notification, type ScanLimits, type Severity } from "./types";
import type { SourceFile } from "./source";

/** What the rest of a scan may still spend. */
interface ScanAllowance {
  sqlStatements: number;
  sqlWork: number;
  simulationWork: number;
  findings: Record<Severity, number>;
}

// scan() hands every file of a scan the same limits object, so it keys the scan's allowance.
const allowances = new WeakMap<ScanLimits, ScanAllowance>();

function scanAllowance(limits: ScanLimits): ScanAllowance {
  let allowance = allowances.get(limits);
  if (!allowance) {
    allowance = {
      sqlStatements: limits.maxScanSqlStatements,
      sqlWork: limits.maxScanSqlParseWork,
      simulationWork: limits.maxScanSimulationWork,
      findings: Object.fromEntries(SEVERITIES.map((s) => [s, limits.maxScanFindingsPerSeverity])) as Record<Severity, number>,
    };
    allowances.set(limits, allowance);
  }
  return allowance;
}

const count = (n: number) => n.toLocaleString("en-US");

/** Where in the file something was first skipped, and how many were. */
class Skipped {
  count = 0;
  at = -1;
  add(at: number): void {
    if (this.count++ === 0) this.at = at;
  }
}

/** One file's SQL budget: statements the SQL rules check, and parser work; it draws on the scan's at the same time. */
export class SqlBudget {
  private statements: number;
  private work: number;
  private readonly scan: ScanAllowance;
  private readonly unchecked = new Skipped();
  private readonly unparsed = new Skipped();

  constructor(private readonly limits: ScanLimits) {
    this.statements = limits.maxFileSqlStatements;
    this.work = limits.maxFileSqlParseWork;
    this.scan = scanAllowance(limits);
  }

  /** Takes one statement (at file offset `at`) for the SQL rules; false past the file's or the scan's statement limit. */
  takeStatement(at: number): boolean {
    if (this.statements > 0 && this.scan.sqlStatements > 0) {
      this.statements--;
      this.scan.sqlStatements--;
      return true;
    }
    this.unchecked.add(at);
    return false;
  }

  /** Pays for one parser call (a SqlParseCharge). Once a call is refused, the file parses nothing more. */
  readonly charge = (work: number): boolean => {
    if (work <= this.work && work <= this.scan.sqlWork) {
      this.work -= work;
      this.scan.sqlWork -= work;
      return true;
    }
    this.work = 0;
    return false;
  };

  /** Records a statement (at file offset `at`) left unparsed because the budget was spent. */
  unparsedAt(at: number): void {
    this.unparsed.add(at);
  }

  /** One notification per bound this file reached, with how much it skipped. */
  notifications(file: SourceFile): Notification[] {
    const out: Notification[] = [];
    const { limits } = this;
    const note = (skipped: Skipped, message: () => string) => {
      if (skipped.count === 0) return;
      const { line, column } = file.lines.position(skipped.at);
      out.push({ level: "warning", code: "detector-budget", path: file.path, line, column, message: message() });
    };
    note(
      this.unchecked,
      () =>
        `${count(this.unchecked.count)} SQL statements from here on were not checked by the SQL rules: they check at most ${count(limits.maxFileSqlStatements)} per file and ${count(limits.maxScanSqlStatements)} per scan. Card-data and secret checks covered the whole file.`,
    );
    note(
      this.unparsed,
      () =>
        `${count(this.unparsed.count)} SQL statements from here on were checked from their tokens only: the SQL parse budget (${count(limits.maxFileSqlParseWork)} work units per file, ${count(limits.maxScanSqlParseWork)} per scan) was spent.`,
    );
    return out;
  }
}

/** One file's share of the scan's attack-simulation budget. */
export class SimulationBudget {
  private readonly scan: ScanAllowance;
  private skipped = 0;

  constructor(private readonly limits: ScanLimits) {
    this.scan = scanAllowance(limits);
  }

  /** Whether another sink may be simulated; false (counted) once the scan's budget is spent. */
  start(): boolean {
    if (this.scan.simulationWork > 0) return true;
    this.skipped++;
    return false;
  }

  /**
   * Pays for parsing one rendering: a benign rendering is always paid for (the budget may go
   * below zero by one), an attack only while the budget lasts.
   */
  readonly charge = (work: number, benign: boolean): boolean => {
    if (!benign && work > this.scan.simulationWork) return false;
    this.scan.simulationWork -= work;
    return true;
  };

  /** The notification for the sinks this file left unsimulated, if any. */
  notification(path: string): Notification | null {
    if (this.skipped === 0) return null;
    return {
      level: "note",
      code: "proof-budget",
      path,
      message: `${count(this.skipped)} injection findings in this file got no attack simulation: the scan's simulation budget (${count(this.limits.maxScanSimulationWork)} work units) was spent.`,
    };
  }
}

/** One file's share of the scan's findings. */
export class FindingBudget {
  private readonly scan: ScanAllowance;
  private readonly dropped = new Map<Severity, number>();

  constructor(private readonly limits: ScanLimits) {
    this.scan = scanAllowance(limits);
  }

  /** Takes room for one finding of this severity; false (counted) once the scan holds maxScanFindingsPerSeverity of them. */
  take(severity: Severity): boolean {
    if (this.scan.findings[severity] > 0) {
      this.scan.findings[severity]--;
      return true;
    }
    this.dropped.set(severity, (this.dropped.get(severity) ?? 0) + 1);
    return false;
  }

  /** The notification for the findings this file could not list, if any. */
  notification(path: string): Notification | null {
    if (this.dropped.size === 0) return null;
    const total = [...this.dropped.values()].reduce((a, b) => a + b, 0);
    const which = SEVERITIES.filter((s) => this.dropped.has(s)).join(", ");
    return {
      level: "warning",
      code: "finding-cap",
      path,
      message: `${count(total)} findings in this file are not listed: the scan reached its cap of ${count(this.limits.maxScanFindingsPerSeverity)} findings per severity (${which}).`,
    };
  }
}
