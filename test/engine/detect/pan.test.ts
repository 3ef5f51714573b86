/**
 * The card-number detector: brands and lengths (REFERENCE.md §5), the published test cards,
 * placeholders, every written form and encoding, near misses that must stay quiet, track data,
 * limits, and adversarial inputs that must finish in linear time. Expected values are written
 * by hand from the spec; the example PANs were generated independently (Python, Luhn).
 */
import { describe, expect, it } from "vitest";
import { isPlaceholderPan } from "../../../src/engine/detect/card-brands";
import { cardBrandOf, findCardData, isCardNumber, testCardProviders, TEST_CARD_NUMBERS, type CardBrand } from "../../../src/engine/detect/pan";
import { luhnValid } from "../../../src/engine/detect/luhn";

/** The cards found in a text, as [written form, digits, brand, encoding]. */
function cards(text: string): Array<[string, string, CardBrand, string]> {
  return findCardData(text).cards.map((c) => [text.slice(c.start, c.end), c.digits, c.brand, c.encoding]);
}

describe("cardBrandOf", () => {
  it.each([
    ["4916526018159086", "visa", false],
    ["4929137215907", "visa", true],
    ["4716231007728378327", "visa", false],
    ["5425824628194820", "mastercard", false],
    ["2221000000000009", "mastercard", false],
    ["2720990000000000", "mastercard", false],
    ["346723194875746", "amex", false],
    ["378282246310005", "amex", false],
    ["6011018955597972", "discover", false],
    ["6445114710497461", "discover", false],
    ["6221260000000000", "discover", false],
    ["6229250000000000", "discover", false],
    ["6229260000000000", "unionpay", false],
    ["6250421809679290817", "unionpay", false],
    ["3541507529170346", "jcb", false],
    ["30562366712761", "diners", false],
    ["36227206271667", "diners", false],
    ["3095000000000000", "diners", false],
    ["6759786666176031", "maestro", false],
    ["5018000000000000", "maestro", false],
    ["675945957115", "maestro", true],
    ["5612777741215471", "maestro", true],
  ] as const)("%s is %s (weak: %s)", (digits, brand, weak) => {
    expect(cardBrandOf(digits)).toEqual({ brand, weak });
  });

  it.each([
    ["1234567890123456", "no brand starts with 1"],
    ["9532015112830365", "no brand starts with 9"],
    ["2721000000000000", "past the Mastercard 2-series"],
    ["2220990000000000", "before the Mastercard 2-series"],
    ["3527000000000000", "before the JCB range"],
    ["491652601815908", "15-digit Visa"],
    ["54258246281948", "14-digit Mastercard"],
    ["3467231948757461", "16-digit Amex"],
    ["49165260181", "too short"],
    ["49165260181590861234", "too long"],
    ["4916x26018159086", "not digits"],
  ])("%s has no brand (%s)", (digits) => {
    expect(cardBrandOf(digits)).toBeNull();
  });
});

