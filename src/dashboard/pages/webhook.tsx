/**
 * GET /dashboard/projects/{projectId}/webhooks/{webhookId} — one endpoint and its delivery log,
 * newest first and paged like GET /v1/webhooks/{id}/deliveries: each delivery's event, outcome and
 * every attempt (status code, error class, latency). Never a secret or a receiver's response body.
 */
import { z } from "zod";
import { database } from "../../db/client";
import { ApiError } from "../../errors";
import { webhookOr404 } from "../../routes/webhook-lookup";
import { DeliveryCursor } from "../../routes/webhooks-deliveries";
import { decodeCursor, encodeCursor } from "../../scans/views";
import { listDeliveries } from "../../webhooks/deliveries";
import { formatTime, shown } from "../format";
import { Layout } from "../layout";
import { definePage } from "../page";
import { pageProject } from "../project-access";
import { renderPage } from "../render";

const PAGE_SIZE = 25;
const Query = z.object({ cursor: z.string().max(200).optional() });

export const webhookPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/webhooks/{webhookId}",
  summary: "Webhook endpoint and deliveries",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const endpoint = await webhookOr404(db, project.id, c.req.param("webhookId") ?? "");
    const query = Query.safeParse(c.req.query());
    if (!query.success) throw new ApiError("validation_failed", "Invalid cursor.");
    const cursor = query.data.cursor;
    const before = cursor ? decodeCursor(cursor, DeliveryCursor) : undefined;
    const rows = await listDeliveries(db, endpoint.id, { limit: PAGE_SIZE + 1, before: before && { createdAt: before.c, id: before.i } });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const base = `/dashboard/projects/${project.id}/webhooks/${endpoint.id}`;
    const next =
      rows.length > PAGE_SIZE && last ? `${base}?${new URLSearchParams({ cursor: encodeCursor({ c: last.createdAt, i: last.id }) }).toString()}` : null;
    return renderPage(
      c,
      <Layout title={`Webhook ${endpoint.url}`} session={c.get("session")} project={project} current="webhooks">
        <dl class="panel">
          <dt>Status</dt>
          <dd>{endpoint.status === "enabled" ? "enabled" : `disabled (${endpoint.disabledReason ?? "unknown"}) since ${formatTime(endpoint.disabledAt)}`}</dd>
          <dt>Events</dt>
          <dd>{endpoint.events.join(", ")}</dd>
          <dt>Failing since</dt>
          <dd>{endpoint.failingSince === null ? "—" : formatTime(endpoint.failingSince)}</dd>
          <dt>Created</dt>
          <dd>{formatTime(endpoint.createdAt)}</dd>
        </dl>
        <h2>Deliveries</h2>
        {page.length === 0 ? (
          <p>No deliveries yet.</p>
        ) : (
          <table>
            <caption>Deliveries, newest first, with every attempt</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Delivered</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {page.map((d) => (
                <tr>
                  <th scope="row">
                    {d.eventType}
                    {d.scanId && (
                      <>
                        {" "}
                        <a href={`/dashboard/projects/${project.id}/scans/${d.scanId}`}>
                          <code>{d.scanId}</code>
                        </a>
                      </>
                    )}
                  </th>
                  <td>
                    {d.status}
                    {d.lastError ? ` (${shown(d.lastError)})` : ""}
                  </td>
                  <td>{formatTime(d.createdAt)}</td>
                  <td>{d.deliveredAt === null ? "—" : formatTime(d.deliveredAt)}</td>
                  <td>
                    {d.attemptLog.length === 0 ? (
                      "none yet"
                    ) : (
                      <ol>
                        {d.attemptLog.map((a) => (
                          <li>
                            {formatTime(a.createdAt)}: {a.statusCode ?? "no answer"}
                            {a.errorClass ? ` ${a.errorClass}` : ""}, {a.latencyMs} ms
                          </li>
                        ))}
                      </ol>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="Pages">
          {cursor && <a href={base}>Newest</a>}
          {next && (
            <a href={next} rel="next">
              Older deliveries
            </a>
          )}
        </nav>
      </Layout>,
    );
  },
});
