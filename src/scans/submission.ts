/**
 * What a scan request carries (zod schemas shared by the route, the queue and the OpenAPI
 * document), plus the checks zod cannot express alone: per-file, per-scan and file-count
 * limits from configuration (413 naming the limit), and the submission's content hash used to
 * find identical submissions.
 */
import { z } from "zod";
import { RULES } from "../engine/rules/index";
import { SEVERITIES, SQL_DIALECTS } from "../engine/types";
import { ENGINE_VERSION } from "../engine/version";
import type { Env } from "../env";
import { settings } from "../settings";
import { ApiError, reflected } from "../errors";
import { hasUnsafeChars } from "../unsafe-chars";

/** File paths are labels we echo into reports and SARIF: relative, printable, no `..`. */
export const FilePath = z
  .string()
  .min(1)
  .max(512)
  .refine((p) => !hasUnsafeChars(p), "must not contain control or bidi-formatting characters")
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(p) && !p.startsWith("\\"), "must be a relative path")
  .refine((p) => !p.split(/[\\/]/).includes(".."), "must not contain '..' segments");

export const ScanOptionsSchema = z
  .strictObject({
    dialect: z.enum(SQL_DIALECTS).optional().describe("SQL dialect; default mysql with fallback across dialects"),
    rules: z
      .record(z.string(), z.enum(["off", "on", ...SEVERITIES]))
      .optional()
      .describe('Per-rule setting: "off", "on", or a severity that overrides the rule\'s own')
      .refine((r) => !r || Object.keys(r).every((id) => RULES.some((rule) => rule.id === id)), "names an unknown rule id"),
    minSeverity: z.enum(SEVERITIES).optional().describe("Drop findings below this severity"),
    async: z.boolean().optional().describe("Queue the scan even when it is small (202)"),
    explain: z.boolean().optional().describe("Ask Workers AI for plain-language explanations after the scan"),
  })
  .meta({ id: "ScanOptions" });
export type ScanOptionsInput = z.infer<typeof ScanOptionsSchema>;

export const ScanFile = z
  .strictObject({ path: FilePath, content: z.string() })
  .meta({ id: "ScanFile", description: "A file to scan: its path relative to the repository root, and its text" });

export const ScanRequest = z
  .strictObject({
    files: z.array(ScanFile).min(1),
    options: ScanOptionsSchema.default({}),
  })
  .meta({ id: "ScanRequest" });
export type ScanRequest = z.infer<typeof ScanRequest>;

export interface SubmissionLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxScanBytes: number;
  syncMaxBytes: number;
}

export function submissionLimits(env: Env): SubmissionLimits {
  return {
    maxFiles: settings(env).MAX_FILES,
    maxFileBytes: settings(env).MAX_FILE_BYTES,
    maxScanBytes: settings(env).MAX_SCAN_BYTES,
    syncMaxBytes: settings(env).SYNC_SCAN_MAX_BYTES,
  };
}

const encoder = new TextEncoder();

/** Total UTF-8 bytes of the files, after checking every limit (413 names the one exceeded). */
export function checkSubmission(request: ScanRequest, limits: SubmissionLimits): number {
  if (request.files.length > limits.maxFiles) {
    throw new ApiError("payload_too_large", `A scan may hold at most ${limits.maxFiles} files; this one has ${request.files.length}.`, {
      limit: "maxFiles",
      max: limits.maxFiles,
    });
  }
  const seen = new Set<string>();
  let total = 0;
  request.files.forEach((file, i) => {
    if (seen.has(file.path))
      throw new ApiError("validation_failed", "File paths must be unique.", { errors: [{ pointer: `/files/${i}/path`, message: "duplicate path" }] });
    seen.add(file.path);
    const bytes = encoder.encode(file.content).byteLength;
    if (bytes > limits.maxFileBytes) {
      throw new ApiError("payload_too_large", `File ${JSON.stringify(reflected(file.path))} is ${bytes} bytes; the limit per file is ${limits.maxFileBytes}.`, {
        limit: "maxFileBytes",
        max: limits.maxFileBytes,
        pointer: `/files/${i}/content`,
      });
    }
    total += bytes;
  });
  if (total > limits.maxScanBytes) {
    throw new ApiError("payload_too_large", `The files total ${total} bytes; the limit per scan is ${limits.maxScanBytes}.`, {
      limit: "maxScanBytes",
      max: limits.maxScanBytes,
    });
  }
  return total;
}

/** SHA-256 of a text, as hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Same files (in any order), same engine-relevant options, same engine version → same hash. */
export function contentHash(request: ScanRequest): Promise<string> {
  const files = [...request.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { dialect, rules, minSeverity } = request.options;
  const options = { dialect, minSeverity, rules: rules ? Object.fromEntries(Object.entries(rules).sort()) : undefined };
  return sha256Hex(JSON.stringify([ENGINE_VERSION, options, files.map((f) => [f.path, f.content])]));
}

/** Hash of the exact request, for Idempotency-Key reuse checks. */
export function requestHash(request: ScanRequest): Promise<string> {
  return sha256Hex(JSON.stringify(request));
}