describe("published test cards", () => {
  const EXPECTED: Array<[string, CardBrand, string]> = [
    ["4242424242424242", "visa", "Stripe"],
    ["4000056655665556", "visa", "Stripe"],
    ["5555555555554444", "mastercard", "Stripe"],
    ["2223003122003222", "mastercard", "Stripe"],
    ["5200828282828210", "mastercard", "Stripe"],
    ["5105105105105100", "mastercard", "Stripe"],
    ["378282246310005", "amex", "Stripe"],
    ["371449635398431", "amex", "Stripe"],
    ["6011111111111117", "discover", "Stripe"],
    ["6011000990139424", "discover", "Stripe"],
    ["6011981111111113", "discover", "Stripe"],
    ["3056930009020004", "diners", "Stripe"],
    ["36227206271667", "diners", "Stripe"],
    ["3566002020360505", "jcb", "Stripe"],
    ["6200000000000005", "unionpay", "Stripe"],
    ["6200000000000047", "unionpay", "Stripe"],
    ["6205500000000000004", "unionpay", "Stripe"],
    ["6555900000604105", "discover", "Stripe"],
    ["4000000000000002", "visa", "Stripe"],
    ["4000000000000069", "visa", "Stripe"],
    ["4000000000000127", "visa", "Stripe"],
    ["4000000000009995", "visa", "Stripe"],
    ["4111111111111111", "visa", "PayPal"],
    ["4012888888881881", "visa", "PayPal"],
    ["4222222222222", "visa", "PayPal"],
    ["378734493671000", "amex", "PayPal"],
    ["30569309025904", "diners", "PayPal"],
    ["38520000023237", "diners", "PayPal"],
    ["3530111333300000", "jcb", "PayPal"],
    ["2221000000000009", "mastercard", "PayPal"],
    ["2223000048400011", "mastercard", "PayPal"],
    ["2223016768739313", "mastercard", "PayPal"],
    ["4111111111111111", "visa", "Adyen"],
    ["5555555555554444", "mastercard", "Adyen"],
    ["370000000000002", "amex", "Adyen"],
    ["4988438843884305", "visa", "Adyen"],
    ["4166676667666746", "visa", "Adyen"],
    ["5500000000000004", "mastercard", "Adyen"],
    ["4005519200000004", "visa", "Braintree/Cybersource"],
    ["4009348888881881", "visa", "Braintree/Cybersource"],
    ["4012000033330026", "visa", "Braintree/Cybersource"],
    ["4012000077777777", "visa", "Braintree/Cybersource"],
    ["4217651111111119", "visa", "Braintree/Cybersource"],
    ["4500600000000061", "visa", "Braintree/Cybersource"],
    ["6304000000000000", "maestro", "Braintree/Cybersource"],
  ];

  it.each(EXPECTED)("%s is a Luhn-valid %s test card from %s", (pan, brand, provider) => {
    expect(luhnValid(pan)).toBe(true);
    expect(cardBrandOf(pan)?.brand).toBe(brand);
    expect(testCardProviders(pan)).toContain(provider);
    expect(isCardNumber(pan)).toMatchObject({ brand, testCard: true });
    const found = findCardData(`card: ${pan}`).cards;
    expect(found.map((c) => [c.digits, c.testCard])).toEqual([[pan, true]]);
  });

  it("lists exactly the cards of REFERENCE.md §5", () => {
    expect([...TEST_CARD_NUMBERS].sort()).toEqual([...new Set(EXPECTED.map(([pan]) => pan))].sort());
  });

  it("knows who publishes a shared number", () => {
    expect(testCardProviders("4111111111111111")).toEqual(["PayPal", "Adyen"]);
    expect(testCardProviders("4916526018159086")).toBeUndefined();
  });
});

describe("isPlaceholderPan", () => {
  it.each([
    ["0000000000000000", true],
    ["4444444444444444", true],
    ["4545454545454541", true],
    ["4567890123456783", true],
    ["5432109876543212", true],
    ["4916000000000120", true],
    ["5111111111111118", true],
    ["4916526018159086", false],
    ["5425824628194820", false],
    // Also shaped like a placeholder: findCardData checks the test-card list first.
    ["4111111111111111", true],
  ])("%s → %s", (digits, expected) => {
    expect(isPlaceholderPan(digits)).toBe(expected);
  });
});

