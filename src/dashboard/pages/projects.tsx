/** GET /dashboard — the projects this session may see, with their latest activity. */
import { database } from "../../db/client";
import { Layout } from "../layout";
import { definePage } from "../page";
import { visibleProjects } from "../project-access";
import { renderPage } from "../render";
import { formatTime } from "../format";

export const projectsPage = definePage({
  method: "get",
  path: "/dashboard",
  summary: "Projects",
  auth: "session",
  async handler(c) {
    const session = c.get("session");
    const rows = await visibleProjects(c, database(c.env.DB));
    return renderPage(
      c,
      <Layout title="Projects" session={session} current="projects">
        {rows.length === 0 ? (
          <p>
            No projects yet. Create one with <code>POST /v1/projects</code> and the admin token.
          </p>
        ) : (
          <table>
            <caption>{session.projectId ? "Your organization's project" : "Every project (operator)"}</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
                <th scope="col">Sections</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr>
                  <th scope="row">{p.name}</th>
                  <td>
                    <code>{p.id}</code>
                  </td>
                  <td>{formatTime(p.createdAt)}</td>
                  <td>
                    <a href={`/dashboard/projects/${p.id}/scans`}>Scans</a> · <a href={`/dashboard/projects/${p.id}/keys`}>API keys</a> ·{" "}
                    <a href={`/dashboard/projects/${p.id}/webhooks`}>Webhooks</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  },
});
