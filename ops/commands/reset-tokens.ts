/**
 * `dbx reset-tokens <env>`: re-issues the credentials management runs with, by replacing in
 * `provisioning-<env>` exactly the resources the credentials construct declares (`replaceOnReset`), with
 * `-replace` and WITHOUT `-target` (which would also apply pending changes of everything those resources
 * depend on): the whole stack is planned, and any change beyond the replacements refuses the run.
 */
import * as path from "path";
import type { Context, Output } from "../context";
import type { Environment } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import { PLAN_FILE } from "../run";
import { credentialAddresses, runDirOf, stackDirOf } from "../synth";
import { again, checkApprovalMode, verifiedChangeInputs, synthInCurrentMode, withRun, type VerifiedOptions } from "./common";

export async function resetTokensCommand(ctx: Context, out: Output, env: Environment, options: VerifiedOptions): Promise<number> {
  checkApprovalMode(ctx, options);
  const prov = `provisioning-${env.name}`;

  if (options.dryRun) {
    const addresses = credentialAddresses(ctx.synthesizer.synthesizeInMemory(env, "awake").provisioning);
    const binary = ctx.env.TERRAFORM_BINARY_NAME || "terraform";
    const dir = path.relative(ctx.root, runDirOf(ctx.root, env.name));
    out.say(`Resources to replace in ${prov} (the credentials construct's replaceOnReset):`);
    for (const a of addresses) out.say(`  ${a}`);
    out.say(`management-${env.name} is not touched: it reads the new credentials from ${prov}'s outputs on its next deploy.`);
    out.say();
    out.say(
      [
        `Dry run: nothing was planned or applied, and no file was left behind. A real run would, holding the lock ${dir}.lock:`,
        `  synthesize ${env.name} into ${dir}/stacks/ (asleep if its state says the network is asleep)`,
        `  in ${stackDirOf(dir, prov)}:`,
        `    ${binary} init -input=false`,
        `    ${binary} show -json                        (the state: refused if never deployed)`,
        `    ${binary} plan -input=false -out=${PLAN_FILE} ${addresses.map((a) => `-replace=${a}`).join(" ")}`,
        `    ${binary} show -json ${PLAN_FILE}            (refused unless it replaces exactly these ${addresses.length} resources and changes nothing else)`,
        `    ${binary} apply -input=false ${PLAN_FILE}    (only after you answer "yes", or with --auto-approve)`,
      ].join("\n"),
    );
    out.result({ env: env.name, ok: true, dryRun: true, stack: prov, changes: addresses.map((address) => ({ address, action: "replace" })) });
    return EXIT.OK;
  }

  const { binary, transform, knownDrift } = verifiedChangeInputs(ctx, options);

  return withRun(
    ctx,
    out,
    env,
    binary,
    `dbx reset-tokens ${env.name}`,
    async (run) => {
      run.resumeHint = again("reset-tokens", env.name);
      const { synth, state } = await synthInCurrentMode(run);
      if (!state.deployed) {
        throw new OpsError(EXIT.NOT_DEPLOYED, `${prov} has never been deployed (its state holds no resources): there are no credentials to reset. Deploy it first: dbx deploy ${env.name}`);
      }
      const addresses = credentialAddresses(synth.provisioning);
      out.say(`Replacing in ${prov} (the credentials construct's replaceOnReset): ${addresses.join(", ")}`);
      const expected = addresses.map((address) => ({ address, action: state.addresses.has(address) ? "replace" : "create" }));
      const result = await run.planApply({
        stackId: prov,
        expected,
        planArgs: addresses.map((a) => `-replace=${a}`),
        autoApprove: Boolean(options.autoApprove),
        planOnly: Boolean(options.planOnly),
        allowUnexpected: options.allowUnexpected,
        knownDrift,
      });
      const doc = { env: env.name, stack: prov, changes: result.changes, check: result.check };
      if (!result.applied) {
        out.say("Plan only: the plan was checked; nothing was applied.");
        out.result({ ok: true, applied: false, ...doc });
        return EXIT.OK;
      }
      const after = await run.state(prov);
      out.say(`Credentials re-issued in ${prov}${after.credentialsExpireTime ? `; they expire ${after.credentialsExpireTime}` : ""}.`);
      out.say(`management-${env.name} picks them up on its next deploy: dbx deploy ${env.name} --only management`);
      out.result({ ok: true, applied: true, credentialsExpireTime: after.credentialsExpireTime ?? null, ...doc });
      return EXIT.OK;
    },
    transform,
  );
}
