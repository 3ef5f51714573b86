/**
 * hardcoded-secret: valid / invalid tables over every JS/TS place a literal can sit (rule id,
 * line, column), config text, SQL account statements, the fallback for code that does not
 * parse, and lower severity in test and example files.
 */
import { describe, expect, it } from "vitest";
import { RULES, scan, type ScanOptions } from "../../../src/engine/index";
import rule from "../../../src/engine/rules/hardcoded-secret";
import { ruleCases, runRule } from "./rule-tester";

ruleCases(rule, {
  valid: [
    "const API_KEY = process.env.API_KEY;",
    'const apiKeyHeader = "X-Api-Key";',
    'const passwordField = "password";',
    'const tokenType = "Bearer";',
    'const secretName = "prod/payments/db";',
    "const PASSWORD_MIN_LENGTH = 12;",
    'const passwordPolicy = "^(?=.*[A-Z]).{12,}$";',
    'const defaultPassword = "changeme";',
    'const clientSecret = "your-client-secret-here";',
    'const smtpPassword = "********";',
    'const refreshToken = "";',
    'const JWT_SECRET = process.env.JWT_SECRET || "";',
    "const token = `Bearer ${accessToken}`;",
    'const labels = { password: "Passwort", confirmPassword: "Passwort bestätigen", token: "Jeton" };',
    'const rules = { password: "required|min:12|confirmed" };',
    'if (field.type === "password") mask(field);',
    'headers.set("Content-Type", "application/json");',
    'const stripeKey = "pk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ";',
    // Left to the specific rules: provider keys, connection strings, PEM blocks.
    'const apiKey = "ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8";',
    'const dbPassword = "postgres://app:Vx9!kq2Lm7Zr@db.internal/payments";',
    'const privateKey = "-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7";',
    'const form = { username: "", password: "letmein" };',
    'conn.connect({ host: "sftp.internal", password: "changeme" });',
    // Type names and declarations without values.
    "type Password = string;\ninterface TokenResponse { accessToken: string }\nlet secret: string;",
    { code: 'export function Login() { return <input type="password" name="password" placeholder="Enter your password" />; }', path: "Login.tsx" },
    { code: "DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=changeme\nJWT_SECRET=\n", path: ".env" },
    { code: "password: Enter your password\npasswordHint: Use 12 characters or more\n", path: "locales/en.yaml" },
    { code: "CREATE USER 'app'@'10.0.0.5' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';", path: "users.sql" },
  ],
  invalid: [
    {
      code: 'const DB_PASSWORD = "Summer2024!";',
      errors: [{ line: 1, column: 22, severity: "high", confidence: "high", message: /^Hard-coded password assigned to "DB_PASSWORD"\.$/ }],
    },
    { code: 'export const db = { host: "db.internal", password: "Pg-Adm1n#2024" };', errors: [{ line: 1, column: 53 }] },
    { code: 'config.smtp.password = "Ml7!Smtp-2024";', errors: [{ line: 1, column: 25 }] },
    {
      code: 'settings["api_key"] = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";',
      errors: [{ line: 1, column: 24, message: /^Hard-coded secret assigned to "api_key"\.$/ }],
    },
    { code: 'const JWT_SECRET = process.env.JWT_SECRET ?? "8c1f4e7a2b9d6c3f0e5a8b1d4c7f2a9e";', errors: [{ line: 1, column: 47 }] },
    { code: 'const token = isProd ? "tk_9Fq2Lx7Vz4Rm8Wc3Yb6Np1Hd5Js0Gk" : "dev-token";', errors: [{ line: 1, column: 25 }] },
    { code: 'class Client { #apiSecret = "q7Zp2Lx9Vt4Rk8Wm3Yc6Bn1Hs5Jd0Fg"; }', errors: [{ line: 1, column: 30 }] },
    { code: 'function connect(user, password = "Acq!2024-settle") {}', errors: [{ line: 1, column: 36 }] },
    { code: 'enum Keys { SigningKey = "7d1e9a3c5b8f2e4a6c0d9b1f3e5a7c2d" }', errors: [{ line: 1, column: 27 }] },
    {
      code: 'if (req.body.password === "Maint3nance!") grant();',
      errors: [{ line: 1, column: 28, message: /^"password" is compared with a hard-coded password\.$/ }],
    },
    {
      code: 'headers.set("Authorization", "Bearer 4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e");',
      errors: [{ line: 1, column: 38, message: /^Hard-coded secret in the "Authorization" header\.$/ }],
    },
    { code: 'const t = jwt.sign(payload, "s3ss10n-S1gning-K3y-2024!");', errors: [{ line: 1, column: 30, message: /^Hard-coded JWT signing secret/ }] },
    { code: 'const x = <Map apiToken="mt_7Hq2Lz9Vx4Rk8Wp3Yc6Bn1Js5Gd0Fa" />;', path: "map.tsx", errors: [{ line: 1, column: 26 }] },
    { code: 'const x = <Map apiToken={"mt_7Hq2Lz9Vx4Rk8Wp3Yc6Bn1Js5Gd0Fa"} />;', path: "map.jsx", errors: [{ line: 1, column: 27 }] },
    { code: 'const { password = "D3fault!Pass" } = options;', errors: [{ line: 1, column: 21 }] },
    { code: "const cfg = { secret: `f3a9c1e7b5d24f8a9c0e1b3d5f7a9c2e` };", errors: [{ line: 1, column: 24 }] },
    // An escape inside the literal: the whole literal is the reported range.
    { code: "const pw = 'Esc\\\\aped!9';", errors: [{ line: 1, column: 13 }] },
    {
      code: "DB_PASSWORD=Tr0ub4dor&3\nSESSION_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n",
      path: ".env",
      errors: [
        { line: 1, column: 13 },
        { line: 2, column: 16 },
      ],
    },
    { code: "spring:\n  mail:\n    password: Ml7!Smtp-2024\n", path: "application.yml", errors: [{ line: 3, column: 15 }] },
    { code: '{\n  "clientSecret": "Qm9vU2VjcmV0LTIwMjQtcGF5bWVudHM"\n}', path: "settings.json", errors: [{ line: 2, column: 20 }] },
    {
      code: "CREATE USER 'app'@'10.0.0.5' IDENTIFIED BY 'Pm7#vQ2!xLz9';\nCREATE ROLE payments_app WITH LOGIN PASSWORD 'Pg9!kLm2-Vx7';\n",
      path: "accounts.sql",
      errors: [
        { line: 1, column: 45, message: /SQL CREATE\/ALTER USER, ROLE or LOGIN statement/ },
        { line: 2, column: 47 },
      ],
    },
    { code: "await db.query(\"CREATE USER exporter IDENTIFIED BY 'Ex9!pLq2'\");", errors: [{ line: 1, column: 53 }] },
    // A password-named option of a call that connects or logs in: dictionary words count there.
    {
      code: 'conn.connect({ host: "sftp.internal", username: "settle", password: "tangerine" });',
      path: "src/transfer.js",
      errors: [{ line: 1, column: 70, confidence: "medium", message: /^Hard-coded password passed as "password" to connect\(\)\.$/ }],
    },
    { code: 'const t = mailer.createTransport({ auth: { user: "r", pass: "mailpass" } });', path: "src/mail.js", errors: [{ line: 1, column: 62 }] },
    // Code that does not parse is read as text (quoted values only).
    {
      code: 'const cfg = {\n<<<<<<< HEAD\n  password: "Rel3ase-Cand1date!",\n=======\n  password: "Hotf1x-Branch#22",\n>>>>>>> hotfix\n};',
      path: "config.js",
      errors: [
        { line: 3, column: 14 },
        { line: 5, column: 14 },
      ],
    },
  ],
});

