import { describe, expect, it } from "vitest";
import { version as acornVersion } from "acorn";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createNosqlProver, createServerJsProver, type NosqlStructure } from "../../../src/engine/simulator/nosql";

const hole = (label = "req.body.user") => ({ hole: label });
const prover = createNosqlProver();
const parse = (text: string) => (prover.analyze(text) as { structure: NosqlStructure }).structure;

describe("NoSQL prover through prove()", () => {
  it("proves an operator object in place of a login field", async () => {
    const proof = await prove("nosql", templateOf("{ username: ", hole("req.body.username"), ", password: ", hole("req.body.password"), " }"));
    expect(proof).toMatchObject({
      kind: "nosql",
      verdict: "proven",
      payload: '{"$ne": null}',
      benign: { input: '"alice"', rendered: '{ username: "alice", password: "alice" }', structure: "fields: username, password; operators: none" },
      attack: { rendered: '{ username: {"$ne": null}, password: "alice" }', structure: "fields: username, password; operators: $ne at username" },
      parser: { name: "acorn", version: acornVersion },
    });
    expect(proof!.evidence).toBe(
      "The query now holds the operator $ne at username, which matches every document whose value differs (an authentication bypass) (payload in req.body.username, as a value of the query document).",
    );
  });

  it("breaks out of a string in JSON text", async () => {
    const proof = await prove("nosql", templateOf('{"email": "', hole(), '"}'));
    expect(proof!.payload).toBe('", "$where": "sleep(1000)');
    expect(proof!.attack.structure).toBe("fields: email; operators: $where at (query)");
    expect(proof!.verdict).toBe("proven");
  });

  it("proves operators in a whole document taken from the request", async () => {
    const proof = await prove("nosql", templateOf(hole("req.body")));
    expect(proof!.benign.rendered).toBe('{"username": "alice"}');
    expect(proof!.attack.structure).toBe("fields: username; operators: $ne at username");
    expect(proof!.verdict).toBe("proven");
  });

  it("is not proven inside an $in list, where objects are compared literally", async () => {
    const proof = await prove("nosql", templateOf('{"status": {"$in": [', hole(), "]}}"));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("No payload changed the parsed structure (4 payloads on 1 hole).");
  });
});

describe("query document structure", () => {
  it("reads operators where the database reads them", () => {
    expect(parse('{ $or: [{ a: 1 }, { b: { $gt: 2 } }], c: { d: { $ne: 1 } }, e: [{ $ne: 1 }], f: { $not: { $regex: "x" } } }')).toEqual({
      fields: ["a", "b", "c", "e", "f"],
      operators: ["$or at (query)", "$gt at b", "$not at f", "$regex at f"],
    });
  });

  it("rejects text that is not a single document", () => {
    expect(prover.analyze('{"a": 1}); evil(); ({"b": 1}')).toEqual({ ok: false, message: "text after the query document" });
    expect(prover.analyze("[1, 2]")).toEqual({ ok: false, message: "not a query document (object)" });
  });
});

describe("server-side JavaScript ($where, $function, mapReduce)", () => {
  const serverJs = { serverJs: true };

  it("proves a tautology inside the string the program built, with the code's own quote", async () => {
    const proof = await prove("nosql", templateOf("this.customer == '", hole("req.query.customer"), "'"), serverJs);
    expect(proof).toMatchObject({
      verdict: "proven",
      payload: "' || '1'=='1",
      benign: { rendered: "this.customer == 'alice'", structure: "no calls; result depends on the document" },
      attack: { rendered: "this.customer == '' || '1'=='1'", structure: "no calls; result always true ('1'=='1')" },
    });
  });

  it("proves an added call in a function body given whole", async () => {
    const proof = await prove("nosql", templateOf('function (items) { return items.indexOf("', hole(), '") >= 0; }'), serverJs);
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe('" || sleep(5000) || "');
    expect(proof!.evidence).toMatch(/^The server-side JavaScript now runs a call: sleep\(…\)/);
  });

  it("proves code positions with an always-true operand", async () => {
    const proof = await prove("nosql", templateOf("this.total > ", hole("req.query.min")), serverJs);
    expect(proof!.payload).toBe("1 || true");
    expect(proof!.attack.structure).toBe("no calls; result always true (true)");
  });

  it("does not call a condition the code already made always true a tautology", async () => {
    // A condition that is always true already: the attack adds nothing the benign text lacked.
    const proof = await prove("nosql", templateOf("true || this.name == '", hole(), "'"), serverJs);
    expect(proof!.attack.structure).toMatch(/^no calls|^calls: sleep/);
    expect(proof!.evidence).not.toMatch(/always true/);
  });

  it("reads only the result expressions for tautologies, not every constant", () => {
    const p = createServerJsProver();
    const read = (text: string) => (p.analyze(text) as { structure: { alwaysTrue: string | null } }).structure.alwaysTrue;
    expect(read("var x = 1 == 1; this.a == x")).toBeNull();
    expect(read("if (this.a == 'b') { return true; } return false")).toBe("true");
    expect(read("function () { return this.a == 'x' || 2 === 2 }")).toBe("2 === 2");
    expect(read("this.a == '' || 'a' != 'a'")).toBeNull();
  });
});

describe("operators where the server accepts them", () => {
  it("counts top-level operators only at the top of a document", () => {
    expect(parse('{ a: { $where: "sleep(1)" }, $where: "1" }').operators).toEqual(["$where at (query)"]);
    expect(parse("{ a: { $or: [{ b: 1 }] } }").operators).toEqual([]);
  });

  it("reads an object spread into the document as part of it", async () => {
    expect(parse('{ tenant: "t", ...{ "user": { "$ne": null } } }')).toEqual({ fields: ["tenant", "user"], operators: ["$ne at user"] });
    const proof = await prove("nosql", templateOf('{ "tenant": "t", ...', hole("req.body"), " }"));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe('{"username": {"$ne": null}}');
  });
});
