/**
 * Every dashboard page, in registration order (app.ts registers each from its declaration; the
 * registry test walks them). Kept apart from the API's ROUTES: pages answer HTML to a signed-in
 * browser, not JSON to an API key, and stay out of the OpenAPI document.
 */
import type { PageDef } from "./page";
import { findingPage } from "./pages/finding";
import { keysPage } from "./pages/keys";
import { keysCreatePage } from "./pages/keys-create";
import { keysRevokePage } from "./pages/keys-revoke";
import { login } from "./pages/login";
import { loginClerk } from "./pages/login-clerk";
import { loginLink } from "./pages/login-link";
import { logout } from "./pages/logout";
import { projectsPage } from "./pages/projects";
import { scanPage } from "./pages/scan";
import { scanSarifPage } from "./pages/scan-sarif";
import { scansPage } from "./pages/scans";
import { stylesheet } from "./pages/stylesheet";
import { webhookPage } from "./pages/webhook";
import { webhooksPage } from "./pages/webhooks";
import { webhooksCreatePage } from "./pages/webhooks-create";

export const PAGES: readonly PageDef[] = [
  stylesheet,
  login,
  loginLink,
  loginClerk,
  logout,
  projectsPage,
  keysPage,
  keysCreatePage,
  keysRevokePage,
  scansPage,
  scanPage,
  scanSarifPage,
  findingPage,
  webhooksPage,
  webhooksCreatePage,
  webhookPage,
];
