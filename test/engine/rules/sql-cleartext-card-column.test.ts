import rule from "../../../src/engine/rules/sql-cleartext-card-column";
import { canHoldReadablePan } from "../../../src/engine/rules/sql-cleartext-card-column";
import { describe, expect, it } from "vitest";
import { sqlRuleCases } from "./sql-rule-tester";

sqlRuleCases(rule, {
  valid: [
    "CREATE TABLE cards (id INT, card_token VARCHAR(64), card_last4 CHAR(4))",
    { code: "CREATE TABLE cards (pan_hash CHAR(64), pan_enc BYTEA, pan_fingerprint TEXT)", dialect: "postgresql" },
    "CREATE TABLE cards (card_number VARBINARY(256))",
    "CREATE TABLE cards (card_number CHAR(4), card_bin CHAR(8), first6 CHAR(6))",
    "CREATE TABLE c (card_number_enc TEXT, masked_pan VARCHAR(19), cc_type VARCHAR(10), card_number_hmac CHAR(64))",
    "CREATE TABLE cards (credit_card_enabled BOOLEAN, credit_card_limit DECIMAL(10,2))",
    "CREATE TABLE offices (company VARCHAR(100), span TEXT, japan_office TEXT, panel TEXT)",
    "CREATE TABLE accounts (account_number VARCHAR(34), iban VARCHAR(34))",
    "CREATE TABLE legacy (card_number INT)",
    {
      code: "CREATE TABLE dbo.Cards (CardNumber NVARCHAR(19) COLLATE Latin1_General_BIN2 ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK1, ENCRYPTION_TYPE = RANDOMIZED, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256'))",
      dialect: "transactsql",
    },
    "CREATE TABLE copy AS SELECT card_number FROM legacy_cards",
    "CREATE INDEX idx_card_number ON cards (card_number)",
    "SELECT card_number FROM cards WHERE id = 1",
    "INSERT INTO cards (card_number) VALUES (?)",
    { code: 'db.query("SELECT card_number FROM cards WHERE id = ?", [id]);', path: "src/cards.js" },
    { code: "CREATE FUNCTION mask(card_number text) RETURNS text AS $$ SELECT right(card_number, 4) $$ LANGUAGE sql", dialect: "postgresql" },
  ],
  invalid: [
    {
      code: "CREATE TABLE cards (\n  id INT,\n  card_number VARCHAR(19)\n)",
      errors: [
        {
          line: 3,
          column: 3,
          severity: "high",
          confidence: "high",
          message: /^Column cards\.card_number \(VARCHAR\(19\)\) holds card numbers as readable text/,
        },
      ],
    },
    {
      code: "ALTER TABLE billing.cards ADD COLUMN pan text;",
      dialect: "postgresql",
      errors: [{ line: 1, column: 38, confidence: "medium", message: /cards\.pan \(TEXT\)/ }],
    },
    {
      // Not parsed by node-sql-parser (identity column): found from the tokens.
      code: "CREATE TABLE t (\n  id bigint GENERATED ALWAYS AS IDENTITY,\n  cc_number character varying(19)\n);",
      dialect: "postgresql",
      errors: [{ line: 3, column: 3, message: /CHARACTER VARYING\(19\)/ }],
    },
    {
      code: "IF OBJECT_ID('dbo.Cards') IS NULL\nBEGIN\n  CREATE TABLE dbo.Cards ([CardNo] NVARCHAR(19) NOT NULL)\nEND",
      dialect: "transactsql",
      errors: [{ line: 3, column: 27, message: /Cards\.CardNo/ }],
    },
    { code: "CREATE TABLE q (pan, amount INTEGER)", dialect: "sqlite", errors: [{ line: 1, column: 17 }] },
    {
      code: "ALTER TABLE pm ADD COLUMN card_no TEXT, ADD COLUMN card_no_last4 CHAR(4), MODIFY cardnumber VARCHAR(20)",
      dialect: "mysql",
      errors: [
        { line: 1, column: 27 },
        { line: 1, column: 82 },
      ],
    },
    { code: "CREATE TABLE t (ccnum BIGINT)", errors: [{ line: 1, column: 17, message: /readable digits/ }] },
    {
      code: "CREATE TABLE `proj.ds.cards` (card_number STRING NOT NULL)",
      dialect: "bigquery",
      errors: [{ line: 1, column: 31, message: /cards\.card_number \(STRING\)/ }],
    },
    {
      code: "ALTER TABLE refunds ALTER COLUMN card_number TYPE varchar(19)",
      dialect: "postgresql",
      errors: [{ line: 1, column: 34 }],
    },
    {
      code: "await db.query(`\n  CREATE TABLE cards (\n    cardNumber VARCHAR(19)\n  )\n`);",
      path: "src/migrate.js",
      errors: [{ line: 3, column: 5 }],
    },
    {
      // The JS escape "\n" is two characters in the file and one in the SQL.
      code: 'db.run("CREATE TABLE t (\\n  pan_number TEXT)");',
      path: "src/migrate.js",
      errors: [{ line: 1, column: 29 }],
    },
    {
      code: "db.query(`CREATE TABLE ${schema}.cards (credit_card TEXT)`);",
      path: "src/migrate.ts",
      errors: [{ line: 1, column: 41, message: /cards\.credit_card/ }],
    },
  ],
});

describe("canHoldReadablePan", () => {
  it.each([
    ["VARCHAR", 19, true],
    ["VARCHAR", 4, false],
    ["CHAR", 12, true],
    ["CHAR", 11, false],
    ["TEXT", null, true],
    ["NVARCHAR2", 30, true],
    ["CHARACTER VARYING", null, true],
    ["BIGINT", null, true],
    ["NUMERIC", 16, true],
    ["NUMERIC", 10, false],
    ["INT", null, false],
    ["BYTEA", null, false],
    ["VARBINARY", 256, false],
    ["UUID", null, false],
    ["JSONB", null, false],
    ["", null, true],
  ] as const)("%s(%s) → %s", (dataType, length, expected) => {
    expect(canHoldReadablePan({ dataType, length })).toBe(expected);
  });
});
