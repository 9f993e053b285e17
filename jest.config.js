/**
 * Transpile-only transform (ts-jest reads `isolatedModules` from tsconfig.json and then only transpiles): type-checking
 * happens once in `tsc --noEmit`, not per test file, which keeps the suite fast on provider-sized types.
 * Pure JavaScript on purpose: transforms with native binaries leave npm lock files that `npm ci` rejects
 * on other platforms (npm/cli#4828).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf's per-token creation stack traces are skipped in tests (see the file: 60% of each synth's time).
  setupFiles: ["<rootDir>/__tests__/skip-token-creation-stacks.js"],
  // One synth of the shipped vars per run, shared by the test files (synthEnvs in __tests__/helpers.ts).
  globalSetup: "<rootDir>/__tests__/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/global-teardown.js",
  // Both cores: the type check beside jest is TypeScript 7's native compiler, a few seconds of CPU.
  maxWorkers: 2,
};
