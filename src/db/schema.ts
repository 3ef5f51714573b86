/**
 * D1 schema (drizzle). Times are Unix epoch milliseconds. Card data never lands here unmasked:
 * findings store masked snippets and messages only; API keys are stored as SHA-256 hashes.
 * Migrations in migrations/ are generated from this file by `npm run db:generate`.
 */
import type { ErrorCode } from "../errors";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Clerk organization whose signed-in members may use this project from the dashboard. */
    clerkOrgId: text("clerk_org_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("projects_clerk_org_idx").on(t.clerkOrgId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    hash: text("hash").notNull(),
    /** First characters of the key, shown to humans to tell keys apart (e.g. "pca_live_Ab3d"). */
    prefix: text("prefix").notNull(),
    /** JSON array of scopes: "scans:write", "scans:read", "keys:admin", "webhooks:admin". */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    /** "secret" (pca_live_/pca_test_, servers only) or "publishable" (pca_pub_, browsers on its allowed origins). */
    kind: text("kind").$type<"secret" | "publishable">().notNull().default("secret"),
    /** A publishable key's allowed origins (JSON array of exact scheme://host[:port]); null for secret keys. */
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_keys_hash_idx").on(t.hash),
    index("api_keys_project_idx").on(t.projectId, t.createdAt),
    // CORS preflights ask whether any live publishable key allows an origin: only those rows are read.
    index("api_keys_publishable_idx")
      .on(t.kind, t.revokedAt)
      .where(sql`${t.kind} = 'publishable'`),
  ],
);

/** A scan's states; src/scans/lifecycle.ts alone moves a scan between them. */
export const SCAN_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export const scans = sqliteTable(
  "scans",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Written only by src/scans/lifecycle.ts; D1 refuses any other value (migration 0005). */
    status: text("status", { enum: SCAN_STATUSES }).notNull(),
    /** SHA-256 over files, options and engine version: finds identical submissions. */
    contentHash: text("content_hash").notNull(),
    engineVersion: text("engine_version").notNull(),
    options: text("options", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    fileCount: integer("file_count").notNull(),
    byteCount: integer("byte_count").notNull(),
    findingsTotal: integer("findings_total").notNull().default(0),
    findingsCritical: integer("findings_critical").notNull().default(0),
    findingsHigh: integer("findings_high").notNull().default(0),
    findingsMedium: integer("findings_medium").notNull().default(0),
    findingsLow: integer("findings_low").notNull().default(0),
    findingsInfo: integer("findings_info").notNull().default(0),
    /** Counts by severity, PCI DSS requirement and rule (engine's ScanSummary), set on completion. */
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
    /** JSON array of engine notifications (masked). */
    notifications: text("notifications", { mode: "json" }).$type<unknown[]>().notNull().default([]),
    error: text("error"),
    /**
     * Error code the creating request answered with when the scan failed inside it because of its
     * input (e.g. results too large to store): a replay of its Idempotency-Key answers the same.
     */
    rejectedWith: text("rejected_with").$type<ErrorCode>(),
    /** SHA-256 of the Idempotency-Key (hex), never the key: clients put anything in it. */
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    /** The API key that created the scan: a publishable key reads only the scans it created. */
    createdByKey: text("created_by_key"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("scans_project_created_idx").on(t.projectId, t.createdAt),
    index("scans_project_status_idx").on(t.projectId, t.status, t.createdAt),
    index("scans_project_hash_idx").on(t.projectId, t.contentHash, t.createdAt),
    uniqueIndex("scans_project_idempotency_idx").on(t.projectId, t.idempotencyKey),
    index("scans_status_started_idx").on(t.status, t.startedAt),
  ],
);

export const findings = sqliteTable(
  "findings",
  {
    scanId: text("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    ruleId: text("rule_id").notNull(),
    severity: text("severity").notNull(),
    /** Severity as a number for ordering (0 = critical … 4 = info). */
    severityRank: integer("severity_rank").notNull(),
    confidence: text("confidence").notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    path: text("path").notNull(),
    startLine: integer("start_line").notNull(),
    startColumn: integer("start_column").notNull(),
    endLine: integer("end_line").notNull(),
    endColumn: integer("end_column").notNull(),
    fingerprint: text("fingerprint").notNull(),
    /** Masked source lines. */
    snippet: text("snippet").notNull(),
    /** cwe, owasp, pci, tags, category, flow, remediation, explanation (JSON). */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Inline proof (JSON) when small. */
    proof: text("proof", { mode: "json" }).$type<Record<string, unknown>>(),
    /** R2 key of a proof too large to keep inline. */
    proofKey: text("proof_key"),
    /** Workers AI explanation and fix ({ explanation, fix, model }), when the scan asked for one. */
    explanation: text("explanation", { mode: "json" }).$type<{ explanation: string; fix: string; model: string }>(),
  },
  (t) => [
    primaryKey({ columns: [t.scanId, t.id] }),
    index("findings_scan_severity_idx").on(t.scanId, t.severityRank, t.path, t.startLine),
    index("findings_scan_rule_idx").on(t.scanId, t.ruleId),
    index("findings_fingerprint_idx").on(t.fingerprint),
  ],
);

/** An endpoint's state (src/webhooks/endpoints.ts owns every change). */
export const WEBHOOK_ENDPOINT_STATUSES = ["enabled", "disabled"] as const;
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number];
/** Why an endpoint is disabled: by its owner, after failing continuously, or because it answered 410 Gone. */
export const WEBHOOK_DISABLED_REASONS = ["manual", "failing", "gone"] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** The Standard Webhooks signing secret ("whsec_…"), sealed with AES-GCM under WEBHOOK_SECRET_KEY; never in clear. */
    secret: text("secret").notNull(),
    /** The secret replaced by the last rotation, sealed; it signs alongside the new one until `previousSecretExpiresAt`. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    /** JSON array of event types, e.g. ["scan.completed"]. */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status").$type<WebhookEndpointStatus>().notNull().default("enabled"),
    disabledReason: text("disabled_reason").$type<WebhookDisabledReason>(),
    disabledAt: integer("disabled_at"),
    /** Start of the current run of failed attempts (null while the endpoint answers). */
    failingSince: integer("failing_since"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** Circuit breaker: no attempt before this time; the first one after it is the probe. */
    circuitOpenUntil: integer("circuit_open_until"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_project_idx").on(t.projectId, t.createdAt)],
);

/** A delivery's state (src/webhooks/deliveries.ts owns every change): delivered, or failed = given up. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event to one endpoint: the unit that is retried, given up or redelivered. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The Standard Webhooks `webhook-id`: one per event, the same across retries and redeliveries. */
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    scanId: text("scan_id"),
    /** The exact JSON body sent: ids, status and counts only (never code, snippets or card data). */
    payload: text("payload").notNull(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    /** Error class of the last failed attempt, or why the delivery was given up (never a response body). */
    lastError: text("last_error"),
    lastLatencyMs: integer("last_latency_ms"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt), index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt)],
);

