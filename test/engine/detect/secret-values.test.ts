/**
 * Names and values for the secret detectors: which names hold credentials, and which literals
 * are credentials rather than placeholders, look-ups, labels, paths or data values.
 */
import { describe, expect, it } from "vitest";
import { isPlaceholderValue, isSecretReference, judgeSecretValue, nameParts, secretNameKind, shannonEntropy } from "../../../src/engine/detect/secret-values";

describe("nameParts", () => {
  it.each([
    ["DB_PASSWORD", ["db", "password"]],
    ["clientSecret", ["client", "secret"]],
    ["x-api-key", ["x", "api", "key"]],
    ["spring.datasource.password", ["spring", "datasource", "password"]],
    ["APIKey", ["api", "key"]],
    ["_authToken", ["auth", "token"]],
  ])("%s", (name, parts) => {
    expect(nameParts(name)).toEqual(parts);
  });
});

describe("secretNameKind", () => {
  it.each([
    ["password", "password"],
    ["DB_PASSWORD", "password"],
    ["dbPasswd", "password"],
    ["MYSQLPASSWORD", "password"],
    ["smtp_pass", "password"],
    ["pwd", "password"],
    ["--password", "password"],
    ["confirmPassword", "password"],
    ["secret", "secret"],
    ["clientSecret", "secret"],
    ["WEBHOOK_SIGNING_SECRET", "secret"],
    ["apiKey", "secret"],
    ["API_KEY", "secret"],
    ["x-api-key", "secret"],
    ["accessToken", "secret"],
    ["authtoken", "secret"],
    ["_authToken", "secret"],
    ["private_key", "secret"],
    ["encryptionKey", "secret"],
    ["aws_secret_access_key", "secret"],
    ["credentials", "secret"],
    ["Authorization", "secret"],
    ["basicAuth", "secret"],
  ])("%s names a %s", (name, kind) => {
    expect(secretNameKind(name)).toBe(kind);
  });

  it.each([
    "passwordField",
    "tokenType",
    "secretName",
    "PASSWORD_MIN_LENGTH",
    "resetPasswordUrl",
    "apiKeyHeader",
    "secretArn",
    "passwordHash",
    "tokenExpiresAt",
    "publishableKey",
    "publicKey",
    "csrfToken",
    "nextPageToken",
    "cancelToken",
    "isPasswordValid",
    "passport",
    "bypass",
    "tokenizer",
    "monkey",
    "key",
    "keyboard",
    "author",
    "clientKey",
    "secretKeyRef",
    "auth_type",
    "",
  ])("%s is not a secret name", (name) => {
    expect(secretNameKind(name)).toBeNull();
  });
});

describe("isPlaceholderValue", () => {
  it.each([
    "",
    "  ",
    "changeme",
    "CHANGE_ME",
    "password",
    "Password",
    "test",
    "dummy",
    "xxxxxxxx",
    "********",
    "your-api-key-here",
    "<token>",
    "REPLACE_ME",
    "sk-example-key",
    "aaaaaaaa",
    "•••••••",
    "redacted",
  ])("%j is a placeholder", (v) => {
    expect(isPlaceholderValue(v)).toBe(true);
  });

  it.each(["Summer2024!", "hunter2", "Tr0ub4dor&3", "8c1f4e7a2b9d6c3f0e5a8b1d4c7f2a9e"])("%j is not a placeholder", (v) => {
    expect(isPlaceholderValue(v)).toBe(false);
  });
});

describe("isSecretReference", () => {
  it.each([
    "${DB_PASSWORD}",
    "$DB_PASSWORD",
    "%DB_PASSWORD%",
    "{{ .Values.db.password }}",
    "postgres://app:${PASSWORD}@db",
    "process.env.API_KEY",
    "env(API_KEY)",
    "ENC(Gx8Vb2Lq9Zp4Rk7Wm1Yc5Nh3Js6Dt0Fa)",
    "vault:secret/data/db#password",
    "arn:aws:secretsmanager:eu-west-1:000011112222:secret:db",
    "op://Payments/db/password",
    "@stripe-secret-key",
    ":password",
    "#{dbPassword}",
    "!vault |",
  ])("%j refers to a secret kept elsewhere", (v) => {
    expect(isSecretReference(v)).toBe(true);
  });

  it.each(["Summer2024!", "sk_live_abc", "environment-2024"])("%j is a value", (v) => {
    expect(isSecretReference(v)).toBe(false);
  });
});

describe("shannonEntropy", () => {
  it("is 0 for one repeated character and log2(n) for n distinct ones", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("0123456789abcdef")).toBe(4);
  });
});

