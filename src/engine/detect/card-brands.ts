/**
 * What makes a digit string a payment card number rather than any long number: the issuer
 * prefix (IIN) and length of a known brand (REFERENCE.md §5), the Luhn check, and not being
 * an obvious placeholder. Also the published test card numbers, which are public sample data
 * rather than cardholder data.
 */

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "jcb" | "diners" | "unionpay" | "maestro";

/** Display names used in messages. */
export const CARD_BRAND_NAMES: Readonly<Record<CardBrand, string>> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
  maestro: "Maestro",
};

interface IinRange {
  brand: CardBrand;
  /** Inclusive bounds on the first six digits. */
  lo: number;
  hi: number;
  lengths: readonly number[];
  /**
   * Lengths at which numbers of this range are too common among ordinary numbers (EAN-13 bar
   * codes, phone numbers) to be taken for a card without card words nearby.
   */
  weakLengths?: readonly number[];
  /** The whole range is a loose heuristic (REFERENCE.md's "wider" Maestro prefixes). */
  weak?: boolean;
}

const L16_19 = [16, 17, 18, 19];
const L12_19 = [12, 13, 14, 15, 16, 17, 18, 19];

// First match wins: co-badged Discover (622126–622925) before UnionPay, narrow Maestro before wide.
const IIN_RANGES: readonly IinRange[] = [
  { brand: "amex", lo: 340000, hi: 349999, lengths: [15] },
  { brand: "amex", lo: 370000, hi: 379999, lengths: [15] },
  { brand: "visa", lo: 400000, hi: 499999, lengths: [13, 16, 19], weakLengths: [13] },
  { brand: "mastercard", lo: 510000, hi: 559999, lengths: [16] },
  { brand: "mastercard", lo: 222100, hi: 272099, lengths: [16] },
  { brand: "discover", lo: 601100, hi: 601199, lengths: [16, 19] },
  { brand: "discover", lo: 622126, hi: 622925, lengths: [16, 19] },
  { brand: "discover", lo: 644000, hi: 659999, lengths: [16, 19] },
  { brand: "jcb", lo: 352800, hi: 358999, lengths: L16_19 },
  { brand: "diners", lo: 300000, hi: 305999, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: "diners", lo: 309500, hi: 309599, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: "diners", lo: 360000, hi: 369999, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: "diners", lo: 380000, hi: 399999, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: "unionpay", lo: 620000, hi: 629999, lengths: L16_19 },
  { brand: "maestro", lo: 501800, hi: 501899, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 502000, hi: 502099, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 503800, hi: 503899, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 589300, hi: 589399, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 630400, hi: 630499, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 675900, hi: 675999, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 676100, hi: 676399, lengths: L12_19, weakLengths: [12] },
  { brand: "maestro", lo: 500000, hi: 509999, lengths: L12_19, weak: true },
  { brand: "maestro", lo: 560000, hi: 699999, lengths: L12_19, weak: true },
];

export interface BrandMatch {
  brand: CardBrand;
  /** True when only card words nearby should make this number count as a card. */
  weak: boolean;
}

/**
 * The brand whose IIN range and length fit a digit string, or null. Does not check Luhn.
 *
 * @example cardBrandOf("4111111111111111") // { brand: "visa", weak: false }
 */
export function cardBrandOf(digits: string): BrandMatch | null {
  const n = digits.length;
  if (n < 12 || n > 19) return null;
  let iin = 0;
  for (let i = 0; i < 6; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    iin = iin * 10 + d;
  }
  for (const r of IIN_RANGES) {
    if (iin < r.lo || iin > r.hi || !r.lengths.includes(n)) continue;
    return { brand: r.brand, weak: r.weak === true || (r.weakLengths?.includes(n) ?? false) };
  }
  return null;
}

const STRIPE = "Stripe";
const PAYPAL = "PayPal";
const ADYEN = "Adyen";
const BRAINTREE = "Braintree/Cybersource";

