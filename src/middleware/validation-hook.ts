/** The @hono/zod-validator hook every route uses: failures become one validation_failed problem. */
import { ApiError } from "../errors";
import { zodFieldErrors } from "./zod-errors";
import type { z } from "zod";

export function validationHook(result: { success: true } | { success: false; error: z.core.$ZodError }): void {
  if (!result.success) throw new ApiError("validation_failed", "One or more parameters are invalid.", { errors: zodFieldErrors(result.error) });
}
