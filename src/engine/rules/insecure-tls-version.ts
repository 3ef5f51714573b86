/**
 * TLS configured to allow SSL 3.0, TLS 1.0 or TLS 1.1, or weak cipher suites (RC4, DES/3DES,
 * NULL, EXPORT, anonymous DH, MD5 MACs, `@SECLEVEL=0`). PCI DSS has not counted SSL or early
 * TLS as strong cryptography since 2018, and 4.2.1 requires that connections cannot fall back
 * to insecure protocols or cipher suites.
 *
 * Covered: Node tls/https options `minVersion` / `maxVersion` / `secureProtocol` / `ciphers`
 * (in any options object, so agents, servers, axios/got/undici options alike), assignments to
 * `tls.DEFAULT_MIN_VERSION` / `DEFAULT_MAX_VERSION` / `DEFAULT_CIPHERS`, and the
 * `--tls-min-v1.0` / `--tls-max-v1.1` Node flags in text files (package.json scripts,
 * Dockerfiles, CI YAML).
 */
import type { JsNode } from "../parse/js";
import { literalString, propertyName, unwrap } from "../js/node-values";
import { createRule } from "../rule";

const OLD_VERSIONS = new Set(["tlsv1", "tlsv1.0", "tlsv1.1", "sslv3", "sslv2"]);
const OLD_METHOD = /^(?:TLSv1|TLSv1_1|SSLv3|SSLv2)_(?:client_|server_)?method$/;

/** Cipher-suite words that mark a weak suite: "RC4-SHA", "DES-CBC3-SHA", "EXP-RC4-MD5", "TLS_DH_anon_…". */
const WEAK_SUITE_PARTS = new Set(["rc4", "des", "3des", "null", "enull", "anull", "export", "exp", "export40", "adh", "aecdh", "anon", "md5", "rc2", "idea"]);

/** The weak suites a cipher string enables (excluded ones, `!RC4` or `-RC4`, do not count). */
function weakSuites(ciphers: string): string[] {
  const out: string[] = [];
  for (const token of ciphers.slice(0, 4000).split(/[:,\s]+/)) {
    if (token === "" || token.startsWith("!") || token.startsWith("-")) continue;
    const bare = token.replace(/^\+/, "");
    if (/^@SECLEVEL=0$/i.test(bare)) out.push(bare);
    else if (bare.split(/[-_]/).some((p) => WEAK_SUITE_PARTS.has(p.toLowerCase()))) out.push(bare);
  }
  return out;
}

// Node flags that allow old protocols: --tls-min-v1.0, --tls-min-v1.1, --tls-max-v1.0, --tls-max-v1.1
const TEXT_FLAG = /--tls-(?:min|max)-v1\.[01](?![0-9])/g;

export default createRule({
  id: "insecure-tls-version",
  meta: {
    title: "Insecure TLS version or cipher suite allowed",
    description:
      "Finds TLS settings that allow SSL 3.0, TLS 1.0 or 1.1, or weak cipher suites such as RC4, 3DES, NULL, EXPORT or anonymous key exchange. PCI DSS 4.2.1 requires strong cryptography on open networks with no fallback to insecure protocols, and early TLS has not counted as strong cryptography since 2018.",
    severity: "high",
    confidence: "high",
    category: "transport",
    cwe: ["CWE-327", "CWE-757"],
    owasp: ["A02:2021"],
    pci: ["4.2.1"],
    remediation:
      "Require TLS 1.2 or newer (minVersion: 'TLSv1.2', or leave Node's default) and do not set secureProtocol to an old method. Leave `ciphers` at Node's default, or list only AEAD suites with forward secrecy (ECDHE with AES-GCM or ChaCha20-Poly1305).",
    references: [
      "https://cwe.mitre.org/data/definitions/757.html",
      "https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions",
      "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
      "https://withpci.com/requirements/4/4.2/4.2.1.html",
    ],
    tags: ["security", "tls"],
    languages: ["javascript", "typescript", "text"],
  },
  create(ctx) {
    const { file } = ctx;
    if (file.language === "text") {
      return {
        text() {
          if (!file.text.includes("--tls-m")) return;
          for (const m of file.text.matchAll(TEXT_FLAG)) {
            ctx.report({
              start: m.index,
              end: m.index + m[0].length,
              message: `Node flag ${m[0]} lets TLS connections fall back to a protocol version that is not strong cryptography.`,
            });
          }
        },
      };
    }
    if (!/minVersion|maxVersion|secureProtocol|ciphers|DEFAULT_M|DEFAULT_CIPHERS/.test(file.text)) return {};
    /** Reports `node` when option `name` set to `value` allows an insecure protocol or suite. */
    const check = (node: JsNode, name: string, value: JsNode) => {
      const s = literalString(value);
      if (s === null) return;
      if (name === "minVersion" || name === "maxVersion" || name === "DEFAULT_MIN_VERSION" || name === "DEFAULT_MAX_VERSION") {
        if (OLD_VERSIONS.has(s.toLowerCase())) {
          ctx.report({
            start: node.start,
            end: node.end,
            message: `\`${name}\` set to ${s} allows ${s.toLowerCase().startsWith("ssl") ? "SSL" : "early TLS"}, which is not strong cryptography. Require TLSv1.2 or newer.`,
          });
        }
      } else if (name === "secureProtocol") {
        if (OLD_METHOD.test(s))
          ctx.report({
            start: node.start,
            end: node.end,
            message: `\`secureProtocol: "${s.slice(0, 40)}"\` pins an obsolete protocol version. Use minVersion: 'TLSv1.2' instead.`,
          });
      } else if (name === "ciphers" || name === "DEFAULT_CIPHERS") {
        const weak = weakSuites(s);
        if (weak.length > 0) {
          ctx.report({
            start: node.start,
            end: node.end,
            message: `Cipher list enables weak suites (${weak.slice(0, 3).join(", ").slice(0, 120)}). Keep Node's default list or only ECDHE AEAD suites.`,
          });
        }
      }
    };
    return {
      js: {
        Property(node, parent) {
          if (parent?.type !== "ObjectExpression") return;
          const name = propertyName(node);
          if (name !== null) check(node, name, node.value);
        },
        AssignmentExpression(node) {
          const left = unwrap(node.left);
          if (node.operator !== "=" || left.type !== "MemberExpression") return;
          const name = propertyName(left);
          if (name !== null && name.startsWith("DEFAULT_")) check(node, name, node.right);
        },
      },
    };
  },
});
