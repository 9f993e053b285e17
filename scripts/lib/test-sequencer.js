/**
 * Jest test order for `npm test` (scripts/lib/run-tests.js): test files that run in process first, files
 * that spawn processes (scripts, the real entry point) last. The type check runs beside jest; while the
 * in-process files keep one core busy it has the other, and it is done before the spawning files need
 * both. Within each group, jest's default order (failed first, then slowest first).
 */
"use strict";
const fs = require("fs");
const Sequencer = require("@jest/test-sequencer").default;

const SPAWNS = /\b(spawnSync|spawn|execFileSync|execSync|runScript)\(/;

class InProcessFirst extends Sequencer {
  sort(tests) {
    const spawns = (test) => SPAWNS.test(fs.readFileSync(test.path, "utf8"));
    const ordered = super.sort(tests);
    return [...ordered.filter((t) => !spawns(t)), ...ordered.filter(spawns)];
  }
}

module.exports = InProcessFirst;