function only(...ids: string[]): ScanOptions["rules"] {
  return Object.fromEntries(RULES.map((r) => [r.id, ids.includes(r.id) ? "on" : "off"]));
}

describe("hardcoded-secret details", () => {
  it("reports secrets in test and example files as low", async () => {
    for (const path of ["src/__tests__/login.test.ts", "test/helpers.ts", "src/auth.spec.ts", "examples/server.js", "config/.env.example"]) {
      const [f] = await runRule(rule, path.endsWith(".example") ? "DB_PASSWORD=Summer2024!\n" : 'const password = "Summer2024!";', path);
      expect([path, f?.severity, f?.confidence, f?.tags]).toEqual([path, "low", "low", ["security", "secret", "password", "test-code"]]);
    }
  });

  it("tags passwords and other secrets apart", async () => {
    const findings = await runRule(rule, 'const a = { password: "Summer2024!", apiKey: "9f8e7d6c5b4a39281706f5e4d3c2b1a0" };');
    expect(findings.map((f) => f.tags)).toEqual([
      ["security", "secret", "password"],
      ["security", "secret"],
    ]);
  });

  it("masks the value in the snippet", async () => {
    const [f] = await runRule(rule, 'const DB_PASSWORD = "Summer2024!";');
    expect(f!.snippet).toBe('const DB_PASSWORD = "***********";');
  });

  it("notes a spent candidate budget in code", async () => {
    const code = Array.from({ length: 5 }, (_, i) => `const password${i} = "Summer2024!";`).join("\n");
    const result = await scan({ files: [{ path: "a.js", content: code }] }, { rules: only("hardcoded-secret"), limits: { maxDetectorCandidates: 3 } });
    expect(result.findings).toHaveLength(3);
    expect(result.notifications.map((n) => [n.code, n.ruleId])).toEqual([["detector-budget", "hardcoded-secret"]]);
  });
});

