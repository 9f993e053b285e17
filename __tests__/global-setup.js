/**
 * vitest globalSetup: the run's scratch directory (__tests__/run-dir.ts: the synth cache of synthEnvs in
 * __tests__/helpers.ts and every temporary directory a test makes), in the environment the test workers
 * inherit (they start after this runs); removed when the run ends.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-test-run-"));
  // RUN_DIR_ENV of __tests__/run-dir.ts.
  process.env.DBX_TEST_RUN_DIR = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
};
