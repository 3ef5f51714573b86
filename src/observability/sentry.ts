/**
 * Sentry through toucan-js, one client per request or queue batch, active only when SENTRY_DSN
 * is set. Toucan sends method and URL path only (no headers, cookies, query or body), and
 * `beforeSend` scrubs card numbers, secrets, API keys and webhook signatures from messages,
 * exception values, breadcrumbs and extras. Submitted source code never reaches Sentry.
 */
import { Toucan } from "toucan-js";
import type { Env } from "../env";
import { scrubText, scrubValue } from "./scrub";

type SentryEvent = Parameters<NonNullable<ConstructorParameters<typeof Toucan>[0]["beforeSend"]>>[0];

export function scrubEvent(event: SentryEvent): SentryEvent {
  if (event.message) event.message = scrubText(event.message);
  for (const ex of event.exception?.values ?? []) {
    if (ex.value) ex.value = scrubText(ex.value);
  }
  if (event.breadcrumbs)
    event.breadcrumbs = event.breadcrumbs.map((b) => ({ ...b, message: b.message && scrubText(b.message), data: b.data && scrubValue(b.data) }));
  if (event.extra) event.extra = scrubValue(event.extra);
  if (event.request) {
    delete event.request.data;
    delete event.request.cookies;
    delete event.request.query_string;
    if (event.request.url) event.request.url = event.request.url.split("?")[0];
  }
  return event;
}

export function createSentry(env: Env, ctx: ExecutionContext, request?: Request): Toucan | null {
  if (!env.SENTRY_DSN) return null;
  return new Toucan({
    dsn: env.SENTRY_DSN,
    context: ctx,
    request,
    requestDataOptions: { allowedHeaders: ["user-agent", "cf-ray"], allowedSearchParams: /^$/, allowedCookies: /^$/ },
    beforeSend: scrubEvent,
  });
}
