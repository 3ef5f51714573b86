/** How an API key looks over HTTP (never its hash or the key itself), shared by the /v1/keys routes. */
import { z } from "zod";
import { SCOPES } from "../auth/api-keys";
import type { apiKeys } from "../db/schema";

export const KeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    kind: z.enum(["secret", "publishable"]).describe("secret: servers only; publishable: web pages on allowedOrigins"),
    allowedOrigins: z.array(z.string()).nullable().describe("The origins a publishable key works from; null for a secret key"),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "Key", description: "An API key's metadata: never the key or its hash" });

/** A key as the list shows it (OpenAPI examples). */
export const KEY_EXAMPLE: z.infer<typeof KeyView> = {
  id: "key_5d2c8a1f3b9e4c7d8a6f0e1b2c3d4e5f",
  name: "ci",
  prefix: "pca_live_Xq3v",
  scopes: ["scans:write", "scans:read"],
  kind: "secret",
  allowedOrigins: null,
  createdAt: "2026-12-01T08:00:00.000Z",
  lastUsedAt: "2026-12-03T09:30:00.000Z",
  revokedAt: null,
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function keyView(r: typeof apiKeys.$inferSelect): z.infer<typeof KeyView> {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as Array<(typeof SCOPES)[number]>,
    kind: r.kind,
    allowedOrigins: r.allowedOrigins,
    createdAt: iso(r.createdAt)!,
    lastUsedAt: iso(r.lastUsedAt),
    revokedAt: iso(r.revokedAt),
  };
}
