/**
 * The AI enrichment interface: one batched call per scan over its most important findings,
 * answering a plain-language explanation and a concrete fix per finding. Implementations:
 * Workers AI (ai/workers-ai.ts); without the binding, nothing is called and findings keep their
 * rule's written remediation. Answers are validated with zod and invalid entries dropped.
 */
import { z } from "zod";
import { answerEntries } from "./json-answer";

export interface ExplainItem {
  /** Finding fingerprint: the cache key and the id the model must echo. */
  id: string;
  ruleId: string;
  title: string;
  message: string;
  /** Masked source lines (card numbers and secrets already masked by the engine). */
  snippet: string;
  remediation: string;
}

export interface Explanation {
  explanation: string;
  fix: string;
}

export interface Explainer {
  readonly model: string;
  /** Explanations by item id; items the model answered badly are missing, never invented. */
  explain(items: ExplainItem[]): Promise<Map<string, Explanation>>;
}

/** The JSON schema the model must answer with (Workers AI JSON mode). */
export const EXPLANATION_JSON_SCHEMA = {
  type: "object",
  properties: {
    explanations: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, explanation: { type: "string" }, fix: { type: "string" } },
        required: ["id", "explanation", "fix"],
      },
    },
  },
  required: ["explanations"],
} as const;

const Entry = z.object({ id: z.string().min(1).max(64), explanation: z.string().min(10).max(2000), fix: z.string().min(10).max(4000) });

/** Keeps the valid entries of a model answer that name a requested id. */
export function parseExplanations(answer: unknown, ids: ReadonlySet<string>): Map<string, Explanation> {
  const out = new Map<string, Explanation>();
  for (const item of answerEntries(answer, "explanations")) {
    const parsed = Entry.safeParse(item);
    if (parsed.success && ids.has(parsed.data.id) && !out.has(parsed.data.id))
      out.set(parsed.data.id, { explanation: parsed.data.explanation, fix: parsed.data.fix });
  }
  return out;
}

/** The prompt: the findings as JSON lines, masked snippets only. */
export function explainPrompt(items: ExplainItem[]): Array<{ role: "system" | "user"; content: string }> {
  return [
    {
      role: "system",
      content:
        "You are a PCI DSS application-security reviewer. For each finding, explain in two or three plain sentences why it matters for card data, then give a concrete code-level fix. Answer only with JSON matching the schema, one entry per finding id. Card numbers and secrets in snippets are masked; never try to reconstruct them.",
    },
    {
      role: "user",
      content: items
        .map((i) =>
          JSON.stringify({ id: i.id, rule: i.ruleId, title: i.title, message: i.message, snippet: i.snippet.slice(0, 600), remediation: i.remediation }),
        )
        .join("\n"),
    },
  ];
}