describe("findCardData: written forms", () => {
  it.each([
    ['const pan = "4916526018159086";', "4916526018159086", "4916526018159086", "visa"],
    ["n = 4539301661318604;", "4539301661318604", "4539301661318604", "visa"],
    ["n = 4485913909960304n;", "4485913909960304", "4485913909960304", "visa"],
    ["n = 6445_1147_1049_7461;", "6445_1147_1049_7461", "6445114710497461", "discover"],
    ["card 5425 8246 2819 4820 ok", "5425 8246 2819 4820", "5425824628194820", "mastercard"],
    ["card 5425-8246-2819-4820 ok", "5425-8246-2819-4820", "5425824628194820", "mastercard"],
    ["amex 3467 231948 75746.", "3467 231948 75746", "346723194875746", "amex"],
    ["amex 3467-2319-4875-746", "3467-2319-4875-746", "346723194875746", "amex"],
    ["diners 3056 236671 2761", "3056 236671 2761", "30562366712761", "diners"],
    ["unionpay 6250421809679290817", "6250421809679290817", "6250421809679290817", "unionpay"],
    ["// call about 3541 5075 2917 0346 today", "3541 5075 2917 0346", "3541507529170346", "jcb"],
    ["`retry ${amount} on 5186 1993 5181 9094 now`", "5186 1993 5181 9094", "5186199351819094", "mastercard"],
    ["VALUES (1, '6011018955597972', 1999)", "6011018955597972", "6011018955597972", "discover"],
    ["pan=4916526018159086&amount=1", "4916526018159086", "4916526018159086", "visa"],
    ['"\\n4916526018159086"', "4916526018159086", "4916526018159086", "visa"],
    ["sent. 4916526018159086. Done", "4916526018159086", "4916526018159086", "visa"],
    ["4916 5260 1815 9086 12/27 cvv", "4916 5260 1815 9086", "4916526018159086", "visa"],
    ["qty 2 4916526018159086 12 27", "4916526018159086", "4916526018159086", "visa"],
    ["99 4916-5260-1815-9086 12", "4916-5260-1815-9086", "4916526018159086", "visa"],
    ["cardNumber: '4929137215907'", "4929137215907", "4929137215907", "visa"],
    ["maestro card 675945957115", "675945957115", "675945957115", "maestro"],
    ["debit card 5612777741215471", "5612777741215471", "5612777741215471", "maestro"],
  ] as const)("%s", (text, written, digits, brand) => {
    expect(cards(text)).toEqual([[written, digits, brand, "plain"]]);
  });

  it("reports offsets into the text", () => {
    const [card] = findCardData('x = "4916 5260 1815 9086";').cards;
    expect(card).toMatchObject({ start: 5, end: 24, grouped: true, testCard: false, weak: false, inTrack: false });
  });

  it("finds several numbers on a line, in order", () => {
    expect(cards('["4916526018159086", "5425 8246 2819 4820"]').map(([w]) => w)).toEqual(["4916526018159086", "5425 8246 2819 4820"]);
  });
});

