/**
 * jest globalSetup: one synth cache directory per run (see synthEnvs in __tests__/helpers.ts), in the
 * environment the test workers inherit. globalTeardown (global-teardown.js) removes it.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function globalSetup() {
  process.env.DBX_TEST_SYNTH_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-test-synth-"));
};
