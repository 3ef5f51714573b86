/**
 * Validates SARIF logs against the OASIS SARIF 2.1.0 schema (test/schemas, a copy so tests never
 * reach outside the project). The schema is draft-04; it uses nothing that differs in draft-07
 * apart from `id`, so it is loaded into ajv's default draft-07 mode with `id` renamed `$id`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const file = path.join(import.meta.dirname, "..", "..", "schemas", "sarif-schema-2.1.0.json");
const { id, ...schema } = JSON.parse(readFileSync(file, "utf8")) as { id: string } & Record<string, unknown>;
delete schema.$schema; // draft-04's meta-schema URI, which ajv does not bundle

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile({ ...schema, $id: id });

/** Schema errors of a SARIF log as readable lines; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
