/**
 * A literal used as a key, a secret or a credential: the JWT signing key, the session secret,
 * an HMAC or cipher key, a payment or cloud SDK key, a database password — whatever it looks
 * like. Name- and entropy-based detectors miss "keyboard cat" and "changeme"; the use says what
 * they are. Found by the dataflow engine, so a secret kept in a config module and used in
 * another file is found too, and `process.env.KEY || "literal"` fallbacks count. Reported at the
 * literal, with the use as the flow's second step. Test files are left alone.
 */
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import { locationOf } from "../source";
import { analyzeTaint } from "../taint/index";

export default createRule({
  id: "hardcoded-key",
  meta: {
    title: "Hard-coded key or credential, known by its use",
    description:
      "A string written in the code is used as a signing key, session secret, encryption key or service credential. Anyone who can read the source (or guess a common default) can forge sessions and tokens, decrypt data or call the service as the application. PCI DSS 8.6.2 forbids hard-coded credentials and 3.6.1 requires keys to be protected.",
    severity: "high",
    confidence: "high",
    category: "secrets",
    cwe: ["CWE-798", "CWE-321"],
    owasp: ["A07:2021", "A02:2021"],
    pci: ["8.6.2", "3.6.1"],
    remediation:
      'Read the key from the environment or a secret manager at start-up and refuse to start without it (no `|| "default"` fallback); rotate the value that was committed, since it is in the repository\'s history.',
    references: [
      "https://cwe.mitre.org/data/definitions/798.html",
      "https://cwe.mitre.org/data/definitions/321.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    ],
    tags: ["dataflow"],
    languages: ["javascript", "typescript"],
    supersedes: ["hardcoded-secret"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path)) return {};
    let keys: ReturnType<typeof analyzeTaint>["keys"] = [];
    return {
      js: {
        Program(node) {
          keys = analyzeTaint(node, ctx.file, ctx.limits).keys;
        },
      },
      end() {
        for (const k of keys) {
          const { literal, use } = k;
          const where = locationOf(use.file, use.start, use.end);
          const place = use.file === literal.file ? `on line ${where.startLine}` : `in ${where.path}:${where.startLine}`;
          ctx.redact({ start: literal.start + 1, end: Math.max(literal.start + 1, literal.end - 1), kind: "secret" });
          ctx.report({
            start: literal.start,
            end: literal.end,
            message: literal.fallback
              ? `This literal is the fallback used as ${k.what} ${place} whenever the environment variable is unset.`
              : `This literal is used as ${k.what} ${place}.`,
            flow: [
              {
                location: locationOf(literal.file, literal.start, literal.end),
                message: literal.fallback ? "a literal fallback for an unset variable" : "a literal",
              },
              { location: where, message: `used as ${k.what}` },
            ],
            fingerprintKey: k.what,
          });
        }
      },
    };
  },
});
