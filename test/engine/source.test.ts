import { describe, expect, it } from "vitest";
import { byteLength } from "../../src/engine/source";

describe("byteLength", () => {
  it.each([
    ["", 0],
    ["SELECT 1;", 9],
    // 2-byte (é U+00E9, ߿ U+07FF) and 3-byte (ࠀ U+0800, € U+20AC) characters
    ["café", 5],
    ["\u07ff\u0800", 5],
    ["5 €", 5],
    // A surrogate pair is one 4-byte character; a lone surrogate is written as U+FFFD (3 bytes).
    ["a\u{1F600}b", 6],
    ["\ud83d", 3],
    ["\ude00x", 4],
    ["x\ud83d", 4],
    ["\ude00\ud83d", 6],
    // Runs of non-ASCII text between ASCII
    ["a€€b\u{1F600}\u{1F600}c", 17],
  ])("%j is %i bytes of UTF-8", (text, bytes) => {
    expect(byteLength(text)).toBe(bytes);
  });

  it("counts bytes as given", () => {
    expect(byteLength(new Uint8Array([0xe2, 0x82, 0xac]))).toBe(3);
  });
});
