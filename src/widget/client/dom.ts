/**
 * Builds DOM nodes from tag, attributes and children. Text always goes in as text nodes, never
 * as HTML: the widget shows submitted code, so nothing it renders may be parsed as markup.
 */
type Child = Node | string | null | undefined | false;

/**
 * @example h("p", { class: "meta", part: "location" }, "orders.js:12")
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) el.setAttribute(name, "");
    else if (typeof value === "string") el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}
