/** Queue message schemas (zod): a message names a scan; the submission itself waits in R2. */
import { z } from "zod";

export const ScanJob = z.object({
  kind: z.literal("scan"),
  scanId: z.string().min(1).max(64),
  projectId: z.string().min(1).max(64),
});
export type ScanJob = z.infer<typeof ScanJob>;
