/**
 * A private key committed with the code is readable by everyone with access to the repository,
 * its history and every build artefact: PCI DSS 3.6.1 requires keys to be protected and known
 * to as few custodians as possible. Reports the BEGIN line of each PEM block that carries key
 * material, and masks the material in every snippet.
 */
import { findPrivateKeys, noteSecretScanLimits, secretScanBounds } from "../detect/secrets";
import { createRule } from "../rule";

export default createRule({
  id: "private-key-in-source",
  meta: {
    title: "Private key committed in source",
    description:
      "A PEM private key (RSA, EC, DSA, OpenSSH, PGP or PKCS #8) is stored in a source or configuration file. Anyone who can read the repository can decrypt, sign or authenticate as its owner, which breaks the key-protection duties of PCI DSS 3.6.1.",
    severity: "critical",
    confidence: "high",
    category: "secrets",
    cwe: ["CWE-321"],
    owasp: ["A02:2021"],
    pci: ["3.6.1", "6.2.4"],
    remediation:
      "Remove the key from the file and from the repository history, revoke and replace it, and load the new key at run time from a key vault, HSM or secret manager (for example a Workers secret or a KMS-held key).",
    references: [
      "https://cwe.mitre.org/data/definitions/321.html",
      "https://owasp.org/Top10/A02_2021-Cryptographic_Failures/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Key_Management_Cheat_Sheet.html",
    ],
    tags: ["security", "secret", "private-key"],
    languages: ["javascript", "typescript", "sql", "text"],
    supersedes: ["hardcoded-key", "hardcoded-secret"],
  },
  create(ctx) {
    return {
      text() {
        const { bounds, longLines } = secretScanBounds(ctx.file, ctx.limits);
        const found = findPrivateKeys(ctx.file.text, bounds);
        for (const key of found.matches) {
          for (const run of key.material) ctx.redact({ ...run, kind: "secret" });
          ctx.report({
            start: key.start,
            end: key.end,
            message: key.encrypted
              ? `Hard-coded ${key.label} (passphrase-protected; the passphrase is usually stored nearby).`
              : `Hard-coded ${key.label} (PEM-encoded).`,
            severity: key.encrypted ? "high" : "critical",
            tags: key.encrypted ? ["encrypted"] : [],
          });
        }
        noteSecretScanLimits(ctx, longLines, found.budgetHit, "private keys");
      },
    };
  },
});
