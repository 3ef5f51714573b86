/** A JSON-mode model answer read as the list of entries under one key: the answer may be the object or its JSON text; anything else is no entries. */
export function answerEntries(answer: unknown, key: string): unknown[] {
  let value = answer;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const list = (value as Record<string, unknown> | null)?.[key];
  return Array.isArray(list) ? list : [];
}
