/**
 * GET /dashboard/projects/{projectId}/keys — the project's API keys (prefix, scopes, created, last
 * used, revoked), a form to create one and a button to revoke each. The page also renders the
 * answer to the create form, which is the only time a new key is ever shown.
 */
import type { Context } from "hono";
import { SCOPES } from "../../auth/api-keys";
import { database } from "../../db/client";
import { listKeys } from "../../db/key-queries";
import type { AppEnv } from "../../env";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { formatTime } from "../format";
import { CsrfField, Layout } from "../layout";
import { definePage } from "../page";
import { pageProject, type ProjectRow } from "../project-access";
import { renderPage } from "../render";

/** What the create form produced: the new key (shown once) or why it was refused. */
export type KeyFormOutcome = { created: { name: string; key: string } } | { refused: string[] };

export async function renderKeysPage(c: Context<AppEnv>, project: ProjectRow, outcome?: KeyFormOutcome, status: ContentfulStatusCode = 200): Promise<Response> {
  const session = c.get("session");
  const keys = await listKeys(database(c.env.DB), project.id);
  const base = `/dashboard/projects/${project.id}/keys`;
  return renderPage(
    c,
    <Layout title="API keys" session={session} project={project} current="keys">
      {outcome && "created" in outcome && (
        <section class="new-key" aria-labelledby="new-key-heading" role="status">
          <h2 id="new-key-heading">New key “{outcome.created.name}”</h2>
          <p>Copy it now: it is shown this once, and only its hash is kept.</p>
          <p>
            <code id="new-key">{outcome.created.key}</code>
          </p>
        </section>
      )}
      {outcome && "refused" in outcome && (
        <div class="panel" role="alert">
          <p>The key was not created:</p>
          <ul>
            {outcome.refused.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      <table>
        <caption>Keys of this project, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Kind</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.kind === "publishable" ? `publishable, from ${(k.allowedOrigins ?? []).join(", ")}` : "secret"}</td>
              <td>{k.scopes.join(", ")}</td>
              <td>{formatTime(k.createdAt)}</td>
              <td>{formatTime(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt !== null ? (
                  `Revoked ${formatTime(k.revokedAt)}`
                ) : (
                  <form method="post" action={`${base}/${k.id}/revoke`} class="inline">
                    <CsrfField session={session} />
                    <button type="submit" class="secondary" aria-label={`Revoke key ${k.name} (${k.prefix}…)`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a key</h2>
        <form method="post" action={base}>
          <CsrfField session={session} />
          <p>
            <label for="key-name">Name</label>
            <input type="text" id="key-name" name="name" required maxlength={100} autocomplete="off" />
          </p>
          <p>
            <label for="key-kind">Kind</label>
            <select id="key-kind" name="kind">
              <option value="live">secret, live (pca_live_…)</option>
              <option value="test">secret, test (pca_test_…)</option>
              <option value="publishable">publishable, for web pages (pca_pub_…)</option>
            </select>
          </p>
          <fieldset>
            <legend>Scopes of a secret key (a publishable key holds scans:write and reads only its own scans)</legend>
            {SCOPES.map((scope) => (
              <label>
                <input type="checkbox" name="scopes" value={scope} checked={scope !== "keys:admin"} /> {scope}
              </label>
            ))}
          </fieldset>
          <p>
            <label for="key-origins">Allowed origins of a publishable key (one per line, e.g. https://wiki.example.com)</label>
            <br />
            <textarea id="key-origins" name="allowedOrigins" rows={2} cols={50}></textarea>
          </p>
          <button type="submit">Create key</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

export const keysPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/keys",
  summary: "API keys",
  auth: "session",
  async handler(c) {
    return renderKeysPage(c, await pageProject(c, database(c.env.DB)));
  },
});
