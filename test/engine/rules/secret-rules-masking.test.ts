/**
 * The auditor must not become a secret store: scanning files full of secrets, the serialised
 * result (messages, snippets, everything) holds none of the secret values, only a short prefix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";
import { createSourceFile } from "../../../src/engine/source";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "fixtures");
const SECRET_RULES = ["connection-string-credentials", "hardcoded-api-key", "hardcoded-secret", "private-key-in-source"];

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

const files = SECRET_RULES.flatMap((id) => listFiles(path.join(FIXTURES, id)))
  .map((f) => path.relative(FIXTURES, f))
  .sort();

describe("secret masking", () => {
  it.each(files.map((f) => [f]))("%s: the scan result holds no secret value", async (rel) => {
    const text = readFileSync(path.join(FIXTURES, rel), "utf8");
    const dialect = /pca-dialect:\s*(\w+)/.exec(text)?.[1];
    const result = await scan({ files: [{ path: rel, content: text }] }, dialect ? { dialect: dialect as never } : {});
    const json = JSON.stringify(result);
    const lines = createSourceFile(rel, text).lines;
    const secrets: string[] = [];
    for (const f of result.findings.filter((x) => SECRET_RULES.includes(x.ruleId) && x.ruleId !== "private-key-in-source")) {
      const { startLine, startColumn, endLine, endColumn } = f.location;
      secrets.push(text.slice(lines.offset(startLine, startColumn - 1), lines.offset(endLine, endColumn - 1)));
    }
    // PEM key material: every base64 run of 40+ characters after a private-key marker.
    if (result.findings.some((x) => x.ruleId === "private-key-in-source")) secrets.push(...(text.match(/[A-Za-z0-9+/=]{40,}/g) ?? []));
    for (const secret of secrets.filter((s) => s.length >= 6)) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(4));
    }
  });

  it("covers a file full of secrets", async () => {
    const content = [
      'const stripe = "sk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ";',
      'const db = "postgres://payments_app:Vx9!kq2Lm7Zr@db-primary.internal:5432/payments";',
      'const DB_PASSWORD = "Summer2024!";',
      'const key = "-----BEGIN PRIVATE KEY-----\\nMIIEpAIBAAKCAQEApU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x\\n-----END PRIVATE KEY-----";',
      'headers.set("Authorization", "Bearer 4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e");',
    ].join("\n");
    const result = await scan({ files: [{ path: "src/secrets.ts", content }] });
    expect(result.findings.map((f) => f.ruleId).filter((id) => SECRET_RULES.includes(id))).toEqual([
      "hardcoded-api-key",
      "connection-string-credentials",
      "hardcoded-secret",
      "private-key-in-source",
      "hardcoded-secret",
    ]);
    const json = JSON.stringify(result);
    for (const secret of [
      "9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ",
      "Vx9!kq2Lm7Zr",
      "Summer2024!",
      "EApU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4x",
      "4f9a1c7e2b8d5f3a6c9e0b1d4f7a2c5e",
    ]) {
      expect(json).not.toContain(secret);
    }
  });
});
