/**
 * The secret detectors: PEM private keys, provider keys, connection-string credentials,
 * secret-named assignments and SQL account passwords. Expected offsets are where each test
 * planted its value; adversarial inputs check that every pattern stays linear.
 */
import { describe, expect, it } from "vitest";
import {
  claimedBySpecificDetector,
  describeSecret,
  findConnectionCredentials,
  findPrivateKeys,
  findProviderKeys,
  findSecretAssignments,
  findSqlPasswords,
  isPlaceholderKey,
  PROVIDER_PATTERN_SOURCES,
  secretScanBounds,
  type TextBounds,
} from "../../../src/engine/detect/secrets";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { createSourceFile } from "../../../src/engine/source";

const ALL: TextBounds = { maxCandidates: 1_000_000, skip: [] };

/** [start, end) of `value` in `text` (the n-th occurrence). */
function at(text: string, value: string, n = 0): { start: number; end: number } {
  let start = text.indexOf(value);
  for (let i = 0; i < n; i++) start = text.indexOf(value, start + 1);
  if (start < 0) throw new Error(`test input lacks ${value}`);
  return { start, end: start + value.length };
}

const RSA_BODY = [
  "MIIEpAIBAAKCAQEApU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x",
  "IB5p/tqg7ui5mX9cfCmZ/a/lkyU81lSvTfrXFCegrrP+6SMvivIhH57kkcWxC+y1",
  "Mm/6lJLt7u48Zp8r8giU6ifmicZrayYuSIa4Q485unb++MkMUQH75s+aSNU=",
];

