/**
 * GET /dashboard/projects/{projectId}/scans — the project's scans, newest first, filtered by
 * status and by the severities they found, paged with the same opaque cursors as GET /v1/scans.
 * The filter form is a plain GET form: the page's URL is the filter.
 */
import { z } from "zod";
import { database } from "../../db/client";
import { listScans } from "../../db/scan-queries";
import { SEVERITIES } from "../../engine/types";
import { ApiError } from "../../errors";
import { ScanCursor } from "../../routes/scans-list";
import { decodeCursor, encodeCursor, SCAN_STATUSES } from "../../scans/views";
import { formatTime } from "../format";
import { Layout } from "../layout";
import { definePage } from "../page";
import { pageProject } from "../project-access";
import { renderPage } from "../render";

const PAGE_SIZE = 25;

/** An empty select sends "": that is "any". */
const any = (v: unknown) => (v === "" ? undefined : v);
const Filters = z.object({
  status: z.preprocess(any, z.enum(SCAN_STATUSES).optional()),
  severity: z.preprocess(any, z.enum(SEVERITIES).optional()),
  cursor: z.preprocess(any, z.string().max(200).optional()),
});

export const scansPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/scans",
  summary: "Scans",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const parsed = Filters.safeParse(c.req.query());
    if (!parsed.success) throw new ApiError("validation_failed", "Invalid filters.");
    const { status, severity, cursor } = parsed.data;
    const before = cursor ? decodeCursor(cursor, ScanCursor) : undefined;
    const rows = await listScans(db, project.id, { limit: PAGE_SIZE + 1, status, severity, before: before && { createdAt: before.c, id: before.i } });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const next =
      rows.length > PAGE_SIZE && last
        ? new URLSearchParams({ ...(status ? { status } : {}), ...(severity ? { severity } : {}), cursor: encodeCursor({ c: last.createdAt, i: last.id }) })
        : null;
    const base = `/dashboard/projects/${project.id}/scans`;
    return renderPage(
      c,
      <Layout title="Scans" session={c.get("session")} project={project} current="scans">
        <form method="get" action={base} class="panel" aria-label="Filter scans">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">any</option>
            {SCAN_STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {s}
              </option>
            ))}
          </select>{" "}
          <label for="severity">With findings of severity</label>
          <select id="severity" name="severity">
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option value={s} selected={s === severity}>
                {s}
              </option>
            ))}
          </select>{" "}
          <button type="submit">Filter</button>
        </form>
        {page.length === 0 ? (
          <p>No scans{status || severity ? " match these filters" : " yet"}.</p>
        ) : (
          <table>
            <caption>Scans, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Scan</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Files</th>
                <th scope="col">Critical</th>
                <th scope="col">High</th>
                <th scope="col">Medium</th>
                <th scope="col">Low</th>
                <th scope="col">Info</th>
              </tr>
            </thead>
            <tbody>
              {page.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/${s.id}`}>
                      <code>{s.id}</code>
                    </a>
                  </th>
                  <td>{s.status}</td>
                  <td>{formatTime(s.createdAt)}</td>
                  <td>{s.fileCount}</td>
                  <td>{s.findingsCritical}</td>
                  <td>{s.findingsHigh}</td>
                  <td>{s.findingsMedium}</td>
                  <td>{s.findingsLow}</td>
                  <td>{s.findingsInfo}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="Pages">
          {cursor && <a href={`${base}?${new URLSearchParams({ ...(status ? { status } : {}), ...(severity ? { severity } : {}) }).toString()}`}>Newest</a>}
          {next && (
            <a href={`${base}?${next.toString()}`} rel="next">
              Older scans
            </a>
          )}
        </nav>
      </Layout>,
    );
  },
});
