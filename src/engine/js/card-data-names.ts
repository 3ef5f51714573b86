/**
 * Card data recognised by the names it travels under in an expression: the variables, member
 * paths and object keys (`{ cardNumber, cvv }`, `payment.card_number`), judged like database
 * column names. Shared by the rules that follow card data into places it must not reach whole
 * (logs, HTTP responses). Values that pass through a masking, truncating or hashing call, and
 * names that say the value was already reduced (`last4`, `maskedPan`, `cardToken`), do not count.
 */
import { identifierWords, panColumnConfidence, sensitiveAuthColumn } from "../detect/card-columns";
import type { JsNode } from "../parse/js";
import { F_PAN, F_SAD } from "../taint/value";
import { literalString, mentionedNames, propertyName, unwrap } from "./node-values";

export type CardDataKind = "card number" | "CVV/CVC" | "PIN" | "track data";

/** Letters the card-data names contain: a file with none of them has nothing for these rules. */
export const CARD_DATA_HINT = /card|pan|cvv|cvc|cvn|cid|pin|track|ccn|cc_/i;

/** Words that say the value was already made safe to show or log. */
const SAFE_WORDS = new Set([
  "has",
  "is",
  "masked",
  "mask",
  "last4",
  "last",
  "four",
  "truncated",
  "token",
  "tokenized",
  "hash",
  "hashed",
  "fingerprint",
  "bin",
  "brand",
  "type",
  "length",
  "len",
  "count",
  "present",
  "valid",
  "exists",
  "expiry",
  "exp",
]);

/** Calls whose result no longer holds the raw value (masking, truncation, tests of presence). */
const SAFE_CALL = /^(mask\w*|redact\w*|trunc\w*|last4|lastFour|hash\w*|tokeni[sz]e\w*|encrypt\w*|digest|Boolean|isValid\w*|luhn\w*)$/i;
/** String methods that keep only part of a value: a slice of a PAN is a truncation. */
const SLICES = new Set(["slice", "substr", "substring"]);
/** A replacement string that masks digits: `pan.replace(/\d(?=\d{4})/g, "*")`. */
const MASK_CHARACTERS = /[*•xX#]/;

/** Whether a call reduces what it is given: masking, hashing, truncating, or a presence test. */
function isReducingCall(call: JsNode): boolean {
  const callee = unwrap(call.callee);
  const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? propertyName(callee) : null;
  if (name === null) return false;
  if (SAFE_CALL.test(name) || SLICES.has(name)) return true;
  if (name === "replace" || name === "replaceAll") return MASK_CHARACTERS.test(literalString(call.arguments[1]) ?? "");
  return false;
}

/** Names an expression carries: variables, member paths and object keys, not looking inside reducing calls. */
function carriedNames(node: JsNode, depth: number): Array<string | null> {
  const n = unwrap(node);
  if (depth > 8) return [];
  switch (n.type) {
    case "ObjectExpression":
      return (n.properties as JsNode[]).flatMap((p) => {
        if (p.type !== "Property") return carriedNames(p, depth + 1);
        const value = unwrap(p.value);
        // `{ cardNumber: mask(pan) }`: the key names what the value was, not what it is now.
        if (value.type === "CallExpression" && isReducingCall(value)) return [];
        return [propertyName(p), ...carriedNames(p.value, depth + 1)];
      });
    case "CallExpression": {
      if (isReducingCall(n)) return [];
      const callee = unwrap(n.callee);
      return [
        ...(callee.type === "MemberExpression" ? mentionedNames(callee, 8) : []),
        ...(n.arguments as JsNode[]).flatMap((a) => carriedNames(a, depth + 1)),
      ];
    }
    case "BinaryExpression":
    case "LogicalExpression":
      return [...carriedNames(n.left, depth + 1), ...carriedNames(n.right, depth + 1)];
    case "TemplateLiteral":
      return (n.expressions as JsNode[]).flatMap((e) => carriedNames(e, depth + 1));
    case "ConditionalExpression":
      return [...carriedNames(n.consequent, depth + 1), ...carriedNames(n.alternate, depth + 1)];
    case "SpreadElement":
    case "AwaitExpression":
      return carriedNames(n.argument, depth + 1);
    case "ArrayExpression":
      return (n.elements as Array<JsNode | null>).flatMap((e) => (e ? carriedNames(e, depth + 1) : []));
    default:
      return mentionedNames(n, 16);
  }
}

/** What card data a name says it holds, or null (a bare `pan` is too often something else to count). */
export function cardDataKind(name: string): CardDataKind | null {
  const last = name.slice(name.lastIndexOf(".") + 1).slice(0, 80);
  const words = identifierWords(last);
  if (words.some((w) => SAFE_WORDS.has(w))) return null;
  const snake = words.join("_");
  const sad = sensitiveAuthColumn(snake, name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "card");
  if (sad) return sad === "pin" ? "PIN" : sad === "track" ? "track data" : "CVV/CVC";
  return panColumnConfidence(snake) === "high" ? "card number" : null;
}

/** The card data the given expressions carry, by the name it travels under (first name wins). */
export function cardDataNames(nodes: readonly JsNode[]): Map<string, CardDataKind> {
  const found = new Map<string, CardDataKind>();
  for (const node of nodes) {
    for (const name of carriedNames(node, 0)) {
      const kind = name ? cardDataKind(name) : null;
      if (name && kind && !found.has(name)) found.set(name, kind);
    }
  }
  return found;
}

/** What a finding says of the card data found: its kinds, the first names, whether any is sensitive authentication data, and a fingerprint key. */
export function describeCardData(found: Iterable<[string, CardDataKind]>): { kinds: string; names: string; sad: boolean; fingerprintKey: string } {
  const entries = [...found];
  const kinds = [...new Set(entries.map(([, kind]) => kind))];
  const names = entries.map(([name]) => name);
  return {
    kinds: kinds.join(", "),
    names: names.slice(0, 4).join(", "),
    sad: kinds.some((k) => k !== "card number"),
    fingerprintKey: [...names].sort().join(","),
  };
}

/** What a finding says of card data the dataflow followed to a sink (F_PAN / F_SAD flags). */
export function describeCardFlags(flags: number): { kinds: string; sad: boolean } {
  const kinds = [flags & F_PAN ? "card number" : null, flags & F_SAD ? "CVV, PIN or track data" : null].filter(Boolean);
  return { kinds: kinds.join(" and "), sad: (flags & F_SAD) !== 0 };
}
