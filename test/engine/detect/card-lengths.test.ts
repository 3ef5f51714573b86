/**
 * Every brand length of the IIN table (REFERENCE.md §5, 12–19 digits), in the groupings people
 * write each length in, and in every encoding the detector reads: a card number of any real
 * length must be found whatever form it is committed in. Each number is built here from a brand
 * prefix, a fixed body and its Luhn check digit, so the table covers lengths no fixture has.
 */
import { describe, expect, it } from "vitest";
import { findCardData, type CardBrand } from "../../../src/engine/detect/pan";

/** The Luhn check digit that completes `partial`. */
function checkDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = partial.charCodeAt(partial.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid number of `length` digits starting with `prefix`, its body no placeholder pattern. */
function pan(prefix: string, length: number): string {
  const body = "73950281647302958164";
  const partial = (prefix + body).slice(0, length - 1);
  return partial + checkDigit(partial);
}

/** Digits cut into groups of the given sizes, joined by `sep`. */
function group(digits: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(digits.slice(at, at + s));
    at += s;
  }
  expect(at).toBe(digits.length);
  return out.join(sep);
}

/** Brand, a prefix of its IIN range, and each length the IIN table gives it with its usual groupings. */
const TABLE: ReadonlyArray<readonly [CardBrand, string, number, ReadonlyArray<readonly number[]>]> = [
  [
    "visa",
    "4539",
    13,
    [
      [4, 4, 5],
      [4, 3, 3, 3],
      [4, 4, 4, 1],
    ],
  ],
  ["visa", "4539", 16, [[4, 4, 4, 4]]],
  ["visa", "4539", 19, [[4, 4, 4, 4, 3]]],
  ["mastercard", "5425", 16, [[4, 4, 4, 4]]],
  ["mastercard", "2221", 16, [[4, 4, 4, 4]]],
  [
    "amex",
    "3714",
    15,
    [
      [4, 6, 5],
      [4, 4, 4, 3],
    ],
  ],
  ["amex", "3467", 15, [[4, 6, 5]]],
  ["discover", "6011", 16, [[4, 4, 4, 4]]],
  ["discover", "6011", 19, [[4, 4, 4, 4, 3]]],
  ["discover", "6445", 16, [[4, 4, 4, 4]]],
  ["jcb", "3541", 16, [[4, 4, 4, 4]]],
  ["jcb", "3541", 17, [[4, 4, 4, 4, 1]]],
  ["jcb", "3541", 18, [[4, 4, 4, 4, 2]]],
  ["jcb", "3541", 19, [[4, 4, 4, 4, 3]]],
  [
    "diners",
    "3056",
    14,
    [
      [4, 6, 4],
      [4, 4, 4, 2],
    ],
  ],
  ["diners", "3622", 14, [[4, 6, 4]]],
  ["diners", "3852", 16, [[4, 4, 4, 4]]],
  ["unionpay", "6250", 16, [[4, 4, 4, 4]]],
  ["unionpay", "6250", 17, [[4, 4, 4, 4, 1]]],
  ["unionpay", "6250", 18, [[4, 4, 4, 4, 2]]],
  ["unionpay", "6250", 19, [[4, 4, 4, 4, 3]]],
  ["maestro", "6759", 12, [[4, 4, 4]]],
  ["maestro", "6759", 13, [[4, 4, 5]]],
  [
    "maestro",
    "6759",
    15,
    [
      [4, 6, 5],
      [4, 4, 4, 3],
    ],
  ],
  ["maestro", "6759", 16, [[4, 4, 4, 4]]],
  ["maestro", "6759", 18, [[4, 4, 4, 4, 2]]],
  ["maestro", "6759", 19, [[4, 4, 4, 4, 3]]],
];

const toBase64 = (s: string) => btoa(s);
const toHex = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

/** Each written form of a number in a line of code that names it as a card (weak lengths need the words). */
function forms(digits: string, groupings: ReadonlyArray<readonly number[]>): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ["plain", digits],
    ["numeric literal", `${digits}n`],
  ];
  for (const sizes of groupings) {
    for (const sep of [" ", "-"]) out.push([`grouped ${sizes.join("-")} by "${sep}"`, group(digits, sizes, sep)]);
    out.push([`numeric separators ${sizes.join("-")}`, group(digits, sizes, "_")]);
    out.push([`base64 of ${sizes.join("-")}`, toBase64(group(digits, sizes, " "))]);
  }
  out.push(["base64", toBase64(digits)], ["hex", toHex(digits)], ["hex literal", `0x${BigInt(digits).toString(16)}`]);
  return out;
}

describe("card numbers of every brand length, in every form", () => {
  const cases = TABLE.flatMap(([brand, prefix, length, groupings]) => {
    const digits = pan(prefix, length);
    return forms(digits, groupings).map(([form, written]) => [`${brand} ${length} digits, ${form}`, brand, digits, written] as const);
  });
  it.each(cases)("%s", (_name, brand, digits, written) => {
    const line = `const cardNumber = ${written.endsWith("n") || written.startsWith("0x") || written.includes("_") ? written : JSON.stringify(written)}; // card on file`;
    const found = findCardData(line).cards.map((c) => [c.digits, c.brand, line.slice(c.start, c.end)]);
    expect(found).toEqual([[digits, brand, written.endsWith("n") ? digits : written.replace(/=+$/, "")]]);
  });
});

describe("the shapes of other numbers stay quiet", () => {
  it.each([
    // SHA-512 round constants: 64-bit integers in hex, no card words near.
    ["const K = [0x428a2f98d728ae22n, 0x7137449123ef65cdn, 0xb5c0fbcfec4d3b2fn, 0xe9b5dba58189dbbcn];"],
    ["h0 = 0x6a09e667f3bcc908n; h1 = 0xbb67ae8584caa73bn; // initial hash value"],
    // A 13-digit Visa-shaped number needs card words: without them it is an ordinary number.
    ['shipment: "4024 8305 1729 4"'],
    // A hex literal too long to be a card, with card words beside it.
    ["const cardNonce = 0x6a09e667f3bcc9086a09e667f3bcc908n;"],
  ])("%s", (text) => {
    expect(findCardData(text).cards).toEqual([]);
  });
});

describe("dot- and slash-grouped numbers", () => {
  it.each([
    ['card: "5425.8246.2819.4820"', "5425.8246.2819.4820", "5425824628194820"],
    ["exported 4916/5260/1815/9086 from the terminal", "4916/5260/1815/9086", "4916526018159086"],
    ["amex 3467.231948.75746", "3467.231948.75746", "346723194875746"],
  ])("%s", (text, written, digits) => {
    expect(findCardData(text).cards.map((c) => [text.slice(c.start, c.end), c.digits])).toEqual([[written, digits]]);
  });

  it.each([["rate = 0.4916526018159086;"], ["total 4916526018159086.50"], ["released 2024.03.12, build 4916.52.60"]])("%s has no card", (text) => {
    expect(findCardData(text).cards).toEqual([]);
  });
});
