#!/usr/bin/env node
/**
 * `npm test`: the type check and the tests (vitest, configured in vitest.config.mts) side by side.
 *
 * The type check is TypeScript 7's native compiler (`typescript-native`, an npm alias of typescript@7):
 * the same tsconfig.json, about a fifth of the CPU time of the JavaScript compiler on this repository's
 * provider-sized types, and incremental (`npm run typecheck` checks everything from scratch). The `typescript` 5.x package stays for the compiler API that TypeScript 7 does
 * not ship (the conventions test's import walker parses sources with it). Arguments go to `vitest run` (`npm test -- __tests__/config.test.ts`,
 * `npm test -- --reporter=json --outputFile=x`). The type check's output is printed after the tests', so
 * the two never interleave; the exit code is the tests', or the type check's when the tests passed and
 * the type check did not.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..", "..");
/** The native type checker (package.json devDependencies "typescript-native"). */
const TYPE_CHECKER = path.join(root, "node_modules", "typescript-native", "bin", "tsc");

/**
 * The type check's incremental state (the compiler's own `--incremental`: a file's diagnostics are reused
 * until it or a file it depends on changes): inside node_modules, so `npm ci` starts it afresh.
 */
const BUILD_INFO = path.join(root, "node_modules", ".cache", "databricks-aws-cdktf", "tsc.tsbuildinfo");

const tscOutput = [];
const tsc = spawn(process.execPath, [TYPE_CHECKER, "--noEmit", "--incremental", "--tsBuildInfoFile", BUILD_INFO], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
tsc.stdout.on("data", (chunk) => tscOutput.push(chunk));
tsc.stderr.on("data", (chunk) => tscOutput.push(chunk));
const tscDone = new Promise((resolve) => {
  tsc.on("error", (e) => {
    tscOutput.push(Buffer.from(`${e.message}\n`));
    resolve(1);
  });
  tsc.on("close", (code) => resolve(code ?? 1));
});

const tests = spawn(path.join(root, "node_modules", ".bin", "vitest"), ["run", ...process.argv.slice(2)], { stdio: "inherit" });
tests.on("close", async (code) => {
  const tscCode = await tscDone;
  if (tscCode !== 0) process.stderr.write(`type check (tsc --noEmit) failed:\n${Buffer.concat(tscOutput).toString()}`);
  process.exit(code !== 0 ? code ?? 1 : tscCode);
});
