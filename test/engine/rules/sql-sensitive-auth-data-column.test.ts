import rule from "../../../src/engine/rules/sql-sensitive-auth-data-column";
import { sqlRuleCases } from "./sql-rule-tester";

sqlRuleCases(rule, {
  valid: [
    "CREATE TABLE charges (cvc_check VARCHAR(16), cvv_result CHAR(1), cvv_match BOOLEAN, cvv_present BIT, cvv_response_code CHAR(2))",
    // A login PIN outside any card context, stored hashed.
    "CREATE TABLE users (pin_hash TEXT, pin_attempts INT)",
    "CREATE TABLE addresses (pin_code CHAR(6), pincode VARCHAR(10))",
    "CREATE TABLE posts (pinned BOOLEAN, spinner TEXT, pinyin TEXT, pinterest_url TEXT)",
    "CREATE TABLE customers (cid INT, security_code VARCHAR(10))",
    "CREATE TABLE playlist (track_id INT, track_name TEXT, track_number INT, tracking_data JSON)",
    "CREATE TABLE card_payments (cvv CHAR(2))",
    "SELECT cvv FROM payments WHERE id = 1",
    "INSERT INTO audit (event) VALUES ('cvv mismatch')",
  ],
  invalid: [
    {
      code: "CREATE TABLE payments (\n  id INT,\n  cvv VARCHAR(4)\n)",
      errors: [{ line: 3, column: 3, severity: "critical", message: /^Column payments\.cvv stores card verification codes .*PCI DSS 3\.3\.1\.2/ }],
    },
    {
      code: "CREATE TABLE card_auths (pin_block CHAR(16), cid CHAR(4))",
      errors: [
        { line: 1, column: 26, message: /PINs or PIN blocks.*3\.3\.1\.3/ },
        { line: 1, column: 46, message: /card_auths\.cid stores card verification codes/ },
      ],
    },
    { code: "ALTER TABLE terminals ADD COLUMN last_track2 VARCHAR(40)", errors: [{ line: 1, column: 34, message: /track data.*3\.3\.1\.1/ }] },
    { code: "CREATE TABLE atm_sessions (pin TEXT)", dialect: "postgresql", errors: [{ line: 1, column: 28 }] },
    // Encrypting it does not make keeping it allowed.
    { code: "CREATE TABLE saved_cards (cvv_encrypted BYTEA)", dialect: "postgresql", errors: [{ line: 1, column: 27 }] },
    {
      code: "CREATE TABLE dbo.Swipes ([Track1] NVARCHAR(79), [MagStripeData] VARBINARY(200))",
      dialect: "transactsql",
      errors: [
        { line: 1, column: 26 },
        { line: 1, column: 49 },
      ],
    },
    { code: "await sql`CREATE TABLE orders (card_cvv2 TEXT)`;", path: "src/schema.ts", errors: [{ line: 1, column: 32 }] },
  ],
});
