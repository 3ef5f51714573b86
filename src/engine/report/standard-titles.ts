/**
 * Short names for the PCI DSS v4.0.1 requirements and OWASP Top 10 2021 categories that findings
 * cite, so reports can say "3.5.1 PAN rendered unreadable wherever it is stored" instead of a
 * bare number. Titles are our own short paraphrases, not the standard's text.
 */

const PCI_TITLES: Readonly<Record<string, string>> = {
  "3.2.1": "Account data kept only as long as needed",
  "3.3.1": "No sensitive authentication data kept after authorization",
  "3.3.1.1": "No full track data kept after authorization",
  "3.3.1.2": "No card verification code kept after authorization",
  "3.3.1.3": "No PIN or PIN block kept after authorization",
  "3.3.2": "Sensitive authentication data encrypted before authorization",
  "3.4.1": "PAN masked when displayed (BIN and last four at most)",
  "3.5.1": "PAN rendered unreadable wherever it is stored",
  "3.5.1.1": "Hashes of PAN are keyed cryptographic hashes",
  "3.6.1": "Cryptographic keys protected against disclosure and misuse",
  "3.7.1": "Strong cryptographic keys generated",
  "4.2.1": "Strong cryptography for PAN sent over open networks",
  "6.2.4": "Software prevents common attacks (injection, XSS, crypto misuse)",
  "6.3.1": "Security vulnerabilities identified and ranked",
  "6.4.3": "Payment page scripts authorized, inventoried and integrity-checked",
  "7.2.1": "Access control model defined (least privilege)",
  "7.2.2": "Access assigned by job function, least privilege",
  "7.2.5": "Application and system accounts given least privilege",
  "8.3.2": "Authentication factors unreadable in transit and at rest",
  "8.6.2": "No hard-coded passwords for application and system accounts",
  "8.6.3": "Application and system account passwords protected",
  "10.2.1": "Audit logs enabled and active",
  "10.2.1.1": "Audit logs capture user access to cardholder data",
  "10.2.1.2": "Audit logs capture administrative actions",
  "10.2.1.4": "Audit logs capture invalid access attempts",
  "10.2.1.5": "Audit logs capture credential changes",
  "10.2.2": "Audit log entries record the required details",
  "10.3.2": "Audit log files protected from modification",
  "11.6.1": "Payment page tampering detected and alerted",
};

/**
 * Short title of a PCI DSS requirement, falling back to its closest titled parent
 * ("10.2.1.3" → the title of "10.2.1"); undefined when nothing above it is known.
 */
export function pciRequirementTitle(requirement: string): string | undefined {
  for (let r = requirement; r.includes("."); r = r.slice(0, r.lastIndexOf("."))) {
    const title = PCI_TITLES[r];
    if (title !== undefined) return title;
  }
  return undefined;
}

/** Orders requirement numbers numerically, segment by segment ("3.5.1" < "3.5.1.1" < "10.2.1"). */
export function comparePciRequirements(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0 && !Number.isNaN(d)) return d;
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}

const OWASP_2021: Readonly<Record<string, { title: string; slug: string }>> = {
  A01: { title: "Broken Access Control", slug: "A01_2021-Broken_Access_Control" },
  A02: { title: "Cryptographic Failures", slug: "A02_2021-Cryptographic_Failures" },
  A03: { title: "Injection", slug: "A03_2021-Injection" },
  A04: { title: "Insecure Design", slug: "A04_2021-Insecure_Design" },
  A05: { title: "Security Misconfiguration", slug: "A05_2021-Security_Misconfiguration" },
  A06: { title: "Vulnerable and Outdated Components", slug: "A06_2021-Vulnerable_and_Outdated_Components" },
  A07: { title: "Identification and Authentication Failures", slug: "A07_2021-Identification_and_Authentication_Failures" },
  A08: { title: "Software and Data Integrity Failures", slug: "A08_2021-Software_and_Data_Integrity_Failures" },
  A09: { title: "Security Logging and Monitoring Failures", slug: "A09_2021-Security_Logging_and_Monitoring_Failures" },
  A10: { title: "Server-Side Request Forgery", slug: "A10_2021-Server-Side_Request_Forgery_%28SSRF%29" },
};

/** Title and owasp.org page of an OWASP Top 10 2021 id such as "A03:2021"; undefined for others. */
export function owaspCategory(id: string): { title: string; url: string } | undefined {
  const m = /^(A(?:0[1-9]|10)):2021$/.exec(id);
  const entry = m ? OWASP_2021[m[1]!] : undefined;
  return entry && { title: entry.title, url: `https://owasp.org/Top10/${entry.slug}/` };
}

/** The cwe.mitre.org page of an id such as "CWE-89"; undefined when the id is malformed. */
export function cweUrl(id: string): string | undefined {
  const m = /^CWE-(\d+)$/.exec(id);
  return m ? `https://cwe.mitre.org/data/definitions/${m[1]}.html` : undefined;
}
