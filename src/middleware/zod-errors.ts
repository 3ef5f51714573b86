/**
 * Turns zod issues into the `errors[]` extension of validation problems (one entry per field).
 * zod's own message for unknown keys quotes every key whole; ours names a few, through
 * `reflected()`, and counts the rest (problem() bounds the list and every string in it).
 */
import type { z } from "zod";
import { reflected, type FieldError } from "../errors";

/** Unknown keys named in a message; the rest are counted. */
const KEYS_NAMED = 3;

function message(issue: z.core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys") return issue.message;
  const named = issue.keys.slice(0, KEYS_NAMED).map((k) => JSON.stringify(reflected(k)));
  const more = issue.keys.length - named.length;
  return `unknown key${issue.keys.length === 1 ? "" : "s"} ${named.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

export function zodFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: "/" + issue.path.map((p) => reflected(String(p)).replace(/~/g, "~0").replace(/\//g, "~1")).join("/"),
    message: message(issue),
  }));
}
