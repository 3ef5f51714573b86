/**
 * The names people give projects and keys: labels the API stores and shows back, so they may
 * hold neither characters that disguise them (controls, bidi overrides) nor card numbers or
 * secrets (the auditor must not become their store).
 */
import { z } from "zod";
import { hasCardDataOrSecret } from "../observability/scrub";
import { hasUnsafeChars } from "../unsafe-chars";

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((name) => !hasUnsafeChars(name), "must not contain control or bidi-formatting characters")
  .refine((name) => !hasCardDataOrSecret(name), "must not contain a card number or secret");