describe("judgeSecretValue", () => {
  it.each([
    ["Summer2024!", "password", "high"],
    ["hunter2", "password", "medium"],
    ["Tr0ub4dor&3", "password", "high"],
    ["123456", "password", "medium"],
    ["P@ss_w0rd", "password", "high"],
    ["$ecretPass!2024", "password", "high"],
    ["!Passw0rd", "password", "high"],
    ["pa55word", "password", "medium"],
    ["8c1f4e7a2b9d6c3f0e5a8b1d4c7f2a9e", "secret", "high"],
    ["q7Zp2Lx9Vt4Rk8Wm3Yc6Bn1Hs5Jd0Fg", "secret", "high"],
    ["c2VydmljZS10b2tlbi1mb3ItYXBpLTk4MjE=", "secret", "high"],
    ["xKpQzRmWvLbNtYhSgDfJ", "secret", "high"],
    ["3f2b8c1e-9a4d-4e7f-b6c5-1d2e3f4a5b6c", "secret", "medium"],
    ["a1b2c3d4e5f6", "secret", "medium"],
  ] as const)("%j is a %s (%s confidence)", (value, kind, confidence) => {
    expect(judgeSecretValue(value, kind)).toEqual({ offset: 0, length: value.length, confidence });
  });

  it("skips an auth scheme and points at the credential after it", () => {
    expect(judgeSecretValue("Bearer 4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e", "secret")).toEqual({ offset: 7, length: 32, confidence: "high" });
    expect(judgeSecretValue("Basic YWxhZGRpbjpvcGVuc2VzYW1l", "secret")).toEqual({ offset: 6, length: 24, confidence: "high" });
  });

  it.each([
    // placeholders, look-ups, empties
    ["changeme", "password"],
    ["${DB_PASSWORD}", "password"],
    ["", "secret"],
    ["your-api-key-here", "secret"],
    // words, labels, i18n strings (letters only, or with spaces)
    ["Passwort", "password"],
    ["letmein", "password"],
    ["new-password", "password"],
    ["Enter your password", "password"],
    ["keyboard cat", "secret"],
    ["Bearer", "secret"],
    ["access_token", "secret"],
    ["sessionToken", "secret"],
    ["my-jwt-secret-2024", "secret"],
    ["MINIFLARE_R2_S3_CREDENTIALS", "secret"],
    ["makeReverseMapForTokens", "secret"],
    ["endOfFileToken", "secret"],
    ["indentationOnLastIndentedLine", "secret"],
    // locators and data values
    ["/run/secrets/db_password", "password"],
    ["prod/payments/db", "secret"],
    ["https://login.example.org/oauth2/token", "secret"],
    ["ops@acme-payments.io", "secret"],
    ["keystore.p12", "password"],
    ["2024-06-20", "password"],
    ["1.42.0", "password"],
    ["sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC", "secret"],
    ["application/json", "secret"],
    ["varchar(255)", "password"],
    ["required|min:12|confirmed", "password"],
    ["^(?=.*\\d).{12,}$", "password"],
    ["getPassword()", "password"],
    ["args[0]", "password"],
    // too short or too plain
    ["$2b$12$KIXQJ8b9zYxv1bW6r3lH7uX0q9mZ2aLkP4dN5cT8eR1sV7wY3uB2a", "password"],
    ["$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", "password"],
    ["abc12", "password"],
    ["a1b2c3d4", "secret"],
    ["0000000000000000", "secret"],
    ["1234567890abcdef", "secret"],
    ["12345678901234", "password"],
  ] as const)("%j is not a %s", (value, kind) => {
    expect(judgeSecretValue(value, kind)).toBeNull();
  });

  it("in a context that proves a credential, rules out only placeholders and references", () => {
    expect(judgeSecretValue("app", "password", true)).toEqual({ offset: 0, length: 3, confidence: "high" });
    expect(judgeSecretValue("letmein", "password", true)).toEqual({ offset: 0, length: 7, confidence: "high" });
    expect(judgeSecretValue("password", "password", true)).toBeNull();
    expect(judgeSecretValue("${PGPASSWORD}", "password", true)).toBeNull();
    expect(judgeSecretValue("<password>", "password", true)).toBeNull();
    expect(judgeSecretValue("****", "password", true)).toBeNull();
  });

  it("stays linear on long and adversarial values", () => {
    for (const value of ["a".repeat(1024), "aA".repeat(512), "a_".repeat(512), "A".repeat(500) + "aa".repeat(250) + "!", "ab|".repeat(340)]) {
      expect(judgeSecretValue(value, "secret")).toBeNull();
      judgeSecretValue(value, "password");
    }
  });
});
