/**
 * GET /dashboard/projects/{projectId}/scans/{scanId} — one scan: its status and figures, findings
 * per PCI DSS requirement (an inline SVG chart), the findings table (most severe first, each
 * opening its finding page with flow and proof), and the SARIF download. A scan still queued or
 * running reloads itself every few seconds (a meta refresh: no script needed).
 */
import { database } from "../../db/client";
import { listFindings } from "../../db/scan-queries";
import { SEVERITIES } from "../../engine/types";
import { toFindingView, toScanView } from "../../scans/views";
import { formatTime, shown } from "../format";
import { Layout } from "../layout";
import { definePage } from "../page";
import { PciChart } from "../pci-chart";
import { pageProject, pageScan } from "../project-access";
import { renderPage } from "../render";

/** Findings listed on the page; the SARIF download has them all. */
const FINDINGS_SHOWN = 200;

export const scanPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/scans/{scanId}",
  summary: "Scan detail",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const scan = await pageScan(c, db, project);
    const done = scan.status === "completed";
    const rows = done ? await listFindings(db, scan.id, { limit: FINDINGS_SHOWN + 1 }) : [];
    const summary = toScanView(scan).summary;
    const counts = { critical: scan.findingsCritical, high: scan.findingsHigh, medium: scan.findingsMedium, low: scan.findingsLow, info: scan.findingsInfo };
    const base = `/dashboard/projects/${project.id}/scans/${scan.id}`;
    if (!done && scan.status !== "failed") c.header("Refresh", "3");
    return renderPage(
      c,
      <Layout title={`Scan ${scan.id}`} session={c.get("session")} project={project} current="scans">
        <dl class="panel">
          <dt>Status</dt>
          <dd>
            {scan.status}
            {!done && scan.status !== "failed" ? " (this page reloads until it finishes)" : ""}
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(scan.createdAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(scan.finishedAt)}</dd>
          <dt>Files, bytes</dt>
          <dd>
            {scan.fileCount} files, {scan.byteCount} bytes
          </dd>
          <dt>Engine</dt>
          <dd>{scan.engineVersion}</dd>
          {scan.error && (
            <>
              <dt>Error</dt>
              <dd>{shown(scan.error)}</dd>
            </>
          )}
        </dl>
        {done && (
          <>
            <p>
              <a href={`${base}/sarif`} download>
                Download SARIF 2.1.0
              </a>
            </p>
            <h2>Findings by severity</h2>
            <ul>
              {SEVERITIES.map((s) => (
                <li>
                  <span class={`sev sev-${s}`}>{s}</span>: {counts[s]}
                </li>
              ))}
            </ul>
            <h2>PCI DSS requirements</h2>
            <PciChart counts={summary?.byPciRequirement ?? {}} />
            <h2>Findings</h2>
            {rows.length === 0 ? (
              <p>No findings.</p>
            ) : (
              <table>
                <caption>
                  {scan.findingsTotal} finding{scan.findingsTotal === 1 ? "" : "s"}, most severe first
                  {rows.length > FINDINGS_SHOWN ? ` (the first ${FINDINGS_SHOWN} shown; the SARIF download has every one)` : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">Finding</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Location</th>
                    <th scope="col">PCI DSS</th>
                    <th scope="col">Proof</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, FINDINGS_SHOWN).map((row) => {
                    const f = toFindingView(scan.id, row);
                    const verdict = f.proof?.verdict ?? (f.proofRef ? "on its page" : "—");
                    return (
                      <tr>
                        <td>
                          <span class={`sev sev-${f.severity}`}>{f.severity}</span>
                        </td>
                        <th scope="row">
                          <a href={`${base}/findings/${f.id}`}>{shown(f.title)}</a>
                        </th>
                        <td>
                          <code>{f.ruleId}</code>
                        </td>
                        <td>
                          <code>
                            {shown(f.location.path)}:{f.location.startLine}
                          </code>
                        </td>
                        <td>{f.pci.join(", ")}</td>
                        <td>{verdict}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </>
        )}
      </Layout>,
    );
  },
});
