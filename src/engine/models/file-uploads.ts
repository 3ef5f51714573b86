/**
 * Multipart upload parsers (formidable, busboy, @fastify/multipart, express-fileupload; multer
 * and koa-body fill `req.file(s)`, which http-frameworks describes). A file's name as the client
 * sent it (`originalname`, `originalFilename`, busboy's `info.filename`, fastify's `filename`) is
 * attacker text: "../../srv/app/server.js" is a valid one. The name and path a parser gives the
 * stored copy (`filepath`, `newFilename`, multer's `path` and `filename`) are the server's.
 * Fastify's `request.file()` is a request source, listed with the others in http-frameworks.
 */
import { F_ARRAY, F_CONTAINER, objectValue, UNKNOWN, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, RefinementRow, TypeRow } from "./rows";

/**
 * formidable's `form.parse(req, (err, fields, files) => …)`, and its promise of `[fields, files]`
 * (`form` is formidable itself, configured: "formidable:parse").
 */
function formidableParse(host: ModelHost, site: CallSite): Value {
  const fields = host.source(site.node, "form fields", { obj: true, flags: F_CONTAINER, label: "fields" });
  const files = host.source(site.node, "uploaded files", { obj: true, flags: F_CONTAINER, label: "files" });
  const cb = site.args.find((a) => a.fn)?.fn;
  if (cb) host.callInline(cb, [UNKNOWN, fields, files], UNKNOWN, "call");
  const pair = objectValue(
    new Map([
      ["0", fields],
      ["1", files],
    ]),
  );
  pair.flags |= F_ARRAY;
  return pair;
}

/** `busboy({ headers })`: a parser whose "file" and "field" events carry the client's names and values. */
function busboyParser(host: ModelHost, site: CallSite): Value {
  return host.source(site.node, "multipart form data", { obj: true });
}

const REFINEMENTS: RefinementRow[] = [
  // formidable (and koa-body, which uses it) and @fastify/multipart's saved files: the stored copy's path and name.
  { source: "uploaded file", property: /^(filepath|newFilename)$/, untainted: true },
  { source: "uploaded files", property: /^(filepath|newFilename)$/, untainted: true },
  { source: "multipart file part", property: /^filepath$/, untainted: true },
];

export const model: LibraryModel = {
  id: "file-uploads",
  description: "Multipart upload parsers: formidable, busboy, @fastify/multipart, express-fileupload — client-sent file names, server-chosen stored paths.",
  fixtures: ["path-traversal/upload-names.js", "path-traversal/upload-names-fastify-koa.ts"],
  refinements: REFINEMENTS,
  // `formidable(options)`, `new IncomingForm(options)`: a configured parser whose `parse` is "formidable:parse".
  types: ["formidable:", "formidable:formidable", "formidable:IncomingForm", "formidable:default"].map((call): TypeRow => ({ call, returns: "module" })),
  summaries: [
    { call: "busboy:", effect: busboyParser },
    { call: "formidable:parse", effect: formidableParse },
  ],
  sinks: [
    // express-fileupload: `req.files.x.mv(path)` moves the upload to the path given.
    {
      method: "mv",
      receiver: "any",
      when: (_host, site) => !!site.recv?.taint,
      argument: 0,
      rule: "path-traversal",
      what: "as the path an upload is moved to",
      mode: "text",
    },
  ],
};
