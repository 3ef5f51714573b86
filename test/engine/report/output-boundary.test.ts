/**
 * The engine's output boundary: whatever string a rule, the simulator or the parser writes, a card
 * number or a key in it leaves the engine masked, and no input makes the notification list or a
 * message grow without bound. First on hand-built results (every field), then through scan() for
 * each side channel that once leaked.
 */
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";
import {
  FINDING_MESSAGE_MAX_CHARS,
  guardScanResult,
  maskOutputText,
  NOTIFICATIONS_PER_CODE,
  NOTIFICATIONS_PER_CODE_AND_FILE,
  NOTIFICATION_MAX_CHARS,
} from "../../../src/engine/report/output-boundary";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import type { Notification, Proof } from "../../../src/engine/types";
import { finding, result, sqlFinding } from "./sample-result";

const PAN = "4916338506082832";
const DOTTED_PAN = "4916.3385.0608.2832";
// The key from the report that found the leak; its body reads as a placeholder to the detector.
const KEY = "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr";
const KEY_BODY = KEY.slice(8);

/** The raw forms that must never leave the engine. */
const LEAKS = [PAN, DOTTED_PAN, KEY_BODY];

function proof(text: string): Proof {
  const rendering = { input: text, rendered: text, structure: text };
  return {
    kind: "shell",
    payload: text,
    benign: rendering,
    attack: { ...rendering },
    verdict: "proven",
    evidence: text,
    parser: { name: "pci-auditor-shell-tokenizer", version: "1" },
  };
}

