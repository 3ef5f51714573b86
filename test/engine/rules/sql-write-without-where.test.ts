import rule from "../../../src/engine/rules/sql-write-without-where";
import { sqlRuleCases } from "./sql-rule-tester";

sqlRuleCases(rule, {
  valid: [
    "DELETE FROM sessions WHERE expires_at < now()",
    { code: "DELETE FROM job_queue ORDER BY id LIMIT 100", dialect: "mysql" },
    { code: "UPDATE TOP (10) dbo.Queue SET Taken = 1", dialect: "transactsql" },
    { code: "UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.region = c.region", dialect: "mysql" },
    "TRUNCATE TABLE sessions",
    "SELECT * FROM accounts FOR UPDATE",
    "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2",
    { code: "WITH old AS (SELECT id FROM s) DELETE FROM s WHERE id IN (SELECT id FROM old)", dialect: "postgresql" },
    // Migration backfill of a column the same file adds.
    { code: "ALTER TABLE cards ADD COLUMN status TEXT;\nUPDATE cards SET status = 'active';", dialect: "postgresql" },
    // Reference data reload.
    "DELETE FROM countries;\nINSERT INTO countries (code) VALUES ('FR');",
    { code: "db.query(`DELETE FROM sessions ${where}`);", path: "src/sessions.js" },
    { code: "db.query('DELETE FROM ' + table + ' WHERE id = ?', [id]);", path: "src/generic.js" },
    { code: "db.query('DELETE FROM users');", path: "test/db.test.js" },
    { code: "db.query('DELETE FROM users');", path: "src/__tests__/setup.ts" },
    { code: "const prompt = 'Delete from cart';", path: "src/ui.js" },
  ],
  invalid: [
    {
      code: "UPDATE users SET active = 0",
      errors: [{ line: 1, column: 1, severity: "low", confidence: "high", message: /^UPDATE of users has no WHERE clause/ }],
    },
    { code: "-- cleanup\nDELETE FROM audit_log;", errors: [{ line: 2, column: 1, message: /^DELETE from audit_log has no WHERE clause/ }] },
    // The WHERE belongs to the subquery, not to the UPDATE.
    { code: "UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 1)", errors: [{ line: 1, column: 1 }] },
    { code: "UPDATE accounts SET balance = 0 FROM ledger", dialect: "postgresql", errors: [{ line: 1, column: 1 }] },
    { code: "DELETE FROM a;\nINSERT INTO b (x) VALUES (1);", errors: [{ line: 1, column: 1 }] },
    { code: "INSERT INTO c (x) VALUES (1);\nDELETE FROM c;", errors: [{ line: 2, column: 1 }] },
    { code: "await pool.query('DELETE FROM cards');", path: "src/cards.js", errors: [{ line: 1, column: 19 }] },
    { code: "await db.query(`UPDATE users SET plan = ${plan}`);", path: "src/plans.ts", errors: [{ line: 1, column: 17 }] },
    { code: "WITH x AS (SELECT 1)\nDELETE FROM carts", dialect: "postgresql", errors: [{ line: 2, column: 1 }] },
  ],
});
