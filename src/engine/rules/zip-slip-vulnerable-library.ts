/**
 * Zip slip in the archive library itself: a package.json or lock file that pins adm-zip, jszip,
 * decompress, unzipper or tar to versions whose own extraction writes entries named "../…" (or
 * absolute ones, or through planted symlinks) outside the target directory. The dataflow rules
 * trust these libraries' extraction (`extractAllTo`, `tar.x`, decompress with an output
 * directory) because current versions confine entries; this rule finds the projects where that
 * trust does not hold.
 *
 * Exact: a range is reported only when every version it allows is affected (`0.4.7`, `<0.4.11`,
 * `~6.0.1`; not `^0.4.7`, which installs 0.4.16), and a lock file only for what it installs.
 * Development dependencies are left out: they do not run in the service.
 */
import { createRule } from "../rule";

interface Library {
  /** Version intervals [from, to) with the fix; `to` null for "and later". */
  fixed: ReadonlyArray<readonly [string, string | null]>;
  advisory: string;
  /** What the affected versions do, completing "<name> <version> …". */
  does: string;
}

const LIBRARIES: ReadonlyMap<string, Library> = new Map([
  [
    "adm-zip",
    {
      fixed: [["0.4.11", null]],
      advisory: "CVE-2018-1002204",
      does: 'extracts entries named "../…" outside the target directory (extractAllTo, extractEntryTo)',
    },
  ],
  ["jszip", { fixed: [["3.8.0", null]], advisory: "CVE-2022-48285", does: 'keeps "../" in the names loadAsync gives entries' }],
  [
    "decompress",
    { fixed: [["4.2.1", null]], advisory: "CVE-2020-12265", does: 'writes entries outside the output directory, through "../" names or planted symlinks' },
  ],
  [
    "unzipper",
    { fixed: [["0.8.13", null]], advisory: "the zip slip fixed in 0.8.13", does: 'extracts entries named "../…" outside the target directory (Extract)' },
  ],
  [
    "tar",
    {
      fixed: [
        ["4.4.18", "5.0.0"],
        ["5.0.10", "6.0.0"],
        ["6.1.9", null],
      ],
      advisory: "CVE-2021-37701, CVE-2021-37712, CVE-2021-37713",
      does: "extracts entries outside cwd through symlinks and paths it fails to normalise",
    },
  ],
]);

/** `"adm-zip": "0.4.7"` in package.json, or `"node_modules/adm-zip": { … "version": "0.4.7"` (and lockfile v1's `"adm-zip": { "version"`). */
const DEPENDENCY = /"(?:node_modules\/)?(adm-zip|jszip|decompress|unzipper|tar)"\s*:\s*(?:"([^"\n]{1,64})"|\{[^{}]{0,200}?"version"\s*:\s*"([^"\n]{1,64})")/g;
/** The section a package.json entry is in: the last `"…Dependencies": {` before it. */
const SECTION = /"(dependencies|devDependencies|optionalDependencies|peerDependencies|bundleDependencies|overrides|resolutions)"\s*:\s*\{/g;
const MANIFESTS = /(?:^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json)$/;

type Version = readonly [number, number, number];
/** A range of versions: [lo, hi), or [lo, hi] when `inclusive`; hi null for no upper bound. */
interface Interval {
  lo: Version;
  hi: Version | null;
  inclusive: boolean;
}

const ZERO: Version = [0, 0, 0];
const COMPARATOR = /^(<=|>=|<|>|=|\^|~>?)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][0-9A-Za-z.-]*)?$/;

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function parseVersion(s: string): Version {
  const [a = 0, b = 0, c = 0] = s.split(".").map(Number);
  return [a, b, c];
}

/** One comparator as an interval, or null when it is not a version range (a tag, a URL). */
function comparator(token: string): Interval | null {
  const m = COMPARATOR.exec(token);
  if (!m) return null;
  const op = m[1] ?? "";
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? null : Number(p)));
  const given = parts.findIndex((p) => p === null);
  const known = given < 0 ? 3 : given;
  const v: Version = [parts[0] ?? 0, known > 1 ? parts[1]! : 0, known > 2 ? parts[2]! : 0];
  /** The first version past the given precision: 1.2 → 1.3.0. */
  const next = (at: number): Version | null => (at === 0 ? null : at === 1 ? [v[0] + 1, 0, 0] : at === 2 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1]);
  switch (op) {
    case ">=":
    case ">":
      return { lo: v, hi: null, inclusive: false };
    case "<":
      return { lo: ZERO, hi: v, inclusive: false };
    case "<=":
      return known === 3 ? { lo: ZERO, hi: v, inclusive: true } : { lo: ZERO, hi: next(known), inclusive: false };
    case "^": {
      const at = v[0] > 0 || known === 1 ? 1 : v[1] > 0 || known === 2 ? 2 : 3;
      return { lo: v, hi: next(at), inclusive: false };
    }
    case "~":
    case "~>":
      return { lo: v, hi: next(known === 1 ? 1 : 2), inclusive: false };
    default:
      return known === 3 ? { lo: v, hi: v, inclusive: true } : { lo: v, hi: next(known), inclusive: false };
  }
}

