/**
 * Recognises database columns that hold cardholder data from their names: the card number
 * (PAN, PCI DSS 3.5.1) and sensitive authentication data (CVV/CVC, PIN or PIN block, magnetic
 * stripe track data; PCI DSS 3.3.1). Names are split into words first (`cardNumber`,
 * `CARD_NO`, `cc_num2` → card/number, card/no, cc/num/2), so `pinned`, `spinner`, `company`
 * or `japan` never count, and names that evidently hold something else (a token, a hash,
 * the last four digits, a verification result) are left alone.
 */

/**
 * Lower-case words of an identifier, split at separators, case changes and letter/digit edges:
 * `cardNumber` → card/number, `CCNumber` → cc/number, `cvv2` → cvv/2. One pass, no regexes:
 * it runs on every key and column name the card-data rules look at.
 */
export function identifierWords(name: string): string[] {
  const words: string[] = [];
  let word = "";
  let prevKind = 0; // 0 none, 1 lower, 2 upper, 3 digit
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const kind = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0;
    if (kind === 0) {
      if (word) words.push(word);
      word = "";
      prevKind = 0;
      continue;
    }
    const next = name.charCodeAt(i + 1);
    const boundary =
      word !== "" &&
      ((prevKind === 1 && kind === 2) || // cardNumber
        (prevKind === 3) !== (kind === 3) || // cvv2, 2fa
        (prevKind === 2 && kind === 2 && next >= 97 && next <= 122)); // CCNumber
    if (boundary) {
      words.push(word);
      word = "";
    }
    word += kind === 2 ? String.fromCharCode(c + 32) : name[i];
    prevKind = kind;
  }
  if (word) words.push(word);
  return words;
}

/** Words that say the column holds a protected or reduced form of the PAN, not the PAN. */
const PROTECTED = new Set([
  "token",
  "tokens",
  "tokenized",
  "tokenised",
  "tok",
  "enc",
  "encr",
  "encrypted",
  "encryption",
  "encrypt",
  "crypt",
  "crypted",
  "cipher",
  "ciphertext",
  "hash",
  "hashed",
  "digest",
  "hmac",
  "sha",
  "md5",
  "bcrypt",
  "scrypt",
  "argon2",
  "aes",
  "rsa",
  "pgp",
  "gpg",
  "kms",
  "vault",
  "vaulted",
  "mask",
  "masked",
  "redacted",
  "obfuscated",
  "truncated",
  "trunc",
  "partial",
  "last",
  "first",
  "four",
  "six",
  "4",
  "6",
  "8",
  "bin",
  "iin",
  "fingerprint",
  "fp",
  "ref",
  "reference",
  "alias",
  "surrogate",
  "id",
  "ids",
  "uuid",
  "guid",
  "key",
  "salt",
  "iv",
  "nonce",
  "tag",
  "suffix",
  "prefix",
  "display",
  "lookup",
]);

/** Words that say the column describes a card rather than holding its number. */
const METADATA = new Set([
  "type",
  "brand",
  "scheme",
  "network",
  "exp",
  "expiry",
  "expiration",
  "expires",
  "month",
  "year",
  "holder",
  "name",
  "country",
  "issuer",
  "bank",
  "length",
  "len",
  "count",
  "status",
  "verified",
  "valid",
  "validated",
  "check",
  "checked",
  "checksum",
  "index",
  "idx",
  "provider",
  "fee",
  "limit",
  "enabled",
  "allowed",
  "required",
  "present",
  "flag",
  "format",
  "label",
  "updated",
  "created",
  "date",
  "source",
  "hint",
  "policy",
  "version",
  "at",
]);

const PAN_NAME = /(?:^|_)(?:(?:credit|debit|payment)_?)?(?:card|cc)_?(?:number|num|no|nbr|nr)(?:_|$)|(?:^|_)primary_?account_?number(?:_|$)/;
const PAN_EXACT = new Set(["credit_card", "creditcard", "debit_card", "debitcard"]);

