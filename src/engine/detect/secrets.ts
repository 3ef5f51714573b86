/**
 * Secret detectors over raw text (PCI DSS 8.6.2 hard-coded credentials, 3.6.1 key protection):
 * PEM private keys, provider keys with recognisable shapes, credentials inside connection
 * strings, secret-named assignments in config text, and passwords in SQL account statements.
 *
 * Speed (REFERENCE.md §12): the provider patterns run as ONE combined regex, and the generic
 * name/value search runs separately, so a generic match can never hide a specific one. Cheap
 * `indexOf` pre-checks gate the PEM and URI detectors. Every pattern is anchored on a literal
 * prefix or a token boundary and uses bounded quantifiers, so each start position costs a
 * bounded amount of work and each detector is linear in the text. Each detector also skips
 * over-long lines and stops after a candidate budget; the rules turn both into notifications.
 */
import { maskSecret } from "../mask";
import type { RuleContext } from "../rule";
import type { SourceFile } from "../source";
import type { Confidence, ScanLimits, Severity } from "../types";
import { decodeBase64 } from "./base64";
import { judgePlacedPassword, judgeSecretValue, namesPasswordItself, secretNameKind, type PasswordPlace, type SecretKind } from "./secret-values";

/** A character range [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** How much of a text a detector may look at. */
export interface TextBounds {
  /** Candidate matches the detector may examine before it stops. */
  maxCandidates: number;
  /** Sorted, disjoint ranges (over-long lines) that are not searched. */
  skip: readonly Span[];
}

/** A detector's answer: what it found, and whether it stopped early at its candidate budget. */
export interface Detected<T> {
  matches: T[];
  budgetHit: boolean;
}

class Budget {
  private used = 0;
  hit = false;
  constructor(private readonly max: number) {}
  /** Counts one candidate; false once the budget is spent. */
  take(): boolean {
    if (this.used >= this.max) {
      this.hit = true;
      return false;
    }
    this.used++;
    return true;
  }
}

/** End of the skipped range that holds `pos`, or -1 when `pos` is searchable. */
/**
 * Matches of a global regex outside the skipped spans, while the candidate budget lasts. The
 * caller may move `re.lastIndex` forward inside its loop body.
 */
function* candidateMatches(re: RegExp, text: string, skip: readonly Span[], budget: Budget): Generator<RegExpExecArray> {
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const skipTo = skippedUntil(skip, m.index);
    if (skipTo !== -1) {
      re.lastIndex = skipTo;
      continue;
    }
    if (!budget.take()) return;
    yield m;
  }
}

function skippedUntil(skip: readonly Span[], pos: number): number {
  let lo = 0;
  let hi = skip.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = skip[mid]!;
    if (pos < s.start) hi = mid - 1;
    else if (pos >= s.end) lo = mid + 1;
    else return s.end;
  }
  return -1;
}

/** Text bounds for a file under the scan limits, with the 1-based numbers of the lines skipped for length. */
export function secretScanBounds(file: SourceFile, limits: ScanLimits): { bounds: TextBounds; longLines: number[] } {
  const skip: Span[] = [];
  const longLines: number[] = [];
  if (file.text.length > limits.maxLineLength) {
    const starts = file.lines.starts;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const end = i + 1 < starts.length ? starts[i + 1]! - 1 : file.text.length;
      if (end - start > limits.maxLineLength) {
        skip.push({ start, end });
        longLines.push(i + 1);
      }
    }
  }
  return { bounds: { maxCandidates: limits.maxDetectorCandidates, skip }, longLines };
}

/** Tells the user what a secret rule did not search: over-long lines, or the rest of a file past the budget. */
export function noteSecretScanLimits(ctx: RuleContext, longLines: readonly number[], budgetHit: boolean, what: string): void {
  if (longLines.length > 0) {
    const n = longLines.length;
    ctx.notify(
      "line-too-long",
      `${n} line${n === 1 ? "" : "s"} longer than ${ctx.limits.maxLineLength} characters ${n === 1 ? "was" : "were"} not searched for ${what}.`,
      longLines[0],
    );
  }
  if (budgetHit) {
    ctx.notify("detector-budget", `Stopped searching for ${what} after ${ctx.limits.maxDetectorCandidates} candidates; the rest of the file was not checked.`);
  }
}

