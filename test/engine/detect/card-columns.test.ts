import { describe, expect, it } from "vitest";
import { identifierWords, panColumnConfidence, sensitiveAuthColumn } from "../../../src/engine/detect/card-columns";

describe("identifierWords", () => {
  it.each([
    ["card_number", ["card", "number"]],
    ["cardNumber", ["card", "number"]],
    ["CCNumber", ["cc", "number"]],
    ["CARD_NO", ["card", "no"]],
    ["cvv2", ["cvv", "2"]],
    ["card_last4", ["card", "last", "4"]],
    ["Track1Data", ["track", "1", "data"]],
    ["pinned", ["pinned"]],
  ])("%s → %j", (name, words) => {
    expect(identifierWords(name)).toEqual(words);
  });
});

describe("panColumnConfidence", () => {
  it.each([
    ["card_number", "high"],
    ["cardnumber", "high"],
    ["CreditCardNumber", "high"],
    ["cc_num", "high"],
    ["ccno", "high"],
    ["card_no", "high"],
    ["debit_card_nr", "high"],
    ["primary_account_number", "high"],
    ["credit_card", "high"],
    ["pan", "medium"],
    ["full_pan", "medium"],
  ] as const)("%s is a card-number column (%s)", (name, confidence) => {
    expect(panColumnConfidence(name)).toBe(confidence);
  });

  it.each([
    "card_token",
    "pan_encrypted",
    "pan_hash",
    "last4",
    "card_last_four",
    "masked_pan",
    "card_bin",
    "first6",
    "card_fingerprint",
    "card_number_sha256",
    "card_id",
    "card_type",
    "card_holder_name",
    "credit_card_limit",
    "account_number",
    "acc_number",
    "company",
    "span",
    "japan",
    "panel",
    "pandemic_flag",
    "card",
    "cc_email",
  ])("%s is not", (name) => {
    expect(panColumnConfidence(name)).toBeNull();
  });
});

describe("sensitiveAuthColumn", () => {
  it.each([
    ["cvv", "payments", "cvv"],
    ["CVV2", "anything", "cvv"],
    ["card_cvc", "orders", "cvv"],
    ["cvv_encrypted", "saved_cards", "cvv"],
    ["card_security_code", "orders", "cvv"],
    ["security_code", "card_payments", "cvv"],
    ["cardCode", "orders", "cvv"],
    ["card_verification_value", "x", "cvv"],
    ["cid", "card_auths", "cvv"],
    ["pin_block", "anything", "pin"],
    ["pinblock", "anything", "pin"],
    ["pin", "atm_sessions", "pin"],
    ["card_pin", "customers", "pin"],
    ["track2", "swipes", "track"],
    ["track_1_data", "x", "track"],
    ["magstripe", "x", "track"],
    ["mag_stripe_data", "x", "track"],
  ] as const)("%s in %s holds %s", (name, table, kind) => {
    expect(sensitiveAuthColumn(name, table)).toBe(kind);
  });

  it.each([
    ["pin", "users"],
    ["pin_hash", "staff"],
    ["pin_code", "card_addresses"],
    ["pincode", "addresses"],
    ["pinned", "cards"],
    ["spinner", "cards"],
    ["pinyin", "cards"],
    ["pin_attempts", "cards"],
    ["cid", "customers"],
    ["security_code", "users"],
    ["cvc_check", "charges"],
    ["cvv_result", "payments"],
    ["cvv_response_code", "payments"],
    ["track_id", "playlists"],
    ["track_number", "albums"],
  ] as const)("%s in %s holds none", (name, table) => {
    expect(sensitiveAuthColumn(name, table)).toBeNull();
  });
});
