/** How an API key looks over HTTP (never its hash or the key itself), shared by the /v1/keys routes. */
import { z } from "zod";
import { SCOPES } from "../auth/api-keys";
import type { apiKeys } from "../db/schema";

export const KeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function keyView(r: typeof apiKeys.$inferSelect): z.infer<typeof KeyView> {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as Array<(typeof SCOPES)[number]>,
    createdAt: iso(r.createdAt)!,
    lastUsedAt: iso(r.lastUsedAt),
    revokedAt: iso(r.revokedAt),
  };
}
