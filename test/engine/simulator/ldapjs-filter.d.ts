/** @ldapjs/filter ships no types: the one function the proof re-check uses. */
declare module "@ldapjs/filter" {
  /** Parses an RFC 4515 filter string; throws on a syntax error. */
  export function parseString(filter: string): unknown;
}
