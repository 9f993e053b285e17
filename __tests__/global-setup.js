/**
 * vitest globalSetup: one synth cache directory per run (see synthEnvs in __tests__/helpers.ts), in the
 * environment the test workers inherit (they start after this runs); removed when the run ends.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-test-synth-"));
  process.env.DBX_TEST_SYNTH_CACHE = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
};