const TEST_CARD_LIST: ReadonlyArray<readonly [string, string]> = [
  // docs.stripe.com/testing
  ["4242424242424242", STRIPE],
  ["4000056655665556", STRIPE],
  ["5555555555554444", STRIPE],
  ["2223003122003222", STRIPE],
  ["5200828282828210", STRIPE],
  ["5105105105105100", STRIPE],
  ["378282246310005", STRIPE],
  ["371449635398431", STRIPE],
  ["6011111111111117", STRIPE],
  ["6011000990139424", STRIPE],
  ["6011981111111113", STRIPE],
  ["3056930009020004", STRIPE],
  ["36227206271667", STRIPE],
  ["3566002020360505", STRIPE],
  ["6200000000000005", STRIPE],
  ["6200000000000047", STRIPE],
  ["6205500000000000004", STRIPE],
  ["6555900000604105", STRIPE],
  ["4000000000000002", STRIPE],
  ["4000000000000069", STRIPE],
  ["4000000000000127", STRIPE],
  ["4000000000009995", STRIPE],
  // developer.paypal.com/docs/payflow/payflow-pro/payflow-pro-testing/
  ["4111111111111111", PAYPAL],
  ["4012888888881881", PAYPAL],
  ["4222222222222", PAYPAL],
  ["378734493671000", PAYPAL],
  ["30569309025904", PAYPAL],
  ["38520000023237", PAYPAL],
  ["3530111333300000", PAYPAL],
  ["2221000000000009", PAYPAL],
  ["2223000048400011", PAYPAL],
  ["2223016768739313", PAYPAL],
  // docs.adyen.com/development-resources/test-cards-and-credentials/test-card-numbers
  ["4111111111111111", ADYEN],
  ["5555555555554444", ADYEN],
  ["370000000000002", ADYEN],
  ["4988438843884305", ADYEN],
  ["4166676667666746", ADYEN],
  ["5500000000000004", ADYEN],
  // Braintree and Cybersource sandboxes
  ["4005519200000004", BRAINTREE],
  ["4009348888881881", BRAINTREE],
  ["4012000033330026", BRAINTREE],
  ["4012000077777777", BRAINTREE],
  ["4217651111111119", BRAINTREE],
  ["4500600000000061", BRAINTREE],
  ["6304000000000000", BRAINTREE],
];

const TEST_CARDS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [pan, provider] of TEST_CARD_LIST) {
    const list = map.get(pan) ?? [];
    list.push(provider);
    map.set(pan, list);
  }
  return map;
})();

/** Every published test card number this auditor knows, digits only. */
export const TEST_CARD_NUMBERS: readonly string[] = [...TEST_CARDS.keys()];

/**
 * The payment providers that publish a digit string as a test card number, or undefined.
 *
 * @example testCardProviders("4111111111111111") // ["PayPal", "Adyen"]
 */
export function testCardProviders(digits: string): readonly string[] | undefined {
  return TEST_CARDS.get(digits);
}

/**
 * True for numbers no issuer hands out, which pass Luhn only by chance or by design:
 * repeats of one or two digits ("0000000000000000", "4545454545454545"), a run of nine or
 * more identical digits ("5111111111111118", "4000000000000077"), or a counting sequence
 * ("4567890123456789"). The last (check) digit is left out of these tests.
 */
export function isPlaceholderPan(digits: string): boolean {
  const n = digits.length - 1;
  if (n < 2) return true;
  let period2 = true;
  let ascending = true;
  let descending = true;
  let run = 1;
  let longest = 1;
  for (let i = 1; i < n; i++) {
    const c = digits.charCodeAt(i);
    const p = digits.charCodeAt(i - 1);
    if (i >= 2 && c !== digits.charCodeAt(i - 2)) period2 = false;
    if ((p - 48 + 1) % 10 !== c - 48) ascending = false;
    if ((c - 48 + 1) % 10 !== p - 48) descending = false;
    run = c === p ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return period2 || ascending || descending || longest >= 9;
}