describe("findCardData: encodings", () => {
  it.each([
    ["base64", "v=NDkxNjUyNjAxODE1OTA4Ng==;", "NDkxNjUyNjAxODE1OTA4Ng", "4916526018159086"],
    ["base64", "NTQyNSA4MjQ2IDI4MTkgNDgyMA==", "NTQyNSA4MjQ2IDI4MTkgNDgyMA", "5425824628194820"],
    ["base64", "t=MzQ2NzIzMTk0ODc1NzQ2", "MzQ2NzIzMTk0ODc1NzQ2", "346723194875746"],
    ["base64", "body=eyJwYW4iOiI1NDI1ODI0NjI4MTk0ODIwIiwiZXhwIjoiMTIvMjcifQ==", "I1NDI1ODI0NjI4MTk0ODIw", "5425824628194820"],
    ["base64", "u=NjQ0NTExNDcxMDQ5NzQ2MQ", "NjQ0NTExNDcxMDQ5NzQ2MQ", "6445114710497461"],
    ["hex", "h: 35343235383234363238313934383230", "35343235383234363238313934383230", "5425824628194820"],
    ["hex", "h: 333436372D3233313934382D3735373436", "333436372D3233313934382D3735373436", "346723194875746"],
    ["hex", "x7b22333436372d3233313934382d373537343622", "333436372d3233313934382d3735373436", "346723194875746"],
    ["hex", "h: 343931362d353236302d313831352d39303836", "343931362d353236302d313831352d39303836", "4916526018159086"],
    ["url", "pan=%34%39%31%36%35%32%36%30%31%38%31%35%39%30%38%36&x=1", "%34%39%31%36%35%32%36%30%31%38%31%35%39%30%38%36", "4916526018159086"],
    ["url", "pan=%35%34%32%35+%38%32%34%36+%32%38%31%39+%34%38%32%30", "%35%34%32%35+%38%32%34%36+%32%38%31%39+%34%38%32%30", "5425824628194820"],
    [
      "html-entity",
      "<p>&#51;&#52;&#54;&#55;&#50;&#51;&#49;&#57;&#52;&#56;&#55;&#53;&#55;&#52;&#54;</p>",
      "&#51;&#52;&#54;&#55;&#50;&#51;&#49;&#57;&#52;&#56;&#55;&#53;&#55;&#52;&#54;",
      "346723194875746",
    ],
    [
      "html-entity",
      "&#x34;&#x39;&#x31;&#x36;&#x20;&#x35;&#x32;&#x36;&#x30;&#x20;&#x31;&#x38;&#x31;&#x35;&#x20;&#x39;&#x30;&#x38;&#x36;",
      "&#x34;&#x39;&#x31;&#x36;&#x20;&#x35;&#x32;&#x36;&#x30;&#x20;&#x31;&#x38;&#x31;&#x35;&#x20;&#x39;&#x30;&#x38;&#x36;",
      "4916526018159086",
    ],
    [
      "js-escape",
      '"\\x35\\x34\\x32\\x35\\x38\\x32\\x34\\x36\\x32\\x38\\x31\\x39\\x34\\x38\\x32\\x30"',
      "\\x35\\x34\\x32\\x35\\x38\\x32\\x34\\x36\\x32\\x38\\x31\\x39\\x34\\x38\\x32\\x30",
      "5425824628194820",
    ],
    [
      "js-escape",
      '"\\u0033\\u0034\\u0036\\u0037\\u0032\\u0033\\u0031\\u0039\\u0034\\u0038\\u0037\\u0035\\u0037\\u0034\\u0036"',
      "\\u0033\\u0034\\u0036\\u0037\\u0032\\u0033\\u0031\\u0039\\u0034\\u0038\\u0037\\u0035\\u0037\\u0034\\u0036",
      "346723194875746",
    ],
    [
      "js-escape",
      '"\\u{34}\\u{39}\\u{31}\\u{36}\\u{35}\\u{32}\\u{36}\\u{30}\\u{31}\\u{38}\\u{31}\\u{35}\\u{39}\\u{30}\\u{38}\\u{36}"',
      "\\u{34}\\u{39}\\u{31}\\u{36}\\u{35}\\u{32}\\u{36}\\u{30}\\u{31}\\u{38}\\u{31}\\u{35}\\u{39}\\u{30}\\u{38}\\u{36}",
      "4916526018159086",
    ],
  ] as const)("%s: %s", (encoding, text, written, digits) => {
    const found = findCardData(text).cards;
    expect(found.map((c) => [text.slice(c.start, c.end), c.digits, c.encoding])).toEqual([[written, digits, encoding]]);
  });

  it("keeps encoded test cards as test cards", () => {
    expect(findCardData("NDI0MjQyNDI0MjQyNDI0Mg==").cards.map((c) => [c.digits, c.encoding, c.testCard])).toEqual([["4242424242424242", "base64", true]]);
  });
});

