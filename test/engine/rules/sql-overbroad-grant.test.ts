import rule from "../../../src/engine/rules/sql-overbroad-grant";
import { sqlRuleCases } from "./sql-rule-tester";

sqlRuleCases(rule, {
  valid: [
    "GRANT SELECT ON shop.orders TO 'app'@'%'",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'api'@'10.0.%'",
    "GRANT USAGE ON *.* TO 'monitor'@'%'",
    "REVOKE ALL PRIVILEGES ON *.* FROM 'app'@'%'",
    { code: "CREATE ROLE reader WITH LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS", dialect: "postgresql" },
    { code: "GRANT SELECT, INSERT ON orders TO app", dialect: "postgresql" },
    { code: "GRANT readonly TO alice", dialect: "postgresql" },
    { code: "REVOKE ALL ON DATABASE payments FROM PUBLIC", dialect: "postgresql" },
    { code: "GRANT USAGE ON SCHEMA payments TO PUBLIC", dialect: "postgresql" },
    { code: "ALTER ROLE db_datareader ADD MEMBER app", dialect: "transactsql" },
    { code: "GRANT SELECT ON OBJECT::dbo.Sales TO app", dialect: "transactsql" },
    { code: "CREATE USER app WITH PASSWORD 'superuser'", dialect: "postgresql" },
    { code: 'const label = "Grant all users access to the dashboard";', path: "src/ui/labels.js" },
  ],
  invalid: [
    {
      code: "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%'",
      errors: [{ line: 1, column: 1, severity: "high", message: /ALL privileges on every database \(\*\.\*\)/ }],
    },
    { code: "GRANT ALL ON shop.* TO 'app'@'%'", errors: [{ line: 1, column: 1, severity: "medium", message: /ALL privileges on shop\.\*/ }] },
    { code: "GRANT ALL ON TABLE orders TO app", dialect: "postgresql", errors: [{ line: 1, column: 1, severity: "low" }] },
    { code: "GRANT SELECT ON cards TO PUBLIC", dialect: "postgresql", errors: [{ line: 1, column: 1, severity: "medium", message: /PUBLIC/ }] },
    { code: "GRANT SELECT ON cards TO app WITH GRANT OPTION", errors: [{ line: 1, column: 1, severity: "medium", message: /WITH GRANT OPTION/ }] },
    { code: "GRANT SUPER ON *.* TO 'ops'@'%'", errors: [{ line: 1, column: 1, severity: "high", message: /administration privilege SUPER/ }] },
    { code: "ALTER USER app WITH SUPERUSER", dialect: "postgresql", errors: [{ line: 1, column: 1, severity: "high", message: /SUPERUSER/ }] },
    { code: "GRANT rds_superuser TO app", dialect: "postgresql", errors: [{ line: 1, column: 1, severity: "high", message: /rds_superuser role/ }] },
    {
      code: "EXEC sp_addsrvrolemember 'app', 'sysadmin'",
      dialect: "transactsql",
      errors: [{ line: 1, column: 1, severity: "high", message: /sysadmin role/ }],
    },
    { code: "GRANT CONTROL SERVER TO app", dialect: "transactsql", errors: [{ line: 1, column: 1, severity: "high" }] },
    { code: 'GRANT `roles/bigquery.admin` ON SCHEMA ds TO "user:ops@example.com"', dialect: "bigquery", errors: [{ line: 1, column: 1, severity: "high" }] },
    {
      code: "GRANT SELECT, INSERT\n  ON ALL TABLES IN SCHEMA payments\n  TO app\n  WITH GRANT OPTION;\nGRANT ALL ON payments.cards TO app;",
      dialect: "postgresql",
      errors: [
        { line: 1, column: 1, severity: "medium" },
        { line: 5, column: 1, severity: "low" },
      ],
    },
    { code: "await db.query(\"GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'\");", path: "scripts/init.js", errors: [{ line: 1, column: 17, severity: "high" }] },
  ],
});
