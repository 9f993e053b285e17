/**
 * Test setup file (vitest setupFiles, and NODE_OPTIONS --require of the CLI processes the tests start):
 * skips the full stack trace cdktf captures for every token it creates.
 *
 * cdktf records where each token was made (`creationStack`: Intrinsic, Lazy, dynamic blocks and computed
 * lists call `captureStackTrace()` in cdktf/lib/tokens/private/stack-trace.js, which lifts
 * Error.stackTraceLimit to Number.MAX_SAFE_INTEGER and formats every frame), only to show it when that token
 * later fails to resolve. Each formatted frame also goes through the source-map support, and a synth
 * creates thousands of tokens: measured in a test, one synth of vars/dev.json took 560 ms with those
 * captures and 220 ms without. No test reads a token's creation stack, so in tests that one capture
 * is skipped: it is recognised by cdktf's own signature (its `captureStackTrace` passing itself as the frame
 * to hide below, on a fresh `{ stack: "" }` object, at the unlimited depth it sets) and returns no frames,
 * which cdktf records as an empty creation stack. Every other stack trace (errors, test failures, construct
 * metadata) is captured as before. The shipped code does not do this: a user's failed token still names
 * where it was created.
 */
"use strict";

// Installed once per process (vitest imports this file for each test file, but Node evaluates a CommonJS
// file once per process; the check keeps a second evaluation from wrapping the wrapper).
const capture = Error.captureStackTrace;
if (capture.name !== "captureUnlessTokenCreation") Error.captureStackTrace = function captureUnlessTokenCreation(target, below) {
  const tokenCreation =
    typeof below === "function" &&
    below.name === "captureStackTrace" &&
    Error.stackTraceLimit === Number.MAX_SAFE_INTEGER &&
    target !== null &&
    typeof target === "object" &&
    target.stack === "" &&
    Object.keys(target).length === 1;
  if (tokenCreation) return;
  return capture.call(this, target, below);
};
