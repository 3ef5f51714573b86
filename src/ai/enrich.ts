/**
 * After a scan completes (a queued "explain" job, never on the request path): one batched AI call
 * over the scan's most important findings that are not cached yet. Cached by fingerprint and
 * model, so a repeated finding never costs a second call; concurrency bounded per tenant through
 * the RateLimiter Durable Object; retried and circuit-broken like every dependency. When AI is
 * absent, fails or is switched off, findings keep their rule's remediation and the scan stays
 * complete: enrichment never fails a scan.
 */
import { and, eq, inArray, ne } from "drizzle-orm";
import { database } from "../db/client";
import { runBatched } from "../db/scan-queries";
import { aiExplanations, findings } from "../db/schema";
import type { Env } from "../env";
import { withRetry } from "../limits/retry";
import { log } from "../observability/log";
import type { Explainer, ExplainItem, Explanation } from "./explainer";
import { workersAiExplainer } from "./workers-ai";

/** Findings per scan sent to the model, most severe first. */
export const MAX_EXPLAINED = 20;
/** Concurrent AI calls per tenant. */
export const AI_CONCURRENCY = 2;
const LEASE_MS = 60_000;

export class AiBusyError extends Error {
  readonly retryable = true;
  constructor() {
    super("AI concurrency limit reached for this tenant");
  }
}

export interface EnrichOutcome {
  calls: number;
  explained: number;
  fromCache: number;
}

/** The configured explainer, or null without a usable AI binding (or with AI_ENABLED = "false"). */
export function explainerFor(env: Env): Explainer | null {
  if (env.AI_ENABLED === "false" || typeof env.AI?.run !== "function") return null;
  return workersAiExplainer(env.AI, { model: env.AI_MODEL });
}

export async function enrichScan(env: Env, scanId: string, projectId: string, explainer: Explainer | null): Promise<EnrichOutcome> {
  const db = database(env.DB);
  const rows = await db
    .select({
      id: findings.id,
      ruleId: findings.ruleId,
      title: findings.title,
      message: findings.message,
      snippet: findings.snippet,
      fingerprint: findings.fingerprint,
      details: findings.details,
    })
    .from(findings)
    .where(and(eq(findings.scanId, scanId), ne(findings.severity, "info")))
    .orderBy(findings.severityRank, findings.path, findings.startLine)
    .limit(MAX_EXPLAINED)
    .all();
  if (rows.length === 0) return { calls: 0, explained: 0, fromCache: 0 };
  const model = explainer?.model ?? env.AI_MODEL;
  const fingerprints = [...new Set(rows.map((r) => r.fingerprint))];
  const cached = new Map(
    (
      await db
        .select()
        .from(aiExplanations)
        .where(and(eq(aiExplanations.model, model), inArray(aiExplanations.fingerprint, fingerprints)))
        .all()
    ).map((r) => [r.fingerprint, { explanation: r.explanation, fix: r.fix }]),
  );
  const fresh = new Map<string, Explanation>();
  let calls = 0;
  const missing = fingerprints.filter((f) => !cached.has(f));
  if (missing.length > 0 && explainer) {
    const items: ExplainItem[] = missing.map((fp) => {
      const r = rows.find((row) => row.fingerprint === fp)!;
      return {
        id: fp,
        ruleId: r.ruleId,
        title: r.title,
        message: r.message,
        snippet: r.snippet,
        remediation: String((r.details as { remediation?: string }).remediation ?? ""),
      };
    });
    const limiter = env.RATE_LIMITER.getByName(`ai:${projectId}`);
    const lease = await limiter.acquire(AI_CONCURRENCY, LEASE_MS);
    if (!lease) throw new AiBusyError();
    try {
      calls++;
      const answer = await withRetry("ai", () => explainer.explain(items), { attempts: 2 });
      for (const [fp, e] of answer) fresh.set(fp, e);
    } catch (error) {
      log("warn", "AI explanations unavailable; findings keep their written remediation", {
        scanId,
        error: (error as Error)?.name,
        detail: (error as Error)?.message,
      });
    } finally {
      await limiter.release(lease);
    }
  }
  const now = Date.now();
  const statements = [];
  for (const [fp, e] of fresh)
    statements.push(db.insert(aiExplanations).values({ fingerprint: fp, model, explanation: e.explanation, fix: e.fix, createdAt: now }).onConflictDoNothing());
  for (const r of rows) {
    const e = fresh.get(r.fingerprint) ?? cached.get(r.fingerprint);
    if (e)
      statements.push(
        db
          .update(findings)
          .set({ explanation: { ...e, model } })
          .where(and(eq(findings.scanId, scanId), eq(findings.id, r.id))),
      );
  }
  await runBatched(db, statements);
  return {
    calls,
    explained: rows.filter((r) => fresh.has(r.fingerprint) || cached.has(r.fingerprint)).length,
    fromCache: rows.filter((r) => cached.has(r.fingerprint)).length,
  };
}
