/**
 * The test run's scratch directory: __tests__/global-setup.js makes it before the test workers start and
 * removes it when the run ends, so nothing a test writes outlives the run. It holds the run's synth cache
 * (helpers.ts) and every temporary directory a test makes ({@link tempDir}; for cdktf's test apps,
 * helpers.ts's testApp and synthScope).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The environment variable naming the run's scratch directory (set by __tests__/global-setup.js). */
export const RUN_DIR_ENV = "DBX_TEST_RUN_DIR";

/** The run's scratch directory, or undefined outside a vitest run (a file loaded on its own). */
export function runDir(): string | undefined {
  const dir = process.env[RUN_DIR_ENV];
  return dir && fs.existsSync(dir) ? dir : undefined;
}

/** A new empty directory `<run dir>/<prefix>XXXXXX` (outside a vitest run: in the system's temp directory). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(runDir() ?? os.tmpdir(), prefix));
}