describe("findCardData: near misses", () => {
  it.each([
    ["123e4567-e89b-12d3-a456-426614174008", "UUID"],
    ["9007199254740991", "MAX_SAFE_INTEGER"],
    ["1700000000004", "millisecond timestamp"],
    ["1700000000000000", "microsecond timestamp"],
    ["74916526018159086123", "20 digits around a Luhn-valid window"],
    ["49165260181590861", "17 digits around a Luhn-valid window"],
    ["0.4916526018159086", "decimal fraction"],
    ["4916526018159086.5", "decimal number"],
    ["1.4916526018159086e3", "float"],
    ["0x4916526018159086", "hex literal"],
    ["v4.9165.2601.8159086", "version string"],
    ["1.2.4916526018159086", "dotted version"],
    ["da39a3ee4916526018159086afd80709", "hex hash with a Luhn-valid digit stretch"],
    ["4916526018159086afd80709", "digits glued to letters"],
    ["sha_4916526018159086", "identifier"],
    ["order-4916526018159086", "dashed identifier"],
    ["4916526018159086-abc", "trailing dashed identifier"],
    ["$4916526018159086", "JS identifier"],
    ["+4916526018159086", "phone number with +"],
    ["%4916526018159086", "after a URL escape"],
    ["&#4916526018159086;", "numeric entity"],
    ["0000000000000000", "zeros"],
    ["4444444444444448", "repeated digit"],
    ["4567890123456783", "ascending sequence"],
    ["5432109876543212", "descending sequence"],
    ["4545454545454541", "period two"],
    ["4916000000000120", "placeholder with a run of zeros"],
    ["9532015112830365", "Luhn-valid, no brand"],
    ["4916526018159087", "fails Luhn"],
    ["4101 4102 4103 4104 4105", "table of four-digit numbers with a Luhn-valid window"],
    ["4916 5260 1815 9086 1234", "five groups of four"],
    ["12-4916 5260 1815 9086", "dash-glued to another number"],
    ["4916 5260-1815 9086", "mixed separators"],
    ["4916  5260  1815  9086", "double spaces"],
    ["49 16 52 60 18 15 90 86", "pairs"],
    ["491 652 601 815 908 6", "groups of three"],
    ["barcode 4006381333932", "EAN-13 without card words"],
    ["tel 4915112345678", "13-digit phone number"],
    ["id 675945957115", "12 digits without card words"],
    ["ref 5612777741215471", "loose Maestro range without card words"],
    ["2024-05-01 10:22:13.512", "timestamp"],
    ["+1 415-555-0100", "phone number"],
    ["DE89370400440532013000", "IBAN"],
    ["data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64 image"],
    ["MTExMTExMTExMTExMTExMTEx", "base64 of a digit run that is not a card"],
    ["NDkxNjUyNjAxODE1OTA4NjEyNA==", "base64 of 19 digits that fail Luhn"],
    ["3131313131313131313131313131313131313131", "hex of ones"],
    ["%31%32%33%34%35%36%37%38%39%30%31%32%33%34%35%36", "URL-encoded 1234567890123456"],
    ["&#52;&#57;&#49;&#54; **** **** 9086", "partly encoded masked number"],
    ["q=%34%39.%31%36,%35%32.%36%30", "URL-encoded coordinates"],
    ["A%34%39%31%36%35%32%36%30%31%38%31%35%39%30%38%36", "escaped digits glued to a letter"],
    ["491652******9086", "masked"],
  ])("%s (%s)", (text) => {
    expect(cards(text)).toEqual([]);
  });
});

describe("findCardData: track data", () => {
  it.each([
    ["%B4916526018159086^HOLMES/SHERLOCK^2709101000000876000000?", "%B4916526018159086^HOLMES/SHERLOCK^2709101000000876000000?", 1],
    ["x=;5425824628194820=27091010000087600000? y", ";5425824628194820=27091010000087600000?", 2],
    ['"B346723194875746^WATSON/JOHN H.^2612201000000000123000"', "B346723194875746^WATSON/JOHN H.^2612201000000000123000", 1],
    ['"6011018955597972=26122010000012300000"', "6011018955597972=26122010000012300000", 2],
    ['"4485913909960304D27102010000012345678F"', "4485913909960304D27102010000012345678F", 2],
  ] as const)("%s", (text, written, track) => {
    const scan = findCardData(text);
    expect(scan.tracks.map((t) => [text.slice(t.start, t.end), t.track])).toEqual([[written, track]]);
    const pan = scan.tracks[0]!;
    expect(scan.cards.map((c) => [c.start, c.end, c.inTrack])).toEqual([[pan.panStart, pan.panEnd, true]]);
  });

  it("marks tracks of test cards", () => {
    expect(findCardData(";4111111111111111=30121010000000000000?").tracks[0]).toMatchObject({ testCard: true, brand: "visa" });
  });

  it.each([
    ["%B491652******9086^HOLMES/SHERLOCK^2709?", "masked"],
    ["%B%s^%s^%s%s?", "format string"],
    [";1234567890123456=27091010000087600000?", "no brand"],
    [";4916526018159086=27131010000087600000?", "month 13"],
    [";4916526018159087=27091010000087600000?", "fails Luhn"],
    ["%B4916526018159086^X^2709101?", "name too short"],
    ["4916526018159086D2709", "EMV form too short without sentinel"],
  ])("%s (%s) is not track data", (text) => {
    expect(findCardData(text).tracks).toEqual([]);
  });
});

