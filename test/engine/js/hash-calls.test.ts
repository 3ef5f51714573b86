import { describe, expect, it } from "vitest";
import { composeListeners } from "../../../src/engine/js/compose-listeners";
import { SharedTrackers } from "../../../src/engine/js/shared-trackers";
import { mentionedNames } from "../../../src/engine/js/node-values";
import { parseJs } from "../../../src/engine/parse/js";
import { walk } from "../../../src/engine/parse/walk";
import { createSourceFile } from "../../../src/engine/source";

function collect(code: string) {
  const parsed = parseJs(createSourceFile("src/a.ts", code));
  if (!parsed.ok) throw new Error(parsed.message);
  const shared = new SharedTrackers();
  const collector = shared.hashCalls;
  const listeners = composeListeners(...shared.listenerSets());
  const enter = new Map(Object.entries(listeners).filter(([k]) => !k.endsWith(":exit")));
  const exit = new Map(
    Object.entries(listeners)
      .filter(([k]) => k.endsWith(":exit"))
      .map(([k, v]) => [k.slice(0, -5), v]),
  );
  walk(parsed.program, enter, exit, { maxNodes: 100_000, maxDepth: 500 });
  return collector.uses.map((u) => ({
    algorithm: u.algorithm,
    normalised: u.normalised,
    kind: u.kind,
    inputs: u.inputs.flatMap((n) => mentionedNames(n)),
    destinations: u.destinations,
    functions: u.functions,
  }));
}

describe("HashCallCollector", () => {
  it("follows an update/digest chain to its inputs and destination", () => {
    expect(
      collect(
        `import { createHash } from "crypto";\nfunction store(u) { const passwordHash = createHash("SHA-1").update(u.salt).update(u.password).digest("hex"); }`,
      ),
    ).toEqual([
      { algorithm: "SHA-1", normalised: "sha1", kind: "hash", inputs: ["u.salt", "u.password"], destinations: ["passwordHash"], functions: ["store"] },
    ]);
  });

  it("follows a hash object kept in a variable", () => {
    expect(
      collect(
        `const crypto = require("crypto");\nconst h = crypto.createHmac("md5", key);\nh.update(body);\nconst sig = h.digest("hex");\nres.set("X-Signature", sig);`,
      ),
    ).toEqual([
      { algorithm: "md5", normalised: "md5", kind: "hmac", inputs: ["body"], destinations: ["h", "sig", "res", "set", "X-Signature"], functions: [] },
    ]);
  });

  it("records where a digest is used: call arguments, templates, properties", () => {
    const [use] = collect(`import md5 from "md5";\nconst hash = md5(email);\nconst url = \`https://www.gravatar.com/avatar/\${hash}\`;\nsend({ etag: hash });`);
    expect(use?.destinations).toEqual(["hash", "https://www.gravatar.com/avatar/", "etag"]);
  });

  it("recognises one-call libraries, crypto-js, Web Crypto and signatures", () => {
    const uses = collect(
      [
        `import CryptoJS from "crypto-js";`,
        `import { sha256 } from "js-sha256";`,
        `import { createSign } from "node:crypto";`,
        `CryptoJS.HmacSHA1(msg, key);`,
        `sha256.hmac(key, msg);`,
        `crypto.subtle.digest({ name: "SHA-384" }, data);`,
        `createSign("RSA-SHA1");`,
      ].join("\n"),
    );
    expect(uses.map((u) => [u.algorithm, u.kind, u.inputs])).toEqual([
      ["SHA1", "hmac", ["msg"]],
      ["sha256", "hmac", ["msg"]],
      ["SHA-384", "hash", ["data"]],
      ["RSA-SHA1", "signature", []],
    ]);
  });

  it("ignores hashes whose algorithm is not a string known in the file", () => {
    expect(collect(`const crypto = require("crypto");\ncrypto.createHash(opts.algorithm).update(x);`)).toEqual([]);
  });
});
