/**
 * The AI patch interface: for injection findings the engine could not fix mechanically (or whose
 * mechanical patch was not proven), one batched call shows the model a numbered window of the
 * masked source around each sink and asks for replacement lines. Answers are validated with zod
 * (a line range inside the window shown, bounded text) and invalid entries dropped; whatever the
 * model writes is then judged by the engine's verifyFix, never trusted.
 */
import { z } from "zod";
import { answerEntries } from "./json-answer";

export interface FixItem {
  /** The cache key and the id the model must echo. */
  id: string;
  ruleId: string;
  message: string;
  /** The masked source window, 1-based line numbers of the file. */
  lines: Array<{ line: number; text: string }>;
  /** Why the engine has no proven fix: its reason or its rejected patch's evidence. */
  why: string;
  remediation: string;
}

/** Replace lines startLine..endLine (inclusive, within the window) with `text`. */
export interface ProposedPatch {
  startLine: number;
  endLine: number;
  text: string;
  description: string;
}

export interface Fixer {
  readonly model: string;
  /** Patches by item id; items the model answered badly are missing, never invented. */
  propose(items: FixItem[]): Promise<Map<string, ProposedPatch>>;
}

/** The JSON schema the model must answer with (Workers AI JSON mode). */
export const PATCH_JSON_SCHEMA = {
  type: "object",
  properties: {
    patches: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          startLine: { type: "integer" },
          endLine: { type: "integer" },
          text: { type: "string" },
          description: { type: "string" },
        },
        required: ["id", "startLine", "endLine", "text", "description"],
      },
    },
  },
  required: ["patches"],
} as const;

const Entry = z.object({
  id: z.string().min(1).max(64),
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  text: z.string().max(4000),
  description: z.string().min(10).max(500),
});

/** Keeps the valid entries that name a requested item and replace lines inside its window. */
export function parsePatches(answer: unknown, items: readonly FixItem[]): Map<string, ProposedPatch> {
  const out = new Map<string, ProposedPatch>();
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const entry of answerEntries(answer, "patches")) {
    const parsed = Entry.safeParse(entry);
    if (!parsed.success || out.has(parsed.data.id)) continue;
    const item = byId.get(parsed.data.id);
    const { startLine, endLine } = parsed.data;
    if (!item || startLine > endLine || startLine < item.lines[0]!.line || endLine > item.lines[item.lines.length - 1]!.line) continue;
    out.set(parsed.data.id, { startLine, endLine, text: parsed.data.text, description: parsed.data.description });
  }
  return out;
}

/** The prompt: each finding as a JSON line with its numbered, masked window. */
export function fixPrompt(items: readonly FixItem[]): Array<{ role: "system" | "user"; content: string }> {
  return [
    {
      role: "system",
      content:
        "You are a PCI DSS application-security engineer. For each injection finding, write the smallest patch that removes the injection without changing what the code does for legitimate input: bind values as parameters, pass arguments as an array, map names through an allowlist of literal values. Replace whole lines: give the first and last line number you replace (inside the window shown) and the new text of those lines, keeping the indentation. Answer only with JSON matching the schema, at most one patch per finding id. Card numbers and secrets are masked; never try to reconstruct them.",
    },
    {
      role: "user",
      content: items
        .map((i) =>
          JSON.stringify({
            id: i.id,
            rule: i.ruleId,
            message: i.message,
            why: i.why,
            remediation: i.remediation,
            lines: i.lines.map((l) => `${l.line}: ${l.text}`),
          }),
        )
        .join("\n"),
    },
  ];
}
