import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { version as acornVersion } from "acorn";
import { prove, SIMULATOR_LIMITS, templateOf } from "../../../src/engine/simulator/index";
import { NODE_SQL_PARSER_VERSION } from "../../../src/engine/simulator/sql";
import { sqlParseWork } from "../../../src/engine/parse/sql";
import { BENIGN, payloadsFor, payloadSources } from "../../../src/engine/simulator/payloads";
import type { ContextId } from "../../../src/engine/simulator/context";
import type { Proof, SimulatedKind } from "../../../src/engine/types";

const KINDS: SimulatedKind[] = ["sql", "shell", "js", "html", "path", "url", "nosql", "xpath", "ldap"];
const hole = (label = "req.query.x") => ({ hole: label });

function expectBounded(proof: Proof): void {
  for (const rendering of [proof.benign, proof.attack]) {
    expect(rendering.rendered.length).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxRenderedChars);
    expect(rendering.structure.length).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxStructureChars);
    expect(rendering.input.length).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxInputChars);
  }
  expect(proof.evidence.length).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxEvidenceChars);
  expect(proof.payload.length).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxInputChars);
}

describe("prove()", () => {
  it("returns null when nothing is tainted", async () => {
    for (const kind of KINDS) expect(await prove(kind, templateOf("SELECT 1"))).toBeNull();
  });

  it("reports the installed parser versions", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../node_modules/node-sql-parser/package.json", import.meta.url), "utf8")) as { version: string };
    expect(NODE_SQL_PARSER_VERSION).toBe(pkg.version);
    const acornPkg = JSON.parse(readFileSync(new URL("../../../node_modules/acorn/package.json", import.meta.url), "utf8")) as { version: string };
    expect(acornVersion).toBe(acornPkg.version);
    expect((await prove("js", templateOf("x = ", hole())))!.parser.version).toBe(acornPkg.version);
  });

  it("is deterministic", async () => {
    const template = templateOf("SELECT * FROM users WHERE name = '", hole(), "' AND org = ", hole("org"));
    expect(await prove("sql", template)).toEqual(await prove("sql", template));
  });

  it("attacks a later hole when the first one cannot be broken", async () => {
    const proof = await prove("url", templateOf("https://api.stripe.com/v1/customers/", hole("id"), "?expand=", hole("req.query.expand")));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.evidence).toContain("payload in req.query.expand, in the URL query");
  });

  it("masks card numbers in every string of the proof", async () => {
    const pan = "4111111111111111";
    const spaced = "4111 1111 1111 1111";
    const proofs = [
      await prove("sql", templateOf(`SELECT * FROM payments WHERE pan = '${pan}' AND note = '${spaced}' AND id = `, hole(`cards['${pan}']`))),
      await prove("html", templateOf(`<p data-card="${pan}">`, hole(), "</p>")),
      await prove("shell", templateOf(`charge --card ${pan} --note `, hole())),
      await prove("url", templateOf(`https://api.example.com/cards/${pan}/`, hole())),
    ];
    for (const proof of proofs) {
      const json = JSON.stringify(proof);
      expect(json).not.toContain(pan);
      expect(json).not.toContain(spaced);
      expect(json).toContain("411111******1111");
    }
    expect(proofs[0]!.verdict).toBe("proven");
  });

  it("masks a card number even when the window cuts through it", async () => {
    const pan = "5555555555554444";
    const padding = "x".repeat(SIMULATOR_LIMITS.maxRenderedChars);
    const proof = await prove("html", templateOf(`<p>${pan}${padding}`, hole(), "</p>"));
    const json = JSON.stringify(proof);
    for (let cut = 7; cut <= pan.length; cut++) expect(json).not.toContain(pan.slice(0, cut));
    for (let cut = 5; cut <= pan.length; cut++) expect(json).not.toContain(pan.slice(-cut));
  });

  it("keeps a window around the payload in long renderings", async () => {
    const before = "SELECT id FROM t WHERE " + "a = 1 AND ".repeat(700);
    const proof = (await prove("sql", templateOf(before + "name = '", hole(), "' AND " + "b = 2 AND ".repeat(500) + "c = 3")))!;
    expect(proof.verdict).toBe("proven");
    expectBounded(proof);
    expect(proof.attack.rendered.startsWith("…")).toBe(true);
    expect(proof.attack.rendered.endsWith("…")).toBe(true);
    expect(proof.attack.rendered).toContain("name = '" + proof.payload);
    expect(proof.benign.rendered).toContain("name = 'alice'");
  });

  it("does not simulate templates past the size and hole bounds", async () => {
    const huge = await prove("sql", templateOf("SELECT * FROM t WHERE a = '" + "x".repeat(100_000) + "' AND b = ", hole()));
    expect(huge!.verdict).toBe("not-proven");
    expect(huge!.evidence).toBe(`Not simulated: the template is 100037 characters long; the simulator parses at most ${SIMULATOR_LIMITS.maxSimulatedChars}.`);
    expectBounded(huge!);
    const pieces: Array<string | { hole: string }> = ["SELECT * FROM t WHERE a IN ("];
    for (let i = 0; i < 40; i++) pieces.push(hole(), ",");
    const many = await prove("sql", templateOf(...pieces, "0)"));
    expect(many!.evidence).toBe("Not simulated: the template has 40 holes; the simulator handles at most 32.");
  });

  it("stays bounded on hostile inputs", async () => {
    const hostile: Array<[SimulatedKind, ReturnType<typeof templateOf>]> = [
      ["sql", templateOf("SELECT " + "(".repeat(7_000), hole("x".repeat(100_000)), ")".repeat(7_000))],
      ["sql", templateOf("SELECT id FROM t WHERE " + "a = 1 AND ".repeat(1_500) + "name = '", hole(), "'")],
      ["js", templateOf("x = " + "[".repeat(7_000), hole(), "]".repeat(7_000))],
      ["html", templateOf("<div>".repeat(3_000), hole(), "</div>".repeat(100))],
      ["shell", templateOf("echo " + "$(".repeat(7_000), hole())],
      ["nosql", templateOf("{a:".repeat(3_500), hole(), "}".repeat(3_500))],
      ["path", templateOf("/a".repeat(7_000) + "/", hole())],
      ["url", templateOf("https://a.example/" + "%".repeat(15_000), hole())],
      ["xpath", templateOf("//a" + "[(".repeat(3_500), hole(), ")]".repeat(3_500))],
      ["ldap", templateOf("(&".repeat(3_500), "(uid=", hole(), ")", ")".repeat(3_500))],
    ];
    for (const [kind, template] of hostile) {
      const proof = await prove(kind, template);
      expect(proof, kind).not.toBeNull();
      expectBounded(proof!);
    }
  });

  it("pays the scan's budget for each rendering parsed, always for the benign one, and stops where it is refused", async () => {
    const paid: Array<[number, boolean]> = [];
    const template = templateOf("SELECT * FROM t WHERE name = '", hole(), "'");
    const refuseAttacks = (work: number, benign: boolean) => (paid.push([work, benign]), benign);
    const p = await prove("sql", template, { charge: refuseAttacks });
    expect(paid).toEqual([
      [sqlParseWork(p!.benign.rendered.length), true],
      [
        sqlParseWork(p!.benign.rendered.length - BENIGN["sql-string"].length + payloadsFor({ id: "sql-string", quote: "'", description: "" })[0]!.length),
        false,
      ],
    ]);
    expect(p!.verdict).toBe("not-proven");
    expect(p!.evidence).toBe("No payload was tried. The scan's simulation budget ran out first.");
    const shell: number[] = [];
    await prove("shell", templateOf("ls ", hole()), { charge: (work) => shell.push(work) > 0 });
    expect(shell[0]).toBe("ls report.txt".length);
  });

  it("tries payloads within the per-hole bound, each from a cited source", () => {
    for (const id of Object.keys(BENIGN) as ContextId[]) {
      const payloads = payloadsFor({ id, quote: "'", tag: "script", description: "" });
      expect(payloads.length, id).toBeLessThanOrEqual(SIMULATOR_LIMITS.maxPayloadsPerHole);
      for (const source of payloadSources(id)) expect(source, id).toMatch(/^OWASP /);
      for (const payload of payloads) expect(payload, id).not.toMatch(/\{[qv]\}|\{tag\}/);
    }
  });
});

describe("holes of encoded data", () => {
  it("tries only payloads the alphabet can spell, and says so when none can", async () => {
    const template = {
      parts: [
        { kind: "text" as const, text: "SELECT id FROM t WHERE id = " },
        { kind: "hole" as const, label: "ref", alphabet: "base64" as const },
      ],
    };
    const proof = await prove("sql", template);
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toContain("can be written in base64");
    // The same hole without an alphabet is proven by a payload with spaces, which base64 has none of.
    const plain = await prove("sql", templateOf("SELECT id FROM t WHERE id = ", hole("ref")));
    expect(plain!.verdict).toBe("proven");
    expect(plain!.payload).toMatch(/ /);
  });
});
