/** xpath's types leave out `parse`, which the proof re-check uses as an independent XPath parser. */
export {};

declare module "xpath" {
  /** Parses an XPath 1.0 expression; throws on a syntax error. Its `expression` prints in full form. */
  export function parse(expression: string): { expression: { toString(): string } };
}
