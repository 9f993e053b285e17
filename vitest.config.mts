/**
 * `npm test` runs vitest with this file (scripts/lib/run-tests.js runs the type check beside it).
 *
 * The test files run in two long-lived worker processes that share one module cache (`isolate: false`):
 * cdktf, the provider bindings and the project's modules load once per worker, not once per test file.
 * They load as the shipped code does, through tsx and Node's own loader (`experimental.viteModuleRunner:
 * false`, tsx registered with `--import`), so the project's lazy `require`s behave as in `dbx` and
 * `npm run synth`. Module mocks (`vi.mock`) need Node's synchronous loader hooks (Node >= 22.15) in that
 * mode and are switched off (`nodeLoader: false`): tests hand their doubles in instead (a context's
 * `synthesizer`, helpers.ts's loadWithReplacedModule), and a conventions test refuses `vi.mock`.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    globals: true,
    environment: "node",
    // Guards against a hang, not a speed limit: vitest fails even a synchronous test that outlasted its
    // timeout, and a loaded 2-core machine stretches a synth-heavy test several times. Files with processes
    // or many synths set more (vi.setConfig, tests and hooks alike).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // cdktf's per-token creation stack traces are skipped in tests (see the file: 60% of each synth's time).
    setupFiles: ["__tests__/skip-token-creation-stacks.js"],
    // One synth of the shipped vars per run, shared by the test files (synthEnvs in __tests__/helpers.ts).
    globalSetup: ["__tests__/global-setup.js"],
    pool: "forks",
    // Both cores: the type check beside the tests is TypeScript 7's native compiler, a few seconds of CPU.
    maxWorkers: 2,
    isolate: false,
    execArgv: ["--import", "tsx"],
    experimental: { viteModuleRunner: false, nodeLoader: false },
  },
});
