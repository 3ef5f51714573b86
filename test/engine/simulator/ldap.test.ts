import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createLdapProver, type LdapStructure } from "../../../src/engine/simulator/ldap";

const hole = (label = "req.body.username") => ({ hole: label });
const prover = createLdapProver();
const parse = (text: string) => {
  const a = prover.analyze(text);
  if (!a.ok) throw new Error(a.message);
  return a.structure as LdapStructure;
};

describe("LDAP prover through prove()", () => {
  it("proves a wildcard that turns an equality test into a presence test", async () => {
    const proof = await prove("ldap", templateOf("(&(objectClass=person)(uid=", hole(), "))"));
    expect(proof).toMatchObject({ kind: "ldap", verdict: "proven", payload: "*" });
    expect(proof!.benign.structure).toBe("filter (&(objectClass=person)(uid=alice))");
    expect(proof!.attack.rendered).toBe("(&(objectClass=person)(uid=*))");
    expect(proof!.evidence).toMatch(/^The filter now matches every entry that has uid/);
  });

  it("proves an added RDN in a distinguished name", async () => {
    const proof = await prove("ldap", templateOf("uid=", hole(), ",ou=staff,dc=pay,dc=example"));
    expect(proof!.payload).toBe("alice,ou=admins");
    expect(proof!.attack.structure).toBe("DN uid=alice,ou=admins,ou=staff,dc=pay,dc=example");
    expect(proof!.verdict).toBe("proven");
  });

  it("does not count the classic trailing-filter payload: Node clients reject text after the filter", async () => {
    const analysis = prover.analyze("(&(uid=*)(uid=*))(|(uid=*)(userPassword=x))");
    expect(analysis.ok).toBe(false);
    expect(!analysis.ok && analysis.message).toMatch(/^text after the filter/);
  });

  it("reads an escaped value (ldap-escape output) as one plain value", () => {
    expect(parse("(uid=\\2a\\29\\28uid=\\2a)").items).toEqual(["(uid=…)"]);
  });
});

describe("RFC 4515 filter structure", () => {
  it("tells presence, substring, equality and extensible items apart", () => {
    const s = parse("(&(mail=*)(cn=a*b*)(uid=x)(!(sn~=y))(cn:caseExactMatch:=z)(|))");
    expect(s.presence).toEqual(["mail"]);
    expect(s.wildcards).toEqual(["cn"]);
    expect(s.items).toEqual(["(mail=*)", "(cn=…*…*)", "(uid=…)", "(sn~=…)", "(cn:caseExactMatch:=…)", "(|)"]);
  });

  it("rejects unbalanced or unescaped filters", () => {
    expect(prover.analyze("(uid=a)b)")).toMatchObject({ ok: false });
    expect(prover.analyze("(uid=a(b)")).toMatchObject({ ok: false });
    expect(prover.analyze("(uid=a**)")).toMatchObject({ ok: false });
    expect(prover.analyze("(uid=\\zz)")).toMatchObject({ ok: false });
  });

  it("refuses deep nesting", () => {
    expect(prover.analyze("(&".repeat(200) + "(a=b)" + ")".repeat(200))).toEqual({ ok: false, message: "nesting too deep to parse" });
  });
});

describe("RFC 4514 DN structure", () => {
  it("reads escapes and multi-valued RDNs", () => {
    expect(parse("cn=Smith\\, John+uid=js,ou=staff,dc=example").text).toBe("cn=Smith, John+uid=js,ou=staff,dc=example");
    expect(parse("cn=Smith\\, John+uid=js,ou=staff,dc=example").items).toHaveLength(4);
    expect(prover.analyze("cn=a,")).toMatchObject({ ok: false });
    expect(prover.analyze("cn=a<b")).toMatchObject({ ok: false });
  });
});
