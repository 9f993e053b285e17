/** jest globalTeardown: removes the run's synth cache (global-setup.js). */
"use strict";
const fs = require("fs");

module.exports = async function globalTeardown() {
  const dir = process.env.DBX_TEST_SYNTH_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
