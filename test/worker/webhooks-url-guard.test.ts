/**
 * Our own SSRF guard, through the API: every hostile endpoint URL form (issue 14 §1) is refused
 * with a 400 problem+json that points at /url and does not echo the URL — on creation and on
 * PATCH — and ordinary public https URLs are accepted. The guard also runs again at delivery
 * time (webhooks-delivery.test.ts).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createProject, expectProblem } from "./helpers";

/** [form, URL]. Each is refused. */
const HOSTILE: ReadonlyArray<[string, string]> = [
  ["plain http", "http://hooks.example.com/pci"],
  ["ftp", "ftp://hooks.example.com/pci"],
  ["javascript", "javascript:alert(1)"],
  ["file", "file:///etc/passwd"],
  ["relative", "/v1/scans"],
  ["credentials", "https://user:pass@hooks.example.com/"],
  ["user only", "https://user@hooks.example.com/"],
  ["localhost", "https://localhost/"],
  ["localhost, upper case", "https://LOCALHOST:8443/"],
  ["localhost, trailing dot", "https://localhost./"],
  ["subdomain of localhost", "https://api.localhost/"],
  ["localhost, percent-encoded", "https://%6c%6f%63%61%6c%68%6f%73%74/"],
  ["localhost, full-width letters", "https://ｌｏｃａｌｈｏｓｔ/"],
  ["*.internal", "https://metadata.google.internal/computeMetadata/v1/"],
  ["*.local", "https://printer.local/"],
  ["*.lan", "https://router.lan/"],
  ["*.home.arpa", "https://nas.home.arpa/"],
  ["*.corp", "https://intranet.corp/"],
  ["single-label name", "https://metadata/"],
  ["wildcard DNS to loopback", "https://127.0.0.1.nip.io/"],
  ["IPv4 loopback", "https://127.0.0.1/"],
  ["IPv4 loopback, other address", "https://127.10.20.30/"],
  ["IPv4 loopback, decimal", "https://2130706433/"],
  ["IPv4 loopback, octal", "https://0177.0.0.1/"],
  ["IPv4 loopback, whole octal", "https://017700000001/"],
  ["IPv4 loopback, hex", "https://0x7f000001/"],
  ["IPv4 loopback, dotted hex", "https://0x7f.0x0.0x0.0x1/"],
  ["IPv4 loopback, short form", "https://127.1/"],
  ["IPv4 this-network", "https://0.0.0.0/"],
  ["IPv4 private 10/8", "https://10.0.0.1/"],
  ["IPv4 private 172.16/12", "https://172.16.5.4/"],
  ["IPv4 private 172.31", "https://172.31.255.255/"],
  ["IPv4 private 192.168/16", "https://192.168.1.1/"],
  ["IPv4 private, decimal", "https://3232235777/"],
  ["IPv4 link-local (cloud metadata)", "https://169.254.169.254/latest/meta-data/"],
  ["IPv4 link-local, hex", "https://0xa9fea9fe/"],
  ["IPv4 CGNAT", "https://100.64.0.1/"],
  ["IPv4 CGNAT, top", "https://100.127.255.254/"],
  ["IPv4 multicast", "https://224.0.0.1/"],
  ["IPv4 multicast, top", "https://239.255.255.250/"],
  ["IPv4 reserved", "https://240.0.0.1/"],
  ["IPv4 broadcast", "https://255.255.255.255/"],
  ["IPv4 documentation", "https://192.0.2.10/"],
  ["IPv4 benchmarking", "https://198.18.0.1/"],
  ["IPv4 IETF assignments", "https://192.0.0.8/"],
  ["IPv6 loopback", "https://[::1]/"],
  ["IPv6 loopback, long form", "https://[0:0:0:0:0:0:0:1]/"],
  ["IPv6 unspecified", "https://[::]/"],
  ["IPv6 link-local", "https://[fe80::1]/"],
  ["IPv6 unique local", "https://[fd12:3456:789a::1]/"],
  ["IPv6 unique local fc00", "https://[fc00::1]/"],
  ["IPv6 site-local", "https://[fec0::1]/"],
  ["IPv6 multicast", "https://[ff02::1]/"],
  ["IPv6 documentation", "https://[2001:db8::1]/"],
  ["IPv6 Teredo", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"],
  ["IPv6 6to4", "https://[2002:7f00:1::1]/"],
  ["IPv6 NAT64", "https://[64:ff9b::7f00:1]/"],
  ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/"],
  ["IPv4-mapped private, hex", "https://[::ffff:a00:1]/"],
  ["IPv4-mapped metadata", "https://[::ffff:169.254.169.254]/"],
  ["IPv4-mapped public", "https://[::ffff:8.8.8.8]/"],
  ["IPv4-compatible loopback", "https://[::127.0.0.1]/"],
  ["IPv6 discard-only", "https://[100::1]/"],
  ["not a URL", "not a url"],
  ["too long", `https://hooks.example.com/${"a".repeat(2_100)}`],
  ["a secret in the URL", "https://hooks.example.com/?key=sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
];

const PUBLIC = ["https://hooks.example.com/pci", "https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook", "https://hooks.example.com:8443/a?b=c"];

/** Each project may send 40 requests a minute (test policy): spread the table over a few. */
const PER_PROJECT = 30;
const projects: Array<Record<string, string>> = [];

beforeAll(async () => {
  for (let i = 0; i * PER_PROJECT < HOSTILE.length + PUBLIC.length + 10; i++) projects.push((await createProject(`Guard ${i}`)).headers);
});

let used = 0;
const nextHeaders = () => ({ ...projects[Math.floor(used++ / PER_PROJECT)]!, "content-type": "application/json" });

describe("endpoint URLs: https to a public host only", () => {
  it(`refuses every hostile form (${HOSTILE.length}) with 400 problem+json pointing at /url, without echoing it`, async () => {
    const rejected: string[] = [];
    for (const [form, url] of HOSTILE) {
      const res = await call("/v1/webhooks", { method: "POST", headers: nextHeaders(), body: JSON.stringify({ url }) });
      const body = await expectProblem(res, 400, "validation_failed");
      const errors = body.errors as Array<{ pointer: string; message: string }>;
      expect(
        errors.map((e) => e.pointer),
        form,
      ).toEqual(["/url"]);
      if (url.length > 12) expect(JSON.stringify(body), form).not.toContain(url);
      rejected.push(form);
    }
    expect(rejected).toHaveLength(HOSTILE.length);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM webhook_endpoints").first<{ n: number }>();
    expect(stored!.n).toBe(0);
    console.log(`hostile endpoint URLs rejected: ${rejected.length}/${HOSTILE.length}`);
  });

  it("accepts public https URLs, and refuses a hostile one on PATCH too", async () => {
    const ids: string[] = [];
    for (const url of PUBLIC) {
      const res = await call("/v1/webhooks", { method: "POST", headers: nextHeaders(), body: JSON.stringify({ url }) });
      expect(res.status, url).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const headers = nextHeaders();
    const created = await call("/v1/webhooks", { method: "POST", headers, body: JSON.stringify({ url: PUBLIC[0] }) });
    const { id } = (await created.json()) as { id: string };
    const patched = await call(`/v1/webhooks/${id}`, { method: "PATCH", headers, body: JSON.stringify({ url: "https://[::ffff:10.0.0.1]/" }) });
    await expectProblem(patched, 400, "validation_failed");
    const row = await env.DB.prepare("SELECT url FROM webhook_endpoints WHERE id = ?").bind(id).first<{ url: string }>();
    expect(row!.url).toBe(PUBLIC[0]);
  });
});
