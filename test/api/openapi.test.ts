/**
 * The OpenAPI document as clients and their tools read it, under Node where the tools run: a real
 * linter (Redocly CLI with its recommended rules) reports no error and no warning, and every
 * example the document shows — request and response bodies, headers, parameters — validates
 * against the schema beside it (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../src/app";
import { buildOpenApi } from "../../src/openapi";
import { SCAN_EXAMPLE } from "../../src/scans/views";

const doc = buildOpenApi(ROUTES) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
type Media = { schema: unknown; example?: unknown };
type Operation = {
  operationId: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { $ref?: string; content?: Record<string, Media> }>;
};

describe("redocly lint /openapi.json", () => {
  it("finds no error and no warning with the recommended rules", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");
      const run = spawnSync(process.execPath, [cli, "lint", file, "--extends", "recommended", "--format", "json"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      });
      const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every `{ schema, example }` pair in the document outside the component schemas themselves. */
function* examples(node: unknown, where: string): Generator<{ where: string; schema: unknown; example: unknown }> {
  if (node === null || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  if ("schema" in n && "example" in n) yield { where, schema: n.schema, example: n.example };
  for (const [key, value] of Object.entries(n))
    if (key !== "example" && key !== "schema" && where !== "#/components") yield* examples(value, `${where}/${key}`);
  if (where === "#/components") for (const key of ["responses", "headers", "parameters"]) yield* examples(n[key], `${where}/${key}`);
}

/** A validator for schemas of this document: its `#/components/schemas/X` references resolve. */
function validatorFor(schema: unknown) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/')) as Record<string, unknown>;
  const root = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as Record<string, unknown>;
  return ajv.compile({ ...root, $defs: defs });
}

describe("documented examples", () => {
  const found = [...examples(doc.paths, "#/paths"), ...examples(doc.components, "#/components")];

  it("every example validates against its schema", () => {
    const failures = found.flatMap(({ where, schema, example }) => {
      const validate = validatorFor(schema);
      return validate(example) ? [] : [`${where}: ${JSON.stringify(validate.errors)}`];
    });
    expect(failures).toEqual([]);
    expect(found.length).toBeGreaterThan(40);
  });

  it("every JSON request body and success body carries an example", () => {
    const missing: string[] = [];
    for (const methods of Object.values(doc.paths)) {
      for (const op of Object.values(methods)) {
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
          if (media.example === undefined) missing.push(`${op.operationId} request ${type}`);
        for (const [status, res] of Object.entries(op.responses)) {
          if (!status.startsWith("2") || op.operationId === "getOpenApi") continue;
          for (const [type, media] of Object.entries(res.content ?? {}))
            if (type.includes("json") && media.example === undefined) missing.push(`${op.operationId} ${status} ${type}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("the validator resolves references: a scan example with a bogus status fails", () => {
    const validate = validatorFor({ $ref: "#/components/schemas/Scan" });
    expect(validate(SCAN_EXAMPLE)).toBe(true);
    expect(validate({ ...SCAN_EXAMPLE, findings: [{ ...SCAN_EXAMPLE.findings![0], severity: "dire" }] })).toBe(false);
  });
});
