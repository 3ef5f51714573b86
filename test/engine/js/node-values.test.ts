import { describe, expect, it } from "vitest";
import { memberChain, mentionedNames, propertyName } from "../../../src/engine/js/node-values";
import { parseJs, type JsNode } from "../../../src/engine/parse/js";
import { createSourceFile } from "../../../src/engine/source";

function expression(code: string): JsNode {
  const parsed = parseJs(createSourceFile("a.ts", `(${code});`));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.program.body[0].expression;
}

describe("memberChain", () => {
  it("splits a chain into its root and static names", () => {
    const chain = memberChain(expression(`window.crypto["subtle"].digest`));
    expect(chain?.root.name).toBe("window");
    expect(chain?.names).toEqual(["crypto", "subtle", "digest"]);
  });

  it("is null for a computed link", () => {
    expect(memberChain(expression(`a[b].c`))).toBeNull();
  });
});

describe("propertyName", () => {
  it("reads identifier, string and private keys", () => {
    const obj = expression(`{ a: 1, "b-c": 2, [\`d\`]: 3, [e]: 4 }`);
    expect(obj.properties.map((p: JsNode) => propertyName(p))).toEqual(["a", "b-c", "d", null]);
  });
});

describe("mentionedNames", () => {
  it("lists identifiers and member paths an expression uses", () => {
    expect(mentionedNames(expression("`${salt}:${user.password}` + JSON.stringify({ card: pan })"))).toEqual([
      "salt",
      "user.password",
      "JSON.stringify",
      "card",
      "pan",
    ]);
  });

  it("does not enter functions and stops at its budget", () => {
    expect(mentionedNames(expression("() => password"))).toEqual([]);
    const wide = expression(Array.from({ length: 500 }, (_, i) => `v${i}`).join(" + "));
    expect(mentionedNames(wide, 64).length).toBeLessThanOrEqual(64);
  });
});