describe("findPrivateKeys", () => {
  it("reports the BEGIN marker of a PEM block and the material to mask", () => {
    const text = `# key\n-----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY.join("\n")}\n-----END RSA PRIVATE KEY-----\n`;
    const { matches, budgetHit } = findPrivateKeys(text, ALL);
    expect(budgetHit).toBe(false);
    expect(matches).toEqual([
      { ...at(text, "-----BEGIN RSA PRIVATE KEY-----"), label: "RSA private key", encrypted: false, material: RSA_BODY.map((line) => at(text, line)) },
    ]);
  });

  it("reads keys written as escaped or concatenated JS strings", () => {
    const escaped = `const k = "-----BEGIN PRIVATE KEY-----\\n${RSA_BODY[0]}\\n-----END PRIVATE KEY-----";`;
    expect(findPrivateKeys(escaped, ALL).matches.map((m) => [m.start, m.label])).toEqual([[11, "PKCS #8 private key"]]);
    const concatenated = `const k =\n  "-----BEGIN EC PRIVATE KEY-----\\n" +\n  "${RSA_BODY[1]}\\n" +\n  "-----END EC PRIVATE KEY-----\\n";`;
    expect(findPrivateKeys(concatenated, ALL).matches.map((m) => [m.start, m.label])).toEqual([[13, "EC private key"]]);
  });

  it("marks passphrase-protected keys", () => {
    const legacy = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,9A1F3C5E7B2D4F6A8C0E1B3D5F7A9C2E\n\n${RSA_BODY.join("\n")}\n-----END RSA PRIVATE KEY-----`;
    expect(findPrivateKeys(legacy, ALL).matches[0]?.encrypted).toBe(true);
    const pkcs8 = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${RSA_BODY.join("\n")}\n-----END ENCRYPTED PRIVATE KEY-----`;
    expect(findPrivateKeys(pkcs8, ALL).matches[0]).toMatchObject({ label: "encrypted PKCS #8 private key", encrypted: true });
    // base64("openssh-key-v1\0" + "\0\0\0\x04none" ...) versus a key whose cipher is aes256-ctr.
    const open =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABs4FRpYzpSYL1aoZ5o7\n-----END OPENSSH PRIVATE KEY-----";
    expect(findPrivateKeys(open, ALL).matches[0]).toMatchObject({ label: "OpenSSH private key", encrypted: false });
    const locked =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABC3kZ2x\n-----END OPENSSH PRIVATE KEY-----";
    expect(findPrivateKeys(locked, ALL).matches[0]).toMatchObject({ label: "OpenSSH private key", encrypted: true });
  });

  it.each([
    ["a marker used to parse PEM", 'const HEADER = "-----BEGIN PRIVATE KEY-----";\nconst other = "' + RSA_BODY[0] + '";'],
    ["a public key", `-----BEGIN PUBLIC KEY-----\n${RSA_BODY[0]}\n-----END PUBLIC KEY-----`],
    ["a certificate", `-----BEGIN CERTIFICATE-----\n${RSA_BODY[0]}\n-----END CERTIFICATE-----`],
    ["elided material", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"],
    ["placeholder material", `-----BEGIN RSA PRIVATE KEY-----\n${"A".repeat(64)}\n-----END RSA PRIVATE KEY-----`],
    ["a regex for markers", "const re = /-----BEGIN (RSA )?PRIVATE KEY-----/;"],
  ])("ignores %s", (_name, text) => {
    expect(findPrivateKeys(text, ALL).matches).toEqual([]);
  });

  it("finds every key in a bundle, and a key whose END marker is missing", () => {
    const one = `-----BEGIN EC PRIVATE KEY-----\n${RSA_BODY[0]}\n-----END EC PRIVATE KEY-----\n`;
    const text = one + one + `-----BEGIN PRIVATE KEY-----\n${RSA_BODY[1]}\n`;
    expect(findPrivateKeys(text, ALL).matches.map((m) => m.start)).toEqual([0, one.length, 2 * one.length]);
  });
});

describe("findProviderKeys", () => {
  const CASES: Array<[string, string, string, string, boolean]> = [
    // [value, type, label, severity, test]
    ["sk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ", "stripe-secret-key", "Stripe live secret key", "critical", false],
    ["rk_live_51NPWgq1X0b4u7cNgAghvSShGFynVPL5Eo8T", "stripe-secret-key", "Stripe live restricted key", "high", false],
    ["sk_test_51NPHSMA6ADxQqfxErorHJ2B4kLQ4ABfkufG", "stripe-secret-key", "Stripe test secret key", "low", true],
    ["whsec_SUtPMSQYEm3O7ZwRHMm5rm6cjyFWEfsP", "stripe-webhook-secret", "Stripe webhook signing secret", "high", false],
    ["ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8", "github-token", "GitHub token", "high", false],
    ["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", "github-token", "GitHub token", "high", false],
    ["glpat-LULE3R1T1leEngt3m6bZ", "gitlab-token", "GitLab personal access token", "high", false],
    ["xoxb-34587431553-33974768526-igwzmBR9EP5wkii9oopqypo6", "slack-token", "Slack token", "high", false],
    ["https://hooks.slack.com/services/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", "slack-webhook", "Slack incoming webhook URL", "medium", false],
    ["AIza4f5mnkbwrZ25q2mBdEPy4KAkTRT_mrUmBjx", "google-api-key", "Google API key", "medium", false],
    ["SKe291dfca5aeff31de0d39e5448a09ddd", "twilio-api-key", "Twilio API key SID", "medium", false],
    ["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", "sendgrid-api-key", "SendGrid API key", "high", false],
    ["sq0atp-SgLmuG6DvmBLYiFOHMRyd4", "square-token", "Square access token", "critical", false],
    ["sq0csp-XWxDyrZBdkcsikG8w16UZXlrXhGzBF6uVKxYqlUGmnb", "square-token", "Square OAuth application secret", "high", false],
    ["EAAAq7b9h52JQ4HQzBuWd-6YsuSzPo_X_g3k09SDpPk-l8IVsaq38JRxqTibvNqv", "square-token", "Square access token", "high", false],
    [
      "access_token$production$3vtlzgshev8ophou$dda00deb46becf877fcb4524f4a459e6",
      "braintree-access-token",
      "Braintree production access token",
      "critical",
      false,
    ],
    ["access_token$sandbox$lqi9cyvjs8lfkk2l$309b57e103c14da5c382f8c9fcff1a59", "braintree-access-token", "Braintree sandbox access token", "low", true],
    [
      "AQECLf/atcQfWrDHC+8ZmuqSyzI+aFEim9e39FxNTtnK3DsYGY9gz7/WxjBZTIPuqVC7=-rkOheEFFGOekf2xoo8YWMwhcoFbDEvoPgBl=-HA0Mo5i1CP;4mrN6",
      "adyen-api-key",
      "Adyen API key",
      "high",
      false,
    ],
    ["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", "shopify-token", "Shopify access token", "high", false],
    [
      "sk-proj-n5qWvIcib7KLeV94F1M4QkN05Z-rfGYwg4ApYzNz4jmnKZhvyUkNqGSXeLOsa-ufsaxapu7rmgT3BlbkFJkoRdV_Uu3dPutedK7msyUIblI1f",
      "openai-api-key",
      "OpenAI API key",
      "high",
      false,
    ],
    ["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", "openai-api-key", "OpenAI API key", "high", false],
    [
      "sk-ant-api03-Hjx78UEw4jGVxpytFzK1rAugwgWAUv3794a0l6FO_CzsrjAFGqlJbkP1TluxjOCtaKbbitCVu6_ClYwNU73fWefgSx-mzAA",
      "anthropic-api-key",
      "Anthropic API key",
      "high",
      false,
    ],
    ["npm_ZHdiwpfMW8PGexR43jYRIzrfsatTmtTXpuIk", "npm-token", "npm access token", "high", false],
    ["key-4c5d406a6737b7a243651bc79d3166a4", "mailgun-api-key", "Mailgun API key", "high", false],
    ["pca_live_iRunsuDo6CMrMfL0tNO1GgprQ5TvZR2wTP8Ba8RdxYo", "pca-api-key", "PCI Auditor live API key", "critical", false],
    ["pca_test_HBfmFK7EKH7VD28Gi3EEWL5UvCNJEyabCfW61jpHTOZ", "pca-api-key", "PCI Auditor test API key", "low", true],
    ["AKIAEMZPJOM4TMNIR467", "aws-access-key-id", "AWS access key ID", "high", false],
    ["ASIALGAT7CZG5U2G5GKV", "aws-access-key-id", "AWS temporary access key ID", "medium", false],
    [
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtc2V0dGxlbWVudCIsInNjb3BlIjoicGF5bWVudHM6d3JpdGUiLCJpYXQiOjE3MzEwMDAwMDB9.G0xqW5qb-7tdVJmiwtVYFygojsnyZcrmVlsiecMOT8M",
      "jwt",
      "signed JSON Web Token",
      "medium",
      false,
    ],
  ];

  it.each(CASES)("%s", (value, type, label, severity, test) => {
    const text = `const key = "${value}";\n`;
    expect(findProviderKeys(text, ALL).matches).toEqual([
      { ...at(text, value), type, label, severity, confidence: type === "jwt" || type === "twilio-api-key" ? "medium" : "high", test },
    ]);
  });

  // Platform tokens: searched in configuration text, not in JS/TS (where the AST rule reads secret names).
  const PLATFORM: Array<[string, string, string, string, boolean]> = [
    ["pypi-AgEIcHlwaS5vcmc8ISsWbV9J6Das4VuRAhzjRZlchCl24o2rOugvkZ189XdkyHTUXNoGEQUVwdW3edC2fXAnC", "pypi-token", "PyPI upload token", "high", false],
    ["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", "huggingface-token", "Hugging Face access token", "high", false],
    ["dop_v1_08a570173b40a837ffb8e5e918ae69800048d476df181dd2c6bbc504012d6c3b", "digitalocean-token", "DigitalOcean token", "high", false],
    ["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", "google-oauth-client-secret", "Google OAuth client secret", "high", false],
    ["glrt-lysDWGUyqAnEHe4n_xh3", "gitlab-other-token", "GitLab token", "high", false],
    ["FLWSECK-1a7434cc9869949a835ea2c801h15084-X", "flutterwave-secret-key", "Flutterwave live secret key", "critical", false],
    ["FLWSECK_TEST-8cb1313cdbdecee89ff93h4ae1662f0a-X", "flutterwave-secret-key", "Flutterwave test secret key", "low", true],
  ];

  it.each(PLATFORM)("%s in configuration text only", (value, type, label, severity, test) => {
    const text = `TOKEN=${value}\n`;
    expect(findProviderKeys(text, ALL, true).matches).toEqual([{ ...at(text, value), type, label, severity, confidence: "high", test }]);
    expect(findProviderKeys(text, ALL).matches).toEqual([]);
  });

  it("finds an AWS secret key by its name, and next to its key id", () => {
    const named = "AWS_SECRET_ACCESS_KEY=pWI7FsJQF22rVug8603i3+HJliTU9P5mubS+XEqW\n";
    expect(findProviderKeys(named, ALL).matches).toEqual([
      {
        ...at(named, "pWI7FsJQF22rVug8603i3+HJliTU9P5mubS+XEqW"),
        type: "aws-secret-access-key",
        label: "AWS secret access key",
        severity: "critical",
        confidence: "high",
        test: false,
      },
    ]);
    const paired = 'new S3Client({ credentials: { accessKeyId: "AKIAEMZPJOM4TMNIR467", sessionKey: "wo2G75if8gLOLueBkmxAk7CiqH7bLe1HKUz/DdmQ" } });';
    expect(findProviderKeys(paired, ALL).matches.map((m) => [m.start, m.type])).toEqual([
      [at(paired, "AKIA").start, "aws-access-key-id"],
      [at(paired, "wo2G").start, "aws-secret-access-key"],
    ]);
    // A SHA-1 next to a key id is not its secret; neither is a lowercase-only run.
    const hashes = 'const id = "AKIAEMZPJOM4TMNIR467"; const sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709";';
    expect(findProviderKeys(hashes, ALL).matches.map((m) => m.type)).toEqual(["aws-access-key-id"]);
  });

  it("finds a Twilio auth token next to its account SID, not the SID itself", () => {
    const text = 'twilio("AC36cdf005c2fa0a60b49db5f6dea844bc", "0d41df42da7050dcf70a1e39e855c661");';
    expect(findProviderKeys(text, ALL).matches).toEqual([
      {
        ...at(text, "0d41df42da7050dcf70a1e39e855c661"),
        type: "twilio-auth-token",
        label: "Twilio auth token",
        severity: "high",
        confidence: "high",
        test: false,
      },
    ]);
    expect(findProviderKeys('const sid = "AC36cdf005c2fa0a60b49db5f6dea844bc";', ALL).matches).toEqual([]);
  });

  it.each([
    ["a Stripe publishable key", "pk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ"],
    ["a placeholder Stripe key", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"],
    ["AWS's documentation key id", "AKIAIOSFODNN7EXAMPLE"],
    ["AWS's documentation secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ["Slack's documentation webhook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
    [
      "jwt.io's sample token",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ],
    ["an unsigned JWT", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzdmMtc2V0dGxlbWVudCJ9."],
    ["a dotted base64 string that is not a JWT", "eyJmb28iOiJiYXIifQ.eyJ4Ijoxfa.QUJDREVGR0hJSktMTU5PUA"],
    ["a prefix inside a longer word", "XSKe291dfca5aeff31de0d39e5448a09ddd and vAKIAEMZPJOM4TMNIR467"],
    ["a prefix alone", "const prefix = 'sk_live_'; // keys look like ghp_ plus 36 characters"],
    ["a token that runs on too long", "npm_ZHdiwpfMW8PGexR43jYRIzrfsatTmtTXpuIkX"],
  ])("ignores %s", (_name, text) => {
    expect(findProviderKeys(text, ALL).matches).toEqual([]);
  });

  it("gives every pattern exactly one capture group (the combined regex maps groups to patterns)", () => {
    for (const source of PROVIDER_PATTERN_SOURCES) expect(new RegExp(`${source}|`).exec("")!.length - 1).toBe(1);
  });

  it("lets one value be claimed by one detector", () => {
    expect(claimedBySpecificDetector("ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8")).toBe(true);
    expect(claimedBySpecificDetector("AKIAIOSFODNN7EXAMPLE")).toBe(true);
    expect(claimedBySpecificDetector("pk_live_51N9ea7SMaIBs9VDCTvipzAH")).toBe(true);
    expect(claimedBySpecificDetector("postgres://u:p@h/db")).toBe(true);
    expect(claimedBySpecificDetector("-----BEGIN PRIVATE KEY-----\nMIIE")).toBe(true);
    expect(claimedBySpecificDetector("Summer2024!")).toBe(false);
  });

  it("recognises placeholder key bodies", () => {
    expect(isPlaceholderKey("AAAAAAAAAAAAAAAAAAAA")).toBe(true);
    expect(isPlaceholderKey("1234567890abcdefghij")).toBe(true);
    expect(isPlaceholderKey("YOUR_KEY_GOES_HERE00")).toBe(true);
    expect(isPlaceholderKey("9ea7SMaIBs9VDCTvipzA")).toBe(false);
  });

  it("describes a secret by at most its first four characters", () => {
    expect(describeSecret("sk_live_51N9ea7SMaIBs9VDCTvipzAH")).toBe("sk_l****");
    expect(describeSecret("hunter2")).toBe("*******");
  });
});

describe("findConnectionCredentials", () => {
  it.each([
    ["postgres://payments_app:Vx9!kq2Lm7Zr@db-primary.internal:5432/payments", "Vx9!kq2Lm7Zr", "PostgreSQL connection URI", false],
    ["mongodb+srv://reporting:T4nG3r1n3Sky@cluster0.ab1cd.mongodb.net/reports", "T4nG3r1n3Sky", "MongoDB connection URI", false],
    ["redis://:R3d1sCach3Pw@cache.internal:6379/0", "R3d1sCach3Pw", "Redis connection URI", false],
    ["amqps://settlement:Br0k3r@mq.internal:5671", "Br0k3r", "AMQP connection URI", false],
    ["jdbc:mysql://ledger:Qw7pLm2xZ@ledger-db:3306/ledger", "Qw7pLm2xZ", "JDBC MySQL connection URI", false],
    ["https://feed:Fe3dP4ss@partner.acquirer.internal/daily.csv", "Fe3dP4ss", "URL", false],
    ["postgres://app:p@ss:w0rd@db.internal/app", "p@ss:w0rd", "PostgreSQL connection URI", false],
    ["postgres://dev:devpass123@localhost:5432/dev", "devpass123", "PostgreSQL connection URI", true],
    ["Server=tcp:sql.internal,1433;User ID=app;Password=Kx8#vQ2!mZr9;Encrypt=True;", "Kx8#vQ2!mZr9", "connection string", false],
    ["Driver={ODBC Driver 18};Server=sql.internal;Uid=app;Pwd={Kx8;vQ2};", "Kx8;vQ2", "connection string", false],
    ["Server=localhost;Database=dev;User Id=sa;Password=Dev12345!;", "Dev12345!", "connection string", true],
    ["jdbc:sqlserver://sql.internal:1433;databaseName=payments;user=app;password=Zq7#Lm2!pX9v;encrypt=true", "Zq7#Lm2!pX9v", "JDBC connection string", false],
    ["jdbc:postgresql://db.internal:5432/payments?user=app&password=Jd8!vQ2mLx&ssl=true", "Jd8!vQ2mLx", "JDBC connection string", false],
    ["https://api.acquirer.internal/login?user=bob&password=Hunt3r2024", "Hunt3r2024", "URL query string", false],
    ["host=ledger-db.internal user=ledger password=Lg7pQ2xVz dbname=ledger", "Lg7pQ2xVz", "connection string", false],
    [
      "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=W3oCQ+mRIzIfmOOQPszKnCiouu5H6pxj5a+kRwknbEE=;",
      "W3oCQ+mRIzIfmOOQPszKnCiouu5H6pxj5a+kRwknbEE=",
      "Azure Storage connection string",
      false,
    ],
  ])("%s", (conn, password, label, local) => {
    const text = `const c = "${conn}";\n`;
    const { matches } = findConnectionCredentials(text, ALL);
    expect(matches).toEqual([{ ...at(text, password), label, secret: label.startsWith("Azure") ? "account key" : "password", local }]);
  });

  it.each([
    "postgres://payments_app:${DB_PASSWORD}@db.internal/payments",
    "postgres://user:password@host:5432/database",
    "mongodb://<username>:<password>@cluster0.mongodb.net/test",
    "postgres://app:****@db.internal/payments",
    "postgres://postgres:postgres@localhost:5432/postgres",
    "postgres://admin:Sup3rS3cret@db.example.com/app",
    "redis://cache.internal:6379/0",
    "https://api.acquirer.internal:8443/v2/settlements",
    "http://localhost:3000/@scope/pkg",
    "git+ssh://git@github.com:acme/payments.git",
    "Server=sql.internal;Database=payments;User Id=app;Password=%DB_PASSWORD%;",
    "Server=sql.internal;Authentication=Active Directory Managed Identity;",
    "fetch('/api/login?password=' + password)",
    "const q = 'a=1&password=Hunt3r2024';",
  ])("ignores %s", (text) => {
    expect(findConnectionCredentials(text, ALL).matches).toEqual([]);
  });
});

describe("findSecretAssignments", () => {
  it.each([
    ["DB_PASSWORD=Tr0ub4dor&3\n", "DB_PASSWORD", "Tr0ub4dor&3", "password"],
    ["export API_TOKEN='9f8e7d6c5b4a39281706f5e4d3c2b1a0'\n", "API_TOKEN", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "secret"],
    ["SESSION_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0 # rotated 2024-06\n", "SESSION_SECRET", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "secret"],
    ["spring.mail.password = Ml7!Smtp-2024\n", "spring.mail.password", "Ml7!Smtp-2024", "password"],
    ["db:\n  password: Pg9!kLm2-Vx7\n", "password", "Pg9!kLm2-Vx7", "password"],
    ['{"auth": {"clientSecret": "Qm9vU2VjcmV0LTIwMjQtcGF5bWVudHM"}}', "clientSecret", "Qm9vU2VjcmV0LTIwMjQtcGF5bWVudHM", "secret"],
    ["<add><password>Xm1!Cfg-2024</password></add>", "password", "Xm1!Cfg-2024", "password"],
    ["'smtp_password' => 'Php!Mail2024',", "smtp_password", "Php!Mail2024", "password"],
    ["{password: Fl0w!Map, user: app}", "password", "Fl0w!Map", "password"],
    ["Authorization: Bearer 4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e\n", "Authorization", "4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e", "secret"],
  ])("%j", (text, name, value, kind) => {
    const { matches } = findSecretAssignments(text, ALL, false);
    expect(matches.map((m) => ({ name: m.name, kind: m.kind, start: m.start, end: m.end }))).toEqual([{ name, kind, ...at(text, value) }]);
  });

  it.each([
    "DB_PASSWORD=${DB_PASSWORD}\n",
    "API_KEY=changeme\n",
    "password: Enter your password\n",
    "passwordHint: Use 12 characters\n",
    '{"password": "Password", "tokenType": "Bearer"}',
    "POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n",
    "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n",
    "secret: {{ .Values.secret }}\n",
    "STRIPE_KEY=sk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ\n",
    "DATABASE_PASSWORD_URL=postgres://u:Xx9!pass@db/app\n",
    "if (password == 'Summer2024!')\n",
    "password:\n  - Summer2024!\n",
  ])("ignores %j", (text) => {
    expect(findSecretAssignments(text, ALL, false).matches).toEqual([]);
  });

  it("reads only quoted values in code that did not parse", () => {
    const text =
      'const cfg = {\n  password: "Rel3ase-Cand1date!",\n  token: process.env.TOKEN,\n  secret: 9f8e7d6c5b4a39281706f5e4,\n  fallback: fallbackSecret2024,\n';
    expect(findSecretAssignments(text, ALL, true).matches.map((m) => m.name)).toEqual(["password"]);
    expect(findSecretAssignments(text, ALL, false).matches.map((m) => m.name)).toEqual(["password", "secret"]);
  });
});

describe("findSqlPasswords", () => {
  it.each([
    ["CREATE USER 'app'@'10.0.0.5' IDENTIFIED BY 'Pm7#vQ2!xLz9';", "Pm7#vQ2!xLz9"],
    ["ALTER USER 'r'@'h' IDENTIFIED WITH caching_sha2_password BY 'Rp4-Lx8';", "Rp4-Lx8"],
    ["CREATE ROLE payments_app WITH LOGIN PASSWORD 'Pg9!kLm2';", "Pg9!kLm2"],
    ["alter role app password 'it''s-s3cret';", "it''s-s3cret"],
    ["CREATE LOGIN app WITH PASSWORD = 'Ms5!qLx8', CHECK_POLICY = ON;", "Ms5!qLx8"],
    ["CREATE USER MAPPING FOR app SERVER ledger OPTIONS (user 'r', password 'Lg7!pQ2x');", "Lg7!pQ2x"],
    ["db.query(\"CREATE USER exporter IDENTIFIED BY 'Ex9!pLq2'\");", "Ex9!pLq2"],
  ])("%s", (text, password) => {
    expect(findSqlPasswords(text, ALL).matches).toEqual([at(text, password)]);
  });

  it.each([
    "CREATE USER 'auditor'@'localhost' IDENTIFIED WITH auth_socket;",
    "CREATE USER 'legacy'@'h' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';",
    "CREATE ROLE r WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy';",
    "CREATE ROLE r WITH LOGIN PASSWORD 'md5a3556571e93b0d20722ba62be61e8c2d';",
    "ALTER ROLE auditor WITH PASSWORD NULL;",
    "CREATE ROLE batch WITH LOGIN PASSWORD :'batch_password';",
    "CREATE USER app IDENTIFIED BY '${APP_PASSWORD}';",
    "UPDATE users SET password = 'Temp1234!' WHERE id = 1;",
    "const password = 'Summer2024!';",
  ])("ignores %s", (text) => {
    expect(findSqlPasswords(text, ALL).matches).toEqual([]);
  });
});

describe("bounds", () => {
  it("skips over-long lines and names them", () => {
    const long = `const bundle = "${"x".repeat(300)} ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8";`;
    const text = `${long}\nconst t = "ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8";\n`;
    const { bounds, longLines } = secretScanBounds(createSourceFile("a.js", text), { ...DEFAULT_LIMITS, maxLineLength: 200 });
    expect(longLines).toEqual([1]);
    expect(bounds.skip).toEqual([{ start: 0, end: long.length }]);
    expect(findProviderKeys(text, bounds).matches.map((m) => m.start)).toEqual([text.lastIndexOf("ghp_")]);
    expect(secretScanBounds(createSourceFile("a.js", text), DEFAULT_LIMITS).longLines).toEqual([]);
  });

  it("stops at the candidate budget and says so", () => {
    const text = 'token = "ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8";\n'.repeat(5);
    const limited = { maxCandidates: 3, skip: [] };
    for (const detect of [findProviderKeys, findConnectionCredentials, findPrivateKeys, findSqlPasswords])
      expect(detect("", limited)).toEqual({ matches: [], budgetHit: false });
    expect(findProviderKeys(text, limited)).toMatchObject({ budgetHit: true, matches: { length: 3 } });
    expect(findSecretAssignments("password=Summer2024!\n".repeat(5), limited, false)).toMatchObject({ budgetHit: true, matches: { length: 3 } });
  });
});

describe("adversarial inputs finish and find nothing odd", () => {
  const MB = 1_000_000;
  const inputs: Array<[string, string]> = [
    ["one character", "a".repeat(MB)],
    ["assignments", "a=".repeat(MB / 2)],
    ["base64-ish", Array.from({ length: MB / 64 }, (_, i) => "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkrLw" + (i % 10) + "abcdefghijklmnop").join("")],
    ["PEM markers", "-----BEGIN ".repeat(MB / 11)],
    ["PEM markers with material", ("-----BEGIN PRIVATE KEY-----\n" + "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7\n").repeat(MB / 80)],
    ["digits and separators", "4111 1111-".repeat(MB / 10)],
    ["JWT prefixes", "eyJ".repeat(MB / 3)],
    ["JWT-like segments", ("eyJ" + "a".repeat(3000) + ".").repeat(MB / 3004)],
    ["Stripe prefixes", "sk_live_".repeat(MB / 8)],
    ["Slack prefixes", "xoxb-1-".repeat(MB / 7)],
    ["Adyen-like", ("AQE" + "b".repeat(190) + "=-").repeat(MB / 195)],
    ["URI separators", "a://".repeat(MB / 4)],
    ["URI user info", ("postgres://u:" + "p".repeat(300)).repeat(MB / 313)],
    ["password params", ";password=".repeat(MB / 10)],
    ["SQL passwords", "IDENTIFIED BY ".repeat(MB / 14)],
    ["secret names", "password".repeat(MB / 8)],
    ["quotes", '"password":"'.repeat(MB / 12)],
    ["AWS names", "aws_secret_access_key=".repeat(MB / 22)],
    ["AWS key ids next to each other", "AKIAEMZPJOM4TMNIR467 ".repeat(MB / 21)],
    ["IPv6 hosts without a bracket end", "redis://:pw@[".repeat(MB / 13)],
  ];

  it.each(inputs)("%s", (name, text) => {
    const bounds = { maxCandidates: DEFAULT_LIMITS.maxDetectorCandidates, skip: [] };
    expect(findPrivateKeys(text, bounds).matches.length).toBeLessThanOrEqual(MB / 80);
    const keys = findProviderKeys(text, bounds);
    expect(keys.matches.length).toBe(name === "AWS key ids next to each other" ? Math.floor(MB / 21) : 0);
    expect(findConnectionCredentials(text, bounds).matches.length).toBeLessThanOrEqual(bounds.maxCandidates);
    expect(findSecretAssignments(text, bounds, false).matches.length).toBeLessThanOrEqual(bounds.maxCandidates);
    expect(findSqlPasswords(text, bounds).matches).toEqual([]);
  });
});
