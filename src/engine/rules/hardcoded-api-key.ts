/**
 * Provider keys and tokens whose shape names the provider (Stripe, AWS, GitHub, Slack, Square,
 * Braintree, Adyen, OpenAI, our own `pca_live_` keys…). A shape match is strong evidence, so
 * these findings are precise, and severity follows what the key can do: a live payment key is
 * critical, a test or sandbox key is low. PCI DSS 8.6.2 forbids hard-coding such credentials.
 */
import { describeSecret, findProviderKeys, noteSecretScanLimits, secretScanBounds } from "../detect/secrets";
import { createRule } from "../rule";

export default createRule({
  id: "hardcoded-api-key",
  meta: {
    title: "Hard-coded provider API key or token",
    description:
      "A key or token with a provider's recognisable format (payment, cloud, source control, messaging or AI provider, or a PCI Auditor key) is written into the code or configuration. Anyone with read access to the repository can use it; PCI DSS 8.6.2 forbids hard-coded credentials.",
    severity: "high",
    confidence: "high",
    category: "secrets",
    cwe: ["CWE-798"],
    owasp: ["A07:2021"],
    pci: ["8.6.2"],
    remediation:
      "Revoke the key at the provider and issue a new one, remove the old one from the repository history, and read the new key at run time from a secret store (a Workers secret, environment variable or secret manager). Keep test keys out of source too.",
    references: [
      "https://cwe.mitre.org/data/definitions/798.html",
      "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
      "https://docs.stripe.com/keys-best-practices",
    ],
    tags: ["security", "secret"],
    languages: ["javascript", "typescript", "sql", "text"],
    supersedes: ["hardcoded-key", "hardcoded-secret"],
  },
  create(ctx) {
    return {
      text() {
        const { bounds, longLines } = secretScanBounds(ctx.file, ctx.limits);
        const found = findProviderKeys(ctx.file.text, bounds, ctx.file.language !== "javascript" && ctx.file.language !== "typescript");
        for (const key of found.matches) {
          ctx.redact({ start: key.start, end: key.end, kind: "secret" });
          const shown = describeSecret(ctx.file.text.slice(key.start, key.end));
          ctx.report({
            start: key.start,
            end: key.end,
            message: key.test
              ? `Hard-coded ${key.label} (${shown}); test keys reach no real money or data but still belong in a secret store.`
              : `Hard-coded ${key.label} (${shown}).`,
            severity: key.severity,
            confidence: key.confidence,
            tags: [key.type, ...(key.test ? ["test-key"] : [])],
            fingerprintKey: key.type,
          });
        }
        noteSecretScanLimits(ctx, longLines, found.budgetHit, "provider API keys");
      },
    };
  },
});