/** A secret as messages may show it: at most its first four characters ("sk_l****"). */
export function describeSecret(secret: string): string {
  return maskSecret(secret).slice(0, 8);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isBase64Char(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
}

// ---------------------------------------------------------------------------------------------
// PEM private keys

/** A PEM private-key block. */
export interface PrivateKeyMatch {
  /** The `-----BEGIN … PRIVATE KEY-----` marker. */
  start: number;
  end: number;
  /** e.g. "RSA private key", "OpenSSH private key", "PKCS #8 private key". */
  label: string;
  /** Encrypted with a passphrase (PKCS #8 ENCRYPTED, legacy Proc-Type, or an OpenSSH cipher). */
  encrypted: boolean;
  /** Runs of key material to mask in every snippet. */
  material: Span[];
}

const PEM_BEGIN = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/y;
const PEM_LABELS: Record<string, string> = {
  "RSA PRIVATE KEY": "RSA private key",
  "DSA PRIVATE KEY": "DSA private key",
  "EC PRIVATE KEY": "EC private key",
  "OPENSSH PRIVATE KEY": "OpenSSH private key",
  "ENCRYPTED PRIVATE KEY": "encrypted PKCS #8 private key",
  "PGP PRIVATE KEY BLOCK": "PGP private key",
  "SSH2 ENCRYPTED PRIVATE KEY": "SSH2 encrypted private key",
  "PRIVATE KEY": "PKCS #8 private key",
};
/** Key material must start within this many characters of the BEGIN marker. */
const PEM_PROBE = 600;
/** A key block ends at its END marker or after this many characters (RSA-4096 is ~3.3 KB). */
const PEM_MAX = 16_384;

// Armour headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: …", "Comment: …") between the marker and the material.
const PEM_HEADER_LINE = /[A-Za-z][A-Za-z0-9-]{1,40}:[ \t][^\r\n\\"'`]{0,200}/y;

/**
 * Key material follows the marker: after line breaks (real or `\n`-escaped), quotes, `+`
 * concatenation and armour headers, a base64 run of 40+ characters, not all alike, starts.
 */
function hasKeyMaterial(text: string, markerEnd: number): boolean {
  const limit = Math.min(text.length, markerEnd + PEM_PROBE);
  let i = markerEnd;
  while (i < limit) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n" || c === '"' || c === "'" || c === "`" || c === "+") i++;
    else if (c === "\\" && (text[i + 1] === "n" || text[i + 1] === "r")) i += 2;
    else {
      PEM_HEADER_LINE.lastIndex = i;
      if (!PEM_HEADER_LINE.test(text)) break;
      i = PEM_HEADER_LINE.lastIndex;
    }
  }
  let end = i;
  while (end < limit && isBase64Char(text.charCodeAt(end))) end++;
  return end - i >= 40 && new Set(text.slice(i, i + 40)).size >= 10;
}

function base64Runs(text: string, from: number, to: number, minLength: number): Span[] {
  const runs: Span[] = [];
  let start = -1;
  for (let i = from; i <= to; i++) {
    const inRun = i < to && isBase64Char(text.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      if (i - start >= minLength) runs.push({ start, end: i });
      start = -1;
    }
  }
  return runs;
}

/**
 * PEM private-key blocks that carry key material. A bare marker (a constant used to parse
 * PEM, a redacted example with "...") is not reported.
 */
export function findPrivateKeys(text: string, bounds: TextBounds): Detected<PrivateKeyMatch> {
  const matches: PrivateKeyMatch[] = [];
  const budget = new Budget(bounds.maxCandidates);
  let nextEnd = -2; // cached offset of the next "-----END" (-1: none left, -2: not searched yet)
  let pos = text.indexOf("-----BEGIN");
  while (pos !== -1) {
    const skipTo = skippedUntil(bounds.skip, pos);
    if (skipTo !== -1) {
      pos = text.indexOf("-----BEGIN", skipTo);
      continue;
    }
    if (!budget.take()) break;
    PEM_BEGIN.lastIndex = pos;
    const m = PEM_BEGIN.exec(text);
    const markerEnd = m ? pos + m[0].length : pos + 10;
    if (!m || !hasKeyMaterial(text, markerEnd)) {
      pos = text.indexOf("-----BEGIN", markerEnd);
      continue;
    }
    if (nextEnd !== -1 && nextEnd < markerEnd) nextEnd = text.indexOf("-----END", markerEnd);
    const limit = Math.min(text.length, markerEnd + PEM_MAX);
    const bodyEnd = nextEnd !== -1 && nextEnd < limit ? nextEnd : limit;
    const material = base64Runs(text, markerEnd, bodyEnd, 16);
    const type = m[1]!;
    matches.push({
      start: pos,
      end: markerEnd,
      label: PEM_LABELS[type] ?? "private key",
      encrypted: isEncryptedKey(type, text, markerEnd, material),
      material,
    });
    pos = text.indexOf("-----BEGIN", bodyEnd);
  }
  return { matches, budgetHit: budget.hit };
}

function isEncryptedKey(type: string, text: string, markerEnd: number, material: Span[]): boolean {
  if (type.includes("ENCRYPTED")) return true;
  if (/^[\s\\rn"'`+]*Proc-Type:\s*4,ENCRYPTED/.test(text.slice(markerEnd, markerEnd + 120))) return true;
  if (type === "OPENSSH PRIVATE KEY" && material.length > 0) {
    // "openssh-key-v1\0" then the cipher name: "none" for an unprotected key.
    const head = decodeBase64(text, { from: material[0]!.start, to: material[0]!.end, maxBytes: 40 });
    return head.startsWith("openssh-key-v1") && !head.slice(15, 40).includes("none");
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Provider keys

/** A key or token whose shape names its provider (Stripe, AWS, GitHub, …). */
export interface ProviderKeyMatch {
  start: number;
  end: number;
  /** Stable id of the key type, e.g. "stripe-secret-key". */
  type: string;
  /** Human label, e.g. "Stripe live secret key". */
  label: string;
  severity: Severity;
  confidence: Confidence;
  /** A test or sandbox key: it reaches no real money or data. */
  test: boolean;
}

type Verdict = Pick<ProviderKeyMatch, "label" | "severity" | "confidence" | "test">;

interface ProviderPattern {
  type: string;
  /** Regex source with exactly one capture group (the secret), which ends where the match ends. */
  source: string;
  judge(secret: string): Verdict | null;
  /** A second secret that travels with this one and has no shape of its own (AWS secret key near its key id). */
  companion?: Companion;
}

interface Companion {
  type: string;
  /** Global regex for candidates in the text around the anchor. */
  pattern: RegExp;
  judge(candidate: string, anchor: string): Verdict | null;
}

/** Stand-in key bodies: few distinct characters, or words such as EXAMPLE, your, xxxx, 0123456789. */
export function isPlaceholderKey(body: string): boolean {
  return (
    new Set(body).size < Math.min(10, body.length >> 1) || /example|sample|dummy|fake|your|xxxx|placeholder|redacted|0123456789|123456789|abcdefgh/i.test(body)
  );
}

const verdict = (label: string, severity: Severity, confidence: Confidence = "high", test = false): Verdict => ({ label, severity, confidence, test });

/** A judge for keys whose body after `prefixLength` characters only needs to be no placeholder. */
function plain(label: string, severity: Severity, prefixLength: number, confidence: Confidence = "high") {
  return (secret: string): Verdict | null => (isPlaceholderKey(secret.slice(prefixLength)) ? null : verdict(label, severity, confidence));
}

function awsSecret(secret: string): Verdict | null {
  if (!/[a-z]/.test(secret) || !/[A-Z]/.test(secret) || !/[0-9/+]/.test(secret) || isPlaceholderKey(secret)) return null;
  return verdict("AWS secret access key", "critical");
}

function decodesAsJwt(token: string): boolean {
  const [header = "", payload = ""] = token.split(".");
  if (!/"alg"\s*:/.test(decodeBase64(header, { maxBytes: 600 }))) return false;
  const claims = decodeBase64(payload, { maxBytes: 2000 });
  // jwt.io's sample token and documentation tokens are examples, not credentials.
  return claims.startsWith("{") && !/John Doe|example/i.test(claims);
}

const TOKEN_START = "(?<![A-Za-z0-9_+/-])";
const AWS_SECRET_NAME =
  "(?:[Aa][Ww][Ss][_-]?)?[Ss](?:ecret|ECRET)[_-]?[Aa](?:ccess|CCESS)[_-]?[Kk](?:ey|EY)|[Aa][Ww][Ss][_-]?[Ss](?:ecret|ECRET)[_-]?[Kk](?:ey|EY)";

// Patterns that start with their own prefix, matched only at the start of a token.
const TOKEN_PATTERNS: readonly ProviderPattern[] = [
  {
    type: "aws-access-key-id",
    source: /((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9])/.source,
    judge: (s) =>
      isPlaceholderKey(s.slice(4)) ? null : s.startsWith("AKIA") ? verdict("AWS access key ID", "high") : verdict("AWS temporary access key ID", "medium"),
    companion: { type: "aws-secret-access-key", pattern: /(?<![A-Za-z0-9/+_-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/g, judge: (c) => awsSecret(c) },
  },
  {
    type: "stripe-secret-key",
    source: /((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247})(?![0-9A-Za-z])/.source,
    judge: (s) => {
      if (isPlaceholderKey(s.slice(8))) return null;
      const restricted = s.startsWith("rk_");
      if (s.slice(3, 7) === "test") return verdict(`Stripe test ${restricted ? "restricted" : "secret"} key`, "low", "high", true);
      return restricted ? verdict("Stripe live restricted key", "high") : verdict("Stripe live secret key", "critical");
    },
  },
  {
    type: "stripe-webhook-secret",
    source: /(whsec_[A-Za-z0-9+/=]{24,100})(?![A-Za-z0-9+/=])/.source,
    judge: plain("Stripe webhook signing secret", "high", 6),
  },
  {
    type: "github-token",
    source: /((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/.source,
    judge: plain("GitHub token", "high", 4),
  },
  { type: "gitlab-token", source: /(glpat-[A-Za-z0-9_-]{20,50})(?![A-Za-z0-9_-])/.source, judge: plain("GitLab personal access token", "high", 6) },
  { type: "slack-token", source: /(xox[abposr]-[0-9]{1,20}-[0-9A-Za-z-]{8,250})(?![0-9A-Za-z-])/.source, judge: plain("Slack token", "high", 5) },
  {
    type: "slack-webhook",
    source: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)(?:\/[A-Za-z0-9]{6,40}){3,4})(?![A-Za-z0-9/])/.source,
    judge: (s) => (isPlaceholderKey(s.slice(s.lastIndexOf("/") + 1)) ? null : verdict("Slack incoming webhook URL", "medium")),
  },
  { type: "google-api-key", source: /(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/.source, judge: plain("Google API key", "medium", 4) },
  { type: "twilio-api-key", source: /(SK[0-9a-f]{32})(?![0-9A-Za-z])/.source, judge: plain("Twilio API key SID", "medium", 2, "medium") },
  {
    // The account SID is an identifier, not a secret: it only anchors the search for its auth token.
    type: "twilio-account-sid",
    source: /(AC[0-9a-f]{32})(?![0-9A-Za-z])/.source,
    judge: () => null,
    companion: {
      type: "twilio-auth-token",
      pattern: /(?<![0-9A-Za-z_-])[0-9a-f]{32}(?![0-9A-Za-z_-])/g,
      judge: (c, sid) => (c === sid.slice(2) || isPlaceholderKey(c) ? null : verdict("Twilio auth token", "high")),
    },
  },
  { type: "sendgrid-api-key", source: /(SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43})(?![0-9A-Za-z_-])/.source, judge: plain("SendGrid API key", "high", 3) },
  {
    type: "square-token",
    source: /(sq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43})|EAAA[0-9A-Za-z_-]{60})(?![0-9A-Za-z_-])/.source,
    judge: (s) => {
      if (isPlaceholderKey(s.slice(4))) return null;
      if (s.startsWith("sq0csp-")) return verdict("Square OAuth application secret", "high");
      return verdict("Square access token", s.startsWith("sq0atp-") ? "critical" : "high");
    },
  },
  {
    type: "braintree-access-token",
    source: /(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})(?![0-9A-Za-z])/.source,
    judge: (s) => {
      if (isPlaceholderKey(s.slice(-32))) return null;
      return s.includes("$sandbox$")
        ? verdict("Braintree sandbox access token", "low", "high", true)
        : verdict("Braintree production access token", "critical");
    },
  },
  {
    type: "adyen-api-key",
    source: /(AQE[0-9A-Za-z+/]{40,200}={0,2}-[0-9A-Za-z+/]{20,100}={0,2}(?:-[^\s"'`]{1,100})?)/.source,
    judge: plain("Adyen API key", "high", 3),
  },
  { type: "shopify-token", source: /(shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})(?![A-Za-z0-9])/.source, judge: plain("Shopify access token", "high", 6) },
  {
    type: "openai-api-key",
    source: /(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/.source,
    judge: plain("OpenAI API key", "high", 3),
  },
  {
    type: "anthropic-api-key",
    source: /(sk-ant-[a-z]{2,10}[0-9]{2}-[A-Za-z0-9_-]{32,200})(?![A-Za-z0-9_-])/.source,
    judge: plain("Anthropic API key", "high", 7),
  },
  { type: "npm-token", source: /(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/.source, judge: plain("npm access token", "high", 4) },
  { type: "mailgun-api-key", source: /(key-[0-9a-f]{32})(?![0-9A-Za-z])/.source, judge: plain("Mailgun API key", "high", 4) },
  {
    type: "pca-api-key",
    source: /(pca_(?:live|test)_[0-9A-Za-z]{43})(?![0-9A-Za-z])/.source,
    judge: (s) => {
      if (isPlaceholderKey(s.slice(9))) return null;
      return s.startsWith("pca_test_") ? verdict("PCI Auditor test API key", "low", "high", true) : verdict("PCI Auditor live API key", "critical");
    },
  },
  {
    type: "jwt",
    source: /(eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,1000})(?![A-Za-z0-9_-])/.source,
    judge: (s) => (decodesAsJwt(s) ? verdict("signed JSON Web Token", "medium", "medium") : null),
  },
];

// Platform and infrastructure tokens that gitleaks and trufflehog know by their prefixes. Searched
// in configuration text only (where deploy and CI tokens live): each alternative costs every token
// start of a file, and in JS/TS the AST rule still reports a token kept under a secret-like name.
const PLATFORM_PATTERNS: readonly ProviderPattern[] = [
  {
    // Runner, deploy, feed, CI build, trigger and runner-registration tokens.
    type: "gitlab-other-token",
    source: /((?:glrt|gldt|glft|glcbt|glsoat|glimt|gloas)-[A-Za-z0-9_-]{20,64}|glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/.source,
    judge: (s) => (isPlaceholderKey(s.slice(s.indexOf("-") + 1 || 9)) ? null : verdict("GitLab token", "high")),
  },
  { type: "pypi-token", source: /(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/.source, judge: plain("PyPI upload token", "high", 20) },
  { type: "huggingface-token", source: /(hf_[A-Za-z]{34})(?![A-Za-z0-9_-])/.source, judge: plain("Hugging Face access token", "high", 3) },
  { type: "digitalocean-token", source: /(do[opr]_v1_[a-f0-9]{64})(?![A-Za-z0-9])/.source, judge: plain("DigitalOcean token", "high", 7) },
  { type: "vault-token", source: /(hv[sb]\.[A-Za-z0-9_-]{90,200})(?![A-Za-z0-9_-])/.source, judge: plain("HashiCorp Vault token", "high", 4) },
  { type: "postman-api-key", source: /(PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?![A-Za-z0-9])/.source, judge: plain("Postman API key", "medium", 5) },
  {
    type: "grafana-token",
    source: /(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9+/=_])/.source,
    judge: plain("Grafana token", "high", 4),
  },
  { type: "newrelic-api-key", source: /(NRAK-[A-Z0-9]{27})(?![A-Za-z0-9])/.source, judge: plain("New Relic user API key", "medium", 5) },
  { type: "google-oauth-client-secret", source: /(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/.source, judge: plain("Google OAuth client secret", "high", 7) },
  { type: "databricks-token", source: /(dapi[a-f0-9]{32}(?:-\d)?)(?![A-Za-z0-9])/.source, judge: plain("Databricks access token", "high", 4) },
  { type: "doppler-token", source: /(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})(?![A-Za-z0-9])/.source, judge: plain("Doppler token", "high", 6) },
  { type: "pulumi-token", source: /(pul-[a-f0-9]{40})(?![A-Za-z0-9])/.source, judge: plain("Pulumi access token", "high", 4) },
  { type: "linear-api-key", source: /(lin_api_[A-Za-z0-9]{40})(?![A-Za-z0-9])/.source, judge: plain("Linear API key", "medium", 8) },
  {
    type: "age-secret-key",
    source: /(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Z0-9])/.source,
    judge: plain("age encryption secret key", "high", 16),
  },
  { type: "artifactory-api-key", source: /(AKCp[A-Za-z0-9]{69})(?![A-Za-z0-9])/.source, judge: plain("JFrog Artifactory API key", "high", 4) },
  { type: "heroku-api-key", source: /(HRKU-AA[0-9a-zA-Z_-]{58})(?![A-Za-z0-9_-])/.source, judge: plain("Heroku API key", "high", 7) },
  {
    type: "planetscale-token",
    source: /(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9=._-]{32,64})(?![A-Za-z0-9=._-])/.source,
    judge: plain("PlanetScale credential", "high", 11),
  },
  { type: "supabase-token", source: /(sbp_[a-f0-9]{40})(?![A-Za-z0-9])/.source, judge: plain("Supabase access token", "high", 4) },
  {
    type: "onepassword-service-token",
    source: /(ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3})(?![A-Za-z0-9+/=])/.source,
    judge: plain("1Password service account token", "critical", 4),
  },
  {
    type: "flutterwave-secret-key",
    source: /(FLWSECK(?:_TEST)?-[a-hA-H0-9]{32}-X)(?![A-Za-z0-9])/.source,
    judge: (s) => {
      const test = s.startsWith("FLWSECK_TEST-");
      if (isPlaceholderKey(s.slice(test ? 13 : 8, -2))) return null;
      return test ? verdict("Flutterwave test secret key", "low", "high", true) : verdict("Flutterwave live secret key", "critical");
    },
  },
];

// An AWS secret key has no prefix of its own: it is recognised by the name it is assigned to,
// which may follow "_" ("MY_AWS_SECRET_ACCESS_KEY").
const AWS_SECRET_BY_NAME: ProviderPattern = {
  type: "aws-secret-access-key",
  source: `(?:${AWS_SECRET_NAME})["'\`]?[ \\t]{0,8}(?::=|=>|=|:)[ \\t]{0,8}["'\`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
  judge: awsSecret,
};

// Capture group i + 1 of a combined regex belongs to its pattern list's entry i.
const PROVIDER_PATTERNS: readonly ProviderPattern[] = [...TOKEN_PATTERNS, AWS_SECRET_BY_NAME];
const CONFIG_PATTERNS: readonly ProviderPattern[] = [...TOKEN_PATTERNS, ...PLATFORM_PATTERNS, AWS_SECRET_BY_NAME];
// One shared token-start look-behind in front of the token patterns measured fastest (~250 MB/s on JS).
const combinedSource = (list: readonly ProviderPattern[]) =>
  `${TOKEN_START}(?:${list
    .slice(0, -1)
    .map((p) => p.source)
    .join("|")})|${AWS_SECRET_BY_NAME.source}`;
const PROVIDER_SOURCE = combinedSource(PROVIDER_PATTERNS);
const CONFIG_SOURCE = combinedSource(CONFIG_PATTERNS);
/** Every provider pattern in one, for a yes/no test (no `g` flag, so no lastIndex state between calls). */
const PROVIDER_ANY = new RegExp(PROVIDER_SOURCE);
const CONFIG_ANY = new RegExp(CONFIG_SOURCE);

/** The combined provider regexes' sources, one per pattern (exported for tests of the one-group contract). */
export const PROVIDER_PATTERN_SOURCES: readonly string[] = CONFIG_PATTERNS.map((p) => p.source);

const COMPANION_REACH = 400;

/**
 * Provider keys in one combined pass, plus the secrets that travel with some of them (an AWS
 * secret access key near its key id, a Twilio auth token near its account SID). Placeholders
 * (`AKIAIOSFODNN7EXAMPLE`, `sk_live_xxxx…`) and publishable keys (`pk_live_…`) are not matches.
 */
export function findProviderKeys(text: string, bounds: TextBounds, config = false): Detected<ProviderKeyMatch> {
  const matches: ProviderKeyMatch[] = [];
  const taken = new Set<number>();
  const budget = new Budget(bounds.maxCandidates);
  const patterns = config ? CONFIG_PATTERNS : PROVIDER_PATTERNS;
  const re = new RegExp(config ? CONFIG_SOURCE : PROVIDER_SOURCE, "g");
  for (const m of candidateMatches(re, text, bounds.skip, budget)) {
    let g = 1;
    while (m[g] === undefined) g++;
    const pattern = patterns[g - 1]!;
    const secret = m[g]!;
    const start = m.index + m[0].length - secret.length;
    const found = pattern.judge(secret);
    if (found && !taken.has(start)) {
      taken.add(start);
      matches.push({ start, end: start + secret.length, type: pattern.type, ...found });
    }
    if (pattern.companion) findCompanions(text, bounds, start, secret, pattern.companion, taken, matches, budget);
    if (!found) re.lastIndex = m.index + 1;
  }
  matches.sort((a, b) => a.start - b.start);
  return { matches, budgetHit: budget.hit };
}

function findCompanions(
  text: string,
  bounds: TextBounds,
  start: number,
  anchor: string,
  companion: Companion,
  taken: Set<number>,
  matches: ProviderKeyMatch[],
  budget: Budget,
): void {
  const from = Math.max(0, start - COMPANION_REACH);
  const window = text.slice(from, Math.min(text.length, start + anchor.length + COMPANION_REACH));
  companion.pattern.lastIndex = 0;
  let c: RegExpExecArray | null;
  while ((c = companion.pattern.exec(window)) !== null) {
    const at = from + c.index;
    if (taken.has(at) || skippedUntil(bounds.skip, at) !== -1) continue;
    if (!budget.take()) return;
    const found = companion.judge(c[0], anchor);
    if (found) {
      taken.add(at);
      matches.push({ start: at, end: at + c[0].length, type: companion.type, ...found });
    }
  }
}

// Keys that are public by design: Stripe publishable keys, Mapbox public tokens.
const PUBLIC_KEY = /^(?:pk_(?:live|test)_|pk\.eyJ)/;

/**
 * True when a value belongs to a more specific detector: it holds a provider key (or a
 * provider-shaped placeholder), a publishable key, a PEM block or a URL. The generic
 * secret-name detectors leave such values alone, so one secret is judged once.
 */
export function claimedBySpecificDetector(value: string, config = false): boolean {
  if (PUBLIC_KEY.test(value) || value.includes("-----BEGIN") || value.includes("://")) return true;
  return (config ? CONFIG_ANY : PROVIDER_ANY).test(value);
}

// ---------------------------------------------------------------------------------------------
// Connection strings

/** A password (or account key) inside a connection string or URL. */
export interface ConnectionCredential {
  start: number;
  end: number;
  /** e.g. "PostgreSQL connection URI", "JDBC connection string". */
  label: string;
  /** What the secret is: "password", or "account key" / "access key" for Azure strings. */
  secret: "password" | "account key" | "access key";
  /** The server is this machine (localhost, 127.0.0.1): a development default. */
  local: boolean;
}

// user ":" password "@" host, right after "://". The password may hold ":" and "@"; the last "@" wins.
const URI_USERINFO = /([^\s:/?#@'"`\\]{0,128}):([^\s/?#'"`\\]{1,256})@(?=[^\s'"`@/\\])/y;
const SCHEME_LABELS: Record<string, string> = {
  postgres: "PostgreSQL",
  postgresql: "PostgreSQL",
  mysql: "MySQL",
  mysql2: "MySQL",
  mysqlx: "MySQL",
  mariadb: "MariaDB",
  mongodb: "MongoDB",
  "mongodb+srv": "MongoDB",
  redis: "Redis",
  rediss: "Redis",
  amqp: "AMQP",
  amqps: "AMQP",
  mssql: "SQL Server",
  sqlserver: "SQL Server",
  oracle: "Oracle",
  ftp: "FTP",
  ftps: "FTP",
  sftp: "SFTP",
  smtp: "SMTP",
  smtps: "SMTP",
  ldap: "LDAP",
  ldaps: "LDAP",
  http: "HTTP",
  https: "HTTP",
};
const LOCAL_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\]|host\.docker\.internal|[\w.-]*\.localhost)$/i;
// RFC 2606 names: documentation, not a real server.
const EXAMPLE_HOST = /(?:^|\.)example(?:\.(?:com|org|net))?$|\.(?:test|invalid)$/i;

function schemeBefore(text: string, colon: number): string {
  let i = colon;
  while (i > 0 && colon - i < 32) {
    const c = text.charCodeAt(i - 1);
    if (isWordChar(c) || c === 43 || c === 46 || c === 45) i--;
    else break;
  }
  const scheme = text
    .slice(i, colon)
    .replace(/^[^A-Za-z]+/, "")
    .toLowerCase();
  return text.slice(Math.max(0, i - 5), i).toLowerCase() === "jdbc:" ? `jdbc:${scheme}` : scheme;
}

function hostAt(text: string, at: number): string {
  if (text[at] === "[") {
    const close = text.slice(at, at + 64).indexOf("]");
    return close === -1 ? "" : text.slice(at, at + close + 1);
  }
  let i = at;
  while (i < text.length && i - at < 256 && !/[\s/?#:'"`\\,;)]/.test(text[i]!)) i++;
  return text.slice(at, i);
}

// Key=value connection strings (JDBC, ADO.NET, ODBC, Azure, libpq "host=… password=…") and URL query strings.
// The key must start a parameter: after ";", "?", "&", a quote or whitespace (checked in code:
// a leading character class here would make every space a candidate and cost 3× the time).
const CONN_PARAM = /(password|passwd|pass|pwd|accountkey|sharedaccesskey)[ \t]{0,4}=[ \t]{0,4}(\{[^}\r\n]{1,256}\}|[^;&'"`\s]{1,256})/gi;
const CONN_CONTEXT =
  /(?:server|data source|host|hostname|address|addr|user id|userid|uid|user|username|database|dbname|initial catalog|accountname|endpoint|driver|dsn|defaultendpointsprotocol|sslmode|port)\s*=|jdbc:|:\/\//i;
const CONN_LOCAL =
  /(?:server|host|data source|address)\s*=\s*(?:tcp:)?(?:localhost|127\.0\.0\.1|\(local(?:db)?\)|\.(?=[;\\]))|:\/\/(?:[^@/\s]*@)?(?:localhost|127\.0\.0\.1)[:/]/i;

function startsParameter(text: string, at: number): boolean {
  return at === 0 || /[;?&"'`\s]/.test(text[at - 1]!);
}

/** The text of the line around `pos`, at most `reach` characters either side. */
function lineAround(text: string, pos: number, reach: number): string {
  const from = Math.max(0, pos - reach);
  const piece = text.slice(from, Math.min(text.length, pos + reach));
  const at = pos - from;
  const before = piece.lastIndexOf("\n", at);
  const after = piece.indexOf("\n", at);
  return piece.slice(before + 1, after === -1 ? piece.length : after);
}

/**
 * Passwords inside connection URIs (`postgres://user:pass@host`, `redis://:pass@host`,
 * `https://user:token@host`) and key=value connection strings (`…;Password=…;`,
 * `AccountKey=…`, `?password=…`). Placeholders and interpolations (`${DB_PASSWORD}`,
 * `<password>`, `****`, the literal word "password"), the same word as user and password on
 * localhost, and RFC 2606 example hosts are not matches.
 */
export function findConnectionCredentials(text: string, bounds: TextBounds): Detected<ConnectionCredential> {
  const matches: ConnectionCredential[] = [];
  const budget = new Budget(bounds.maxCandidates);
  let p = text.indexOf("://");
  while (p !== -1) {
    const skipTo = skippedUntil(bounds.skip, p);
    if (skipTo !== -1) {
      p = text.indexOf("://", skipTo);
      continue;
    }
    if (!budget.take()) break;
    const scheme = schemeBefore(text, p);
    URI_USERINFO.lastIndex = p + 3;
    const m = scheme ? URI_USERINFO.exec(text) : null;
    if (m) {
      const user = m[1]!;
      const password = m[2]!;
      const start = p + 3 + user.length + 1;
      const host = hostAt(text, p + 3 + m[0].length);
      const local = LOCAL_HOST.test(host);
      if (!EXAMPLE_HOST.test(host) && !(local && user === password) && judgeSecretValue(password, "password", true)) {
        const name = SCHEME_LABELS[scheme.replace(/^jdbc:/, "")] ?? scheme;
        const label = name === "HTTP" ? "URL" : `${scheme.startsWith("jdbc:") ? "JDBC " : ""}${name} connection URI`;
        matches.push({ start, end: start + password.length, label, secret: "password", local });
      }
    }
    p = text.indexOf("://", p + 3);
  }
  const re = new RegExp(CONN_PARAM.source, "gi");
  let q: RegExpExecArray | null;
  while (!budget.hit && (q = re.exec(text)) !== null) {
    const skipTo = skippedUntil(bounds.skip, q.index);
    if (skipTo !== -1) {
      re.lastIndex = skipTo;
      continue;
    }
    if (!startsParameter(text, q.index)) {
      re.lastIndex = q.index + 1;
      continue;
    }
    if (!budget.take()) break;
    const line = lineAround(text, q.index, 512);
    if (!CONN_CONTEXT.test(line)) continue;
    const raw = q[2]!;
    const braced = raw.startsWith("{");
    const value = braced ? raw.slice(1, -1) : raw;
    const start = q.index + q[0].length - raw.length + (braced ? 1 : 0);
    if (!judgeSecretValue(value, "password", true)) continue;
    if (matches.some((x) => x.start === start)) continue;
    const key = q[1]!.toLowerCase();
    const label =
      key === "accountkey"
        ? "Azure Storage connection string"
        : key === "sharedaccesskey"
          ? "Azure Service Bus connection string"
          : /jdbc:/i.test(line)
            ? "JDBC connection string"
            : line.includes("://")
              ? "URL query string"
              : "connection string";
    const secret = key === "accountkey" ? "account key" : key === "sharedaccesskey" ? "access key" : "password";
    matches.push({ start, end: start + value.length, label, secret, local: CONN_LOCAL.test(line) });
  }
  matches.sort((a, b) => a.start - b.start);
  return { matches, budgetHit: budget.hit };
}

// ---------------------------------------------------------------------------------------------
// Secret-named assignments in text (.env, .properties, YAML, JSON, XML, and unparsable JS)

/** A literal assigned to a secret-named key. */
export interface SecretAssignment {
  /** The secret value (after any "Bearer " scheme). */
  start: number;
  end: number;
  /** The key it is assigned to, e.g. "DB_PASSWORD". */
  name: string;
  kind: SecretKind;
  confidence: Confidence;
}

const NAME_KEYWORD = /pass|pwd|pw|secret|token|key|auth|cred|bearer/gi;
const AUTH_SCHEME_WORD = /^(?:Bearer|Basic|Token|bearer|basic|token)$/;

function isNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45 || c === 36; // "." "-" "$"
}

// `<add key="DbPassword" value="…"/>`, `<property name="password" value="…"/>`: the name is an attribute's value.
const ATTRIBUTE_NAME_BEFORE = /(?:key|name)[ \t]{0,2}=[ \t]{0,2}$/;
const ATTRIBUTE_VALUE_AFTER = /[ \t]{1,8}value[ \t]{0,2}=[ \t]{0,2}(["'])/y;
// `define('DB_PASSWORD', '…')` (PHP), `env('DB_PASSWORD', '…')` (Laravel's fallback), `os.environ.setdefault("…", "…")`,
// `props.setProperty("password", "…")`: a quoted name, then its value as the next argument.
const NAME_ARGUMENT_CALL = /(?:define|env|getenv|get|fetch|setdefault|setProperty|put|set)[ \t]{0,4}\([ \t]{0,4}$/;
const NEXT_ARGUMENT = /[ \t]{0,8},[ \t]{0,8}(["'])/y;

/**
 * The value of a name written as a quoted string whose quote opens at `open` and closes before
 * `after`, when the string is an XML attribute naming its sibling `value="…"`, or the first
 * argument of a call whose second argument is the value. undefined: not such a pair; null: a
 * pair whose value is no plain quoted string.
 */
function quotedPairValue(text: string, open: number, after: number): Span | null | undefined {
  const lead = text.slice(Math.max(0, open - 40), open);
  const re = ATTRIBUTE_NAME_BEFORE.test(lead) ? ATTRIBUTE_VALUE_AFTER : NAME_ARGUMENT_CALL.test(lead) ? NEXT_ARGUMENT : null;
  if (!re) return undefined;
  re.lastIndex = after;
  const m = re.exec(text);
  if (!m) return re === NEXT_ARGUMENT ? undefined : null;
  const start = after + m[0].length;
  for (let j = start; j < text.length && j - start <= 1024; j++) {
    const c = text[j];
    if (c === m[1]) return { start, end: j };
    if (c === "\n" || c === "\\") return null;
  }
  return null;
}

/** The value span assigned to the name at [a, b), or null when none is. */
function assignedValue(text: string, a: number, b: number, quotedOnly: boolean): Span | null {
  const before = text[a - 1];
  let i = b;
  if ((before === '"' || before === "'") && text[i] === before) {
    i++;
    const pair = quotedPairValue(text, a - 1, i);
    if (pair !== undefined) return pair;
  } else if (before === "<" && text[i] === ">") {
    const close = text.indexOf("</", i + 1);
    if (close === -1 || close - i > 1024 || text.slice(i + 1, close).includes("\n")) return null;
    return { start: i + 1, end: close };
  }
  const spaces = (at: number) => {
    let j = at;
    while ((text[j] === " " || text[j] === "\t") && j - at < 8) j++;
    return j;
  };
  i = spaces(i);
  const op = text.slice(i, i + 2);
  if (op === ":=" || op === "=>") i += 2;
  else if ((op[0] === "=" && op[1] !== "=") || (op[0] === ":" && op[1] !== ":")) i += 1;
  else return null;
  i = spaces(i);
  const q = text[i];
  if (q === '"' || q === "'" || q === "`") {
    for (let j = i + 1; j < text.length && j - i <= 1024; j++) {
      const c = text[j];
      if (c === "\\") j++;
      else if (c === q) return { start: i + 1, end: j };
      else if (c === "\n") return null;
    }
    return null;
  }
  if (quotedOnly) return null;
  // Unquoted (.env, .properties, YAML): up to whitespace or a separator, minus closing brackets.
  let j = i;
  while (j < text.length && j - i < 1024 && !/[\s"'<;,]/.test(text[j]!)) j++;
  // "Authorization: Bearer <token>": the scheme and its credential are one value.
  if (text[j] === " " && AUTH_SCHEME_WORD.test(text.slice(i, j))) {
    j++;
    while (j < text.length && j - i < 1024 && !/[\s"'<;,]/.test(text[j]!)) j++;
  }
  let end = j;
  while (end > i && /[}\])]/.test(text[end - 1]!)) end--;
  const next = text[spaces(j)];
  if (next !== undefined && !/[\r\n#;,}\]]/.test(next)) return null; // more words follow: a phrase, not a secret
  return { start: i, end };
}

/** How findSecretAssignments judges password-named keys by their place. */
export interface PlacedPasswords {
  place: PasswordPlace;
  /**
   * An unquoted word is a value (`.env`, YAML, INI): true; in program text (Python, PHP, Ruby,
   * Terraform) an unquoted word is a variable, so only quoted words count: false.
   */
  unquotedWords: boolean;
}

/**
 * Literals assigned to secret-named keys in configuration text: `DB_PASSWORD=…` (.env,
 * .properties), `password: …` (YAML), `"apiKey": "…"` (JSON), `<password>…</password>` (XML),
 * `'secret' => '…'`, `<add key="DbPassword" value="…"/>`, `define('DB_PASSWORD', '…')`. With
 * `quotedOnly`, only quoted values count (for code that did not parse). With a `place`, a
 * password-named key is judged by its place (judgePlacedPassword: dictionary words count).
 *
 * @example
 *   findSecretAssignments("DB_PASSWORD=Summer2024!\n", bounds, false).matches[0].name; // "DB_PASSWORD"
 */
export function findSecretAssignments(text: string, bounds: TextBounds, quotedOnly: boolean, place?: PlacedPasswords): Detected<SecretAssignment> {
  const matches: SecretAssignment[] = [];
  const budget = new Budget(bounds.maxCandidates);
  const re = new RegExp(NAME_KEYWORD.source, "gi");
  for (const m of candidateMatches(re, text, bounds.skip, budget)) {
    let a = m.index;
    while (a > 0 && m.index - a < 80 && isNameChar(text.charCodeAt(a - 1))) a--;
    let b = m.index + m[0].length;
    while (b < text.length && b - a < 120 && isNameChar(text.charCodeAt(b))) b++;
    re.lastIndex = b;
    const name = text.slice(a, b);
    const kind = secretNameKind(name);
    if (!kind) continue;
    const span = assignedValue(text, a, b, quotedOnly);
    if (!span) continue;
    const value = text.slice(span.start, span.end);
    if (claimedBySpecificDetector(value, place !== undefined)) continue;
    const quoted = text[span.start - 1] === '"' || text[span.start - 1] === "'";
    const placed = kind === "password" && place && (quoted || place.unquotedWords) && namesPasswordItself(name);
    const judged = placed ? judgePlacedPassword(value, place.place) : judgeSecretValue(value, kind);
    if (!judged) continue;
    const start = span.start + judged.offset;
    matches.push({ start, end: start + judged.length, name, kind, confidence: judged.confidence });
  }
  return { matches, budgetHit: budget.hit };
}

// ---------------------------------------------------------------------------------------------
// SQL account passwords

// MySQL/MariaDB `IDENTIFIED [WITH plugin] BY '…'`, PostgreSQL `[WITH] [LOGIN] PASSWORD '…'`, SQL Server `PASSWORD = '…'`.
const SQL_PASSWORD = /\b(?:IDENTIFIED\s{1,16}(?:WITH\s{1,16}\w{1,64}\s{1,16})?BY|PASSWORD)\s{0,16}(?:=\s{0,16})?'((?:[^'\\\r\n]|''|\\.){1,256})'/gi;
const SQL_ACCOUNT = /\b(?:CREATE|ALTER)\s+(?:USER|ROLE|LOGIN)\b/i;
// Pre-hashed passwords (PostgreSQL md5/SCRAM verifiers) are not the password itself.
const SQL_VERIFIER = /^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$)/;

/**
 * Passwords written into SQL account statements: `CREATE USER … IDENTIFIED BY '…'`,
 * `CREATE ROLE … PASSWORD '…'`, `CREATE LOGIN … WITH PASSWORD = '…'`. Works on .sql files and
 * on SQL inside code strings alike; `PASSWORD '…'` counts only after CREATE/ALTER USER, ROLE
 * or LOGIN in the same statement, so `password = '…'` in code is left to the other detectors.
 */
export function findSqlPasswords(text: string, bounds: TextBounds): Detected<Span> {
  const matches: Span[] = [];
  const budget = new Budget(bounds.maxCandidates);
  const re = new RegExp(SQL_PASSWORD.source, "gi");
  for (const m of candidateMatches(re, text, bounds.skip, budget)) {
    if (!/^IDENTIFIED/i.test(m[0])) {
      const before = text.slice(Math.max(0, m.index - 300), m.index);
      if (!SQL_ACCOUNT.test(before.slice(before.lastIndexOf(";") + 1))) continue;
    }
    const value = m[1]!;
    if (SQL_VERIFIER.test(value) || !judgeSecretValue(value, "password", true)) continue;
    const start = m.index + m[0].length - 1 - value.length;
    matches.push({ start, end: start + value.length });
  }
  return { matches, budgetHit: budget.hit };
}

// ---------------------------------------------------------------------------------------------
// Secrets in what the engine writes

const UNBOUNDED: TextBounds = { maxCandidates: Number.POSITIVE_INFINITY, skip: [] };
// Shared by every call (each runs to the end before the next starts): output is masked string by string.
const PROVIDER_ALL = new RegExp(CONFIG_SOURCE, "g");

/**
 * Ranges of a text the engine writes (an attack proof's rendering, a message, a path) to mask as
 * secrets: every provider-key shape, placeholder-looking or not, plus what the private-key,
 * connection-string, SQL-password and secret-assignment detectors find in it. Over-masking is the
 * safe side here: this guards output, it does not report findings. Ranges may overlap.
 *
 * @example findSecretsToMask("curl -H Authorization:sk_live_51H8xYzAbCdEfGhIjKlMnOpQr x") // [{ start: 22, end: 54 }]
 */
export function findSecretsToMask(text: string): Span[] {
  const spans: Span[] = [];
  const companions: ProviderKeyMatch[] = [];
  const re = PROVIDER_ALL;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let g = 1;
    while (m[g] === undefined) g++;
    const pattern = CONFIG_PATTERNS[g - 1]!;
    const start = m.index + m[0].length - m[g]!.length;
    spans.push({ start, end: m.index + m[0].length });
    // The secrets that travel with an anchor (an AWS secret key near its key id) have no shape of their own.
    if (pattern.companion) findCompanions(text, UNBOUNDED, start, m[g]!, pattern.companion, new Set(), companions, new Budget(Number.POSITIVE_INFINITY));
  }
  spans.push(...companions);
  for (const key of findPrivateKeys(text, UNBOUNDED).matches) spans.push(...key.material);
  spans.push(
    ...findConnectionCredentials(text, UNBOUNDED).matches,
    ...findSqlPasswords(text, UNBOUNDED).matches,
    ...findSecretAssignments(text, UNBOUNDED, false).matches,
  );
  return spans;
}
