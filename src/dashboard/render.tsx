/**
 * Answering with a page: an HTML document from a JSX tree, and the dashboard's form of the one
 * error envelope — the same closed error codes, statuses, titles and request id as problem+json,
 * rendered as a page a person can read (detail bounded and scrubbed as problem() does).
 */
import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { ApiError, ERROR_CODES, reflected } from "../errors";
import { Layout } from "./layout";

/** An HTML document answer. */
export async function renderPage(c: Context<AppEnv>, page: JSX.Element, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.html(`<!doctype html>${await page}`, status);
}

/** An error as a dashboard page (app.ts answers dashboard paths with this instead of problem+json); a signed-in browser keeps its navigation. */
export function errorPage(c: Context<AppEnv>, error: ApiError): Promise<Response> {
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) c.header(name, value);
  const { title } = ERROR_CODES[error.code];
  return renderPage(
    c,
    <Layout title={title} session={c.get("session")}>
      {error.detail && <p>{reflected(error.detail, 400)}</p>}
      <p>
        Error <code>{error.code}</code> ({error.status}); request id <code>{c.get("requestId")}</code>.
      </p>
      <p>
        <a href="/dashboard">Back to the dashboard</a>
      </p>
    </Layout>,
    error.status,
  );
}
