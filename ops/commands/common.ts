/** What the commands share: their options, the approval-mode check, and running under an environment's lock. */
import * as fs from "fs";
import * as path from "path";
import type { Environment } from "../../config/load";
import type { NetworkMode } from "../../constructs/network";
import type { Context, Output } from "../context";
import { requireAwsCredentials, requireDatabricksCredentials, requireTerraform } from "../environment";
import { EXIT, OpsError, interruptedExitCode } from "../exit-codes";
import { Interrupted } from "../interrupts";
import { diffNetworkModes, type NetworkModeDiff } from "../network-diff";
import { parseTerraformJson, resourceChanges, type ResourceChange, type StateSummary } from "../plan-check";
import { EnvironmentRun, type StackTransform } from "../run";
import type { Synthesized } from "../synth";

export interface JsonOption {
  readonly json?: boolean;
}

/** Options of the commands that change an environment. */
export interface ChangeOptions extends JsonOption {
  readonly dryRun?: boolean;
  readonly autoApprove?: boolean;
  readonly planOnly?: boolean;
}

/** Options of the plan-verified commands (reset-tokens, sleep, wake). */
export interface VerifiedOptions extends ChangeOptions {
  readonly allowUnexpected?: boolean;
  readonly transform?: string;
  readonly knownDrift?: string;
}

/**
 * An apply needs an answer: refuses at once, in one line naming the flag, when there is no terminal to
 * ask and `--auto-approve` was not given (before anything is synthesized, locked or planned).
 * @throws OpsError USAGE for --plan-only with --auto-approve, NEEDS_APPROVAL
 */
export function checkApprovalMode(ctx: Context, options: ChangeOptions): void {
  if (options.planOnly && options.autoApprove) throw new OpsError(EXIT.USAGE, "--plan-only and --auto-approve exclude each other");
  if (options.dryRun || options.planOnly || options.autoApprove || ctx.io.interactive) return;
  throw new OpsError(EXIT.NEEDS_APPROVAL, "no terminal to ask for approval (standard input is not a TTY): pass --auto-approve to apply without asking, or --dry-run / --plan-only to apply nothing");
}

/** Loads the `--transform` module. @throws OpsError USAGE when it has no `transformStack` function */
export function loadTransform(ctx: Context, file: string | undefined): StackTransform | undefined {
  if (file === undefined) return undefined;
  const full = path.resolve(ctx.cwd, file);
  if (!fs.existsSync(full)) throw new OpsError(EXIT.USAGE, `--transform: no such module: ${file}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(full) as Partial<StackTransform>;
  if (typeof mod.transformStack !== "function") throw new OpsError(EXIT.USAGE, `--transform: ${file} exports no transformStack(file, context) function`);
  return mod as StackTransform;
}

/** The resource changes of the `--known-drift` plan JSON (`terraform show -json <planfile>`). */
export function loadKnownDrift(ctx: Context, file: string | undefined): ResourceChange[] {
  if (file === undefined) return [];
  const full = path.resolve(ctx.cwd, file);
  if (!fs.existsSync(full)) throw new OpsError(EXIT.USAGE, `--known-drift: no such file: ${file}`);
  return resourceChanges(parseTerraformJson(fs.readFileSync(full, "utf8"), `--known-drift ${file}`));
}

/**
 * Runs `body` under the environment's lock with a fresh run directory; removes temporary files and the
 * lock whatever happens, and turns an interruption into its message and exit code.
 */
export async function withRun(
  ctx: Context,
  out: Output,
  env: Environment,
  binary: string,
  commandLine: string,
  body: (run: EnvironmentRun) => Promise<number>,
  transform?: StackTransform,
): Promise<number> {
  const run = new EnvironmentRun(ctx, out, env, binary, transform);
  run.lock(commandLine);
  try {
    return await body(run);
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    run.cleanup();
    ctx.io.stderr(`dbx ${out.command}: ${run.describeInterruption(e.signal)}\n`);
    const exitCode = interruptedExitCode(e.signal);
    out.result({ env: env.name, ok: false, exitCode, interrupted: e.signal, applying: run.applying ?? null, applied: run.applied });
    return exitCode;
  } finally {
    run.cleanup();
  }
}

/**
 * The awake/asleep difference of the environment's provisioning stack.
 * @throws OpsError FAILURE when the modes differ in anything but the pay-per-hour network parts
 */
/**
 * What a plan-verified change (sleep, wake, reset-tokens) needs before it runs anything: the Terraform
 * binary, AWS and Databricks account credentials (provisioning's providers), and the optional stack
 * transform and known drift. Dies with the documented exit code when one is missing.
 */
export function verifiedChangeInputs(ctx: Context, options: VerifiedOptions): { binary: string; transform: StackTransform | undefined; knownDrift: ResourceChange[] } {
  const binary = requireTerraform(ctx.env);
  requireAwsCredentials(ctx.env);
  requireDatabricksCredentials(ctx.env);
  return { binary, transform: loadTransform(ctx, options.transform), knownDrift: loadKnownDrift(ctx, options.knownDrift) };
}

export function networkDiffOf(env: Environment, awake: Synthesized, asleep: Synthesized): NetworkModeDiff {
  const id = `provisioning-${env.name}`;
  const diff = diffNetworkModes(id, env.vars.region, awake.stacks[id], asleep.stacks[id]);
  if (diff.unexpected.length > 0) {
    throw new OpsError(EXIT.FAILURE, `refusing: the awake and asleep synth of ${id} differ in more than the pay-per-hour network parts:\n${diff.unexpected.map((u) => `  ${u}`).join("\n")}`);
  }
  return diff;
}

/**
 * Synthesizes the environment in the network mode its provisioning state records (`network_mode`
 * output; awake when never deployed), so a deploy, plan or credential reset never wakes a sleeping
 * network as a side effect. Initializes the provisioning stack directory and reads its state.
 */
export async function synthInCurrentMode(run: EnvironmentRun): Promise<{ synth: Synthesized; state: StateSummary; mode: NetworkMode }> {
  const prov = run.ids.provisioning;
  let synth = run.synth("awake");
  await run.init(prov);
  const state = await run.state(prov);
  const mode: NetworkMode = state.networkMode === "asleep" ? "asleep" : "awake";
  if (mode === "asleep") {
    run.out.progress(`${prov} is asleep (network_mode output): synthesizing it asleep, so this run keeps it asleep`);
    synth = run.synth("asleep");
  }
  return { synth, state, mode };
}

/** `dbx <command> <env>` as a user would type it again. */
export function again(command: string, envName: string): string {
  return `dbx ${command} ${envName}`;
}
