/**
 * AI-proposed patches for injection findings the engine has no proven fix for. This runs inside
 * a queued scan (runScan, given a Fixer by the queue consumer), after the engine and before the
 * result is stored, because only there is the submission still at hand: the engine's verifyFixes
 * applies each patch to the submitted code and re-attacks it, and the verdict it gives — proven,
 * plausible or rejected — is what the finding shows. The model sees only a window of masked
 * lines, and only windows the masker leaves unchanged, so it can quote them exactly; one batched
 * call per scan, cached by the window it saw, concurrency bounded per tenant like explanations,
 * retried and circuit-broken. Nothing here can fail a scan: an error leaves the findings as the
 * engine made them.
 */
import { and, eq, inArray } from "drizzle-orm";
import { verifyFixes, type Finding, type Fix, type ScanInput, type ScanOptions, type ScanResult } from "../engine/index";
import { maskOutputText } from "../engine/report/output-boundary";
import { database } from "../db/client";
import { runBatched } from "../db/scan-queries";
import { aiFixPatches } from "../db/schema";
import type { Env } from "../env";
import { withRetry } from "../limits/retry";
import { log } from "../observability/log";
import { sha256Hex } from "../scans/submission";
import { AI_CONCURRENCY, AiBusyError } from "./enrich";
import type { Fixer, FixItem, ProposedPatch } from "./fixer";
import { workersAiFixer } from "./workers-ai";

/** Findings per scan whose patch is asked of the model. */
export const MAX_AI_FIXES = 5;
/** Lines of context shown each side of the sink. */
const CONTEXT_LINES = 4;
/** Longest line shown: a longer one (minified code) is not sent. */
const MAX_LINE = 400;
const LEASE_MS = 60_000;

export interface AiFixOutcome {
  calls: number;
  proposed: number;
  proven: number;
  fromCache: number;
}

/** The configured fixer, or null without a usable AI binding (or with AI_ENABLED = "false"). */
export function fixerFor(env: Env): Fixer | null {
  if (env.AI_ENABLED === "false" || typeof env.AI?.run !== "function") return null;
  return workersAiFixer(env.AI, { model: env.AI_MODEL });
}

const RANK: Record<Fix["verdict"], number> = { proven: 3, plausible: 2, rejected: 1 };

