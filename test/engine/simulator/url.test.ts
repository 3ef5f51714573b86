import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { internalAddress } from "../../../src/engine/simulator/url";

const hole = (label = "req.query.url") => ({ hole: label });

describe("URL prover through prove()", () => {
  it("proves SSRF to the cloud metadata endpoint when the whole URL is tainted", async () => {
    const proof = await prove("url", templateOf(hole("req.body.webhookUrl")));
    expect(proof).toMatchObject({
      kind: "url",
      verdict: "proven",
      payload: "http://169.254.169.254/latest/meta-data/",
      benign: { rendered: "https://example.com/", structure: "https: URL, host example.com" },
      attack: { rendered: "http://169.254.169.254/latest/meta-data/", structure: "http: URL, host 169.254.169.254" },
      parser: { name: "WHATWG URL", version: "runtime" },
    });
    expect(proof!.evidence).toBe(
      "The URL now points at the link-local (cloud metadata) address 169.254.169.254 instead of example.com (payload in req.body.webhookUrl, as the whole URL).",
    );
  });

  it("chooses the host through a subdomain hole", async () => {
    const proof = await prove("url", templateOf("https://", hole("tenant"), ".payments.example/v1/charges"));
    expect(proof!.payload).toBe("attacker.example/");
    expect(proof!.attack.structure).toBe("https: URL, host attacker.example");
  });

  it("turns the intended host into user info right after it", async () => {
    const proof = await prove("url", templateOf("https://api.example.com", hole("req.query.path")));
    expect(proof!.payload).toBe("@attacker.example/");
    expect(proof!.attack.rendered).toBe("https://api.example.com@attacker.example/");
    expect(proof!.verdict).toBe("proven");
  });

  it("proves an open redirect from a relative path", async () => {
    const proof = await prove("url", templateOf("/", hole("req.query.next")));
    expect(proof!.payload).toBe("//attacker.example");
    expect(proof!.evidence).toContain("attacker's host attacker.example instead of app.example");
  });

  it("proves query parameter injection", async () => {
    const proof = await prove("url", templateOf("https://api.example.com/refunds?charge=", hole()));
    expect(proof!.payload).toBe("42&amount=0");
    expect(proof!.evidence).toContain("A new query parameter amount was added");
  });

  it("is not proven for a path hole after the host: '@', '//' and '\\\\' stay in the path", async () => {
    const proof = await prove("url", templateOf("https://api.stripe.com/v1/charges/", hole("req.params.id")));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("No payload changed the parsed structure (3 payloads on 1 hole).");
    expect(proof!.attack.structure).toBe("https: URL, host api.stripe.com");
  });

  it("is not proven in a fragment", async () => {
    const proof = await prove("url", templateOf("https://app.example/docs#", hole()));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("No payload in the catalogue applies to a hole in the URL fragment.");
  });
});

describe("encoded holes: only payloads the encoding's alphabet can spell", () => {
  const encodedHole = (alphabet: "hex" | "base64" | "base64url", ...before: string[]) => ({
    parts: [...before.map((text) => ({ kind: "text" as const, text })), { kind: "hole" as const, label: "req.query.h", alphabet }],
  });

  it("reaches the loopback address with digits alone after a scheme (hex)", async () => {
    const proof = await prove("url", encodedHole("hex", "https://"));
    expect(proof).toMatchObject({ verdict: "proven", payload: "2130706433", attack: { structure: "https: URL, host 127.0.0.1" } });
  });

  it("makes a scheme-relative URL from base64's '/' when the whole URL is the hole", async () => {
    const proof = await prove("url", encodedHole("base64"));
    expect(proof).toMatchObject({ verdict: "proven", payload: "//2130706433" });
  });

  it("proves nothing with hex or base64url as a whole URL: without ':' or '/' it stays a relative path", async () => {
    for (const alphabet of ["hex", "base64url"] as const) {
      const proof = await prove("url", encodedHole(alphabet));
      expect(proof!.verdict).toBe("not-proven");
    }
  });
});

describe("internal addresses", () => {
  it("recognises loopback, private, link-local and mapped addresses after WHATWG normalisation", () => {
    const host = (url: string) => new URL(url).hostname;
    expect(internalAddress(host("http://127.0.0.1/"))).toBe("the loopback address");
    expect(internalAddress(host("http://2130706433/"))).toBe("the loopback address");
    expect(internalAddress(host("http://0x7f.1/"))).toBe("the loopback address");
    expect(internalAddress(host("http://[::1]/"))).toBe("the loopback address");
    expect(internalAddress(host("http://[::ffff:127.0.0.1]/"))).toBe("the loopback address");
    expect(internalAddress(host("http://10.1.2.3/"))).toBe("the private address");
    expect(internalAddress(host("http://172.16.0.1/"))).toBe("the private address");
    expect(internalAddress(host("http://172.31.255.1/"))).toBe("the private address");
    expect(internalAddress(host("http://192.168.1.1/"))).toBe("the private address");
    expect(internalAddress(host("http://169.254.169.254/"))).toBe("the link-local (cloud metadata) address");
    expect(internalAddress(host("http://[fd00::1]/"))).toBe("the unique-local address");
    expect(internalAddress(host("http://localhost:8080/"))).toBe("the loopback host");
    expect(internalAddress(host("http://metadata.google.internal/"))).toBe("the cloud metadata host");
    expect(internalAddress(host("http://172.32.0.1/"))).toBe("");
    expect(internalAddress(host("http://8.8.8.8/"))).toBe("");
    expect(internalAddress(host("https://api.stripe.com/"))).toBe("");
  });
});

describe("script URL prover (links, frames, navigations)", () => {
  it("proves a whole attacker URL becomes a javascript: URL, and says nothing of hosts", async () => {
    const proof = await prove("url", templateOf(hole('params.get("return")')), { scriptUrl: true });
    expect(proof).toMatchObject({ verdict: "proven", payload: "javascript:alert(1)", benign: { structure: "https: URL, host example.com" } });
    expect(proof!.evidence).toBe(
      'The URL\'s scheme changed from https: to javascript:, which runs script in the page that follows it (payload in params.get("return"), as the whole URL).',
    );
  });

  it("does not prove a path segment after a fixed prefix", async () => {
    const proof = await prove("url", templateOf("/orders/", hole("orderId")), { scriptUrl: true });
    expect(proof!.verdict).toBe("not-proven");
  });

  it("does not count another host as script", async () => {
    const proof = await prove("url", templateOf("https://", hole("tenant"), ".shop.example/"), { scriptUrl: true });
    expect(proof!.verdict).toBe("not-proven");
  });
});
