/**
 * The widget's calls to the API with a publishable key: create a scan, wait for it when it was
 * queued, and fetch a proof too large to come inline. Every failure becomes a WidgetError the
 * element shows and reports: an HTTP problem (its detail), or no answer at all — which from a
 * page is what a refused CORS preflight looks like, so the message says so.
 */
import type { Fix } from "../../engine/types";

export interface Problem {
  status: number;
  code?: string;
  detail?: string;
  title?: string;
  requestId?: string;
}

export class WidgetError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface Proof {
  kind: string;
  payload: string;
  benign: { input: string; rendered: string; structure: string };
  attack: { input: string; rendered: string; structure: string };
  verdict: "proven" | "not-proven";
  evidence: string;
  parser: { name: string; version: string; dialect?: string };
}

export interface Location {
  path: string;
  startLine: number;
  startColumn: number;
}

export interface Finding {
  id: string;
  ruleId: string;
  severity: "critical" | "high" | "medium" | "low" | "info";
  title: string;
  message: string;
  cwe: string[];
  pci: string[];
  location: Location;
  snippet: string;
  flow: Array<{ location: Location; message: string }>;
  remediation: string;
  proof?: Proof;
  proofRef?: string;
  /** A patch for an injection finding and what re-attacking the patched code showed. */
  fix?: Fix;
  /** Why the finding has no patch. */
  fixUnavailable?: string;
}

export interface Scan {
  id: string;
  status: "queued" | "running" | "completed" | "failed";
  error: string | null;
  summary: { findings: number; bySeverity: Record<string, number>; byPciRequirement: Record<string, number> } | null;
  findings?: Finding[];
  findingsTruncated?: boolean;
  links: { self: string };
}

export interface ScanFile {
  path: string;
  content: string;
}

/** Longest a queued scan is waited for before the widget gives up. */
const QUEUED_WAIT_MS = 120_000;

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly key: string,
  ) {}

  /** Scans the files and returns the completed scan (waiting when the API queued it). */
  async scan(files: ScanFile[], dialect: string | null): Promise<Scan> {
    const body = JSON.stringify({ files, options: dialect ? { dialect } : {} });
    const res = await this.request("/v1/scans", { method: "POST", headers: { "content-type": "application/json" }, body });
    let scan = (await res.json()) as Scan;
    const deadline = Date.now() + QUEUED_WAIT_MS;
    while (scan.status === "queued" || scan.status === "running") {
      if (Date.now() > deadline) throw new WidgetError("The scan is taking too long; try a smaller file.", null, "timeout");
      await new Promise((resolve) => setTimeout(resolve, 1_000 * Math.min(5, Number(res.headers.get("retry-after")) || 1)));
      scan = (await (await this.request(scan.links.self, {})).json()) as Scan;
    }
    if (scan.status === "failed") throw new WidgetError(scan.error ?? "The scan failed.", null, "scan_failed");
    return scan;
  }

  /** A proof kept out of line (`proofRef`). */
  async proof(ref: string): Promise<Proof> {
    return (await (await this.request(ref, {})).json()) as Proof;
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${this.key}` },
        credentials: "omit",
        mode: "cors",
      });
    } catch {
      throw new WidgetError(
        `Could not reach the PCI Auditor API at ${this.base}. This page's origin may not be allowed for this key, or the API is unreachable.`,
        null,
        "network",
      );
    }
    if (res.ok) return res;
    let problem: Partial<Problem> = {};
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // Not a problem+json body: the status says enough.
    }
    const retry = res.status === 429 ? ` Try again in ${res.headers.get("retry-after") ?? "a few"} seconds.` : "";
    throw new WidgetError(
      `${problem.detail ?? problem.title ?? `The API answered ${res.status}.`}${retry}`,
      res.status,
      problem.code ?? "http_error",
      problem.requestId,
    );
  }
}