describe("isCardNumber", () => {
  it.each([
    ["4916526018159086", "visa", false],
    [" 5425 8246 2819 4820 ", "mastercard", false],
    ["3467-231948-75746", "amex", false],
    ["4242424242424242", "visa", true],
  ] as const)("%s is a %s card (test: %s)", (value, brand, testCard) => {
    expect(isCardNumber(value)).toMatchObject({ brand, testCard });
  });

  it.each([
    ["4916526018159087", undefined],
    ["1234567890123456", undefined],
    ["0000000000000000", undefined],
    ["4916 5260-1815 9086", undefined],
    ["card 4916526018159086", undefined],
    ["4929137215907", undefined],
    ["4916-5260-1815-9086-1", undefined],
  ])("%s is not a card (context %s)", (value, context) => {
    expect(isCardNumber(value, context)).toBeNull();
  });

  it("accepts weak numbers when the context names a card", () => {
    expect(isCardNumber("4929137215907", "card_no")).toMatchObject({ brand: "visa", weak: true });
    expect(isCardNumber("4929137215907", "barcode")).toBeNull();
  });
});

describe("findCardData: limits", () => {
  it("stops after maxCandidates and says so", () => {
    const text = Array.from({ length: 10 }, () => "4916526018159086").join("\n");
    const scan = findCardData(text, { maxCandidates: 3 });
    expect(scan.budgetExhausted).toBe(true);
    expect(scan.cards).toHaveLength(3);
    expect(findCardData(text, { maxCandidates: 10 }).budgetExhausted).toBe(false);
  });

  it("skips lines longer than maxLineLength and lists them", () => {
    const long = "x".repeat(100) + " 4916526018159086";
    const text = ["5425824628194820", long, "3467 231948 75746", long].join("\n");
    const scan = findCardData(text, { maxLineLength: 50 });
    expect(scan.skippedLines).toEqual([2, 4]);
    expect(scan.cards.map((c) => c.digits)).toEqual(["5425824628194820", "346723194875746"]);
  });
});

describe("findCardData: adversarial inputs finish and stay sane", () => {
  const MB = 1_000_000;
  const repeat = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  it.each([
    ["digits", repeat("0123456789")],
    ["one digit", repeat("4")],
    ["4 4 4 4", repeat("4 ")],
    ["4111 groups", repeat("4111 ")],
    ["1-", repeat("1-")],
    ["base64-ish", repeat("NDExMTEx")],
    ["base64 alphabet", repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")],
    ["&#52;", repeat("&#52;")],
    ["%34", repeat("%34")],
    ["\\x34", repeat("\\x34")],
    ["hex digits", repeat("3431")],
    ["one letter", repeat("a")],
    ["percent signs", repeat("%")],
    ["ampersands and hashes", repeat("&#")],
  ])("1 MB of %s", (_name, text) => {
    const scan = findCardData(text, { maxCandidates: 50_000 });
    expect(scan.cards).toEqual([]);
    expect(scan.tracks).toEqual([]);
  });

  it("1 MB of track-like fragments finds the cards in them, and no track", () => {
    const scan = findCardData(repeat(";4916526018159086="), { maxCandidates: 50_000 });
    expect(scan.tracks).toEqual([]);
    expect(scan.cards.length).toBe(50_000);
    expect(new Set(scan.cards.map((c) => c.digits))).toEqual(new Set(["4916526018159086"]));
  });

  it("1 MB of real-looking cards stops at the budget", () => {
    const text = repeat("4916526018159086\n");
    const scan = findCardData(text, { maxCandidates: 50_000 });
    expect(scan.budgetExhausted).toBe(true);
    expect(scan.cards.length).toBeLessThanOrEqual(50_000);
    expect(scan.cards.length).toBeGreaterThan(50_000 - 10);
  });

  it("1 MB on one line with the default line limit is skipped whole", () => {
    expect(findCardData(repeat("4916526018159086 "), { maxLineLength: 200_000 }).skippedLines).toEqual([1]);
  });
});
