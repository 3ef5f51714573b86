import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createShellProver, shellEndMode, type ShellStructure } from "../../../src/engine/simulator/shell";

const hole = (label = "req.query.file") => ({ hole: label });
const prover = createShellProver();

function commands(text: string): string[] | string {
  const result = prover.analyze(text);
  return result.ok ? result.structure.commands.map((c) => `${c.name}/${c.args}/${c.via}`) : `error: ${result.message}`;
}

describe("shell prover through prove()", () => {
  it("proves a command separator in an unquoted argument", async () => {
    const proof = await prove("shell", templateOf("convert ", hole(), " -resize 50% out.png"));
    expect(proof).toMatchObject({
      kind: "shell",
      verdict: "proven",
      payload: "; id",
      benign: { input: "report.txt", rendered: "convert report.txt -resize 50% out.png", structure: "1 command: convert (4 args)" },
      attack: { rendered: "convert ; id -resize 50% out.png", structure: "2 commands: convert (0 args); id (3 args) after ';'" },
      parser: { name: "pci-auditor-shell-tokenizer", version: "1" },
    });
    expect(proof!.evidence).toBe("A new command `id` runs after ';' (payload in req.query.file, as an unquoted shell word).");
  });

  it("breaks out of single quotes first", async () => {
    const proof = await prove("shell", templateOf("tar -czf '/backups/", hole("req.body.name"), ".tgz' /data"));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe("'; id #");
    expect(proof!.attack.rendered).toBe("tar -czf '/backups/'; id #.tgz' /data");
    expect(proof!.attack.structure).toBe("2 commands: tar (2 args); id (0 args) after ';'");
  });

  it("uses command substitution inside double quotes", async () => {
    const proof = await prove("shell", templateOf('git log --author="', hole("req.query.author"), '" --oneline'));
    expect(proof!.payload).toBe("$(id)");
    expect(proof!.evidence).toContain("A new command `id` runs inside a $(…) command substitution");
  });

  it("is not proven when the benign command line does not tokenize", async () => {
    const proof = await prove("shell", templateOf("echo 'unterminated ", hole()));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("benign rendering does not parse: unterminated single quote");
  });
});

describe("shell tokenizer", () => {
  it("splits on control operators and counts arguments", () => {
    expect(commands("a x; b && c || d | e & f\ng")).toEqual(["a/1/start", "b/0/;", "c/0/&&", "d/0/||", "e/0/|", "f/0/&", "g/0/newline"]);
  });

  it("keeps quoted and escaped operators inside words", () => {
    expect(commands(`echo 'a; b' "c | d" e\\;f`)).toEqual(["echo/3/start"]);
  });

  it("reads substitutions, subshells and process substitution as commands", () => {
    expect(commands("echo $(whoami) `hostname` <(date); (cd /tmp; ls)")).toEqual([
      "whoami/0/$(",
      "hostname/0/`",
      "date/0/<(",
      "echo/3/start",
      "cd/1/(",
      "ls/0/;",
    ]);
  });

  it("does not count arithmetic or parameter expansion as commands", () => {
    expect(commands('echo $((1 + 2)) ${HOME:-/root} "$((3))"')).toEqual(["echo/3/start"]);
  });

  it("treats redirections and their targets as no arguments", () => {
    expect(commands("cmd a 2>&1 >out.log <in.txt >>x &>y")).toEqual(["cmd/1/start"]);
  });

  it("skips comments, assignments and here-document bodies", () => {
    expect(commands("# setup\nLANG=C sort <<EOF\nrm -rf /; id\nEOF\nwc -l")).toEqual(["sort/0/newline", "wc/1/newline"]);
  });

  it("reports where an unfinished text ends", () => {
    expect(shellEndMode("echo 'abc")).toBe("single");
    expect(shellEndMode('echo "abc')).toBe("double");
    expect(shellEndMode('echo "$(cat ')).toBe("unquoted");
    expect(shellEndMode("echo abc # note")).toBe("comment");
    expect(shellEndMode("echo abc")).toBe("unquoted");
  });

  it("rejects unbalanced syntax", () => {
    expect(commands("echo )")).toBe("error: unexpected ')'");
    expect(commands('echo "abc')).toBe("error: unterminated double quote");
    expect(commands("echo `id")).toBe("error: unterminated backtick");
  });

  it("stays bounded on deep nesting", () => {
    expect(commands("echo " + "$(".repeat(5000) + "id" + ")".repeat(5000))).toBe("error: nesting too deep");
    expect(commands("(".repeat(20_000))).toBe("error: nesting too deep");
  });

  it("compares by the commands that run", () => {
    const parse = (text: string) => (prover.analyze(text) as { structure: ShellStructure }).structure;
    expect(prover.compare(parse("ls report.txt"), parse("ls report.txt | id"))).toEqual([
      { rank: 3, words: "a new command `id` runs reading the output of a pipe '|'" },
    ]);
    expect(prover.compare(parse("ls report.txt"), parse("ls ';id'"))).toEqual([]);
  });
});
