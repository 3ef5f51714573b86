import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createHtmlProver, htmlEndState, tokenizeHtml, type HtmlStructure } from "../../../src/engine/simulator/html";

const hole = (label = "req.query.q") => ({ hole: label });
const prover = createHtmlProver();
const parse = (text: string) => (prover.analyze(text) as { structure: HtmlStructure }).structure;

describe("HTML prover through prove()", () => {
  it("proves a new element with an event handler in text", async () => {
    const proof = await prove("html", templateOf("<p>Results for ", hole("req.query.q"), "</p>"));
    expect(proof).toMatchObject({
      kind: "html",
      verdict: "proven",
      payload: "<img src=x onerror=alert(1)>",
      benign: { rendered: "<p>Results for hello</p>", structure: "1 element: <p>" },
      attack: { rendered: "<p>Results for <img src=x onerror=alert(1)></p>", structure: "2 elements: <p> <img src onerror>" },
      parser: { name: "pci-auditor-html-tokenizer", version: "1" },
    });
    expect(proof!.evidence).toBe("A new <img> element with an onerror handler (payload in req.query.q, in HTML text).");
  });

  it("adds an event handler from a quoted attribute", async () => {
    const proof = await prove("html", templateOf('<input name="q" value="', hole(), '">'));
    expect(proof!.payload).toBe('" onmouseover="alert(1)');
    expect(proof!.evidence).toContain("A new onmouseover event handler on <input>");
    expect(proof!.benign.structure).toBe("1 element: <input name value>");
    expect(proof!.attack.structure).toBe("1 element: <input name value onmouseover>");
  });

  it("adds an event handler from an unquoted attribute", async () => {
    const proof = await prove("html", templateOf("<td class=", hole(), ">"));
    expect(proof!.payload).toBe("x onmouseover=alert(1)");
    expect(proof!.verdict).toBe("proven");
  });

  it("turns a link into a javascript: URL", async () => {
    const proof = await prove("html", templateOf('<a href="', hole("req.query.next"), '">Continue</a>'));
    expect(proof!.payload).toBe("javascript:alert(1)");
    expect(proof!.evidence).toContain("The href attribute of <a> became a javascript: URL");
  });

  it("ends a script element early", async () => {
    const proof = await prove("html", templateOf("<script>var user = '", hole(), "';</script>"));
    expect(proof!.payload).toBe("</script><img src=x onerror=alert(1)>");
    expect(proof!.verdict).toBe("proven");
  });

  it("ends a textarea and a comment early", async () => {
    expect((await prove("html", templateOf("<textarea>", hole(), "</textarea>")))!.payload).toBe("</textarea><img src=x onerror=alert(1)>");
    expect((await prove("html", templateOf("<!-- debug: ", hole(), " -->")))!.payload).toBe("--><img src=x onerror=alert(1)>");
  });

  it("is not proven inside <plaintext>, which nothing closes", async () => {
    const proof = await prove("html", templateOf("<plaintext>", hole()));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toBe("No payload in the catalogue applies to a hole inside a <plaintext> element.");
  });
});

describe("HTML tokenizer", () => {
  it("reads attributes, drops duplicates, and skips end tags and comments", () => {
    expect(tokenizeHtml(`<a href='/x' title=t onclick="a()" onclick="b()">x</a><!-- <b> --><br/>`).elements).toEqual([
      { name: "a", attributes: [{ name: "href", value: "/x" }, { name: "title", value: "t" }, { name: "onclick", value: "a()" }] },
      { name: "br", attributes: [] },
    ]);
  });

  it("reads raw text up to its own end tag only", () => {
    expect(tokenizeHtml("<script>if (a<b) x = '<img src=x>'</script><i>").elements.map((e) => e.name)).toEqual(["script", "i"]);
    expect(tokenizeHtml("<title><b>x</b></TITLE ><u>").elements.map((e) => e.name)).toEqual(["title", "u"]);
  });

  it("reports where an unfinished text ends", () => {
    expect(htmlEndState("<p>hi ")).toEqual({ state: "text" });
    expect(htmlEndState('<a href="')).toEqual({ state: "attr-value", attribute: "href", quote: '"', valueSoFar: "" });
    expect(htmlEndState("<a class=big ")).toEqual({ state: "tag" });
    expect(htmlEndState("<style>p {")).toEqual({ state: "rawtext", tag: "style" });
    expect(htmlEndState("<!-- x")).toEqual({ state: "comment" });
  });

  it("compares new elements, attributes and javascript: URLs", () => {
    expect(prover.compare(parse("<b>hi</b>"), parse("<b>hi</b><i>x</i>"))).toEqual([{ rank: 2, words: "a new <i> element" }]);
    expect(prover.compare(parse('<div id="a">'), parse('<div id="a" style="x">'))).toEqual([{ rank: 2, words: "a new style attribute on <div>" }]);
    expect(prover.compare(parse('<a href="/x">'), parse('<a href=" JaVa\tScRiPt:alert(1)">'))).toEqual([
      { rank: 3, words: "the href attribute of <a> became a javascript: URL" },
    ]);
    expect(prover.compare(parse("<p>a &lt;b&gt;</p>"), parse("<p>&lt;script&gt;</p>"))).toEqual([]);
  });

  it("stays bounded on deeply nested and malformed input", () => {
    const nested = "<div>".repeat(6_000) + "x" + "</div>".repeat(6_000);
    expect(tokenizeHtml(nested).elements).toHaveLength(6_000);
    expect(tokenizeHtml("<a ".repeat(50_000)).end).toEqual({ state: "tag" });
    expect(tokenizeHtml("<script>".repeat(50_000)).elements).toHaveLength(1);
    expect(tokenizeHtml("<!--".repeat(50_000)).end).toEqual({ state: "comment" });
  });
});
