/**
 * private-key-in-source: valid / invalid tables (rule id, line, column, severity) for PEM
 * blocks in code and config, and masking of the key material in snippets.
 */
import { describe, expect, it } from "vitest";
import rule from "../../../src/engine/rules/private-key-in-source";
import { ruleCases, runRule } from "./rule-tester";

const BODY = "MIIEpAIBAAKCAQEApU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x";
const BODY2 = "IB5p/tqg7ui5mX9cfCmZ/a/lkyU81lSvTfrXFCegrrP+6SMvivIhH57kkcWxC+y1";

ruleCases(rule, {
  valid: [
    'const PKCS8_HEADER = "-----BEGIN PRIVATE KEY-----";',
    'if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----")) return "pkcs1";',
    `const pub = "-----BEGIN PUBLIC KEY-----\\n${BODY}\\n-----END PUBLIC KEY-----";`,
    `const ca = \`-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----\`;`,
    'const sample = "-----BEGIN OPENSSH PRIVATE KEY-----\\n...\\n-----END OPENSSH PRIVATE KEY-----";',
    "const key = env.TLS_CLIENT_KEY;",
    { code: "-----BEGIN RSA PRIVATE KEY-----\n(key material removed)\n-----END RSA PRIVATE KEY-----\n", path: "docs/runbook.txt" },
  ],
  invalid: [
    {
      code: `const CLIENT_KEY = "-----BEGIN RSA PRIVATE KEY-----\\n${BODY}\\n${BODY2}\\n-----END RSA PRIVATE KEY-----";`,
      errors: [{ line: 1, column: 21, severity: "critical", message: /^Hard-coded RSA private key \(PEM-encoded\)\.$/ }],
    },
    {
      code: `const k =\n  "-----BEGIN EC PRIVATE KEY-----\\n" +\n  "${BODY}\\n" +\n  "-----END EC PRIVATE KEY-----\\n";`,
      errors: [{ line: 2, column: 4, message: /EC private key/ }],
    },
    {
      code: `# deploy key\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABs4FRpYzpSYL1aoZ5o7\n-----END OPENSSH PRIVATE KEY-----\n`,
      path: "deploy/id_ed25519",
      errors: [{ line: 2, column: 1, severity: "critical", message: /OpenSSH private key/ }],
    },
    {
      code: `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,9A1F3C5E7B2D4F6A8C0E1B3D5F7A9C2E\n\n${BODY}\n-----END RSA PRIVATE KEY-----\n`,
      path: "gateway.key",
      errors: [{ line: 1, column: 1, severity: "high", message: /^Hard-coded RSA private key \(passphrase-protected/ }],
    },
    {
      code: `{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${BODY}\\n-----END PRIVATE KEY-----\\n"\n}`,
      path: "service-account.json",
      errors: [{ line: 3, column: 19, message: /PKCS #8 private key/ }],
    },
    {
      code: `tls:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    ${BODY}\n    -----END PRIVATE KEY-----\n`,
      path: "values.yaml",
      errors: [{ line: 3, column: 5 }],
    },
  ],
});

describe("private-key-in-source details", () => {
  it("masks the key material in the snippet and tags encrypted keys", async () => {
    const [plain] = await runRule(rule, `const k = "-----BEGIN PRIVATE KEY-----\\n${BODY}\\n-----END PRIVATE KEY-----";`);
    // The run masked is "n" (of the "\n" escape) plus the body; its first four characters stay.
    expect(plain!.snippet).toBe(`const k = "-----BEGIN PRIVATE KEY-----\\${"nMII" + "*".repeat(BODY.length - 3)}\\n-----END PRIVATE KEY-----";`);
    expect(plain!.snippet).not.toContain(BODY.slice(4));
    const [locked] = await runRule(rule, `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${BODY}\n-----END ENCRYPTED PRIVATE KEY-----\n`, "key.pem");
    expect(locked!.tags).toEqual(["security", "secret", "private-key", "encrypted"]);
  });
});
