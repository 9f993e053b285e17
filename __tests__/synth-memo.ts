/**
 * The CLI's synth (ops/synth.ts), memoized for the CLI test files, which run the CLI dozens of times on the
 * same environment: each distinct (environment, network mode) is synthesized once per test worker (the
 * test files of a worker share its modules, vitest.config.mts `isolate: false`, and so this memo), and every
 * later run gets a copy of that output in its own directory and a fresh copy of the parsed JSON. It is
 * handed to the runs as their context's `synthesizer` (ops/context.ts):
 *
 *   const synthesizer = memoizedSynthesizer();
 *   beforeEach(() => (box = new Sandbox(synthesizer)));
 *
 * Same input, same output: the key is the whole environment object the guards read (a vars edit between
 * runs is a new key) and the mode; the synth reads nothing else. What the CLI does with the output (state
 * paths, --transform, plans) runs for real on every copy. The synth itself is tested without the memo.
 * The memo's directories are in the run's scratch directory (run-dir.ts), removed when the run ends.
 */
import * as fs from "fs";
import * as path from "path";
import type { Synthesizer } from "../ops/context";
import * as SynthModule from "../ops/synth";
import { RUN_DIR_ENV, runDir } from "./run-dir";

type Memo = Map<string, { readonly dir: string; readonly result: SynthModule.Synthesized & { readonly app: unknown } }>;

/** One memo per synthesizer module in this worker (the tests' doubles of ops/synth.ts are memoized apart). */
const memos = new WeakMap<Synthesizer, Memo>();

/** A synthesizer over ops/synth.ts that synthesizes each (environment, mode) once in this test worker. */
export function memoizedSynthesizer(actual: Synthesizer = SynthModule): Synthesizer {
  const cacheDir = runDir();
  if (!cacheDir) throw new Error(`memoizedSynthesizer: ${RUN_DIR_ENV} names no directory: run the tests with vitest (__tests__/global-setup.js sets it)`);
  const memo = memos.get(actual) ?? new Map();
  memos.set(actual, memo);
  const once = (envs: Parameters<Synthesizer["synthesize"]>[0], mode: Parameters<Synthesizer["synthesize"]>[1]) => {
    const key = JSON.stringify([envs, mode]);
    let hit = memo.get(key);
    if (!hit) {
      const dir = fs.mkdtempSync(path.join(cacheDir, "synth-memo-"));
      hit = { dir, result: actual.synthesize(envs, mode, dir) };
      memo.set(key, hit);
    }
    return hit;
  };
  const copy = <T extends SynthModule.Synthesized>(result: T, outdir: string): T => ({ ...result, outdir, stacks: structuredClone(result.stacks) });
  return {
    synthesize: (envs, mode, outdir) => {
      const hit = once(envs, mode);
      fs.cpSync(hit.dir, outdir, { recursive: true });
      return copy(hit.result, outdir) as ReturnType<Synthesizer["synthesize"]>;
    },
    synthesizeInMemory: (env, mode) => copy(once([env], mode).result, ""),
  };
}
