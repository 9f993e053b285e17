/**
 * `dbx deploy <env>` and `dbx plan <env>`: provisioning, then management (or one of them with --only),
 * each through a saved plan that is summarized, approved, and applied as saved. The network keeps the mode
 * its state records: deploying a sleeping environment does not wake it (`dbx wake` does).
 */
import * as path from "path";
import type { Context, Output } from "../context";
import { requireAwsCredentials, requireDatabricksCredentials, requireTerraform, type Environment } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import { PLAN_FILE } from "../run";
import { runDirOf, stackDirOf, stackIds } from "../synth";
import { again, checkApprovalMode, synthInCurrentMode, withRun, type ChangeOptions } from "./common";

const STACK_KINDS = ["provisioning", "management"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

export interface DeployOptions extends ChangeOptions {
  /** Deploy (or plan) this stack alone. */
  readonly only?: StackKind;
}

export async function deployCommand(ctx: Context, out: Output, env: Environment, options: DeployOptions): Promise<number> {
  checkApprovalMode(ctx, options);
  const ids = stackIds(env.name);
  const kinds: readonly StackKind[] = options.only ? [options.only] : STACK_KINDS;
  const verb = options.planOnly ? "plan" : "deploy";

  if (options.dryRun) {
    const synth = ctx.synthesizer.synthesizeInMemory(env, "awake");
    const binary = ctx.env.TERRAFORM_BINARY_NAME || "terraform";
    const dir = path.relative(ctx.root, runDirOf(ctx.root, env.name));
    const lines = [`Dry run: nothing was planned or applied, and no file was left behind. A real run would, holding the lock ${dir}.lock:`, `  synthesize ${env.name} into ${dir}/stacks/ (asleep if its state says the network is asleep)`];
    for (const kind of kinds) {
      const id = ids[kind];
      const resources = Object.values(synth.stacks[id].resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
      lines.push(`  in ${stackDirOf(dir, id)} (${resources} resources declared):`);
      lines.push(`    ${binary} init -input=false`);
      if (kind === "management") lines.push(`    (refused unless ${ids.provisioning} has state: management reads its outputs)`);
      lines.push(`    ${binary} plan -input=false -out=${PLAN_FILE}`, `    ${binary} show -json ${PLAN_FILE}            (summarized: counts, every delete and replace listed)`);
      lines.push(`    ${binary} apply -input=false ${PLAN_FILE}    (only after you answer "yes", or with --auto-approve)`);
    }
    out.say(lines.join("\n"));
    out.result({ env: env.name, ok: true, dryRun: true, stacks: kinds.map((k) => ids[k]) });
    return EXIT.OK;
  }

  const binary = requireTerraform(ctx.env);
  // Provisioning: the AWS and account-level Databricks providers. Management: its metastore-admin provider
  // signs in as the deploying principal (docs/unity-catalog.md); AWS for the S3 backend and for consumers'
  // secrets in Secrets Manager.
  const managementNeedsAws = env.vars.backend.type === "s3" || env.vars.consumers.some((c) => c.authentication !== "none");
  if (kinds.includes("provisioning") || managementNeedsAws) requireAwsCredentials(ctx.env);
  requireDatabricksCredentials(ctx.env);

  return withRun(ctx, out, env, binary, `dbx ${verb} ${env.name}${options.only ? ` --only ${options.only}` : ""}`, async (run) => {
    run.resumeHint = again(verb, env.name);
    const { mode, state } = await synthInCurrentMode(run);
    if (mode === "asleep") out.say(`${ids.provisioning} is asleep: ${verb === "plan" ? "planning" : "deploying"} it asleep (dbx wake ${env.name} wakes it).`);
    const stacks: Record<string, unknown>[] = [];
    for (const kind of kinds) {
      const id = ids[kind];
      if (kind === "management") {
        const provisioningDeployed = run.applied.includes(ids.provisioning) || state.deployed;
        if (!provisioningDeployed) {
          if (options.planOnly && kinds.includes("provisioning")) {
            out.say(`${id}: not planned: ${ids.provisioning} has no state yet, and management reads its outputs.`);
            stacks.push({ stack: id, planned: false, reason: "provisioning not deployed" });
            continue;
          }
          throw new OpsError(EXIT.NOT_DEPLOYED, `${ids.provisioning} has no state yet, and ${id} reads its outputs: deploy it first: dbx deploy ${env.name}`);
        }
        await run.init(id);
      }
      let result;
      try {
        result = await run.planApply({ stackId: id, autoApprove: Boolean(options.autoApprove), planOnly: Boolean(options.planOnly) });
      } catch (e) {
        if (kind === "management" && e instanceof OpsError && e.exitCode === EXIT.FAILURE) {
          throw new OpsError(EXIT.FAILURE, `${e.message}. If it could not authenticate, the credentials ${ids.provisioning} issued may have expired (dbx status ${env.name}); re-issue them with: dbx reset-tokens ${env.name}`);
        }
        throw e;
      }
      stacks.push({ stack: id, applied: result.applied, changes: result.changes });
      if (result.applied) out.say(`${id} deployed.`);
    }
    if (options.planOnly) out.say("Plan only: nothing was applied.");
    out.result({ env: env.name, ok: true, networkMode: mode, stacks });
    return EXIT.OK;
  });
}
