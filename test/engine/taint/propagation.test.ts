/**
 * How taint moves: assignments, destructuring, strings, objects and arrays, calls to functions
 * in the same file (summaries), closures, callbacks, classes and promises.
 */
import { describe, expect, it } from "vitest";
import { taintHits, where } from "./taint-harness";

const sink = (expr: string) => `db.query("SELECT * FROM t WHERE a = '" + ${expr} + "'")`;

describe("propagation", () => {
  it.each([
    ["a variable", `const x = req.query.a;\n  ${sink("x")};`],
    ["object destructuring with a default", `const { a = "z" } = req.query;\n  ${sink("a")};`],
    ["nested destructuring", `const { filter: { name } } = req.body;\n  ${sink("name")};`],
    ["array destructuring", `const [first] = req.body.list;\n  ${sink("first")};`],
    ["rest elements", `const { id, ...rest } = req.body;\n  ${sink("rest.name")};`],
    ["a template literal", `const x = \`\${req.params.a}-x\`;\n  ${sink("x")};`],
    ["+=", `let x = "p"; x += req.query.a;\n  ${sink("x")};`],
    ["string methods", `const x = req.query.a.trim().toLowerCase().slice(0, 10);\n  ${sink("x")};`],
    ["split and join", `const x = req.query.a.split(",").map((s) => s.trim()).join("','");\n  ${sink("x")};`],
    ["an object literal and a property read", `const o = { v: req.query.a };\n  ${sink("o.v")};`],
    ["a spread", `const o = { ...req.body };\n  ${sink("o.name")};`],
    ["an array element", `const list = ["a", req.query.a];\n  ${sink("list[1]")};`],
    ["a default with ||", `const x = req.query.a || "none";\n  ${sink("x")};`],
    ["a conditional", `const x = flag ? req.query.a : "b";\n  ${sink("x")};`],
    ["JSON.parse", `const x = JSON.parse(req.body.json);\n  ${sink("x.name")};`],
    ["Object.assign", `const o = Object.assign({}, req.query);\n  ${sink("o.a")};`],
    ["String()", `const x = String(req.query.a);\n  ${sink("x")};`],
    ["await", `const x = await Promise.resolve(req.query.a);\n  ${sink("x")};`],
  ])("through %s", (_name, body) => {
    expect(where(`app.get("/x", async (req, res) => {\n  ${body}\n});`)).toEqual(["sql-injection@3:3"]);
  });

  it("through a helper's return value, once per call site's data", () => {
    const code = `function clause(col, value) {
  return col + " = '" + value + "'";
}
app.get("/a", (req, res) => db.query("SELECT * FROM t WHERE " + clause("name", req.query.name)));
app.get("/b", (req, res) => db.query("SELECT * FROM t WHERE " + clause("name", "constant")));`;
    expect(where(code)).toEqual(["sql-injection@4:29"]);
  });

  it("into a sink inside a helper, reported at the sink", () => {
    const code = `async function byName(pool, name) {
  return pool.query(\`SELECT * FROM users WHERE name = '\${name}'\`);
}
app.get("/a", (req, res) => byName(pool, req.query.name));`;
    expect(where(code)).toEqual(["sql-injection@2:10"]);
  });

  it("through chains of helpers and methods of object literals and classes", () => {
    const code = `const repo = {
  find(filter) { return db.query("SELECT * FROM t WHERE " + filter); },
};
class Service {
  list(name) { return repo.find(quote(name)); }
}
function quote(v) { return "'" + v + "'"; }
const service = new Service();
app.get("/a", (req, res) => service.list(req.query.name));`;
    expect(where(code)).toEqual(["sql-injection@2:25"]);
  });

  it("into closures that read a tainted outer variable", () => {
    const code = `app.get("/a", (req, res) => {
  const id = req.params.id;
  const load = () => db.query("SELECT * FROM t WHERE id = " + id);
  return load();
});`;
    expect(where(code)).toEqual(["sql-injection@3:22"]);
  });

  it("into callbacks given elements of a tainted array", () => {
    const code = `app.post("/a", (req, res) => {
  req.body.items.forEach((item) => db.query("DELETE FROM t WHERE sku = '" + item.sku + "'"));
});`;
    expect(where(code)).toEqual(["sql-injection@2:36"]);
  });

  it("out of callbacks that build a string in an outer variable", () => {
    const code = `app.post("/a", (req, res) => {
  let html = "<ul>";
  req.body.items.forEach((item) => { html += "<li>" + item.name + "</li>"; });
  res.send(html + "</ul>");
});`;
    expect(where(code)).toEqual(["xss@4:3"]);
  });

  it("through promise continuations", () => {
    const code = `app.get("/a", (req, res) => {
  Promise.resolve(req.query.q).then((q) => res.send("<p>" + q + "</p>"));
});`;
    expect(where(code)).toEqual(["xss@2:44"]);
  });

  it("through a helper whose closure was first read with untainted values", () => {
    const code = `function handle(x) {
  const inner = () => db.query("SELECT * FROM t WHERE a = '" + x + "'");
  return inner();
}
handle("constant");
app.get("/a", (req, res) => handle(req.query.a));`;
    expect(where(code)).toEqual(["sql-injection@2:23"]);
  });

  it("handles recursion without looping", () => {
    const code = `function walk(node, acc) {
  if (!node) return acc;
  return walk(node.next, acc + node.name);
}
app.post("/a", (req, res) => db.query("SELECT * FROM t WHERE n = '" + walk(req.body.list, "") + "'"));`;
    expect(() => where(code)).not.toThrow();
  });
});

