/**
 * connection-string-credentials: valid / invalid tables (rule id, line, column, severity) for
 * URIs, key=value connection strings and URL query strings; localhost credentials are low.
 */
import { describe, expect, it } from "vitest";
import rule from "../../../src/engine/rules/connection-string-credentials";
import { ruleCases, runRule } from "./rule-tester";

ruleCases(rule, {
  valid: [
    "const pool = new Pool({ connectionString: `postgres://app:${process.env.DB_PASSWORD}@db.internal:5432/payments` });",
    'const docs = "postgres://user:password@host:5432/database";',
    'const tpl = "mongodb://<username>:<password>@cluster0.mongodb.net/test";',
    'const masked = "postgres://app:****@db.internal/payments";',
    'const compose = "postgres://postgres:postgres@localhost:5432/postgres";',
    'const example = "postgres://admin:Sup3rS3cret@db.example.com/app";',
    'const cache = "redis://cache.internal:6379/0";',
    'const api = "https://api.acquirer.internal:8443/v2/settlements";',
    'const repo = "git+ssh://git@github.com:acme/payments.git";',
    "const conninfo = (pw) => `host=ledger-db user=ledger password=${pw} dbname=ledger`;",
    { code: "REPLICA_URL=postgresql://app:${REPLICA_PASSWORD}@db-replica.internal:5432/payments\n", path: ".env" },
    { code: '{ "Reporting": "Server=tcp:sql.internal,1433;Authentication=Active Directory Managed Identity;" }', path: "appsettings.json" },
    { code: "jdbc.url=jdbc:sqlserver://sql.internal:1433;user=app;password=${DB_PASSWORD};encrypt=true\n", path: "db.properties" },
  ],
  invalid: [
    {
      code: 'const pool = new Pool({ connectionString: "postgres://payments_app:Vx9!kq2Lm7Zr@db-primary.internal:5432/payments" });',
      errors: [{ line: 1, column: 68, severity: "high", message: /^PostgreSQL connection URI contains a hard-coded password\.$/ }],
    },
    {
      code: 'const cache = createClient({ url: "redis://:R3d1sCach3Pw@cache.internal:6379/0" });',
      errors: [{ line: 1, column: 45, message: /^Redis connection URI/ }],
    },
    {
      code: "DATABASE_URL=mongodb+srv://reporting:T4nG3r1n3Sky@cluster0.ab1cd.mongodb.net/reports\n",
      path: ".env",
      errors: [{ line: 1, column: 38, message: /^MongoDB connection URI/ }],
    },
    {
      code: 'const devUrl = "postgres://dev:devpass123@localhost:5432/payments_dev";',
      errors: [{ line: 1, column: 32, severity: "low", message: /for a local server/ }],
    },
    {
      code: 'const feed = "https://acme-feed:Fe3dP4ss-2024@partner.acquirer.internal/exports/daily.csv";',
      errors: [{ line: 1, column: 33, message: /^URL contains a hard-coded password\.$/ }],
    },
    {
      code: '{\n  "ConnectionStrings": {\n    "Payments": "Server=tcp:sql.internal,1433;User ID=app;Password=Kx8#vQ2!mZr9;Encrypt=True;"\n  }\n}',
      path: "appsettings.json",
      errors: [{ line: 3, column: 68, message: /^Connection string contains a hard-coded password\.$/ }],
    },
    {
      code: 'STORAGE="DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=W3oCQ+mRIzIfmOOQPszKnCiouu5H6pxj5a+kRwknbEE=;EndpointSuffix=core.windows.net"\n',
      path: "deploy.env",
      errors: [{ line: 1, column: 69, message: /^Azure Storage connection string contains a hard-coded account key\.$/ }],
    },
    {
      code: "spring:\n  datasource:\n    url: jdbc:postgresql://db.internal:5432/payments?user=app&password=Jd8!vQ2mLx&ssl=true\n",
      path: "application.yml",
      errors: [{ line: 3, column: 72, message: /^JDBC connection string/ }],
    },
    {
      code: "-- pca-dialect: postgresql\nSELECT dblink_connect('ledger', 'host=ledger-db.internal user=ledger_reader password=Lg7!pQ2xVz dbname=ledger');\n",
      path: "ledger.sql",
      errors: [{ line: 2, column: 86 }],
    },
  ],
});

describe("connection-string-credentials details", () => {
  it("tags localhost credentials and masks every password in the snippet", async () => {
    const [local, remote] = await runRule(rule, 'const urls = ["postgres://dev:devpass123@localhost/dev", "mysql://app:Qw7pLm2xZ@db.internal/app"];');
    expect(local!.tags).toEqual(["security", "secret", "password", "local-host"]);
    expect(remote!.tags).toEqual(["security", "secret", "password"]);
    expect(local!.snippet).toBe('const urls = ["postgres://dev:**********@localhost/dev", "mysql://app:*********@db.internal/app"];');
  });
});
