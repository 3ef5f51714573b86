/**
 * GET /dashboard/projects/{projectId}/scans/{scanId}/findings/{findingId} — one finding: what and
 * where, the masked snippet, the source → sink flow, the attack proof (benign vs attack, the
 * structural difference marked), the remediation and the fix (the patch, its verdict and the
 * attack re-run on the patched code).
 */
import { database } from "../../db/client";
import { getFinding } from "../../db/scan-queries";
import type { FindingDetails } from "../../db/scan-queries";
import type { Fix, Proof } from "../../engine/types";
import { ApiError } from "../../errors";
import { toFindingView } from "../../scans/views";
import { getFindingObject } from "../../storage/objects";
import { FixPanel } from "../fix-view";
import { shown } from "../format";
import { Layout } from "../layout";
import { definePage } from "../page";
import { pageProject, pageScan } from "../project-access";
import { ProofPanel } from "../proof-view";
import { renderPage } from "../render";

const FINDING_ID = /^[0-9a-f]{1,64}$/;

export const findingPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/scans/{scanId}/findings/{findingId}",
  summary: "Finding detail",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const scan = await pageScan(c, db, project);
    const findingId = c.req.param("findingId") ?? "";
    const row = FINDING_ID.test(findingId) ? await getFinding(db, scan.id, findingId) : undefined;
    if (!row) throw new ApiError("not_found", "No such finding.");
    const f = toFindingView(scan.id, row);
    const proof = f.proof ?? (row.proofKey ? await getFindingObject<Proof>(c.env.PROOFS, row.proofKey) : null);
    // A fix too large to keep in its row is in R2, like a large proof.
    const fixKey = (row.details as FindingDetails).fixKey;
    const fix = f.fix ?? (fixKey ? await getFindingObject<Fix>(c.env.PROOFS, fixKey) : null) ?? undefined;
    const fixUnavailable = f.fixUnavailable;
    const at = (l: { path: string; startLine: number; startColumn: number }) => `${shown(l.path)}:${l.startLine}:${l.startColumn}`;
    return renderPage(
      c,
      <Layout title={shown(f.title)} session={c.get("session")} project={project} current="scans">
        <p>
          <a href={`/dashboard/projects/${project.id}/scans/${scan.id}`}>Back to scan {scan.id}</a>
        </p>
        <dl class="panel">
          <dt>Severity</dt>
          <dd>
            <span class={`sev sev-${f.severity}`}>{f.severity}</span> (confidence {f.confidence})
          </dd>
          <dt>Rule</dt>
          <dd>
            <code>{f.ruleId}</code>
          </dd>
          <dt>Where</dt>
          <dd>
            <code>{at(f.location)}</code>
          </dd>
          <dt>PCI DSS</dt>
          <dd>{f.pci.join(", ") || "—"}</dd>
          <dt>CWE, OWASP</dt>
          <dd>{[...f.cwe, ...f.owasp].join(", ") || "—"}</dd>
        </dl>
        <p>{shown(f.message)}</p>
        <h2>Code</h2>
        <pre>
          <code>{shown(f.snippet)}</code>
        </pre>
        {f.flow.length > 0 && (
          <>
            <h2>Flow: source → sink</h2>
            <ol class="flow">
              {f.flow.map((step, i) => (
                <li>
                  <strong>{i === 0 ? "Source" : i === f.flow.length - 1 ? "Sink" : "Step"}</strong> <code>{at(step.location)}</code>: {shown(step.message)}
                </li>
              ))}
            </ol>
          </>
        )}
        {proof ? <ProofPanel proof={proof} /> : <p>No attack proof for this finding.</p>}
        <h2>Remediation</h2>
        <p>{shown(f.remediation)}</p>
        <FixPanel fix={fix} unavailable={fixUnavailable} />
        {f.explanation && (
          <>
            <h2>Explanation ({f.explanation.model})</h2>
            <p>{shown(f.explanation.explanation)}</p>
            <pre>
              <code>{shown(f.explanation.fix)}</code>
            </pre>
          </>
        )}
      </Layout>,
    );
  },
});
