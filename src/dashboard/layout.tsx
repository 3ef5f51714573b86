/**
 * The frame of every dashboard page: landmarks (a skip link, a header with the navigation, one
 * main region with the page's h1), the served stylesheet, and the sign-out form. No script: every
 * page works as plain HTML and forms.
 */
import type { Child } from "hono/jsx";
import { CSRF_FIELD } from "../middleware/csrf";
import type { DashboardSession } from "./sessions";
import { STYLESHEET_PATH } from "./pages/stylesheet";

export interface LayoutProps {
  title: string;
  /** The signed-in session (navigation and sign-out); absent on the login and error pages. */
  session?: DashboardSession;
  /** The project the page belongs to: adds its sections to the navigation. */
  project?: { id: string; name: string };
  /** The navigation entry to mark as the current page. */
  current?: "projects" | "keys" | "scans" | "webhooks";
  children?: Child;
}

export function Layout({ title, session, project, current, children }: LayoutProps) {
  const here = (name: LayoutProps["current"]) => (name === current ? { "aria-current": "page" as const } : {});
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · PCI Auditor`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">PCI Auditor</span>
          {session && (
            <nav aria-label="Dashboard">
              <ul>
                <li>
                  <a href="/dashboard" {...here("projects")}>
                    Projects
                  </a>
                </li>
                {project && (
                  <>
                    <li>
                      <a href={`/dashboard/projects/${project.id}/scans`} {...here("scans")}>
                        Scans
                      </a>
                    </li>
                    <li>
                      <a href={`/dashboard/projects/${project.id}/keys`} {...here("keys")}>
                        API keys
                      </a>
                    </li>
                    <li>
                      <a href={`/dashboard/projects/${project.id}/webhooks`} {...here("webhooks")}>
                        Webhooks
                      </a>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          )}
          {session && (
            <form method="post" action="/dashboard/logout" class="signout">
              <CsrfField session={session} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          {project && <p class="project-name">Project: {project.name}</p>}
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** The hidden field every form of a signed-in page carries. */
export function CsrfField({ session }: { session: DashboardSession }) {
  return <input type="hidden" name={CSRF_FIELD} value={session.csrfToken} />;
}
