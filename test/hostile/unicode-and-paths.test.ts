/**
 * Hostile: unicode and path tricks (issue 11 items 2 and 8). Labels the API keeps and shows back
 * (file paths, project and key names) refuse control and bidi-formatting characters with a 400
 * that names the field, never the value; names refuse card numbers and secrets; paths holding a
 * card number are scanned and stored masked; source text with a raw bidi override leaves in JSON
 * escaped; an X-Request-Id holding a card number is replaced, not echoed and logged.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createProject } from "../worker/helpers";
import { captureLogs, hostile, hostilePost, itLeavesNoCardDataOrSecrets, PANS, panForms, SECRETS } from "./harness";

const logs = captureLogs();
let main: Awaited<ReturnType<typeof createProject>>;

beforeAll(async () => {
  main = await createProject("Unicode");
});

/** One of each class the API refuses in labels: C0, DEL, C1, LRM/RLM, embeddings and overrides, isolates. */
const UNSAFE = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"];

type FieldErrors = Array<{ pointer: string; message: string }>;

describe("control and bidi characters in labels are refused, naming the field (issue 11 item 2)", () => {
  it("in file paths", async () => {
    for (const ch of UNSAFE) {
      const { res, body, text } = await hostilePost("/v1/scans", main.headers, {
        files: [
          { path: "ok.js", content: "" },
          { path: `src/invoice${ch}sj.exe.js`, content: "" },
        ],
      });
      expect(res.status).toBe(400);
      expect(body.errors as FieldErrors).toEqual([{ pointer: "/files/1/path", message: "must not contain control or bidi-formatting characters" }]);
      expect(text).not.toContain("invoice");
    }
  });

  it("in project names and key names", async () => {
    for (const ch of UNSAFE) {
      const project = await hostilePost("/v1/projects", ADMIN, { name: `Pay${ch}ments` });
      expect(project.res.status).toBe(400);
      expect((project.body.errors as FieldErrors)[0]!.pointer).toBe("/name");
      const key = await hostilePost("/v1/keys", main.headers, { name: `ci${ch}bot` });
      expect(key.res.status).toBe(400);
      expect((key.body.errors as FieldErrors)[0]!.pointer).toBe("/name");
      expect(key.text).not.toContain("bot");
    }
  });

  it("names refuse card numbers and secrets in any separator form", async () => {
    for (const name of [...panForms(PANS[1]).map((p) => `Team ${p}`), `Team ${SECRETS[0]}`]) {
      const { res, body } = await hostilePost("/v1/projects", ADMIN, { name });
      expect(res.status).toBe(400);
      expect(body.errors as FieldErrors).toEqual([{ pointer: "/name", message: "must not contain a card number or secret" }]);
    }
  });
});

describe("paths are labels, not a way out", () => {
  it("refuses absolute, drive-letter, UNC and parent-directory paths whatever their spelling", async () => {
    for (const path of ["/etc/passwd", "\\\\server\\share\\x.js", "C:\\x.js", "c:/x.js", "a/../../b.js", "a\\..\\b.js", "..", "", "x".repeat(513)]) {
      const { res, body } = await hostilePost("/v1/scans", main.headers, { files: [{ path, content: "" }] });
      expect(res.status).toBe(400);
      expect((body.errors as FieldErrors)[0]!.pointer).toBe("/files/0/path");
    }
  });

  it("scans look-alike paths as the labels they are (full-width dots, encoded dots, lone surrogates)", async () => {
    const files = [
      { path: "\uff0e\uff0e/\uff0e\uff0e/etc/passwd", content: "let a = 1;\n" },
      { path: "%2e%2e/%2e%2e/etc/passwd", content: "let b = 2;\n" },
      { path: "odd\ud800name.js", content: "let c = '\udfff';\n" },
    ];
    const { res, body } = await hostilePost("/v1/scans", main.headers, { files });
    expect(res.status).toBe(201);
    expect(body.status).toBe("completed");
  });

  it("stores and shows a path that holds a card number masked, in every separator form", async () => {
    const pan = PANS[1];
    const files = panForms(pan).map((form, i) => ({ path: `fixtures/${form}/card-${i}.js`, content: `const pan = "${pan}";\n` }));
    const { res, body } = await hostilePost("/v1/scans", main.headers, { files });
    expect(res.status).toBe(201);
    const paths = (body.findings as Array<{ location: { path: string } }>).map((f) => f.location.path);
    expect(paths.length).toBeGreaterThanOrEqual(files.length);
    for (const path of paths) expect(path).toMatch(/^fixtures\/455673\*+9855\/card-\d\.js$/);
  });
});

describe("card numbers and secrets through side channels (issue 11 items 1 and 2)", () => {
  it("never come back or get stored unmasked from identifiers, parse errors, dotted groups or proofs", async () => {
    const [a, b] = PANS;
    const files = [
      {
        path: "src/routes/pay.js",
        content: `const express = require("express");\nconst { exec } = require("child_process");\nconst app = express();\napp.post("/pay", (req, res) => {\n  const pan_${a} = req.body.card;\n  db.query("SELECT * FROM cards WHERE pan = '" + pan_${a} + "'");\n  exec("curl -H Authorization:${SECRETS[0]} https://api.example.com/" + req.query.path);\n  res.send("ok");\n});\n`,
      },
      { path: "db/broken.sql", content: `SELEC card_${b} FRM wallet WHER pan = ${b.match(/.{4}/g)!.join(".")};\n` },
      { path: "src/fixture.js", content: `export const card = "${a.match(/.{4}/g)!.join(".")}"; // ${b.match(/.{4}/g)!.join("/")}\n` },
    ];
    const { res, body } = await hostilePost("/v1/scans", main.headers, { files });
    expect(res.status).toBe(201);
    const findings = body.findings as Array<{ id: string; ruleId: string; flow: unknown[]; proof?: unknown; proofRef?: string }>;
    expect(findings.some((f) => f.flow.length > 0)).toBe(true);
    expect(findings.some((f) => f.proof !== undefined || f.proofRef !== undefined)).toBe(true);
    for (const f of findings.filter((x) => x.proof !== undefined || x.proofRef !== undefined)) {
      await hostile(`/v1/scans/${body.id as string}/findings/${f.id}/proof`, { headers: main.headers });
    }
    await hostile(`/v1/scans/${body.id as string}/sarif`, { headers: main.headers });
  });
});

describe("text the API did not choose", () => {
  it("leaves JSON with a raw bidi override in submitted source escaped", async () => {
    const content = `const key = "${SECRETS[0]}"; /* \u202e } \u2066if (isAdmin)\u2069 \u2066 { */\n`;
    const { res, text, body } = await hostilePost("/v1/scans", main.headers, { files: [{ path: "src/trojan.js", content }] });
    expect(res.status).toBe(201);
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain("\\u202e");
    // The snippet keeps the source as it is; only its JSON form escapes the overrides.
    const [finding] = body.findings as Array<{ snippet: string }>;
    expect(finding!.snippet).toContain("\u202e");
  });

  it("replaces an X-Request-Id holding a card number instead of echoing and logging it", async () => {
    const { res, body } = await hostile("/nope", { headers: { "x-request-id": `req-${PANS[2]}`, "cf-connecting-ip": "192.0.2.80" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });
});

itLeavesNoCardDataOrSecrets("unicode-and-paths", logs);
