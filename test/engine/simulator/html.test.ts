import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createHtmlProver, htmlEndState, tokenizeHtml, type HtmlStructure } from "../../../src/engine/simulator/html";

const hole = (label = "req.query.q") => ({ hole: label });
const prover = await createHtmlProver();
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
      parser: { name: "parse5", version: "8.1.1" },
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
      {
        name: "a",
        attributes: [
          { name: "href", value: "/x" },
          { name: "title", value: "t" },
          { name: "onclick", value: "a()" },
        ],
      },
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

/**
 * What the WHATWG parser builds, for the cases a home-made tokenizer gets wrong. The inputs
 * follow html5lib-tests (tokenizer/test1–4, domjs, entities, escapeFlag; tree-construction
 * tests1, tests_innerHTML, svg, comments): comment ends, raw text and RCDATA, script data
 * escapes, foreign content, unquoted and crowded attributes, character references.
 */
describe("HTML parsing as the standard does (html5lib-tests cases)", () => {
  const shape = (text: string) =>
    parse(text)
      .elements.filter((e) => !["html", "head", "body"].includes(e.name) || e.attributes.length > 0)
      .map((e) => [e.name, ...e.attributes.map((a) => `${a.name}=${a.value}`)].join(" "));
  it.each([
    // Comments: `<!-->` and `<!--->` are empty comments, `--!>` ends one.
    ["<!--><img src=x onerror=a>", ["img src=x onerror=a"]],
    ["<!---><img src=x onerror=a>", ["img src=x onerror=a"]],
    ["<!-- x --!><img src=x onerror=a>", ["img src=x onerror=a"]],
    ["<!-- x --><img src=x onerror=a>", ["img src=x onerror=a"]],
    ["<!-- x -- ><img src=x onerror=a> -->", []],
    ["<? x ><b>", ["b"]],
    // Raw text and RCDATA end only at their own end tag; <noscript> is raw text with scripting on.
    ["<textarea><img src=x onerror=a></textarea>", ["textarea"]],
    ["<title><img src=x onerror=a></title>", ["title"]],
    ["<style><img src=x onerror=a></style>", ["style"]],
    ["<noscript><img src=x onerror=a></noscript>", ["noscript"]],
    ["<xmp><b></xmp ><i>", ["xmp", "i"]],
    ["<script>a = '</SCRIPT ><b>'</script>", ["script", "b"]],
    // `<!--<script>` inside a script: the next `</script>` does not end it.
    ["<script><!--<script></script><img src=x onerror=a>--></script>", ["script"]],
    ["<script><!--</script><img src=x onerror=a>", ["script", "img src=x onerror=a"]],
    // Foreign content: <style> in SVG holds markup; HTML elements such as <img> break out.
    ["<svg><style><img src=x onerror=a></style></svg>", ["svg", "style", "img src=x onerror=a"]],
    ["<svg><style><a id=x></a></style></svg>", ["svg", "style", "a id=x"]],
    // mglyph is foster-parented out of the table as an HTML element, so its <style> is raw text.
    ["<math><mtext><table><mglyph><style><img src=x onerror=a>", ["math", "mtext", "mglyph", "style", "table"]],
    ["<svg><a xlink:href='javascript:a()'></a></svg>", ["svg", "a xlink:href=javascript:a()"]],
    // Attributes: unquoted, no space between, slash-separated, first of duplicates, case folded.
    ["<IMG SRC=x ONERROR=a>", ["img src=x onerror=a"]],
    ["<a href='x'title=y>", ["a href=x title=y"]],
    ["<a/b=c/d>", ["a b=c/d"]],
    ["<a onclick=1 onclick=2>", ["a onclick=1"]],
    ['<a title="x>y" id=z>', ["a title=x>y id=z"]],
    // A stray </p> makes an empty <p>; an end tag's attributes are dropped.
    ["<b></p onclick=a><i>", ["b", "p", "i"]],
    // Character references in attribute values.
    ["<a href='javascript&colon;alert(1)'>", ["a href=javascript:alert(1)"]],
    ["<a href='jav&#x09;ascript:alert(1)'>", ["a href=jav\tascript:alert(1)"]],
    ["<a href=&#106;avascript:alert(1)>", ["a href=javascript:alert(1)"]],
    ["<a href='?x=1&copy=2&amp;y'>", ["a href=?x=1&copy=2&y"]],
    ["<a title='&#0;'>", ["a title=\uFFFD"]],
    // A second <body> start tag gives its attributes to the body.
    ["<p>x</p><body onload=a()>", ["body onload=a()", "p"]],
    // Table pieces are parsed where they belong.
    ["<td class=x onmouseover=a>1</td>", ["td class=x onmouseover=a"]],
    ["<tr><td>1</td></tr>", ["tr", "td"]],
  ])("%s", (text, expected) => {
    expect(shape(text)).toEqual(expected);
  });

  it("sees javascript: URLs behind character references and tab/newline noise", () => {
    const benign = parse('<a href="/home">x</a>');
    for (const href of [
      "javascript&colon;alert(1)",
      "jav&#x09;ascript:alert(1)",
      "&#106;avascript:alert(1)",
      "&#x6A;avascript&#x3A;alert(1)",
      "java&NewLine;script:alert(1)",
      " &#14;javascript:alert(1)",
    ]) {
      expect(prover.compare(benign, parse(`<a href="${href}">x</a>`)), href).toEqual([
        { rank: 3, words: "the href attribute of <a> became a javascript: URL" },
      ]);
    }
    expect(prover.compare(benign, parse('<a href="javascript&amp;colon;alert(1)">x</a>'))).toEqual([]);
  });

  it("proves through the comment ends a home-made tokenizer misses", async () => {
    const proof = await prove("html", templateOf("<!-- note: ", hole(), " -->"));
    expect(proof!.verdict).toBe("proven");
    expect((await prove("html", templateOf("<!--><p>", hole(), "</p>")))!.benign.structure).toBe("1 element: <p>");
  });

  it("leaves a `<!--<script>` escape in script data before ending the script", async () => {
    const proof = await prove("html", templateOf("<script><!--<script>var a = '", hole(), "';</script>--></script>"));
    expect(proof!.payload).toBe("--></script><img src=x onerror=alert(1)>");
    expect(proof!.verdict).toBe("proven");
    const plain = await prove("html", templateOf("<script>var a = '", hole(), "';</script>"));
    expect(plain!.payload).toBe("</script><img src=x onerror=alert(1)>");
  });

  it("tells where a hole sits after the comment ends the standard allows", () => {
    expect(htmlEndState("<!--><p>")).toEqual({ state: "text" });
    expect(htmlEndState("<!---><p>")).toEqual({ state: "text" });
    expect(htmlEndState("<!-- a --!><p>")).toEqual({ state: "text" });
  });
});
