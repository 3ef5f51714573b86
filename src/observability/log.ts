/**
 * One structured JSON log line per event; every string field is scrubbed of card data and
 * secrets, and bidi or C1 control characters are escaped so no line can disguise another.
 */
import { escapeUnsafeJson } from "../unsafe-chars";
import { scrubValue } from "./scrub";

export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = escapeUnsafeJson(JSON.stringify(scrubValue({ level, message, time: new Date().toISOString(), ...fields })));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
