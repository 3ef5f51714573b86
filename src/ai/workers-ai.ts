/** The Explainer and the Fixer backed by a Workers AI text model in JSON mode, with a timeout. */
import { EXPLANATION_JSON_SCHEMA, explainPrompt, parseExplanations, type Explainer } from "./explainer";
import { fixPrompt, parsePatches, PATCH_JSON_SCHEMA, type Fixer } from "./fixer";

export interface WorkersAiOptions {
  model: string;
  timeoutMs?: number;
}

type Messages = Array<{ role: "system" | "user"; content: string }>;

/** One JSON-mode call: the model's `response`, or a retryable error after the timeout. */
async function runJson(ai: Pick<Ai, "run">, options: WorkersAiOptions, messages: Messages, schema: object): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 25_000;
  const run = (ai.run as (model: string, input: unknown) => Promise<unknown>)(options.model, {
    messages,
    response_format: { type: "json_schema", json_schema: schema },
    max_tokens: 4096,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("Workers AI timed out"), { retryable: true })), timeoutMs);
  });
  try {
    const result = (await Promise.race([run, timeout])) as { response?: unknown };
    return result?.response;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** `ai` is the AI binding (or anything with its `run` method, such as a test double). */
export function workersAiExplainer(ai: Pick<Ai, "run">, options: WorkersAiOptions): Explainer {
  return {
    model: options.model,
    async explain(items) {
      return parseExplanations(await runJson(ai, options, explainPrompt(items), EXPLANATION_JSON_SCHEMA), new Set(items.map((i) => i.id)));
    },
  };
}

export function workersAiFixer(ai: Pick<Ai, "run">, options: WorkersAiOptions): Fixer {
  return {
    model: options.model,
    async propose(items) {
      return parsePatches(await runJson(ai, options, fixPrompt(items), PATCH_JSON_SCHEMA), items);
    },
  };
}
