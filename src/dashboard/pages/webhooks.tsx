/**
 * GET /dashboard/projects/{projectId}/webhooks — the project's webhook endpoints (URL, events,
 * enabled or why disabled, failing since), each opening its delivery log, and a form to register
 * one. The page also renders the answer to that form, the only time a signing secret is shown.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { database } from "../../db/client";
import type { AppEnv } from "../../env";
import { MAX_WEBHOOKS_PER_PROJECT } from "../../routes/webhooks-create";
import { listEndpoints } from "../../webhooks/endpoints";
import { SUBSCRIBABLE_EVENTS } from "../../webhooks/events";
import { formatTime } from "../format";
import { CsrfField, Layout } from "../layout";
import { definePage } from "../page";
import { pageProject, type ProjectRow } from "../project-access";
import { renderPage } from "../render";

/** What the register form produced: the endpoint's secret (shown once) or why it was refused. */
export type WebhookFormOutcome = { created: { url: string; secret: string } } | { refused: string[] };

export async function renderWebhooksPage(
  c: Context<AppEnv>,
  project: ProjectRow,
  outcome?: WebhookFormOutcome,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const session = c.get("session");
  const endpoints = await listEndpoints(database(c.env.DB), project.id, { limit: MAX_WEBHOOKS_PER_PROJECT });
  const base = `/dashboard/projects/${project.id}/webhooks`;
  return renderPage(
    c,
    <Layout title="Webhooks" session={session} project={project} current="webhooks">
      {outcome && "created" in outcome && (
        <section class="new-key" aria-labelledby="new-secret-heading" role="status">
          <h2 id="new-secret-heading">Endpoint registered: {outcome.created.url}</h2>
          <p>Its signing secret, shown this once: verify every delivery's webhook-signature with it (Standard Webhooks).</p>
          <p>
            <code id="new-secret">{outcome.created.secret}</code>
          </p>
        </section>
      )}
      {outcome && "refused" in outcome && (
        <div class="panel" role="alert">
          <p>The endpoint was not registered:</p>
          <ul>
            {outcome.refused.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      {endpoints.length === 0 ? (
        <p>No webhook endpoints yet.</p>
      ) : (
        <table>
          <caption>Endpoints, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Description</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Failing since</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/${e.id}`}>{e.url}</a>
                </th>
                <td>{e.description ?? ""}</td>
                <td>{e.events.join(", ")}</td>
                <td>{e.status === "enabled" ? "enabled" : `disabled (${e.disabledReason ?? "unknown"})`}</td>
                <td>{e.failingSince === null ? "—" : formatTime(e.failingSince)}</td>
                <td>{formatTime(e.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel" aria-labelledby="register-heading">
        <h2 id="register-heading">Register an endpoint</h2>
        <form method="post" action={base}>
          <CsrfField session={session} />
          <p>
            <label for="webhook-url">URL (https, public host)</label>
            <input type="url" id="webhook-url" name="url" required maxlength={2048} size={50} autocomplete="off" />
          </p>
          <p>
            <label for="webhook-description">Description</label>
            <input type="text" id="webhook-description" name="description" maxlength={100} autocomplete="off" />
          </p>
          <fieldset>
            <legend>Events</legend>
            {SUBSCRIBABLE_EVENTS.map((event) => (
              <label>
                <input type="checkbox" name="events" value={event} checked /> {event}
              </label>
            ))}
          </fieldset>
          <button type="submit">Register endpoint</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

export const webhooksPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/webhooks",
  summary: "Webhooks",
  auth: "session",
  async handler(c) {
    return renderWebhooksPage(c, await pageProject(c, database(c.env.DB)));
  },
});
