import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createPathProver, type PathStructure } from "../../../src/engine/simulator/path";

const hole = (label = "req.params.file") => ({ hole: label });

describe("path prover through prove()", () => {
  it("proves an escape from the upload directory", async () => {
    const proof = await prove("path", templateOf("/var/app/uploads/", hole()));
    expect(proof).toMatchObject({
      kind: "path",
      verdict: "proven",
      payload: "../../../../../../etc/passwd",
      benign: { rendered: "/var/app/uploads/report.pdf", structure: "resolves to /var/app/uploads/report.pdf, inside /var/app/uploads" },
      attack: { rendered: "/var/app/uploads/../../../../../../etc/passwd", structure: "resolves to /etc/passwd, outside /var/app/uploads" },
      parser: { name: "pci-auditor-path-resolver", version: "1", dialect: "posix" },
    });
    expect(proof!.evidence).toBe(
      "The path left the base directory: it resolves to /etc/passwd, outside /var/app/uploads (payload in req.params.file, at the start of a path segment).",
    );
  });

  it("resolves a relative rendering against the caller's base directory", async () => {
    const proof = await prove("path", templateOf(hole(), ".json"), { baseDir: "/srv/data" });
    expect(proof!.verdict).toBe("proven");
    expect(proof!.benign.structure).toBe("resolves to /srv/data/report.pdf.json, inside /srv/data");
    expect(proof!.attack.structure).toBe("resolves to /etc/passwd.json, outside /srv/data");
  });

  it("is not proven when the payload starts mid-name and the sink resolves like the kernel", async () => {
    const proof = await prove("path", templateOf("/var/app/invoices/invoice-", hole("req.query.id"), ".pdf"));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe(
      "No payload changed the parsed structure (2 payloads on 1 hole). The path would leave /var/app/invoices only if a directory named 'invoice-' exists: the operating system resolves '..' one existing directory at a time.",
    );
  });

  it("proves the same template when the sink normalises lexically (path.join)", async () => {
    const proof = await prove("path", templateOf("/var/app/invoices/invoice-", hole("req.query.id"), ".pdf"), { lexicalPaths: true });
    expect(proof!.verdict).toBe("proven");
    expect(proof!.attack.structure).toBe("resolves to /etc/passwd.pdf, outside /var/app/invoices");
  });
});

describe("path resolution", () => {
  const parse = (prover: ReturnType<typeof createPathProver>, text: string) => (prover.analyze(text) as { structure: PathStructure }).structure;

  it("calls an absolute path outside a relative base", () => {
    const prover = createPathProver({ constantPrefix: "" });
    expect(prover.compare(parse(prover, "report.pdf"), parse(prover, "/etc/passwd"))).toEqual([
      { rank: 3, words: "the path became absolute: it resolves to /etc/passwd, outside ." },
    ]);
  });

  it("keeps a path that climbs and comes back inside", () => {
    const prover = createPathProver({ constantPrefix: "/srv/files/" });
    // "a" comes after the constant prefix, so the kernel needs a directory of that name.
    expect(parse(prover, "/srv/files/a/../b.txt")).toEqual({ resolved: "/srv/files/b.txt", inside: true, dependsOn: "a" });
    expect(prover.compare(parse(prover, "/srv/files/x"), parse(prover, "/srv/files/../files/y"))).toEqual([]);
  });

  it("does not climb above the root", () => {
    const prover = createPathProver({ constantPrefix: "/" });
    expect(parse(prover, "/../../etc")).toEqual({ resolved: "/etc", inside: true });
  });

  it("rejects NUL bytes", () => {
    const prover = createPathProver({ constantPrefix: "/srv/" });
    expect(prover.analyze("/srv/a\u0000.png")).toEqual({ ok: false, message: "a NUL byte makes the path invalid" });
  });
});