/** Every string in a value, with the path of keys that leads to it. */
function strings(value: unknown, at = ""): Array<[string, string]> {
  if (typeof value === "string") return [[at, value]];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${Array.isArray(value) ? "[]" : k}`));
}

// Fields the engine fills from its own tables (rule metadata, enums, hashes), never from input.
const ENGINE_OWNED = new Set([
  ".findings.[].id",
  ".findings.[].ruleId",
  ".findings.[].severity",
  ".findings.[].confidence",
  ".findings.[].cwe.[]",
  ".findings.[].owasp.[]",
  ".findings.[].pci.[]",
  ".findings.[].category",
  ".findings.[].tags.[]",
  ".findings.[].fingerprint",
  ".findings.[].remediation",
  ".findings.[].proof.kind",
  ".findings.[].proof.verdict",
  ".findings.[].proof.parser.name",
  ".findings.[].proof.parser.version",
  ".notifications.[].level",
  ".notifications.[].code",
  ".engineVersion",
]);

describe("guardScanResult", () => {
  it("masks card numbers and keys in every string the engine writes", () => {
    const planted = `x ${PAN} ${DOTTED_PAN} Authorization:${KEY} y`;
    const where = { path: `fixtures/${PAN}.json`, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 };
    const raw = result(
      [
        sqlFinding({
          title: planted,
          message: planted,
          location: where,
          snippet: planted,
          flow: [{ location: where, message: planted }],
          proof: proof(planted),
        }),
      ],
      [
        { level: "warning", code: "parse-error", path: where.path, message: planted },
        { level: "warning", code: "unknown-rule", ruleId: planted, message: planted },
      ],
    );
    const written = strings(raw).filter(([at]) => !ENGINE_OWNED.has(at));
    // The sample must plant something in each field the engine writes, or this test proves nothing.
    expect(written.filter(([, text]) => !LEAKS.some((leak) => text.includes(leak))).map(([at]) => at)).toEqual([]);
    const guarded = strings(guardScanResult(raw));
    expect(guarded.filter(([, text]) => LEAKS.some((leak) => text.includes(leak)))).toEqual([]);
    expect(guardScanResult(raw).findings[0]!.location.path).toBe("fixtures/491633******2832.json");
  });

  it("caps notifications per code and file with a count of the rest", () => {
    const many = Array.from({ length: 40_000 }, (_, i): Notification => ({
      level: "warning",
      code: "sql-parse-error",
      path: "db/dump.sql",
      line: i + 1,
      message: "SQL statement did not parse.",
    }));
    const other: Notification = { level: "warning", code: "sql-parse-error", path: "db/other.sql", message: "SQL statement did not parse." };
    const { notifications } = guardScanResult(result([], [...many, other]));
    expect(notifications.slice(0, NOTIFICATIONS_PER_CODE_AND_FILE)).toEqual(many.slice(0, NOTIFICATIONS_PER_CODE_AND_FILE));
    expect(notifications[NOTIFICATIONS_PER_CODE_AND_FILE]).toEqual({
      level: "warning",
      code: "sql-parse-error",
      path: "db/dump.sql",
      message: `…and ${(40_000 - NOTIFICATIONS_PER_CODE_AND_FILE).toLocaleString("en-US")} more "sql-parse-error" notifications for this file.`,
    });
    expect(notifications.slice(NOTIFICATIONS_PER_CODE_AND_FILE + 1)).toEqual([other]);
  });

  it("caps notifications per code over the scan, accounting for every one dropped", () => {
    const input = Array.from({ length: 300 }, (_, f) =>
      Array.from({ length: 25 }, (_, i): Notification => ({ level: "note", code: "rule-error", path: `src/f${f}.js`, message: `failure ${i}` })),
    ).flat();
    const { notifications } = guardScanResult(result([], input));
    expect(notifications.length).toBe(NOTIFICATIONS_PER_CODE + 1);
    const counted = (n: Notification) => Number(/^…and ([\d,]+) more/.exec(n.message)?.[1]?.replace(/,/g, "") ?? 1);
    expect(notifications.reduce((sum, n) => sum + counted(n), 0)).toBe(input.length);
    expect(notifications.at(-1)).toMatchObject({ code: "rule-error", message: expect.stringMatching(/more "rule-error" notifications in this scan\.$/) });
    expect(notifications.at(-1)!.path).toBeUndefined();
  });

  it("bounds messages, masking before it cuts", () => {
    const long = `${"x".repeat(NOTIFICATION_MAX_CHARS - 10)}${PAN}${"y".repeat(1_000_000)}`;
    const { notifications, findings } = guardScanResult(result([finding({ message: long })], [{ level: "error", code: "rule-error", message: long }]));
    expect(notifications[0]!.message.length).toBe(NOTIFICATION_MAX_CHARS);
    expect(findings[0]!.message.length).toBe(FINDING_MESSAGE_MAX_CHARS);
    for (const text of [notifications[0]!.message, findings[0]!.message]) {
      expect(text).toContain("491633");
      expect(text).not.toContain(PAN.slice(0, 7));
    }
  });

  it("keeps finding ids distinct when masked paths coincide", () => {
    // Two files whose names differ only in digits the mask hides.
    const a = finding({ location: { path: "cards/4556737586899855.sql", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } });
    const b = finding({ location: { path: "cards/4556731000079855.sql", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } });
    const { findings } = guardScanResult(result([a, b]));
    expect(findings.map((f) => f.location.path)).toEqual(["cards/455673******9855.sql", "cards/455673******9855.sql"]);
    expect(findings[0]!.id).toBe(a.id);
    expect(findings[1]!.id).not.toBe(a.id);
    expect(findings[1]!.id).toBe(findings[1]!.fingerprint.slice(0, 20));
  });
});

describe("maskOutputText", () => {
  it.each([
    ["a Stripe key that reads as a placeholder", `curl -H Authorization:${KEY} https://api.example.com/`, KEY],
    ["a password in a connection URI", "psql postgres://app:Tr0ub4dor3horse@db.internal/pay -c", "Tr0ub4dor3horse"],
    ["a SQL account password", "CREATE USER app IDENTIFIED BY 'Tr0ub4dor&3x'", "Tr0ub4dor&3x"],
    ["a secret-named assignment", 'const clientSecret = "f9Kq2LmZ8xVb4NcR7tYw"', "f9Kq2LmZ8xVb4NcR7tYw"],
  ])("masks %s, keeping its first four characters", (_, text, secret) => {
    expect(maskOutputText(text)).not.toContain(secret.slice(4));
    expect(maskOutputText(text)).toContain(secret.slice(0, 4) + "****");
  });

  it("leaves text without secrets or card numbers as it is", () => {
    const text = "payload in req.query.id, as an unquoted SQL value (line 12:34, v10.15.7.2024.11.39)";
    expect(maskOutputText(text)).toBe(text);
  });
});

