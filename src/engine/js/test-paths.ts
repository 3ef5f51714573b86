/**
 * Recognises test files by path. Some rules stay quiet in tests: a test that fetches
 * `http://` fixtures or uses Math.random() for fake ids is not code that runs in production.
 */

const TEST_PATH = /(?:^|\/)(?:__tests__|__mocks__|tests?|specs?|e2e|cypress)\/|\.(?:test|spec|e2e|cy)\.[cm]?[jt]sx?$/i;

/** True for `test/…`, `__tests__/…`, `*.test.ts`, `*.spec.js`, `cypress/…` and similar paths. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}
