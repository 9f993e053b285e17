/**
 * `dbx sleep <env>` and `dbx wake <env>`: remove or restore the pay-per-hour network parts of
 * `provisioning-<env>` (NAT gateways, their EIPs and routes, the STS and Kinesis interface endpoints),
 * through a saved plan checked to change exactly those parts.
 */
import * as path from "path";
import type { NetworkMode } from "../../constructs/network";
import type { Context, Output } from "../context";
import { guardProtected, type Environment } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import { formatNetworkModeDiff, monthlyUsd, networkModeNotice, onlyParts, type NetworkModeDiff } from "../network-diff";
import { PLAN_FILE } from "../run";
import { runDirOf, stackDirOf } from "../synth";
import { again, checkApprovalMode, verifiedChangeInputs, networkDiffOf, withRun, type VerifiedOptions } from "./common";

export interface NetworkOptions extends VerifiedOptions {
  /** Sleep a protected environment. */
  readonly force?: boolean;
}

const verbOf = (to: NetworkMode) => (to === "asleep" ? "sleep" : "wake");

function partsJson(diff: NetworkModeDiff) {
  return diff.parts.map((p) => ({ address: p.address, description: p.description, hourlyUsd: p.hourlyUsd ?? null }));
}

function costJson(diff: NetworkModeDiff) {
  return { hourlyUsd: diff.hourlyUsd ?? null, monthlyUsd: diff.hourlyUsd === undefined ? null : monthlyUsd(diff.hourlyUsd) };
}

/** The commands a real run would run, for --dry-run. */
function dryRunText(ctx: Context, envName: string, to: NetworkMode, count: number, binary: string): string {
  const dir = path.relative(ctx.root, runDirOf(ctx.root, envName));
  const stackDir = stackDirOf(dir, `provisioning-${envName}`);
  const action = to === "asleep" ? "deletions" : "creations";
  return [
    `Dry run: nothing was planned or applied, and no file was left behind. A real run would, holding the lock ${dir}.lock:`,
    `  synthesize ${envName} (${to}) into ${dir}/stacks/ (and ${to === "asleep" ? "awake" : "asleep"} in memory, to compute the change set above)`,
    `  in ${stackDir}:`,
    `    ${binary} init -input=false`,
    `    ${binary} show -json                        (the state: refused if never deployed; nothing to do if already ${to})`,
    `    ${binary} plan -input=false -out=${PLAN_FILE}`,
    `    ${binary} show -json ${PLAN_FILE}            (refused unless its resource changes are exactly the ${count} ${action} above)`,
    `    ${binary} apply -input=false ${PLAN_FILE}    (only after you answer "yes", or with --auto-approve)`,
    ctx.io.interactive ? "" : "No terminal here: a real run needs --auto-approve.",
  ]
    .filter(Boolean)
    .join("\n");
}

export async function networkCommand(ctx: Context, out: Output, to: NetworkMode, env: Environment, options: NetworkOptions): Promise<number> {
  const verb = verbOf(to);
  if (to === "asleep") guardProtected(env, "sleep", Boolean(options.force), (t) => out.warn(t));
  checkApprovalMode(ctx, options);
  const prov = `provisioning-${env.name}`;

  if (options.dryRun) {
    const awake = ctx.synthesizer.synthesizeInMemory(env, "awake");
    const asleep = ctx.synthesizer.synthesizeInMemory(env, "asleep");
    const diff = networkDiffOf(env, awake, asleep);
    out.say(formatNetworkModeDiff(diff, to));
    out.say();
    out.say(networkModeNotice(env.name, to, env.vars.privateLink.enabled));
    out.say();
    out.say(dryRunText(ctx, env.name, to, diff.parts.length, ctx.env.TERRAFORM_BINARY_NAME || "terraform"));
    out.result({ env: env.name, ok: true, dryRun: true, stack: prov, to, changes: partsJson(diff).map((p) => ({ ...p, action: to === "asleep" ? "delete" : "create" })), ...costJson(diff) });
    return EXIT.OK;
  }

  const { binary, transform, knownDrift } = verifiedChangeInputs(ctx, options);

  return withRun(
    ctx,
    out,
    env,
    binary,
    `dbx ${verb} ${env.name}`,
    async (run) => {
      run.resumeHint = again(verb, env.name);
      // One configuration load; the target mode is what gets planned, the other mode (in memory) only
      // tells which resources differ.
      const target = run.synth(to);
      const other = ctx.synthesizer.synthesizeInMemory(env, to === "asleep" ? "awake" : "asleep");
      const diff = to === "asleep" ? networkDiffOf(env, other, target) : networkDiffOf(env, target, other);

      await run.init(prov);
      const state = await run.state(prov);
      if (!state.deployed) {
        throw new OpsError(EXIT.NOT_DEPLOYED, `${prov} has never been deployed (its state holds no resources): there is nothing to ${verb}. Deploy it first: dbx deploy ${env.name}`);
      }
      const present = new Set(diff.parts.filter((p) => state.addresses.has(p.address)).map((p) => p.address));
      const toChange = new Set(diff.parts.map((p) => p.address).filter((a) => (to === "asleep" ? present.has(a) : !present.has(a))));
      if (toChange.size === 0 && state.networkMode === to) {
        out.say(`${env.name} is already ${to}: nothing to do (${prov} has ${to === "asleep" ? "none" : "all"} of the ${diff.parts.length} pay-per-hour network parts, and its network_mode output is "${to}").`);
        out.result({ env: env.name, ok: true, stack: prov, to, changed: false, alreadyInMode: true, changes: [] });
        return EXIT.OK;
      }
      const scoped = onlyParts(diff, toChange);
      out.say(formatNetworkModeDiff(scoped, to));
      if (toChange.size < diff.parts.length) {
        out.say(`(${diff.parts.length - toChange.size} of the ${diff.parts.length} parts are already ${to === "asleep" ? "gone" : "present"}: an earlier run stopped part-way; this run changes only the rest.)`);
      }
      out.say();
      out.say(networkModeNotice(env.name, to, env.vars.privateLink.enabled));
      out.say();

      const expected = [...toChange].map((address) => ({ address, action: to === "asleep" ? "delete" : "create" }));
      const result = await run.planApply({
        stackId: prov,
        expected,
        autoApprove: Boolean(options.autoApprove),
        planOnly: Boolean(options.planOnly),
        allowUnexpected: options.allowUnexpected,
        knownDrift,
      });
      const doc = { env: env.name, stack: prov, to, changes: result.changes, check: result.check, ...costJson(scoped) };
      if (!result.applied) {
        out.say(`Plan only: the plan was checked${result.check?.ok ? " and is exactly the expected change set" : ""}; nothing was applied.`);
        out.result({ ok: true, applied: false, ...doc });
        return EXIT.OK;
      }
      out.say(`${prov} is ${to}.${scoped.hourlyUsd === undefined ? "" : ` ${to === "asleep" ? "Saving" : "Costing"} $${scoped.hourlyUsd.toFixed(3)} per hour.`}`);
      out.result({ ok: true, applied: true, ...doc });
      return EXIT.OK;
    },
    transform,
  );
}
