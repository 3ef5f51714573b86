/**
 * Characters that make text lie about itself: C0/C1 controls (terminal escapes, NUL, line
 * breaks in a label) and the bidi overrides, isolates and marks behind "Trojan Source" spoofing
 * (a path or name that displays differently from what it is). Labels the API keeps and echoes
 * (file paths, project and key names) refuse them; text the API did not choose (source lines in
 * snippets) leaves in JSON and logs with them escaped.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");
/** In serialised JSON, C0 controls are already escaped by JSON.stringify; the rest are not. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_IN_JSON_ALL = new RegExp(UNSAFE_IN_JSON.source, "g");

const escape = (ch: string) => "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");

/** Whether `text` holds a control or bidi-formatting character (zod refinements of labels). */
export function hasUnsafeChars(text: string): boolean {
  return UNSAFE.test(text);
}

/** Plain text with each control or bidi character written as a visible `\uXXXX`. */
export function escapeUnsafeChars(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escape) : text;
}

/**
 * Serialised JSON with every bidi and C1 character written as a `\uXXXX` escape: the parsed value
 * is unchanged, but no raw override reaches a terminal, log viewer or raw response.
 */
export function escapeUnsafeJson(json: string): string {
  return UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON_ALL, escape) : json;
}
