import rule from "../../../src/engine/rules/jwt-verification-weak";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, secret, { algorithms: ["HS256"] });`,
    // Options built elsewhere cannot be judged.
    `const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, secret, verifyOptions);`,
    `const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, secret, { ...defaults, audience: "api" });`,
    // Decoding to read the header, then verifying in the same function.
    `const jwt = require("jsonwebtoken");\nasync function auth(token) {\n  const { header } = jwt.decode(token, { complete: true });\n  if (!header.kid) throw new Error();\n  return jwt.verify(token, await key(header.kid), { algorithms: ["RS256"] });\n}`,
    // Decoded but not used for a decision.
    `const jwt = require("jsonwebtoken");\nfunction logToken(token) { const c = jwt.decode(token); logger.debug({ sub: c.sub }); }`,
    // Browser code reading the expiry.
    `import { jwtDecode } from "jwt-decode";\nfunction expired(t) { const { exp } = jwtDecode(t); if (exp < Date.now() / 1000) return true; return false; }`,
    `import { jwtDecode } from "jwt-decode";\nexport function getUser(t) { return jwtDecode(t); }`,
    // jose verifies with a key of the expected type.
    `import { jwtVerify } from "jose";\nconst { payload } = await jwtVerify(token, key);`,
    `const opts = { algorithms: ["RS256", "ES256"], ignoreExpiration: false };`,
    // Tokens with a lifetime, or whose payload or options are built elsewhere.
    `const jwt = require("jsonwebtoken");\njwt.sign({ sub: user.id }, key, { expiresIn: "15m", algorithm: "RS256" });`,
    `const jwt = require("jsonwebtoken");\njwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 900 }, key);`,
    `const jwt = require("jsonwebtoken");\njwt.sign(claims, key);\njwt.sign({ sub: id }, key, TOKEN_OPTIONS);`,
    // A route behind an auth middleware.
    `const jwt = require("jsonwebtoken");\napp.get("/me", passport.authenticate("jwt"), (req, res) => { const c = jwt.decode(req.token); if (c.admin) res.json(c); });`,
  ],
  invalid: [
    {
      code: `const jwt = require("jsonwebtoken");\nfunction requireAdmin(req, res, next) {\n  const claims = jwt.decode(req.token);\n  if (claims.role !== "admin") return res.sendStatus(403);\n  next();\n}`,
      errors: [{ line: 3, column: 18, severity: "high", confidence: "high", message: /decoded without verifying.*tested in a condition/ }],
    },
    {
      code: `import jwt from "jsonwebtoken";\nexport function load(req, res, next) {\n  req.user = jwt.decode(req.cookies.token);\n  next();\n}`,
      errors: [{ line: 3, column: 14, message: /assigned to user/ }],
    },
    {
      code: `import * as jwt from "jsonwebtoken";\nexport function getCurrentUser(token: string) {\n  return jwt.decode(token) as User;\n}`,
      errors: [{ line: 3, column: 10, message: /returned from getCurrentUser\(\)/ }],
    },
    {
      code: `const jwt = require("jsonwebtoken");\nif (jwt.decode(token).isAdmin) grant();`,
      errors: [{ line: 2, column: 5 }],
    },
    {
      code: `import { decodeJwt } from "jose";\nexport const authorize = (token) => decodeJwt(token);`,
      errors: [{ line: 2, column: 37, confidence: "medium", message: /returned from authorize\(\)/ }],
    },
    {
      code: `import { jwtDecode } from "jwt-decode";\nfunction canRefund(t) { const c = jwtDecode(t); if (c.permissions.includes("refund")) return true; return false; }`,
      errors: [{ line: 2, column: 35, confidence: "medium", message: /role or permission/ }],
    },
    {
      code: `const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, process.env.JWT_SECRET);`,
      errors: [{ line: 2, column: 16, severity: "medium", message: /without an `algorithms` option/ }],
    },
    {
      code: `const jwt = require("jsonwebtoken");\njwt.verify(token, publicKey, (err, claims) => done(err, claims));`,
      errors: [{ line: 2, column: 1, severity: "high", message: /algorithm confusion/ }],
    },
    {
      code: `jwt.verify(token, key, { algorithms: ["none"] });`,
      errors: [{ line: 1, column: 26, severity: "high", message: /'none'/ }],
    },
    {
      code: `const opts = { algorithms: ["HS256", "RS256"] };`,
      errors: [{ line: 1, column: 16, severity: "medium", message: /mixes HMAC/ }],
    },
    {
      code: `const token = jwt.sign(claims, "", { algorithm: "none" });`,
      errors: [{ line: 1, column: 38, severity: "high", message: /unsigned/ }],
    },
    {
      code: `import jwt from "jsonwebtoken";\nconst token = jwt.sign({ id: user.id, role: user.role }, process.env.JWT_SECRET);`,
      errors: [{ line: 2, column: 15, severity: "medium", message: /never expires/ }],
    },
    {
      code: `const jwt = require("jsonwebtoken");\njwt.sign({ sub: id }, key, { algorithm: "HS256" }, (err, t) => res.json({ t }));`,
      errors: [{ line: 2, column: 1, message: /without `expiresIn`/ }],
    },
    {
      code: `new JwtStrategy({ jwtFromRequest, secretOrKey, ignoreExpiration: true }, verify);`,
      errors: [{ line: 1, column: 48, severity: "medium", message: /ignoreExpiration/ }],
    },
    {
      path: "src/auth/jwt.guard.ts",
      code: `export class Guard {\n  constructor(private jwtService: JwtService) {}\n  canActivate(ctx) {\n    const payload = this.jwtService.decode(token(ctx));\n    return !!payload;\n  }\n}`,
      errors: [{ line: 4, column: 21, message: /returned from canActivate|tested/ }],
    },
  ],
});
