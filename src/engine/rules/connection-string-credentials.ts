/**
 * Passwords written into connection strings: database and broker URIs
 * (`postgres://user:pass@host`), URLs with user info or `?password=`, and key=value strings
 * (JDBC, ADO.NET, ODBC, Azure `AccountKey=`). The password belongs to an application or system
 * account, exactly what PCI DSS 8.6.2 says must not be hard-coded. A localhost server is a
 * development default and reported as low.
 */
import { findConnectionCredentials, noteSecretScanLimits, secretScanBounds } from "../detect/secrets";
import { createRule } from "../rule";

export default createRule({
  id: "connection-string-credentials",
  meta: {
    title: "Credentials hard-coded in a connection string",
    description:
      "A database, cache, message broker or HTTP connection string contains a literal password or account key. It grants the application account's access to whoever reads the code, and PCI DSS 8.6.2 forbids hard-coding passwords of system and application accounts.",
    severity: "high",
    confidence: "high",
    category: "secrets",
    cwe: ["CWE-798", "CWE-259"],
    owasp: ["A07:2021"],
    pci: ["8.6.2"],
    remediation:
      "Change the account's password, then build the connection string at run time from a secret store or environment variable (for example `postgres://app:${DB_PASSWORD}@db/app`), or use an identity-based method such as IAM database authentication or a managed identity.",
    references: [
      "https://cwe.mitre.org/data/definitions/259.html",
      "https://cwe.mitre.org/data/definitions/798.html",
      "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
    ],
    tags: ["security", "secret", "password"],
    languages: ["javascript", "typescript", "sql", "text"],
    supersedes: ["hardcoded-key", "hardcoded-secret"],
  },
  create(ctx) {
    return {
      text() {
        const { bounds, longLines } = secretScanBounds(ctx.file, ctx.limits);
        const found = findConnectionCredentials(ctx.file.text, bounds);
        for (const cred of found.matches) {
          ctx.redact({ start: cred.start, end: cred.end, kind: "secret" });
          const what = `${cred.label[0]!.toUpperCase()}${cred.label.slice(1)} contains a hard-coded ${cred.secret}`;
          ctx.report({
            start: cred.start,
            end: cred.end,
            message: cred.local ? `${what} for a local server (a development default; keep real credentials out of source).` : `${what}.`,
            severity: cred.local ? "low" : undefined,
            tags: cred.local ? ["local-host"] : [],
          });
        }
        noteSecretScanLimits(ctx, longLines, found.budgetHit, "connection-string credentials");
      },
    };
  },
});
