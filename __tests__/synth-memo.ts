/**
 * The CLI's synth (ops/synth.ts), memoized for the CLI test files, which run the CLI dozens of times on the
 * same environment: each distinct (environment, network mode) is synthesized once per test file, and every
 * later run gets a copy of that output in its own directory and a fresh copy of the parsed JSON.
 *
 *   jest.mock("../ops/synth", () => require("./synth-memo").memoized(jest.requireActual("../ops/synth")));
 *
 * Same input, same output: the key is the whole environment object the guards read (a vars edit between
 * runs is a new key) and the mode; the synth reads nothing else. What the CLI does with the output (state
 * paths, --transform, plans) runs for real on every copy. The synth itself is tested without the memo.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as SynthModule from "../ops/synth";

type Synth = typeof SynthModule;

export function memoized(actual: Synth): Synth {
  const memo = new Map<string, { readonly dir: string; readonly result: SynthModule.Synthesized & { readonly app: unknown } }>();
  const once = (envs: Parameters<Synth["synthesize"]>[0], mode: Parameters<Synth["synthesize"]>[1]) => {
    const key = JSON.stringify([envs, mode]);
    let hit = memo.get(key);
    if (!hit) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-synth-memo-"));
      hit = { dir, result: actual.synthesize(envs, mode, dir) };
      memo.set(key, hit);
    }
    return hit;
  };
  const copy = <T extends SynthModule.Synthesized>(result: T, outdir: string): T => ({ ...result, outdir, stacks: structuredClone(result.stacks) });
  afterAll(() => {
    for (const { dir } of memo.values()) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    ...actual,
    synthesize: (envs, mode, outdir) => {
      const hit = once(envs, mode);
      fs.cpSync(hit.dir, outdir, { recursive: true });
      return copy(hit.result, outdir) as ReturnType<Synth["synthesize"]>;
    },
    synthesizeInMemory: (env, mode) => copy(once([env], mode).result, ""),
  };
}