/**
 * A value is a secret when its place says so. Each format below writes `${v}` where only a
 * password goes; the tables say which values are reported there and which are not.
 */
const PLACES: Array<{ format: string; path: string; write: (v: string) => string }> = [
  { format: ".env", path: "deploy/.env", write: (v) => `DB_PASSWORD=${v}\n` },
  { format: "YAML", path: "config/app.yml", write: (v) => `db:\n  password: ${v}\n` },
  { format: "compose", path: "docker-compose.yml", write: (v) => `services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: "${v}"\n` },
  { format: "INI", path: "my.cnf", write: (v) => `[client]\npassword=${v}\n` },
  { format: "properties", path: "application.properties", write: (v) => `spring.datasource.password=${v}\n` },
  { format: "PHP define", path: "wp-config.php", write: (v) => `<?php\ndefine('DB_PASSWORD', '${v}');\n` },
  { format: "Python", path: "settings.py", write: (v) => `DATABASES = {'default': {'PASSWORD': '${v}'}}\n` },
  { format: "XML pair", path: "web.config", write: (v) => `<add key="DbPassword" value="${v}" />\n` },
  { format: ".pgpass", path: ".pgpass", write: (v) => `db.internal:5432:pay:app:${v}\n` },
  { format: ".netrc", path: ".netrc", write: (v) => `machine git.internal login ci password ${v}\n` },
  { format: "mysql -p", path: "scripts/restore.sh", write: (v) => `mysql -u root -p'${v}' payments\n` },
  { format: "sshpass", path: "scripts/sync.sh", write: (v) => `sshpass -p "${v}" rsync -a dist/ web1:/srv\n` },
  { format: "SQL INSERT", path: "seed.sql", write: (v) => `INSERT INTO users (email, password) VALUES ('ops@acme.io', '${v}');\n` },
];

// Placeholders, references and flags: never a secret, wherever they stand.
const NOT_SECRETS = [
  "<password>",
  "${DB_PASSWORD}",
  "$DB_PASSWORD",
  "%(db_password)s",
  "{{ db_password }}",
  "%DB_PASSWORD%",
  "#{db_password}",
  "your-db-password",
  "xxxxxxxx",
  "********",
  "REPLACE_ME",
  "ENC(AbC123xyz==)",
  "vault:secret/data/db#password",
  "required",
  "string",
  "none",
];

// Dictionary words and symbol soup: reported because of where they stand.
const WEAK_PASSWORDS = ["letmein", "tangerine", "postgres", "hunter2", "Summer2024", "!@#$%^&*", "qwerty123"];

