/**
 * How the dashboard writes values people read: times in UTC, and text that came from submitted
 * code (snippets, messages, paths, proofs) with card numbers masked and control or bidi
 * characters made visible, so no page shows a PAN or text that displays other than it is.
 */
import { maskCardNumbers } from "../engine/mask";
import { escapeUnsafeChars } from "../unsafe-chars";

/** "2026-12-03 09:30 UTC"; "never" for no time. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "never";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Text from a scan, as a page may show it (JSX escapes the HTML; this masks and unhides); line breaks stay. */
export function shown(text: string): string {
  return maskCardNumbers(text).split("\n").map(escapeUnsafeChars).join("\n");
}
