import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error";
import { collectFiles } from "../../src/cli/collect-files";

let root: string;

function write(rel: string, text = "x") {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "pca-collect-"));
  for (const f of [
    "src/b.ts",
    "src/a.ts",
    "src/Z.ts",
    "src/nested/deep/c.sql",
    "src/app.min.js",
    "node_modules/lib/index.js",
    ".git/config",
    "dist/cli.mjs",
    "build/out.js",
    "coverage/lcov.info",
    ".wrangler/state.json",
    "vendor/jquery.js",
    "src/node_modules/x.js",
    "test/fixtures/card.js",
    ".env",
  ])
    write(f);
  write("src/sized.txt", "12345");
  symlinkSync(path.join(root, "src"), path.join(root, "loop")); // a folder link: not followed
  symlinkSync(path.join(root, "src/a.ts"), path.join(root, "link-to-a.ts")); // a file link: read
  symlinkSync(path.join(root, "missing"), path.join(root, "dangling.ts"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const defaults = () => ({ cwd: root, exclude: [], defaultExcludes: true, gitignore: true });

describe("collectFiles", () => {
  it("walks folders recursively, sorted by path, skipping the default excludes", async () => {
    const files = await collectFiles(["."], defaults());
    expect(files.map((f) => f.path)).toEqual([
      ".env",
      "link-to-a.ts",
      "src/Z.ts",
      "src/a.ts",
      "src/app.min.js",
      "src/b.ts",
      "src/nested/deep/c.sql",
      "src/sized.txt",
      "test/fixtures/card.js",
    ]);
    expect(files.find((f) => f.path === "src/sized.txt")).toEqual({ absolute: path.join(root, "src/sized.txt"), path: "src/sized.txt", size: 5 });
  });

  it("scans everything with --no-default-excludes", async () => {
    const files = await collectFiles(["."], { ...defaults(), defaultExcludes: false });
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        "node_modules/lib/index.js",
        ".git/config",
        "dist/cli.mjs",
        "build/out.js",
        "coverage/lcov.info",
        ".wrangler/state.json",
        "vendor/jquery.js",
        "src/node_modules/x.js",
      ]),
    );
  });

  it("applies --exclude globs to names at any depth and to paths", async () => {
    const files = await collectFiles(["."], { ...defaults(), exclude: ["*.min.js", "test/fixtures", "nested"] });
    expect(files.map((f) => f.path)).toEqual([".env", "link-to-a.ts", "src/Z.ts", "src/a.ts", "src/b.ts", "src/sized.txt"]);
  });

  it("scans a named folder even when its name is a default exclude, and a named file once", async () => {
    const files = await collectFiles(["dist", "src/a.ts", "src/a.ts", "src/nested"], defaults());
    expect(files.map((f) => f.path)).toEqual(["dist/cli.mjs", "src/a.ts", "src/nested/deep/c.sql"]);
  });

  it("makes paths relative to cwd, with .. when outside it", async () => {
    const files = await collectFiles([path.join(root, "src/nested")], { ...defaults(), cwd: path.join(root, "test") });
    expect(files.map((f) => f.path)).toEqual(["../src/nested/deep/c.sql"]);
  });

  it("leaves out the files it is told to skip", async () => {
    const files = await collectFiles(["src"], { ...defaults(), skip: new Set([path.join(root, "src/b.ts")]) });
    expect(files.map((f) => f.path)).not.toContain("src/b.ts");
  });

  it("names a missing path", async () => {
    await expect(collectFiles(["src", "nope/missing.js"], defaults())).rejects.toThrow(new CliError("cannot read nope/missing.js: no such file or directory"));
  });
});

describe("collectFiles with ignore files", () => {
  let repo: string;
  const put = (rel: string, text = "x") => {
    const file = path.join(repo, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), "pca-ignore-"));
    put(".git/HEAD", "ref: refs/heads/main\n");
    put(".gitignore", "# build output and local files\n*.log\n!keep.log\nsecrets/\n/local.env\n");
    put(".pci-auditorignore", "test/fixtures/\n");
    put("src/.gitignore", "generated/\n");
    for (const f of [
      "app.log",
      "keep.log",
      "local.env",
      "src/local.env",
      "secrets/db.env",
      "src/a.ts",
      "src/generated/schema.ts",
      "src/deep/x.log",
      "test/fixtures/card.js",
      "test/unit.test.ts",
    ])
      put(f);
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const inRepo = (gitignore = true) => ({ cwd: repo, exclude: [], defaultExcludes: true, gitignore });

  it("skips what .gitignore files ignore, each in its own subtree, and what .pci-auditorignore ignores", async () => {
    const files = await collectFiles(["."], inRepo());
    expect(files.map((f) => f.path)).toEqual([
      ".gitignore",
      ".pci-auditorignore",
      "keep.log",
      "src/.gitignore",
      "src/a.ts",
      "src/local.env",
      "test/unit.test.ts",
    ]);
  });

  it("applies the repository root's ignore files to a scanned subfolder", async () => {
    const files = await collectFiles(["src"], inRepo());
    expect(files.map((f) => f.path)).toEqual(["src/.gitignore", "src/a.ts", "src/local.env"]);
  });

  it("with --no-gitignore keeps what .gitignore ignores, not what .pci-auditorignore ignores", async () => {
    const files = await collectFiles(["."], inRepo(false));
    expect(files.map((f) => f.path)).toEqual([
      ".gitignore",
      ".pci-auditorignore",
      "app.log",
      "keep.log",
      "local.env",
      "secrets/db.env",
      "src/.gitignore",
      "src/a.ts",
      "src/deep/x.log",
      "src/generated/schema.ts",
      "src/local.env",
      "test/unit.test.ts",
    ]);
  });

  it("scans an ignored file named on the command line", async () => {
    const files = await collectFiles(["app.log"], inRepo());
    expect(files.map((f) => f.path)).toEqual(["app.log"]);
  });
});
