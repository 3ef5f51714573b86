/**
 * What a sink receives, rebuilt from the dataflow as constant text with tainted holes. The
 * attack simulator renders a template with benign values and with payloads, then parses both.
 */

export type TemplatePart =
  | { kind: "text"; text: string }
  /**
   * A tainted value; `label` is the source expression as written (e.g. "req.query.id");
   * `alphabet`, when the data was encoded on the way (hex, base64), is all a payload can use.
   */
  | { kind: "hole"; label: string; alphabet?: "hex" | "base64" | "base64url" };

export interface SinkTemplate {
  parts: TemplatePart[];
}

/** Renders a template with one value per hole (in order). */
export function render(template: SinkTemplate, values: readonly string[]): string {
  let i = 0;
  return template.parts.map((p) => (p.kind === "text" ? p.text : (values[i++] ?? ""))).join("");
}

export function holeCount(template: SinkTemplate): number {
  return template.parts.filter((p) => p.kind === "hole").length;
}

/**
 * Builds a template from constant strings and holes, merging adjacent strings.
 *
 * @example templateOf("SELECT * FROM users WHERE id = ", { hole: "req.query.id" })
 */
export function templateOf(...pieces: Array<string | { hole: string }>): SinkTemplate {
  const parts: TemplatePart[] = [];
  for (const piece of pieces) {
    const last = parts[parts.length - 1];
    if (typeof piece !== "string") parts.push({ kind: "hole", label: piece.hole });
    else if (last?.kind === "text") last.text += piece;
    else if (piece !== "") parts.push({ kind: "text", text: piece });
  }
  return { parts };
}
