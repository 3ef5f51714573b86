/**
 * Archive readers (adm-zip, jszip, unzipper, tar, yauzl, decompress): the names of an archive's
 * entries are whatever its author wrote, "../../etc/cron.d/x" and "/root/.ssh/authorized_keys"
 * included, so joining one into a path and writing there is path traversal ("zip slip").
 *
 * Which archives are the attacker's: one opened from attacker data (an upload's buffer, a
 * request body) surely is; one opened from a constant path (a file shipped with the server) or
 * created empty (an export being built) is not. One opened from anything else (a path in a
 * variable, multer's stored upload path, a piped stream) is read from outside the code — in a
 * server almost always an upload or a download — so its entries are a source too, at medium
 * confidence, because the code does not show where the bytes came from.
 *
 * The libraries' own extraction is not a sink where it confines entries itself: adm-zip's
 * `extractAllTo`/`extractEntryTo` (since 0.4.11), tar's `x`/`extract` (unless `preservePaths`),
 * unzipper's `Extract` (since 0.8.13) and decompress with an output directory (since 4.2.1);
 * yauzl refuses such names as it reads them unless `decodeStrings` is false; jszip drops "..".
 */
import { propertyName, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { PATH } from "../taint/kinds";
import { F_NUMERIC, UNKNOWN, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, MethodRow, SummaryRow } from "./rows";
import { optionIsTrue, reportCallSink } from "./sink-report";

const ENTRY_NAME = "archive entry name";

/** Text whose every piece is written in the code: the server's own file. */
function constant(v: Value): boolean {
  return !v.taint && (v.str !== null || (!!v.parts && v.parts.every((p) => typeof p === "string")) || !!(v.flags & F_NUMERIC));
}

/**
 * The entries of an archive opened from `input` (a buffer, a path, a stream): attacker data
 * unless the archive is the server's. `safe`: what the library's own handling of names already
 * makes them safe for.
 */
function archiveFrom(host: ModelHost, site: CallSite, input: Value | undefined, safe = 0): Value {
  if (!input || constant(input)) return UNKNOWN;
  const surely = !!input.taint && input.taint.origin.param < 0 && !input.taint.origin.stored;
  return host.source(site.node, ENTRY_NAME, { obj: true, safe, ...(surely ? {} : { confidence: "medium" }) });
}

/**
 * jszip (since 3.8.0) resolves ".." out of names as it loads them (the raw name is kept as
 * `unsafeOriginalName`): no name climbs out of the directory it is joined to. An absolute name
 * stays absolute, which matters only where the name is resolved alone (`path.resolve(dir, name)`).
 */
const jszipLoaded = (host: ModelHost, site: CallSite): Value => archiveFrom(host, site, site.args[0], PATH);

/** A parser fed by a pipe (`unzipper.Parse()`, `new tar.Parse()`): where its bytes come from is not in the call. */
function streamArchive(host: ModelHost, site: CallSite): Value {
  return host.source(site.node, ENTRY_NAME, { obj: true, confidence: "medium" });
}

const opened =
  (index: number) =>
  (host: ModelHost, site: CallSite): Value =>
    archiveFrom(host, site, site.args[index]);

/** An option written as the literal `false` in the call's options object. */
function optionIsFalse(options: JsNode | undefined, name: string): boolean {
  const o = options ? unwrap(options) : null;
  if (o?.type !== "ObjectExpression") return false;
  return o.properties.some(
    (p: JsNode) => p.type === "Property" && propertyName(p) === name && unwrap(p.value).type === "Literal" && unwrap(p.value).value === false,
  );
}

/**
 * yauzl's `open(path, options, (err, zipfile) => …)`: the callback gets the archive. yauzl
 * refuses absolute and ".." entry names itself unless `decodeStrings: false` hands over the raw
 * bytes, so only then are the names the author's.
 */
function yauzlOpen(host: ModelHost, site: CallSite): Value {
  const raw = optionIsFalse(site.node.arguments?.[1], "decodeStrings");
  const archive = raw ? archiveFrom(host, site, site.args[0]) : UNKNOWN;
  const cb = site.args.findLast((a) => a.fn)?.fn;
  if (cb) host.callInline(cb, [UNKNOWN, archive], UNKNOWN, "call");
  return archive;
}

/**
 * tar's `t`/`x`/`Parse` with an `onentry(entry)` option: the entries of the `file` option's
 * archive, or of what is piped in. `x({ preservePaths: true })` extracts entry names as written.
 */
function tarEntries(host: ModelHost, site: CallSite): Value {
  const opts = site.args[0];
  const file = opts?.props?.get("file");
  const archive = file ? archiveFrom(host, site, file) : streamArchive(host, site);
  const onentry = opts?.props?.get("onentry")?.fn;
  if (onentry) host.callInline(onentry, [archive], UNKNOWN, "call");
  // A sink without a tainted argument, so it is reported here rather than by a sink row.
  if ((site.method === "x" || site.method === "extract") && optionIsTrue(opts, ["preservePaths"])) {
    reportCallSink(host, site, PATH, archive, 'as the paths it extracts to (preservePaths keeps ".." and absolute entry names)', "text");
  }
  return site.isNew ? archive : UNKNOWN;
}

const SUMMARIES: SummaryRow[] = [
  { call: "adm-zip:", effect: opened(0) },
  { call: "jszip:loadAsync", effect: jszipLoaded },
  { call: "decompress:", effect: opened(0) },
  ...["Parse", "ParseOne"].map((f): SummaryRow => ({ call: `unzipper:${f}`, effect: streamArchive })),
  ...["Open.buffer", "Open.file", "Open.s3", "Open.custom"].map((f): SummaryRow => ({ call: `unzipper:${f}`, effect: opened(0) })),
  { call: "unzipper:Open.url", effect: opened(1) },
  ...["open", "fromBuffer", "fromFd", "fromRandomAccessReader"].flatMap((f): SummaryRow[] => [
    { call: `yauzl:${f}`, effect: yauzlOpen },
    { call: `yauzl-promise:${f}`, effect: yauzlOpen },
  ]),
  ...["Parse", "t", "list", "x", "extract"].map((f): SummaryRow => ({ call: `tar:${f}`, effect: tarEntries })),
];

export const model: LibraryModel = {
  id: "archives",
  description: "Archive readers: adm-zip, jszip, unzipper, tar, yauzl, decompress — entry names as attacker data, tar's preservePaths.",
  fixtures: ["path-traversal/theme-import.js", "path-traversal/statement-archives.js", "path-traversal/receipt-bundles.ts"],
  summaries: SUMMARIES,
  // `new JSZip().loadAsync(buffer)`.
  methods: [{ method: "loadAsync", effect: (host, _recv, site) => (site.args[0] ? jszipLoaded(host, site) : null) } satisfies MethodRow],
};
