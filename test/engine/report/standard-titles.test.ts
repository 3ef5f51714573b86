import { describe, expect, it } from "vitest";
import { comparePciRequirements, cweUrl, owaspCategory, pciRequirementTitle } from "../../../src/engine/report/standard-titles";

describe("pciRequirementTitle", () => {
  it("names the requirements the rules cite", () => {
    expect(pciRequirementTitle("3.5.1.1")).toBe("Hashes of PAN are keyed cryptographic hashes");
    expect(pciRequirementTitle("8.6.2")).toBe("No hard-coded passwords for application and system accounts");
  });

  it("falls back to the closest titled parent, else nothing", () => {
    expect(pciRequirementTitle("10.2.1.3")).toBe("Audit logs enabled and active");
    expect(pciRequirementTitle("12.1")).toBeUndefined();
    expect(pciRequirementTitle("3")).toBeUndefined();
  });
});

describe("comparePciRequirements", () => {
  it("sorts numerically by segment, parents first", () => {
    const sorted = ["10.2.1", "3.5.1.1", "6.4.3", "3.5.1", "3.4.1", "10.2.1.1", "4.2.1"].sort(comparePciRequirements);
    expect(sorted).toEqual(["3.4.1", "3.5.1", "3.5.1.1", "4.2.1", "6.4.3", "10.2.1", "10.2.1.1"]);
  });
});

describe("owaspCategory and cweUrl", () => {
  it("link the 2021 categories and CWE entries", () => {
    expect(owaspCategory("A09:2021")).toEqual({
      title: "Security Logging and Monitoring Failures",
      url: "https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/",
    });
    expect(owaspCategory("A03:2017")).toBeUndefined();
    expect(cweUrl("CWE-798")).toBe("https://cwe.mitre.org/data/definitions/798.html");
    expect(cweUrl("cwe 798")).toBeUndefined();
  });
});