/** The delivery log: one row per HTTP attempt (status, latency, error class, when the next one is due; no bodies). */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    errorClass: text("error_class"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** Cache of AI explanations by finding fingerprint and model: a repeated finding costs no second call. */
export const aiExplanations = sqliteTable(
  "ai_explanations",
  {
    fingerprint: text("fingerprint").notNull(),
    model: text("model").notNull(),
    explanation: text("explanation").notNull(),
    fix: text("fix").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.fingerprint, t.model] })],
);

/**
 * AI-proposed patches (src/ai/propose-fixes.ts), cached by the masked source window the model
 * saw and the model: the same window never costs a second call. The patch is re-verified by the
 * engine on every scan that uses it.
 */
export const aiFixPatches = sqliteTable(
  "ai_fix_patches",
  {
    windowHash: text("window_hash").notNull(),
    model: text("model").notNull(),
    /** ProposedPatch as JSON, its lines relative to the window's first line. */
    patch: text("patch", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.windowHash, t.model] })],
);

/**
 * One-time dashboard login links (`npm start` prints one): the SHA-256 of the token, never the
 * token. Redeeming deletes the row, so a link works once, and only until `expiresAt`.
 */
export const dashboardLoginTokens = sqliteTable("dashboard_login_tokens", {
  hash: text("hash").primaryKey(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/** Signed-in dashboard browsers: the SHA-256 of the session cookie's token, never the token. */
export const dashboardSessions = sqliteTable(
  "dashboard_sessions",
  {
    hash: text("hash").primaryKey(),
    /** The one project this session may see (a Clerk organization's); null: every project (an operator's login link). */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    /** Who signed in: the Clerk user id, or "operator" for a login link. */
    subject: text("subject").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("dashboard_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * A GitHub App installation and the project its pushes and pull requests are scanned into. The
 * installation events record it (account, repositories); the administrator links it to a project
 * (PUT /v1/github/installations/{installationId}), since an installation id is a guessable number
 * and proves nothing about who owns a project. Owned by src/github/installations.ts.
 */
export const githubInstallations = sqliteTable(
  "github_installations",
  {
    /** GitHub's installation id. */
    id: integer("id").primaryKey(),
    /** The account (user or organization login) the App is installed on. */
    account: text("account"),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    /** Lowest severity that makes the check run fail ("none": never fails), as `--fail-on`. */
    failOn: text("fail_on").notNull().default("high"),
    /** Repository full names ("owner/name") the installation covers, as its events listed them. */
    repositories: text("repositories", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("github_installations_project_idx").on(t.projectId)],
);

/**
 * Every verified GitHub delivery, keyed by X-GitHub-Delivery: a redelivery finds its row and is
 * not handled twice. A queued check job keeps its progress here (the scan it made, the check run,
 * annotations sent) so a retried job resumes instead of repeating. Owned by src/github/deliveries.ts.
 */
export const githubDeliveries = sqliteTable(
  "github_deliveries",
  {
    /** X-GitHub-Delivery (a GUID). */
    id: text("id").primaryKey(),
    event: text("event").notNull(),
    /** queued | completed | failed | ignored | recorded */
    status: text("status").notNull(),
    installationId: integer("installation_id"),
    repository: text("repository"),
    headSha: text("head_sha"),
    scanId: text("scan_id"),
    checkRunId: integer("check_run_id"),
    annotationsSent: integer("annotations_sent").notNull().default(0),
    /** What the scan limits left out (our words), repeated in the check run summary. */
    notes: text("notes", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Why it was ignored or failed (our words). */
    reason: text("reason"),
    receivedAt: integer("received_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("github_deliveries_received_idx").on(t.receivedAt)],
);