describe("the simulator masks keys before it cuts a rendering", () => {
  it("never lets the boundary see the body of a key the rendering window cut through", async () => {
    // The window keeps the last ~2,000 characters before the payload: the filler's length slides
    // the key across its left edge.
    for (let filler = 1_950; filler <= 1_995; filler += 3) {
      const p = await prove("shell", templateOf(`echo ${KEY} ${"b".repeat(filler)} `, { hole: "req.query.f" }));
      // A whole key is the boundary's to mask; a cut one must be masked already.
      const shown = maskOutputText([p!.benign.rendered, p!.attack.rendered].join("\n"));
      for (let i = 0; i + 8 <= KEY_BODY.length; i++) expect(shown).not.toContain(KEY_BODY.slice(i, i + 8));
    }
  });
});

describe("through scan()", () => {
  async function scanned(files: Array<{ path: string; content: string }>) {
    const out = await scan({ files });
    return { out, json: JSON.stringify(out) };
  }

  it("masks a key in a shell command next to an injection sink, in every part of the proof", async () => {
    const { out, json } = await scanned([
      {
        path: "src/a.js",
        content: `const { exec } = require("child_process");\napp.get("/x", (req, res) => { exec("curl -H Authorization:${KEY} https://api.example.com/" + req.query.path); });\n`,
      },
    ]);
    const finding = out.findings.find((f) => f.ruleId === "command-injection");
    expect(finding?.proof?.benign.rendered).toContain("Authorization:sk_l****");
    expect(json).not.toContain(KEY_BODY);
  });

  it("masks a key inside a SQL string next to an injection sink", async () => {
    const key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    const { out, json } = await scanned([
      {
        path: "src/b.js",
        content: `app.get("/y", (req, res) => { db.query("SELECT * FROM accounts WHERE api_key = '${key}' AND id = " + req.query.id); });\n`,
      },
    ]);
    expect(out.findings.find((f) => f.ruleId === "sql-injection")?.proof?.verdict).toBe("proven");
    expect(json).not.toContain(key.slice(8));
  });

  it("masks a card number in an identifier quoted by a flow step and by a parse error", async () => {
    const { out, json } = await scanned([
      {
        path: "src/c.js",
        content: `app.get("/y", (req, res) => { const pan_${PAN} = req.query.q; db.query("SELECT * FROM t WHERE a = '" + pan_${PAN} + "'"); });\n`,
      },
      { path: "src/d.js", content: `let pan_${PAN} = 1;\nlet pan_${PAN} = 2;\n` },
    ]);
    expect(out.findings.find((f) => f.ruleId === "sql-injection")?.flow.map((s) => s.message)).toContain("assigned to pan_491633******2832");
    expect(out.notifications.find((n) => n.code === "parse-error")?.message).toContain("Identifier 'pan_491633******2832'");
    expect(json).not.toContain(PAN);
  });

  it("masks card numbers in file paths, in findings, flows and notifications", async () => {
    const { out, json } = await scanned([
      { path: `fixtures/${PAN}.json`, content: '{"password": "Tr0ub4dor&3x"}' },
      { path: `fixtures/${PAN}.js`, content: "let x = ;" },
      { path: `src/${PAN}/route.js`, content: 'app.get("/z", (req, res) => { const q = req.query.q; db.query("SELECT * FROM t WHERE a = " + q); });\n' },
    ]);
    expect(out.findings.map((f) => f.location.path)).toContain("fixtures/491633******2832.json");
    expect(out.findings.flatMap((f) => f.flow.map((s) => s.location.path))).toContain("src/491633******2832/route.js");
    expect(out.notifications.map((n) => n.path)).toContain("fixtures/491633******2832.js");
    expect(json).not.toContain(PAN);
  });

  it("reports a dot-grouped card number and masks it in place in every snippet", async () => {
    const { out, json } = await scanned([{ path: "src/e.js", content: `const password = "Tr0ub4dor&3x"; const n = "${DOTTED_PAN}";\n` }]);
    expect(out.findings.map((f) => f.ruleId).sort()).toEqual(["card-number-in-source", "hardcoded-secret"]);
    for (const f of out.findings) expect(f.snippet).toContain('"4916.33**.****.2832"');
    expect(json).not.toContain(DOTTED_PAN);
  });
});