/**
 * How sure the name is a card-number column: "high" for `card_number`, `ccnum`,
 * `primary_account_number`…; "medium" for a bare `pan` word (also used for tax ids in some
 * countries); null when it is not one or evidently holds a token, hash or truncation.
 */
export function panColumnConfidence(name: string): "high" | "medium" | null {
  const words = identifierWords(name);
  if (words.some((w) => PROTECTED.has(w) || METADATA.has(w))) return null;
  const joined = words.join("_");
  if (PAN_NAME.test(joined) || PAN_EXACT.has(joined)) return "high";
  if (words.includes("pan")) return "medium";
  return null;
}

export type SensitiveAuthKind = "cvv" | "pin" | "track";

/** Words that say the column records a check's outcome or a setting, not the secret itself. */
const NOT_THE_VALUE = new Set([
  "result",
  "results",
  "response",
  "resp",
  "match",
  "matched",
  "check",
  "checked",
  "status",
  "verified",
  "verify",
  "valid",
  "validated",
  "present",
  "provided",
  "required",
  "indicator",
  "ind",
  "flag",
  "enabled",
  "outcome",
  "passed",
  "failed",
  "failure",
  "failures",
  "attempts",
  "attempt",
  "tries",
  "retries",
  "count",
  "policy",
  "mode",
  "length",
  "len",
  "type",
  "changed",
  "set",
  "reset",
  "locked",
  "lockout",
  "rule",
  "supported",
  "capable",
  "capability",
  "id",
  "url",
  "at",
  "date",
]);

/** Words that put a column (or its table) in a payment-card context. */
const CARD_CONTEXT = new Set([
  "card",
  "cards",
  "cc",
  "credit",
  "debit",
  "atm",
  "payment",
  "payments",
  "pos",
  "terminal",
  "terminals",
  "transaction",
  "transactions",
  "txn",
  "txns",
  "emv",
  "charge",
  "charges",
  "billing",
  "wallet",
  "wallets",
  "checkout",
  "acquirer",
  "issuer",
  "authorization",
  "authorizations",
  "pan",
]);

const CVV_WORDS = new Set(["cvv", "cvc", "csc", "cvn", "cvd", "cav", "cvv2", "cvc2", "cav2"]);
const CVV_NAME = /(?:^|_)(?:card_?(?:verification_?(?:value|code|number)|code)|verification_?value)(?:_|$)/;
const SECURITY_CODE = /(?:^|_)security_?code(?:_|$)/;
const PIN_BLOCK = /(?:^|_)pin_?block(?:_|$)/;
const TRACK_NAME = /(?:^|_)(?:track_?[123]|track_?data|full_?track|raw_?track|mag_?stripe|magnetic_?stripe|mag_?strip|swipe_?data)(?:_|$)/;

/**
 * The kind of sensitive authentication data a column's name says it holds, or null. CVV-like
 * names count anywhere; `security_code`, a bare `pin` and `cid` count only in a card context
 * (the column's or the table's name), so a login PIN in `users` or a customer id is left
 * alone; `pin_code` (an Indian postal code) never counts.
 */
export function sensitiveAuthColumn(name: string, table: string): SensitiveAuthKind | null {
  const words = identifierWords(name);
  if (words.some((w) => NOT_THE_VALUE.has(w))) return null;
  const joined = words.join("_");
  const context = words.some((w) => CARD_CONTEXT.has(w)) || identifierWords(table).some((w) => CARD_CONTEXT.has(w));
  if (TRACK_NAME.test(joined)) return "track";
  if (words.some((w) => CVV_WORDS.has(w)) || CVV_NAME.test(joined)) return "cvv";
  if (context && (SECURITY_CODE.test(joined) || words.includes("cid"))) return "cvv";
  if (PIN_BLOCK.test(joined)) return "pin";
  if (words.includes("pin") && !words.includes("code") && context) return "pin";
  return null;
}
