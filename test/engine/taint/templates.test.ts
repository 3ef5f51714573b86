/** What each sink hands the attack simulator, and the findings' flows. */
import { describe, expect, it } from "vitest";
import { taintHits } from "./taint-harness";
import { MAX_HOLES, MAX_TEXT } from "../../../src/engine/taint/template";

describe("templates for the simulator", () => {
  it("SQL: constant text and the tainted hole", () => {
    const { hits } = taintHits(`app.get("/x", (req, res) => db.query("SELECT * FROM users WHERE id = '" + req.query.id + "'"));`);
    expect(hits[0]!.template).toEqual({
      parts: [
        { kind: "text", text: "SELECT * FROM users WHERE id = '" },
        { kind: "hole", label: "req.query.id" },
        { kind: "text", text: "'" },
      ],
    });
  });

  it("values escaped for the sink's class become neutral text, unknown pieces placeholders", () => {
    const { hits } = taintHits(`const mysql = require("mysql");
app.get("/x", (req, res) => db.query("SELECT * FROM " + tableName + " WHERE a = " + mysql.escape(req.query.a) + " AND b = '" + req.query.b + "'"));`);
    expect(hits[0]!.template).toEqual({
      parts: [
        { kind: "text", text: "SELECT * FROM tableName WHERE a = 'x' AND b = '" },
        { kind: "hole", label: "req.query.b" },
        { kind: "text", text: "'" },
      ],
    });
  });

  it("NoSQL: the query document as an object literal", () => {
    const { hits } = taintHits(`app.post("/x", (req, res) => User.findOne({ email: req.body.email, active: true }));`);
    expect(hits[0]!.template).toEqual({
      parts: [
        { kind: "text", text: '{ "email": ' },
        { kind: "hole", label: "req.body.email" },
        { kind: "text", text: ', "active": 1 }' },
      ],
    });
  });

  it("paths joined with path.join read as one path", () => {
    const { hits } = taintHits(`const fs = require("fs"); const path = require("path");
app.get("/x", (req, res) => fs.readFileSync(path.join("/srv/files", req.query.f)));`);
    expect(hits[0]!.template).toEqual({
      parts: [
        { kind: "text", text: "/srv/files/" },
        { kind: "hole", label: "req.query.f" },
      ],
    });
  });

  it("classes without a simulator get no template", () => {
    const { hits } = taintHits(`app.get("/x", (req, res) => new RegExp(req.query.q));`);
    expect(hits[0]!.template).toBeUndefined();
  });

  it("is bounded in holes and text", () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `"${"x".repeat(400)} c${i} = '" + req.query.p${i} + "'"`).join(" + ");
    const { hits } = taintHits(`app.get("/x", (req, res) => db.query("SELECT 1 WHERE " + ${pieces}));`);
    const parts = hits[0]!.template!.parts;
    expect(parts.filter((p) => p.kind === "hole").length).toBeLessThanOrEqual(MAX_HOLES);
    const text = parts.reduce((n, p) => n + (p.kind === "text" ? p.text.length : 0), 0);
    expect(text).toBeLessThanOrEqual(MAX_TEXT + 1024);
  });
});

describe("flows", () => {
  it("go from the source through each named step to the sink", () => {
    const { hits } = taintHits(`function where(v) {
  return "name = '" + v + "'";
}
app.get("/x", (req, res) => {
  const { name } = req.query;
  const clause = where(name);
  db.query("SELECT * FROM t WHERE " + clause);
});`);
    expect(hits[0]!.flow).toEqual([
      "5:20 req.query: query string (attacker-controlled)",
      "5:11 destructured as name",
      "6:24 passed to where()",
      "6:18 returned by where()",
      "6:9 assigned to clause",
      "7:3 db.query() receives it as SQL text",
    ]);
    expect(hits[0]!.message).toBe("req.query.name (query string, from req.query) flows into db.query() as SQL text.");
  });
});
