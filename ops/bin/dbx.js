#!/usr/bin/env node
// `dbx`, the operations CLI (package.json "bin"; `npx dbx <command>`). Registers tsx's CommonJS loader in
// this very process, so that signals reach the CLI directly (no wrapper process in between), then runs
// ops/cli.ts.
"use strict";
try {
  require("tsx/cjs");
} catch {
  process.stderr.write("dbx: error: the project's dependencies are not installed: run npm ci at the repository root\n");
  process.exit(5);
}
require("../cli.ts").main(process.argv.slice(2));
