import { describe, expect, it } from "vitest";
import { scan } from "../../src/engine/index";

describe("scan", () => {
  it("skips binary and non-UTF-8 files with a notification", async () => {
    const result = await scan({
      files: [
        { path: "a.bin", content: new Uint8Array([0x50, 0x00, 0x01]) },
        { path: "b.txt", content: new Uint8Array([0xff, 0xfe, 0x41]) },
      ],
    });
    expect(result.notifications.map((n) => [n.path, n.code])).toEqual([
      ["a.bin", "binary-file"],
      ["b.txt", "invalid-encoding"],
    ]);
    expect(result.stats.filesScanned).toBe(0);
  });
});
