/**
 * `dbx synth [env...]`: the project's synth (stacks/app.ts, as `npm run synth` / main.ts) of the named
 * environments (all of vars/ by default) into `cdktf.out` (or --out), for reading, validate and scan.
 * The operational commands do not use `cdktf.out`: each synthesizes into its own run directory.
 */
import * as fs from "fs";
import * as path from "path";
import { NETWORK_MODES, type NetworkMode } from "../../constructs/network";
import type { Context, Output } from "../context";
import { loadEnvironmentsNamed } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import type { JsonOption } from "./common";

export interface SynthOptions extends JsonOption {
  readonly networkMode?: string;
  readonly out?: string;
}

export function synthCommand(ctx: Context, out: Output, names: readonly string[], options: SynthOptions): number {
  const mode = (options.networkMode ?? "awake") as NetworkMode;
  if (!NETWORK_MODES.includes(mode)) throw new OpsError(EXIT.USAGE, `--network-mode: expected "awake" or "asleep", found ${JSON.stringify(options.networkMode)}`);
  const envs = loadEnvironmentsNamed(ctx, names);
  const outdir = path.resolve(ctx.cwd, options.out ?? ctx.env.CDKTF_OUTDIR ?? path.join(ctx.root, "cdktf.out"));
  out.progress(`synthesizing ${envs.map((e) => e.name).join(", ")} (${mode}) into ${path.relative(ctx.cwd, outdir) || "."}`);
  fs.mkdirSync(outdir, { recursive: true });
  const result = ctx.synthesizer.synthesize(envs, mode, outdir);
  for (const note of result.notes) out.raw(`${note}\n`);
  const stacks = Object.entries(result.stacks).map(([id, json]) => ({
    stack: id,
    dir: path.join(outdir, "stacks", id),
    resources: Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0),
  }));
  for (const s of stacks) out.say(`${s.stack}: ${s.resources} resources in ${path.relative(ctx.cwd, s.dir) || "."}/cdk.tf.json`);
  out.result({ ok: true, networkMode: mode, outdir, stacks, notes: result.notes });
  return EXIT.OK;
}
