/**
 * findPlacedSecrets: the grammars of credential files and command lines find the password by
 * its place, leave prompts, references and e-mail "passwords" alone, and stay within the
 * detector's bounds (skipped long lines, candidate budget).
 */
import { describe, expect, it } from "vitest";
import { findPlacedSecrets } from "../../../src/engine/detect/credential-files";
import type { TextBounds } from "../../../src/engine/detect/secrets";

const ALL: TextBounds = { maxCandidates: 1_000_000, skip: [] };

/** The texts of the passwords found, in order. */
function found(path: string, text: string, bounds: TextBounds = ALL, docs = false): string[] {
  return findPlacedSecrets(path, text, bounds, docs).matches.map((m) => text.slice(m.start, m.end));
}

describe("findPlacedSecrets", () => {
  it("reads each credential file by its name only", () => {
    expect(found("home/ops/.pgpass", "db:5432:*:app:tangerine\n")).toEqual(["tangerine"]);
    expect(found("notes/pgpass.txt", "db:5432:*:app:tangerine\n")).toEqual([]);
    expect(found(".pgpass", "db\\:primary:5432:pay:app:pa\\:ss:w0rd\n")).toEqual(["pa\\:ss:w0rd"]);
    expect(found("_netrc", "machine a.internal login ci password 'Rel3ase!24'\n")).toEqual(["Rel3ase!24"]);
    expect(found(".netrc", "default login anonymous password ops@acme-payments.io\n")).toEqual([]);
    expect(found(".msmtprc", "passwordeval pass show mail\npassword marigold\n")).toEqual(["marigold"]);
    expect(found("config/filezilla.xml", '<Pass encoding="base64">RnRwIURyb3AyMDI0</Pass>\n<Pass>plainFtp#1</Pass>\n')).toEqual([
      "RnRwIURyb3AyMDI0",
      "plainFtp#1",
    ]);
  });

  it("reads the data of a Kubernetes Secret, not of a ConfigMap", () => {
    const secret = "kind: Secret\ndata:\n  password: dGFuZ2VyaW5l\n  user: YXBw\nstringData:\n  other: x\n";
    expect(found("k8s/db.yaml", secret)).toEqual(["dGFuZ2VyaW5l"]);
    expect(found("k8s/db.yaml", secret.replace("kind: Secret", "kind: ConfigMap"))).toEqual([]);
    expect(findPlacedSecrets("k8s/db.yaml", secret, ALL, false).judged).toHaveLength(2);
  });

  it("finds password arguments of command lines in any text, and only there", () => {
    expect(found("deploy.sh", "mysql -uroot -pS3cret! db\nmysql -uroot -p db\nmysql --password=wisteria db\n")).toEqual(["S3cret!", "wisteria"]);
    expect(found("Makefile", "\tcurl -u deploy:Dpl0y! https://x.internal\n\tcurl -u deploy https://x.internal\n")).toEqual(["Dpl0y!"]);
    expect(found("ci.yml", "      - run: docker login -u ci --password=Dkr!2024 r.internal\n      - run: docker run -p 8080:80 web\n")).toEqual(["Dkr!2024"]);
    expect(found("notes.txt", "the mysql manual says -p prompts; sshpass reads SSHPASS with -e\n")).toEqual([]);
    // In documentation only values that look like passwords count.
    expect(found("README.md", "mysql -u root -psecret\nmysql -u root -pS3cret!x\n", ALL, true)).toEqual(["S3cret!x"]);
  });

  it("skips lines the bounds skip and stops at the candidate budget", () => {
    const line = "db:5432:*:app:tangerine\n";
    const text = line.repeat(5);
    expect(found(".pgpass", text, { maxCandidates: 1_000_000, skip: [{ start: 0, end: line.length - 1 }] })).toHaveLength(4);
    const limited = findPlacedSecrets(".pgpass", text, { maxCandidates: 3, skip: [] }, false);
    expect([limited.matches.length, limited.budgetHit]).toEqual([3, true]);
  });

  it("reads a long hostile line of command words once, without re-scanning quoted runs in quoted runs", () => {
    const text = `sh "${"mysql 'mysql -p' ".repeat(100)}"\n`;
    expect(found("Jenkinsfile", text)).toEqual([]);
  });
});