/** Asks the model for patches and keeps, per finding, the better of its verified patch and the engine's. */
export async function proposeAiFixes(
  env: Env,
  scan: { scanId: string; projectId: string; input: ScanInput; options: ScanOptions; result: ScanResult },
  fixer: Fixer,
): Promise<AiFixOutcome> {
  const outcome: AiFixOutcome = { calls: 0, proposed: 0, proven: 0, fromCache: 0 };
  try {
    const wanted: Array<{ finding: Finding; item: FixItem; hash: string }> = [];
    for (const finding of scan.result.findings) {
      if (wanted.length === MAX_AI_FIXES) break;
      if (finding.category !== "injection" || !finding.proof || finding.proof.kind === "regex" || finding.fix?.verdict === "proven") continue;
      const item = itemFor(finding, scan.input);
      if (item) wanted.push({ finding, item, hash: await sha256Hex(JSON.stringify([fixer.model, item.ruleId, item.message, item.lines.map((l) => l.text)])) });
    }
    if (wanted.length === 0) return outcome;
    const db = database(env.DB);
    const cached = new Map(
      (
        await withRetry("d1", () =>
          db
            .select()
            .from(aiFixPatches)
            .where(
              and(
                eq(aiFixPatches.model, fixer.model),
                inArray(
                  aiFixPatches.windowHash,
                  wanted.map((w) => w.hash),
                ),
              ),
            )
            .all(),
        )
      ).map((r) => [r.windowHash, r.patch as ProposedPatch]),
    );
    const patches = new Map<string, ProposedPatch>();
    for (const w of wanted) {
      const hit = cached.get(w.hash);
      if (hit) {
        outcome.fromCache++;
        const first = w.item.lines[0]!.line;
        patches.set(w.item.id, { ...hit, startLine: hit.startLine + first, endLine: hit.endLine + first });
      }
    }
    const missing = wanted.filter((w) => !cached.has(w.hash));
    if (missing.length > 0) {
      const limiter = env.RATE_LIMITER.getByName(`ai:${scan.projectId}`);
      const lease = await limiter.acquire(AI_CONCURRENCY, LEASE_MS);
      if (!lease) throw new AiBusyError();
      try {
        outcome.calls++;
        const answer = await withRetry("ai", () => fixer.propose(missing.map((w) => w.item)), { attempts: 2 });
        const now = Date.now();
        const statements = [];
        for (const w of missing) {
          const patch = answer.get(w.item.id);
          // The model saw no card number or secret; one it writes anyway is neither stored nor applied.
          if (!patch || maskOutputText(patch.text) !== patch.text || maskOutputText(patch.description) !== patch.description) continue;
          patches.set(w.item.id, patch);
          const first = w.item.lines[0]!.line;
          const relative = { ...patch, startLine: patch.startLine - first, endLine: patch.endLine - first };
          statements.push(db.insert(aiFixPatches).values({ windowHash: w.hash, model: fixer.model, patch: relative, createdAt: now }).onConflictDoNothing());
        }
        await runBatched(db, statements);
      } finally {
        await limiter.release(lease);
      }
    }
    const proposed = wanted.flatMap((w) => {
      const patch = patches.get(w.item.id);
      return patch ? [{ w, proposal: { finding: w.finding, description: patch.description, replacements: [replacementOf(w.item, patch)] } }] : [];
    });
    outcome.proposed = proposed.length;
    const fixes = await verifyFixes(
      scan.input,
      proposed.map((p) => p.proposal),
      scan.options,
    );
    proposed.forEach(({ w }, i) => {
      const fix = fixes[i];
      if (!fix || (w.finding.fix && RANK[w.finding.fix.verdict] >= RANK[fix.verdict])) return;
      w.finding.fix = fix;
      delete w.finding.fixUnavailable;
      if (fix.verdict === "proven") outcome.proven++;
    });
  } catch (error) {
    log("warn", "AI fixes unavailable; findings keep the engine's", { scanId: scan.scanId, error: (error as Error)?.name, detail: (error as Error)?.message });
  }
  return outcome;
}

/** The masked window around a finding's sink, or null when masking would change it (the model could not quote it). */
function itemFor(finding: Finding, input: ScanInput): FixItem | null {
  const file = input.files.find((f) => f.path === finding.location.path);
  if (!file || typeof file.content !== "string") return null;
  const all = file.content.split("\n");
  const from = Math.max(1, finding.location.startLine - CONTEXT_LINES);
  const to = Math.min(all.length, finding.location.endLine + CONTEXT_LINES);
  const lines: FixItem["lines"] = [];
  for (let line = from; line <= to; line++) {
    const text = all[line - 1]!.replace(/\r$/, "");
    if (text.length > MAX_LINE || maskOutputText(text) !== text) return null;
    lines.push({ line, text });
  }
  return {
    id: finding.fingerprint.slice(0, 32),
    ruleId: finding.ruleId,
    message: finding.message,
    lines,
    why: finding.fix ? `the engine's patch was ${finding.fix.verdict}: ${finding.fix.evidence}` : (finding.fixUnavailable ?? "no mechanical fix"),
    remediation: finding.remediation,
  };
}

/** Whole lines replaced: from the first column of startLine to the end of endLine. */
function replacementOf(item: FixItem, patch: ProposedPatch) {
  const last = item.lines.find((l) => l.line === patch.endLine)!;
  return { startLine: patch.startLine, startColumn: 1, endLine: patch.endLine, endColumn: last.text.length + 1, text: patch.text };
}