describe("hardcoded-secret: passwords known by their place", () => {
  const cases = (values: string[]) => PLACES.flatMap((p) => values.map((v) => [p.format, v, p] as const));

  it.each(cases(NOT_SECRETS))("%s: %s is not reported", async (_format, value, place) => {
    expect(await runRule(rule, place.write(value), place.path)).toEqual([]);
  });

  it.each(cases(WEAK_PASSWORDS))("%s: %s is reported at its place", async (_format, value, place) => {
    const code = place.write(value);
    const at = code.lastIndexOf(value);
    const line = code.slice(0, at).split("\n").length;
    const column = at - code.lastIndexOf("\n", at - 1);
    const findings = await runRule(rule, code, place.path);
    expect(findings.map((f) => [f.ruleId, f.location.startLine, f.location.startColumn])).toEqual([["hardcoded-secret", line, column]]);
    expect(findings[0]!.snippet).not.toContain(value);
  });

  // The default words an example leaves to be replaced: documentation there and in settings
  // files of no named environment, the password in use in a production one.
  const DEFAULT_WORDS = ["changeme", "password", "secret", "admin", "forge"];
  it.each(DEFAULT_WORDS)("%s: a stand-in in .env and .env.example, a password in .env.production", async (value) => {
    expect(await runRule(rule, `DB_PASSWORD=${value}\n`, ".env")).toEqual([]);
    expect(await runRule(rule, `DB_PASSWORD=${value}\n`, ".env.example")).toEqual([]);
    expect(await runRule(rule, `db:\n  password: ${value}\n`, "config/app.example.yml")).toEqual([]);
    const [f] = await runRule(rule, `DB_PASSWORD=${value}\n`, ".env.production");
    expect([f?.location.startLine, f?.location.startColumn, f?.confidence]).toEqual([1, 13, "medium"]);
    const [g] = await runRule(rule, `spring:\n  datasource:\n    password: ${value}\n`, "src/main/resources/application-prod.yml");
    expect([g?.location.startLine, g?.location.startColumn]).toEqual([3, 15]);
  });

  it("reads words as labels in documentation and translations, and as variables in program text", async () => {
    expect(await runRule(rule, "DB_PASSWORD=letmein\n", ".env.example")).toEqual([]);
    expect(await runRule(rule, "password: passwort\nconfirm_password: bestaetigen\n", "config/locales/de.yml")).toEqual([]);
    expect(await runRule(rule, "login:\n  password: Password\n", "config/app.yml")).toEqual([]);
    expect(await runRule(rule, "Run `mysql -u root -psecret payments` and `curl -u admin:admin http://localhost:8080`.\n", "README.md")).toEqual([]);
    expect(await runRule(rule, "password = hashed\nDB_PASSWORD = fallback\n", "app/settings.py")).toEqual([]);
    expect(await runRule(rule, "  password = var.db_password\n", "rds.tf")).toEqual([]);
    // Settings about passwords are not passwords.
    expect(await runRule(rule, "auth:\n  password_reset: enabled\n  password_hashing: bcrypt\n  password_login: sso\n", "config/app.yml")).toEqual([]);
    expect(await runRule(rule, "INSERT INTO users (email, password_reset_token) VALUES ('a@acme.io', 'pending');\n", "seed.sql")).toEqual([]);
  });

  it("reads the password out of base64 user:password pairs, and reports nothing for a user alone", async () => {
    const auth = (pair: string) => `{\n  "auths": {\n    "registry.internal": { "auth": "${Buffer.from(pair).toString("base64")}" }\n  }\n}\n`;
    const [f] = await runRule(rule, auth("ci:marigold"), ".docker/config.json");
    expect([f?.location.startLine, f?.message]).toEqual([3, "Hard-coded password in a Docker config.json (base64 of user:password, not encrypted)."]);
    expect(await runRule(rule, auth("ci:"), ".docker/config.json")).toEqual([]);
    expect(await runRule(rule, auth("ci:${REGISTRY_PASSWORD}"), ".docker/config.json")).toEqual([]);
    const [npm] = await runRule(rule, `_auth=${Buffer.from("deploy:cornflower").toString("base64")}\n`, ".npmrc");
    expect(npm?.location.startColumn).toBe(7);
  });

  it("does not take hashes in a password column for plaintext", async () => {
    const hashes = [
      "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5rFq7bHgM3Q1yVrbdA2sM1Z9pOq0G1e",
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$R2F0ZXdheUhhc2g",
      "pbkdf2_sha256$600000$Zm9vYmFy$Q2hhbmdlZEhhc2hWYWx1ZQ==",
      "{SSHA}K8kD2mQpX1vR7tZ3yB6nC9fH0jL4sW5e",
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ];
    for (const h of hashes) expect(await runRule(rule, `INSERT INTO users (email, password) VALUES ('a@acme.io', '${h}');\n`, "seed.sql")).toEqual([]);
    // Bare MD5 and SHA-1 digests are as good as the password: reported as such, at medium confidence.
    for (const [h, name] of [
      ["5f4dcc3b5aa765d61d8327deb882cf99", "MD5"],
      ["e38ad214943daad1d64c102faec29de4afe9da3d", "SHA-1"],
    ]) {
      const [f] = await runRule(rule, `INSERT INTO users (email, password) VALUES ('a@acme.io', '${h}');\n`, "seed.sql");
      expect([f?.location.startColumn, f?.confidence, f?.message.startsWith(`INSERT writes an unsalted ${name} digest`)]).toEqual([59, "medium", true]);
    }
    expect(await runRule(rule, "INSERT INTO users (email, password_hash) VALUES ('a@acme.io', 'hunter2');\n", "seed.sql")).toEqual([]);
    const [f] = await runRule(rule, "UPDATE users SET password = 'Reset!2024' WHERE id = 7;\n", "fix.sql");
    expect([f?.location.startColumn, f?.message]).toEqual([
      30,
      'UPDATE writes a plaintext password into column "password": the account\'s password is kept in the repository, and the table stores passwords unhashed.',
    ]);
  });

  it("reads commands quoted as one argument and passwords in a command's environment", async () => {
    const [sh] = await runRule(rule, "sh 'mysql -h ledger.internal -u migrate -pJnk!Migrate24 ledger'\n", "Jenkinsfile");
    expect([sh?.location.startColumn, sh?.message]).toEqual([43, "Hard-coded password on a mysql command line."]);
    const [env] = await runRule(rule, "PGPASSWORD=sunflower pg_dump -h pg.internal settlement > s.sql\n", "backup.sh");
    expect([env?.location.startColumn, env?.message]).toEqual([12, "Hard-coded password in the environment of a pg_dump command."]);
    expect(
      await runRule(
        rule,
        'mysql -u root -p"$MYSQL_ROOT_PASSWORD" payments\nmysql -u root -p payments\ncurl -u recon https://x.internal\necho "$T" | docker login -u ci --password-stdin r.internal\n',
        "ops.sh",
      ),
    ).toEqual([]);
  });
});
