/**
 * Sanitizers clear only the sink classes they are good for; checks narrow values only in the
 * branch they guard.
 */
import { describe, expect, it } from "vitest";
import { where } from "./taint-harness";

const handler = (body: string) => `const fs = require("fs");
const path = require("path");
const escapeHtml = require("escape-html");
app.get("/x", (req, res) => {
${body}
});`;

describe("sanitizers clear only their own classes", () => {
  it("HTML escaping protects HTML but not SQL", () => {
    const code = handler(`  const safe = escapeHtml(req.query.q);
  res.send("<p>" + safe + "</p>");
  db.query("SELECT * FROM t WHERE q = '" + safe + "'");`);
    expect(where(code)).toEqual(["sql-injection@7:3"]);
  });

  it("path.basename protects paths but not HTML", () => {
    const code = handler(`  const name = path.basename(req.query.f);
  fs.readFileSync("/data/" + name);
  res.send("<p>" + name + "</p>");`);
    expect(where(code)).toEqual(["xss@7:3"]);
  });

  it("encodeURIComponent protects URLs and HTML but not SQL", () => {
    const code = handler(`  const v = encodeURIComponent(req.query.v);
  res.redirect(v);
  res.send("<a href='/s?q=" + v + "'>again</a>");
  db.query("SELECT * FROM t WHERE v = '" + v + "'");`);
    expect(where(code)).toEqual(["sql-injection@8:3"]);
  });

  it("a replace that keeps only safe characters protects everything", () => {
    const code = handler(`  const v = req.query.v.replace(/[^a-z0-9_-]/gi, "");
  db.query("SELECT * FROM t WHERE v = '" + v + "'");
  res.send("<p>" + v + "</p>");`);
    expect(where(code)).toEqual([]);
  });

  it("a replace that removes '..' does not protect paths", () => {
    const code = handler(`  const v = req.query.v.replace(/\\.\\./g, "");
  fs.readFileSync("/data/" + v);`);
    expect(where(code)).toEqual(["path-traversal@6:3"]);
  });
});

describe("guards narrow the branch they protect", () => {
  it.each([
    ["an allowlist with early return", `if (!["asc", "desc"].includes(dir)) return res.sendStatus(400);\n  db.query("SELECT * FROM t ORDER BY id " + dir);`],
    ["an allowlist Set", `const ALLOWED = new Set(["asc", "desc"]);\n  if (ALLOWED.has(dir)) db.query("SELECT * FROM t ORDER BY id " + dir);`],
    ["equality with constants", `if (dir === "asc" || dir === "desc") db.query("SELECT * FROM t ORDER BY id " + dir);`],
    ["a switch over literals", `switch (dir) {\n    case "asc":\n      db.query("SELECT * FROM t ORDER BY id " + dir);\n      break;\n  }`],
    ["an anchored regular expression", `if (!/^[a-z]+$/.test(dir)) throw new Error("bad");\n  db.query("SELECT * FROM t ORDER BY id " + dir);`],
    ["a ternary allowlist", `const col = ["asc", "desc"].includes(dir) ? dir : "asc";\n  db.query("SELECT * FROM t ORDER BY id " + col);`],
    ["Number.isInteger", `if (!Number.isInteger(dir)) return;\n  db.query("SELECT * FROM t LIMIT " + dir);`],
  ])("%s", (_name, body) => {
    expect(where(handler(`  const dir = req.query.dir;\n  ${body}`))).toEqual([]);
  });

  it("does not narrow outside the guarded branch", () => {
    const code = handler(`  const dir = req.query.dir;
  if (["asc", "desc"].includes(dir)) {
    db.query("SELECT * FROM t ORDER BY id " + dir);
  }
  db.query("SELECT * FROM t ORDER BY name " + dir);`);
    expect(where(code)).toEqual(["sql-injection@9:3"]);
  });

  it("a reassignment after the guard brings the taint back", () => {
    const code = handler(`  let dir = req.query.dir;
  if (!["asc", "desc"].includes(dir)) return;
  dir = req.query.other;
  db.query("SELECT * FROM t ORDER BY id " + dir);`);
    expect(where(code)).toEqual(["sql-injection@8:3"]);
  });

  it("a weak check (|| of an allowlist and anything) does not narrow", () => {
    const code = handler(`  const dir = req.query.dir;
  if (dir === "asc" || dir.length < 5) db.query("SELECT * FROM t ORDER BY id " + dir);`);
    expect(where(code)).toEqual(["sql-injection@6:40"]);
  });

  it("a prefix check only protects a resolved path", () => {
    const code = handler(`  const resolved = path.resolve("/data", req.query.f);
  if (resolved.startsWith("/data/")) fs.readFileSync(resolved);
  const raw = "/data/" + req.query.f;
  if (raw.startsWith("/data/")) fs.readFileSync(raw);`);
    expect(where(code)).toEqual(["path-traversal@8:33"]);
  });

  it("a host allowlist on a URL object protects the URL it was built from", () => {
    const code = handler(`  const u = new URL(req.query.url);
  if (u.hostname !== "api.example.com") return;
  fetch(u);
  fetch(req.query.url);`);
    expect(where(code)).toEqual([]);
  });

  it("a prototype-key check protects writes with that key", () => {
    const code = `app.post("/x", (req, res) => {
  const { a, b } = req.body;
  if (a === "__proto__" || a === "constructor" || a === "prototype") return;
  store[a][b] = 1;
});`;
    expect(where(code)).toEqual([]);
  });
});

describe("guards named like collection checks", () => {
  it("a plain function called has() or includes() in a condition is no membership test, and does not stop the analysis", () => {
    const code = `function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
app.get("/x", (req, res) => {
  if (has(req.query, "q") && includes(req.query.q, "a")) db.query("SELECT * FROM t WHERE q = '" + req.query.q + "'");
});`;
    expect(where(code)).toEqual(["sql-injection@3:58"]);
  });
});
