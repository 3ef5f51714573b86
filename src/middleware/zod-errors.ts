/** Turns zod issues into the `errors[]` extension of validation problems (one entry per field). */
import type { z } from "zod";
import type { FieldError } from "../errors";

export function zodFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    pointer: "/" + issue.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/"),
    message: issue.message,
  }));
}
