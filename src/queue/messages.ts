/**
 * Queue message schemas (zod). A message only names its work (well under the 128 KB limit): the
 * submission waits in R2. "scan" runs a queued scan; "explain" adds AI explanations to a
 * completed one.
 */
import { z } from "zod";

const Ids = { scanId: z.string().min(1).max(64), projectId: z.string().min(1).max(64) };

export const ScanJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("scan"), ...Ids }),
  z.object({ kind: z.literal("explain"), ...Ids }),
]);
export type ScanJob = z.infer<typeof ScanJob>;
