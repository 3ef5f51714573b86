import rule from "../../../src/engine/rules/weak-password-hash";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const bcrypt = require("bcrypt");\nawait bcrypt.hash(password, 12);`,
    `import bcrypt from "bcryptjs";\nconst ROUNDS = 10;\nbcrypt.hashSync(pw, ROUNDS);`,
    // The cost comes from a salt generated elsewhere or from the environment.
    `const bcrypt = require("bcrypt");\nbcrypt.hash(password, salt);\nbcrypt.genSalt(Number(process.env.ROUNDS));`,
    `const argon2 = require("argon2");\nawait argon2.hash(password);\nawait argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2 });`,
    `const argon2 = require("argon2");\nawait argon2.hash(password, { memoryCost: 7168, timeCost: 5, parallelism: 1 });`,
    `const crypto = require("crypto");\ncrypto.pbkdf2Sync(password, salt, 600000, 32, "sha256");\ncrypto.pbkdf2(password, salt, 210_000, 64, "sha512", cb);`,
    `const crypto = require("crypto");\nconst ITERATIONS = 1_300_000;\ncrypto.pbkdf2Sync(password, salt, ITERATIONS, 20, "sha1");`,
    `await crypto.subtle.deriveBits({ name: "PBKDF2", salt, iterations: 600000, hash: "SHA-256" }, key, 256);`,
    `const crypto = require("crypto");\ncrypto.scryptSync(password, salt, 64, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });`,
    `const crypto = require("crypto");\ncrypto.scryptSync(password, salt, 64, { N: 16384, r: 8, p: 5 });`,
    // Node's default scrypt cost on a value not named as a password (a key derived from a secret).
    `const crypto = require("crypto");\nconst key = crypto.scryptSync(process.env.MASTER_SECRET, "salt", 32);`,
    `const crypto = require("crypto");\nconst key = crypto.scryptSync(SESSION_PASSWORD, process.env.SALT, 32);`,
    // Other libraries' hash() and unknown receivers.
    `const h = hasher.hash(password, 4);\nmyLib.genSalt(4);`,
    { path: "test/auth.test.js", code: `const bcrypt = require("bcrypt");\nawait bcrypt.hash("pw", 4);` },
    // SHA-256 as a pre-hash for bcrypt's 72-byte limit, of a reset token, of a body.
    `const crypto = require("crypto");\nconst bcrypt = require("bcrypt");\nconst pre = crypto.createHash("sha256").update(password).digest("base64");\nawait bcrypt.hash(pre, 12);`,
    `const crypto = require("crypto");\nconst passwordResetToken = crypto.createHash("sha256").update(token).digest("hex");\nconst etag = crypto.createHash("sha256").update(body).digest("hex");`,
  ],
  invalid: [
    {
      code: `const bcrypt = require("bcrypt");\nconst SALT_ROUNDS = 8;\nawait bcrypt.hash(password, SALT_ROUNDS);`,
      errors: [{ line: 3, column: 29, severity: "medium", message: /bcrypt cost 8 .* 4 times cheaper/ }],
    },
    {
      code: `import { genSaltSync, hashSync } from "bcryptjs";\nconst salt = genSaltSync(5);\nhashSync(pw, 4);`,
      errors: [
        { line: 2, column: 26, severity: "high", message: /cost 5/ },
        { line: 3, column: 14, severity: "high", message: /cost 4/ },
      ],
    },
    {
      code: `const argon2 = require("argon2");\nawait argon2.hash(password, { memoryCost: 4096, timeCost: 3 });`,
      errors: [{ line: 2, column: 43, message: /memoryCost 4,096 KiB and timeCost 3/ }],
    },
    {
      code: `const argon2 = require("argon2");\nawait argon2.hash(password, { memoryCost: 16384, timeCost: 2 });`,
      errors: [{ line: 2, column: 43, message: /memoryCost 16,384 KiB and timeCost 2/ }],
    },
    {
      code: `const crypto = require("crypto");\ncrypto.pbkdf2Sync(password, salt, 10000, 64, "sha512");`,
      errors: [{ line: 2, column: 35, severity: "medium", message: /PBKDF2-SHA512 with 10,000 iterations is below OWASP's 210,000/ }],
    },
    {
      code: `const { pbkdf2 } = require("node:crypto");\nconst DIGEST = "sha256";\npbkdf2(pw, salt, 1000, 32, DIGEST, done);`,
      errors: [{ line: 3, column: 18, severity: "high", message: /1,000 iterations .* 600,000 .* 10,000/ }],
    },
    {
      code: `const key = await window.crypto.subtle.deriveKey({ name: "PBKDF2", salt, iterations: 100000, hash: "SHA-256" }, base, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);`,
      errors: [{ line: 1, column: 86, severity: "medium", message: /100,000 iterations .* 600,000/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst SCRYPT = { N: 2 ** 14, r: 8, p: 1 };\ncrypto.scrypt(password, salt, 64, SCRYPT, cb);`,
      errors: [{ line: 3, column: 35, message: /N=16,384, r=8, p=1/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst hash = crypto.scryptSync(password, salt, 64);`,
      errors: [{ line: 2, column: 14, severity: "low", message: /Node's default cost/ }],
    },
    {
      code: `const crypto = require("crypto");\nfunction store(user, password) {\n  user.passwordHash = crypto.createHash("sha256").update(user.salt + password).digest("hex");\n}`,
      errors: [{ line: 3, column: 23, severity: "medium", message: /SHA256 hashes a password: a fast digest/ }],
    },
    {
      code: `import { scrypt } from "scrypt-js";\nawait scrypt(passwordBytes, salt, 1024, 8, 1, 32);`,
      errors: [{ line: 2, column: 35, message: /N=1,024/ }],
    },
  ],
});
