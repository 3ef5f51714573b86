/**
 * Lint with type information (typescript-eslint's recommended type-checked rules) over the
 * product's code — the Worker, the engine, the CLI and the widget — each file checked against the tsconfig
 * that compiles it. The engine reads ESTree nodes from two parsers (acorn, and its TypeScript
 * plugin) through one deliberately loose type, `JsNode`; the no-unsafe-* rules would flag every
 * property read of a node there, so they are off for src/engine/ only. Tests and fixtures are
 * not linted: fixtures are vulnerable on purpose, tests are type-checked by `npm run typecheck`.
 */
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "test/**",
      "bench/**",
      "scripts/**",
      "bin/**",
      "*.config.*",
      "worker-configuration.d.ts",
      "src/widget/bundle.generated.ts",
    ],
  },
  {
    files: ["src/**/*.ts", "src/**/*.tsx"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.json", "./tsconfig.node.json", "./tsconfig.browser.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `const { dropped, ...kept } = x` names what it leaves out.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true, argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/engine/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // The SQL lexer names character codes with a const enum and compares them with charCodeAt().
    files: ["src/engine/parse/sql-tokens.ts"],
    rules: { "@typescript-eslint/no-unsafe-enum-comparison": "off" },
  },
);
