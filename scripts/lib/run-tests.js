#!/usr/bin/env node
/**
 * `npm test`: the type check (`tsc --noEmit`) and jest side by side. On a 2-core machine jest runs its
 * test files in one worker, so the type check, single-threaded too, takes the other core instead of
 * running first; at the lowest priority, and while the in-process test files run (test-sequencer.js runs
 * them first), so it does not slow the tests that spawn processes. Arguments go to jest (`npm test -- --json --outputFile=x`). The type check's output is
 * printed after jest's, so the two never interleave; the exit code is jest's, or the type check's when
 * jest passed and the type check did not.
 */
"use strict";
const { spawn } = require("child_process");
const os = require("os");
const path = require("path");

const bin = (name) => path.join(__dirname, "..", "..", "node_modules", ".bin", name);
const tscOutput = [];
const tsc = spawn(bin("tsc"), ["--noEmit"], { stdio: ["ignore", "pipe", "pipe"] });
// Lowest priority: the type check takes only the CPU the tests leave idle (they spawn processes of their own).
try {
  os.setPriority(tsc.pid, 19);
} catch {
  // not permitted here: the type check just runs at normal priority
}
tsc.stdout.on("data", (chunk) => tscOutput.push(chunk));
tsc.stderr.on("data", (chunk) => tscOutput.push(chunk));
const tscDone = new Promise((resolve) => tsc.on("close", (code) => resolve(code ?? 1)));

const sequencer = path.join(__dirname, "test-sequencer.js");
const jest = spawn(bin("jest"), ["--testSequencer", sequencer, ...process.argv.slice(2)], { stdio: "inherit" });
jest.on("close", async (code) => {
  const tscCode = await tscDone;
  if (tscCode !== 0) process.stderr.write(`tsc --noEmit failed:\n${Buffer.concat(tscOutput).toString()}`);
  process.exit(code !== 0 ? code ?? 1 : tscCode);
});
