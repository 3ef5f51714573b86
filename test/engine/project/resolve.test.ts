/**
 * The module resolver answers as Node and TypeScript would for the files a submission holds,
 * and null for anything that is a library's.
 */
import { describe, expect, it } from "vitest";
import { createResolver, normalisePath, parseJsonc } from "../../../src/engine/project/resolve";

const files = (entries: Record<string, string>) => Object.entries(entries).map(([path, text]) => ({ path, text }));

describe("createResolver", () => {
  const resolve = createResolver(
    files({
      "src/app.ts": "",
      "src/routes/users.ts": "",
      "src/db/index.ts": "",
      "src/lib/query.js": "",
      "src/lib/format.mts": "",
      "src/legacy.cjs": "",
      "tsconfig.json": `{
        // comments and trailing commas, as tsconfig allows
        "compilerOptions": { "baseUrl": "./src", "paths": { "@/*": ["*"], "@db": ["db/index.ts"], }, },
      }`,
      "packages/shared/package.json": JSON.stringify({
        name: "@acme/shared",
        exports: { ".": { import: "./src/index.ts", types: "./dist/index.d.ts" }, "./money/*": "./src/money/*.ts" },
      }),
      "packages/shared/src/index.ts": "",
      "packages/shared/src/money/round.ts": "",
      "packages/util/package.json": JSON.stringify({ name: "util-lib", main: "lib/main.js" }),
      "packages/util/lib/main.js": "",
      "packages/util/lib/extra.js": "",
    }),
  );

  it.each([
    ["./routes/users", "src/app.ts", "src/routes/users.ts"],
    ["./routes/users.js", "src/app.ts", "src/routes/users.ts"],
    ["../db", "src/routes/users.ts", "src/db/index.ts"],
    ["../lib/query", "src/routes/users.ts", "src/lib/query.js"],
    ["../lib/format.mjs", "src/routes/users.ts", "src/lib/format.mts"],
    ["./legacy.cjs", "src/app.ts", "src/legacy.cjs"],
    ["@/routes/users", "src/app.ts", "src/routes/users.ts"],
    ["@db", "src/routes/users.ts", "src/db/index.ts"],
    ["lib/query", "src/app.ts", "src/lib/query.js"],
    ["@acme/shared", "src/app.ts", "packages/shared/src/index.ts"],
    ["@acme/shared/money/round", "src/app.ts", "packages/shared/src/money/round.ts"],
    ["util-lib", "src/app.ts", "packages/util/lib/main.js"],
    ["util-lib/lib/extra", "src/app.ts", "packages/util/lib/extra.js"],
  ])("%s from %s is %s", (specifier, from, expected) => {
    expect(resolve(specifier, from)).toBe(expected);
  });

  it.each([
    ["express", "src/app.ts"],
    ["node:fs", "src/app.ts"],
    ["./missing", "src/app.ts"],
    ["../../../etc/passwd", "src/app.ts"],
    ["/src/app.ts", "src/routes/users.ts"],
  ])("%s from %s is no submitted file", (specifier, from) => {
    expect(resolve(specifier, from)).toBeNull();
  });

  it("answers with the path as submitted, whatever its spelling", () => {
    const r = createResolver(files({ "./api\\handlers.js": "", "./api/db.js": "" }));
    expect(r("./db", "./api\\handlers.js")).toBe("./api/db.js");
    expect(r("./handlers", "api/db.js")).toBe("./api\\handlers.js");
  });

  it("follows a tsconfig's extends to the paths of the config it extends", () => {
    const r = createResolver(
      files({
        "tsconfig.base.json": `{ "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }`,
        "tsconfig.json": `{ "extends": "./tsconfig.base.json" }`,
        "app/server.ts": "",
        "app/models/user.ts": "",
      }),
    );
    expect(r("~/models/user", "app/server.ts")).toBe("app/models/user.ts");
  });

  it("uses the nearest config: an alias of one package does not leak into another", () => {
    const r = createResolver(
      files({
        "web/tsconfig.json": `{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }`,
        "web/src/db.ts": "",
        "web/src/page.ts": "",
        "api/src/db.ts": "",
        "api/src/handler.ts": "",
      }),
    );
    expect(r("@/db", "web/src/page.ts")).toBe("web/src/db.ts");
    expect(r("@/db", "api/src/handler.ts")).toBeNull();
  });

  it("looks for configs up to the root of absolute submitted paths, and stops there", () => {
    const abs = createResolver(files({ "/srv/app/src/a.ts": "", "/srv/app/src/b.ts": "" }));
    expect(abs("./b", "/srv/app/src/a.ts")).toBe("/srv/app/src/b.ts");
    expect(abs("ldapts", "/srv/app/src/a.ts")).toBeNull();
  });

  it("prefers a directory's package.json main over its index file", () => {
    const r = createResolver(files({ "lib/store/package.json": `{ "main": "store.js" }`, "lib/store/store.js": "", "lib/store/index.js": "", "app.js": "" }));
    expect(r("./lib/store", "app.js")).toBe("lib/store/store.js");
  });
});

describe("helpers", () => {
  it("normalises separators, dots and parent segments", () => {
    expect(normalisePath("./src\\a/../b.ts")).toBe("src/b.ts");
    expect(normalisePath("../x/./y")).toBe("../x/y");
    expect(normalisePath("/a/../../b")).toBe("/b");
  });

  it("reads JSON with comments and trailing commas, and says null to what is not JSON", () => {
    expect(parseJsonc(`{ /* a */ "a": "//not a comment", // b\n "b": [1, 2,], }`)).toEqual({ a: "//not a comment", b: [1, 2] });
    expect(parseJsonc("{ nope")).toBeNull();
  });
});