/** The intervals a range allows (one per `||` alternative), or null when it is not a plain version range. */
function intervals(range: string): Interval[] | null {
  const out: Interval[] = [];
  for (const alt of range.split("||").slice(0, 8)) {
    const text = alt.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const tokens = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text === "" ? ["*"] : text.split(/\s+/).slice(0, 8);
    let acc: Interval = { lo: ZERO, hi: null, inclusive: false };
    for (const token of tokens) {
      const c = comparator(token.replace(/^(<=|>=|<|>|=)\s*/, "$1"));
      if (!c) return null;
      const lo = cmp(c.lo, acc.lo) > 0 ? c.lo : acc.lo;
      const hiFromC = acc.hi === null || (c.hi !== null && cmp(c.hi, acc.hi) < 0);
      acc = { lo, hi: hiFromC ? c.hi : acc.hi, inclusive: hiFromC ? c.inclusive : acc.inclusive };
    }
    out.push(acc);
  }
  return out;
}

/** Whether every version the range allows lacks the fix. */
function allAffected(range: string, lib: Library): boolean {
  const allowed = intervals(range);
  if (!allowed) return false;
  return allowed.every((r) =>
    lib.fixed.every(([fromText, toText]) => {
      const from = parseVersion(fromText);
      const to = toText === null ? null : parseVersion(toText);
      const startsBeforeEnd = to === null || cmp(r.lo, to) < 0;
      const endsAfterStart = r.hi === null || (r.inclusive ? cmp(from, r.hi) <= 0 : cmp(from, r.hi) < 0);
      return !(startsBeforeEnd && endsAfterStart);
    }),
  );
}

export default createRule({
  id: "zip-slip-vulnerable-library",
  meta: {
    title: "Archive library version that extracts outside the target directory (zip slip)",
    description:
      "The project pins adm-zip, jszip, decompress, unzipper or tar to versions whose own extraction writes archive entries named `../…` (or absolute, or through symlinks the archive plants) outside the target directory, so extracting an uploaded or downloaded archive overwrites files anywhere the service can write: code, keys, cron jobs. PCI DSS 6.3.3 requires installing patches for known vulnerabilities.",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-22", "CWE-1395"],
    owasp: ["A06:2021"],
    pci: ["6.3.3", "6.2.4"],
    remediation:
      "Upgrade the library to a fixed version (adm-zip ≥ 0.4.11, jszip ≥ 3.8.0, decompress ≥ 4.2.1, unzipper ≥ 0.8.13, tar ≥ 6.1.9) and refresh the lock file; until then, check every entry's resolved path against the target directory before writing it.",
    references: [
      "https://github.com/snyk/zip-slip-vulnerability",
      "https://cwe.mitre.org/data/definitions/22.html",
      "https://nvd.nist.gov/vuln/detail/CVE-2018-1002204",
      "https://nvd.nist.gov/vuln/detail/CVE-2021-37701",
    ],
    tags: ["security", "dependencies"],
    languages: ["text"],
  },
  create(ctx) {
    const { file } = ctx;
    const manifest = MANIFESTS.exec(file.path)?.[1];
    if (!manifest) return {};
    return {
      text() {
        const text = file.text;
        const lock = manifest !== "package.json";
        const sections = lock ? [] : [...text.matchAll(SECTION)];
        for (const m of text.matchAll(DEPENDENCY)) {
          const name = m[1]!;
          const range = m[2] ?? m[3]!;
          const lib = LIBRARIES.get(name)!;
          if (lock) {
            // A lock entry: skip development-only installs ("dev": true before the entry closes).
            if (m[3] === undefined) continue;
            const close = text.indexOf("}", m.index);
            if (/"dev"\s*:\s*true/.test(text.slice(m.index, close < 0 ? undefined : close))) continue;
          } else {
            if (m[2] === undefined) continue;
            const section = sections.filter((s) => s.index < m.index).at(-1)?.[1];
            if (section === undefined || section === "devDependencies") continue;
          }
          if (!allAffected(range, lib)) continue;
          const at = m.index + m[0].lastIndexOf(range);
          const how = lock ? `the lock file installs ${name} ${range}` : `every version "${range}" allows is affected`;
          ctx.report({
            start: at,
            end: at + range.length,
            message: `${name} ${range} ${lib.does} (${lib.advisory}): ${how}. Upgrade to a fixed version.`,
          });
        }
      },
    };
  },
});
