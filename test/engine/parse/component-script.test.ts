import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";
import { componentScript } from "../../../src/engine/parse/component-script";
import { parseJs } from "../../../src/engine/parse/js";
import { createSourceFile } from "../../../src/engine/source";

const VUE = `<template>
  <div v-html="note"></div>
</template>
<script setup lang="ts">
const note: string = "x";
</script>
`;

describe("componentScript", () => {
  it("keeps the script at its own offsets and blanks the markup, line breaks kept", () => {
    const s = componentScript(VUE, "Note.vue")!;
    expect(s.typescript).toBe(true);
    expect(s.code.length).toBe(VUE.length);
    expect(s.code.split("\n").length).toBe(VUE.split("\n").length);
    const at = VUE.indexOf('const note: string = "x";');
    expect(s.code.slice(at, at + 25)).toBe('const note: string = "x";');
    expect(s.code).not.toContain("<template>");
    expect(s.code).not.toContain("</script>");
  });

  it("writes a template binding as a call at the expression's own place, inside a wrapper called after the script", () => {
    const s = componentScript(VUE, "Note.vue")!;
    const expr = VUE.indexOf('note"');
    expect(s.code.slice(expr - 6, expr + 5)).toBe(";$$vh(note)");
    expect(s.code).toMatch(/function\s+\$\$tpl\s*\(\s*\)\s*\{/);
    expect(s.code.indexOf(";$$tpl()")).toBeGreaterThan(VUE.indexOf("</script>") - 1);
  });

  it("parses as TypeScript through the source file, with findings' offsets the file's", () => {
    const file = createSourceFile("src/Note.vue", VUE);
    expect(file.language).toBe("typescript");
    expect(file.text).toBe(VUE);
    const parsed = parseJs(file);
    expect(parsed.ok).toBe(true);
  });

  it("leaves out an expression that is not JavaScript on its own (HTML entities)", () => {
    const text = `<template><div v-html="a &amp;&amp; b"></div></template>\n<script>\nexport default {};\n</script>\n`;
    const s = componentScript(text, "A.vue")!;
    expect(s.code).not.toContain("$$vh");
    expect(parseJs(createSourceFile("A.vue", text)).ok).toBe(true);
  });

  it("reads Svelte's {@html} and a link's href={…}, not an image's", () => {
    const text = `<script>\n  let a = "";\n</script>\n<p>{@html a}</p>\n<a href={a}>x</a>\n<img src={a} />\n`;
    const s = componentScript(text, "A.svelte")!;
    expect(s.typescript).toBe(false);
    expect(s.code).toContain(";$$sh(a)");
    expect(s.code).toContain(";$$su(a)");
    expect(s.code.match(/\$\$su/g)).toHaveLength(1);
    expect(parseJs(createSourceFile("A.svelte", text)).ok).toBe(true);
  });

  it("binds nothing in commented-out markup", () => {
    const text = `<template>\n  <!-- <div v-html="note"></div> -->\n  <p>{{ note }}</p>\n</template>\n<script setup>\nconst note = "";\n</script>\n`;
    expect(componentScript(text, "A.vue")!.code).not.toContain("$$vh");
  });

  it("is null for a component without a script, which stays a text file", () => {
    expect(componentScript("<template><p>hi</p></template>", "A.vue")).toBeNull();
    expect(createSourceFile("A.vue", "<template><p>hi</p></template>").language).toBe("text");
  });

  it("reads unclosed and look-alike script tags without running away", () => {
    const hostile = "<scripts>".repeat(2000) + "<script".repeat(5000);
    expect(componentScript(hostile, "A.vue")).toBeNull();
    const s = componentScript("<script>let x = 1;", "A.vue")!;
    expect(s.code).toBe("        let x = 1;");
  });

  it("leaves the whole file to the card-number detector: a test card in the markup is still found, on its line", async () => {
    const text = `<template>\n  <p>Try 4111 1111 1111 1111 in the sandbox</p>\n</template>\n<script setup>\nconst note = "";\n</script>\n`;
    const result = await scan({ files: [{ path: "src/Help.vue", content: text }] });
    const cards = result.findings.filter((f) => f.ruleId === "card-number-in-source");
    expect(cards.map((f) => f.location.startLine)).toEqual([2]);
  });
});
