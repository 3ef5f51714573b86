import { describe, expect, it } from "vitest";
import { FileBindings } from "../../../src/engine/js/file-bindings";
import { composeListeners } from "../../../src/engine/js/compose-listeners";
import { parseJs, type JsNode } from "../../../src/engine/parse/js";
import { walk } from "../../../src/engine/parse/walk";
import { createSourceFile } from "../../../src/engine/source";

/** Walks `code` with a FileBindings and returns it plus every call's callee, in source order. */
function bind(code: string, path = "src/a.ts"): { bindings: FileBindings; callees: JsNode[]; args: JsNode[][] } {
  const parsed = parseJs(createSourceFile(path, code));
  if (!parsed.ok) throw new Error(parsed.message);
  const bindings = new FileBindings();
  const callees: JsNode[] = [];
  const args: JsNode[][] = [];
  const listeners = composeListeners(bindings.listeners, {
    CallExpression(node) {
      callees.push(node.callee);
      args.push(node.arguments);
    },
  });
  walk(parsed.program, new Map(Object.entries(listeners)), new Map(), { maxNodes: 100_000, maxDepth: 500 });
  return { bindings, callees, args };
}

describe("FileBindings.resolve", () => {
  it.each([
    [`const crypto = require("crypto");\ncrypto.createHash("md5");`, { module: "crypto", names: ["createHash"] }],
    [`import * as crypto from "node:crypto";\ncrypto.createHash("md5");`, { module: "crypto", names: ["createHash"] }],
    [`import crypto from "crypto";\ncrypto.createHash("md5");`, { module: "crypto", names: ["createHash"] }],
    [`import { createHash as h } from "crypto";\nh("md5");`, { module: "crypto", names: ["createHash"] }],
    [`const { createHash: h = null } = require("crypto");\nh("md5");`, { module: "crypto", names: ["createHash"] }],
    [`const h = require("crypto").createHash;\nh("md5");`, { module: "crypto", names: ["createHash"] }],
    [`import crypto = require("crypto");\ncrypto.createHash("md5");`, { module: "crypto", names: ["createHash"] }],
    [`const c = await import("node:crypto");\nc.webcrypto.subtle.digest("SHA-1", d);`, { module: "crypto", names: ["webcrypto", "subtle", "digest"] }],
    [`require("crypto").createHash("md5");`, { module: "crypto", names: ["createHash"] }],
    [`window.crypto.subtle.digest("SHA-1", d);`, { module: null, names: ["window", "crypto", "subtle", "digest"] }],
    [`this.jwtService.decode(t);`, { module: null, names: ["this", "jwtService", "decode"] }],
    // A type-only import binds nothing.
    [`import type { createHash } from "crypto";\ncreateHash("md5");`, { module: null, names: ["createHash"] }],
    // Bound two different ways: unknown.
    [`function f() { const a = require("x"); }\nfunction g() { const a = require("y"); a.f(); }`, { module: null, names: ["a", "f"] }],
  ])("%s", (code, expected) => {
    const { bindings, callees } = bind(code);
    const calls = callees.filter((c) => !(c.type === "Identifier" && c.name === "require"));
    expect(bindings.resolve(calls[calls.length - 1]!)).toEqual(expected);
  });

  it("gives up on computed members", () => {
    const { bindings, callees } = bind(`const crypto = require("crypto");\ncrypto[name]("md5");`);
    expect(bindings.resolve(callees[1]!)).toBeNull();
  });

  it("answers a callee asked about again after a later binding from the bindings as they are then", () => {
    const parsed = parseJs(createSourceFile("src/a.js", `h("md5");\nvar h = require("crypto").createHash;`));
    if (!parsed.ok) throw new Error(parsed.message);
    const bindings = new FileBindings();
    let callee: JsNode | null = null;
    const listeners = composeListeners(bindings.listeners, {
      CallExpression(node) {
        if (callee) return;
        callee = node.callee;
        // At the call, `h` is not bound yet (several rules ask in turn).
        expect(bindings.resolve(node.callee)).toEqual({ module: null, names: ["h"] });
        expect(bindings.resolve(node.callee)).toEqual({ module: null, names: ["h"] });
      },
    });
    walk(parsed.program, new Map(Object.entries(listeners)), new Map(), { maxNodes: 100_000, maxDepth: 500 });
    expect(bindings.resolve(callee!)).toEqual({ module: "crypto", names: ["createHash"] });
  });
});

describe("FileBindings.stringValue", () => {
  it("reads literals, substitution-free templates and const strings", () => {
    const { bindings, args } = bind('const A = "md5";\nconst B = `sha1`;\nlet C = "md4";\nf("x", A, B, C, `t${A}`);');
    expect(args[0]!.map((a) => bindings.stringValue(a))).toEqual(["x", "md5", "sha1", null, null]);
  });

  it("treats a name bound to two different strings as unknown", () => {
    const { bindings, args } = bind(`function a() { const ALG = "md5"; }\nfunction b() { const ALG = "sha256"; }\nf(ALG);`);
    expect(bindings.stringValue(args[0]![0])).toBeNull();
  });

  it("unwraps TypeScript assertions", () => {
    const { bindings, args } = bind(`const ALG = "md5" as const;\nf(ALG as string, "x"!);`);
    expect(args[0]!.map((a) => bindings.stringValue(a))).toEqual(["md5", "x"]);
  });
});
