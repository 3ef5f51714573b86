/** The Explainer backed by a Workers AI text model in JSON mode, with a timeout. */
import { EXPLANATION_JSON_SCHEMA, explainPrompt, parseExplanations, type Explainer } from "./explainer";

export interface WorkersAiOptions {
  model: string;
  timeoutMs?: number;
}

/** `ai` is the AI binding (or anything with its `run` method, such as a test double). */
export function workersAiExplainer(ai: Pick<Ai, "run">, options: WorkersAiOptions): Explainer {
  const timeoutMs = options.timeoutMs ?? 25_000;
  return {
    model: options.model,
    async explain(items) {
      const run = (ai.run as (model: string, input: unknown) => Promise<unknown>)(options.model, {
        messages: explainPrompt(items),
        response_format: { type: "json_schema", json_schema: EXPLANATION_JSON_SCHEMA },
        max_tokens: 4096,
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error("Workers AI timed out"), { retryable: true })), timeoutMs);
      });
      try {
        const result = (await Promise.race([run, timeout])) as { response?: unknown };
        return parseExplanations(result?.response, new Set(items.map((i) => i.id)));
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
    },
  };
}
