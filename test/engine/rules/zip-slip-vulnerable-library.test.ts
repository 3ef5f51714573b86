import rule from "../../../src/engine/rules/zip-slip-vulnerable-library";
import { ruleCases } from "./rule-tester";

const pkg = (deps: string, dev = "") => `{
  "name": "importer",
  "dependencies": {
    ${deps}
  },
  "devDependencies": {
    ${dev}
  }
}
`;

ruleCases(rule, {
  valid: [
    // Ranges that allow a fixed version install it.
    { path: "package.json", code: pkg(`"adm-zip": "^0.4.7", "jszip": "~3.7.0 || ^3.8.0", "tar": "^4.4.0", "decompress": "4.x", "unzipper": ">=0.8.0"`) },
    { path: "package.json", code: pkg(`"adm-zip": "0.5.10", "jszip": "3.10.1", "tar": "6.2.1", "decompress": "4.2.1", "unzipper": "0.10.14"`) },
    // tar's fixes are per major line: 4.4.18 and 5.0.10 are fixed releases.
    { path: "package.json", code: pkg(`"tar": "4.4.18"`) },
    { path: "package.json", code: pkg(`"tar": "~5.0.10"`) },
    // Tags, URLs and development-only dependencies are not judged.
    { path: "package.json", code: pkg(`"adm-zip": "latest", "tar": "github:npm/node-tar#v6.0.0"`, `"adm-zip": "0.4.7"`) },
    // Not a manifest.
    { path: "docs/deps.json", code: pkg(`"adm-zip": "0.4.7"`) },
    // A lock file judges what it installs: a fixed version, a development install.
    {
      path: "package-lock.json",
      code: `{ "packages": { "node_modules/tar": { "version": "6.1.11" }, "node_modules/jszip": { "version": "3.5.0", "dev": true } } }`,
    },
  ],
  invalid: [
    {
      path: "package.json",
      code: pkg(`"adm-zip": "0.4.7"`),
      errors: [{ line: 4, column: 17, message: /adm-zip 0\.4\.7 .*CVE-2018-1002204.*every version "0\.4\.7" allows is affected/ }],
    },
    {
      // Every version below the fix, whatever the operator.
      path: "package.json",
      code: pkg(`"jszip": "<3.8.0", "decompress": "~4.1.0"`),
      errors: [
        { line: 4, column: 15, message: /jszip <3\.8\.0/ },
        { line: 4, column: 39, message: /decompress ~4\.1\.0/ },
      ],
    },
    {
      // 5.0.9 is before 5.0.10, the fix on tar's 5.x line.
      path: "package.json",
      code: pkg(`"tar": "5.0.9"`),
      errors: [{ line: 4, column: 13, message: /CVE-2021-37701/ }],
    },
    {
      path: "package-lock.json",
      code: `{
  "packages": {
    "node_modules/unzipper": {
      "version": "0.8.11",
      "resolved": "https://registry.npmjs.org/unzipper/-/unzipper-0.8.11.tgz"
    }
  }
}`,
      errors: [{ line: 4, column: 19, message: /the lock file installs unzipper 0\.8\.11/ }],
    },
  ],
});