describe("what does not carry taint", () => {
  it.each([
    ["a numeric conversion", `const x = parseInt(req.query.a, 10);`],
    ["unary plus", `const x = +req.query.a;`],
    ["arithmetic", `const x = req.query.a * 1;`],
    ["Math", `const x = Math.max(0, req.query.a);`],
    ["a length", `const x = req.query.a.length;`],
    ["a comparison", `const x = req.query.a === "yes";`],
    ["an unknown function", `const x = lookupName(req.query.a);`],
    ["a lookup in a table of constants", `const x = { a: "name", b: "email" }[req.query.a];`],
    ["server-side request properties", `const x = req.user.name + req.session.id;`],
    ["environment variables", `const x = process.env.NAME;`],
    ["a map of numbers", `const x = req.body.ids.map(Number).join(",");`],
  ])("%s", (_name, decl) => {
    expect(where(`app.get("/x", (req, res) => {\n  ${decl}\n  db.query("SELECT * FROM t WHERE a = " + x);\n});`)).toEqual([]);
  });
});

describe("a library function nothing models", () => {
  const route = (imports: string, decl: string) =>
    `${imports}\napp.get("/x", (req, res) => {\n  ${decl}\n  db.query("SELECT * FROM t WHERE a = '" + x + "'");\n});`;

  it("passes its argument's data on, as an assumption the finding states at low confidence", () => {
    const { hits } = taintHits(route(`import { shorten } from "tiny-strings";`, `const x = shorten(req.query.a, 20);`));
    expect(hits.map((h) => [h.rule, h.line, h.confidence])).toEqual([["sql-injection", 4, "low"]]);
    expect(hits[0]!.flow.some((step) => step.includes("shorten(req.query.a, 20), a library function the engine does not model"))).toBe(true);
  });

  it.each([
    ["a check", `import { isSafeName } from "name-rules";`, `const x = isSafeName(req.query.a);`],
    ["an escaping function", `import { escapeValue } from "db-kit";`, `const x = escapeValue(req.query.a);`],
    ["a Node module's function", `import os from "os";`, `const x = os.hostname(req.query.a);`],
    ["an unknown global", ``, `const x = lookupName(req.query.a);`],
  ])("does not for %s", (_name, imports, decl) => {
    expect(taintHits(route(imports, decl)).hits).toEqual([]);
  });
});
