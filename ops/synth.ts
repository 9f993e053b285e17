/**
 * The synth the CLI plans: the project's own `addEnvironmentStacks` (stacks/app.ts) run in this process on
 * the environment object the guards read, written to a directory the run owns.
 *
 * Where a run synthesizes. stacks/backend.ts writes the local state path relative to the stack's working
 * directory, `../../../terraform.<stack>.tfstate`, for `cdktf.out/stacks/<stack>/`; the same path must reach
 * the same file from the CLI's directory, so the CLI's synth directory sits at the same depth under the
 * root: `<root>/.dbx-<env>/stacks/<stack>/` (root: the repository, or `DBX_ROOT`). One directory per
 * environment, used only under that environment's lock (ops/lock.ts), so two runs never share a synth
 * (as two `cdktf deploy`s sharing `cdktf.out` did); it is rewritten at the start of each run and keeps only
 * Terraform's provider cache (`.terraform/`, `.terraform.lock.hcl`) between runs. {@link checkStatePaths}
 * verifies, before any Terraform command, that every local state path resolves to `<root>/terraform.*.tfstate`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import type { Environment } from "../config/load";
import { WorkspaceCredentials } from "../constructs/credentials";
import type { NetworkMode } from "../constructs/network";
import { appliedSuppressions, warningsOf } from "../constructs/security";
import { addEnvironmentStacks } from "../stacks/app";
import type { ProvisioningStack } from "../stacks/provisioning-stack";
import { EXIT, OpsError } from "./exit-codes";
import type { StackJson } from "./network-diff";

/** Stack ids of one environment, in deploy order. */
export function stackIds(envName: string): { readonly provisioning: string; readonly management: string } {
  return { provisioning: `provisioning-${envName}`, management: `management-${envName}` };
}

export interface Synthesized {
  readonly outdir: string;
  readonly mode: NetworkMode;
  /** Parsed `cdk.tf.json` per stack id. */
  readonly stacks: Readonly<Record<string, StackJson>>;
  /** The provisioning stack construct the JSON came from (credential resources are read from it). */
  readonly provisioning: ProvisioningStack;
  /** Security-rule warnings and applied suppressions (as main.ts prints them). */
  readonly notes: readonly string[];
}

/**
 * Synthesizes the stacks of `envs` in `mode` into `outdir` (stacks/app.ts, aspects and validations
 * included, as `cdktf synth` does).
 * @throws OpsError FAILURE with the synth's message (failed security check, construct validation)
 */
export function synthesize(envs: readonly Environment[], mode: NetworkMode, outdir: string): Synthesized & { readonly app: App } {
  const app = new App({ outdir });
  try {
    addEnvironmentStacks(app, envs, { networkMode: mode });
    app.synth();
  } catch (e) {
    throw new OpsError(EXIT.FAILURE, `Synth failed:\n${(e as Error).message}`);
  }
  const stacks: Record<string, StackJson> = {};
  for (const env of envs) {
    for (const id of Object.values(stackIds(env.name))) {
      stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;
    }
  }
  const provisioning = app.node.findChild(stackIds(envs[0].name).provisioning) as ProvisioningStack;
  return { app, outdir, mode, stacks, provisioning, notes: [...warningsOf(app), ...appliedSuppressions(app)] };
}

/** Synthesizes into a new temporary directory, reads the JSON, and removes the directory. */
export function synthesizeInMemory(env: Environment, mode: NetworkMode): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-synth-"));
  try {
    return synthesize([env], mode, outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** `<root>/.dbx-<env>`: the run directory of one environment (see the module comment for why here). */
export function runDirOf(root: string, envName: string): string {
  return path.join(root, `.dbx-${envName}`);
}

/** `<runDir>/stacks/<stackId>`: where Terraform runs for that stack. */
export function stackDirOf(runDir: string, stackId: string): string {
  return path.join(runDir, "stacks", stackId);
}

/** What survives between runs in a stack directory: Terraform's provider installation and lock file. */
const KEPT_BETWEEN_RUNS = new Set([".terraform", ".terraform.lock.hcl"]);

/** Empties `runDir` except each stack's {@link KEPT_BETWEEN_RUNS}; creates it when missing. */
export function resetRunDir(runDir: string): void {
  fs.mkdirSync(runDir, { recursive: true });
  for (const entry of fs.readdirSync(runDir)) {
    const full = path.join(runDir, entry);
    if (entry !== "stacks") {
      fs.rmSync(full, { recursive: true, force: true });
      continue;
    }
    for (const stack of fs.readdirSync(full)) {
      const stackDir = path.join(full, stack);
      if (!fs.statSync(stackDir).isDirectory()) {
        fs.rmSync(stackDir, { force: true });
        continue;
      }
      for (const f of fs.readdirSync(stackDir)) if (!KEPT_BETWEEN_RUNS.has(f)) fs.rmSync(path.join(stackDir, f), { recursive: true, force: true });
    }
  }
}

/**
 * Refuses to run Terraform when a local state path of `json` (its backend, and the local
 * `terraform_remote_state` sources it reads) would not resolve, from `stackDir`, to `<root>/terraform.*.tfstate`:
 * the place `cdktf deploy` from `cdktf.out/` uses. A different depth would silently start from empty state.
 * @throws OpsError FAILURE naming the path
 */
export function checkStatePaths(root: string, stackDir: string, stackId: string, json: StackJson): void {
  const paths: [string, string][] = [];
  const backend = (json.terraform as { backend?: { local?: { path?: string } } } | undefined)?.backend;
  if (backend?.local?.path !== undefined) paths.push([`backend of ${stackId}`, backend.local.path]);
  const remote = ((json.data as Record<string, Record<string, { backend?: string; config?: { path?: string } }>> | undefined)?.terraform_remote_state ?? {});
  for (const [name, source] of Object.entries(remote)) {
    if (source.backend === "local" && source.config?.path !== undefined) paths.push([`terraform_remote_state.${name} of ${stackId}`, source.config.path]);
  }
  for (const [what, p] of paths) {
    const resolved = path.resolve(stackDir, p);
    if (path.dirname(resolved) !== path.resolve(root) || !/^terraform\..+\.tfstate$/.test(path.basename(resolved))) {
      throw new OpsError(EXIT.FAILURE, `${what}: local state path ${JSON.stringify(p)} resolves to ${resolved}, not to ${path.join(root, "terraform.<stack>.tfstate")}: refusing to run Terraform on a state file other than the one cdktf uses`);
    }
  }
}

/**
 * The Terraform addresses `reset-tokens` replaces in `stack`: exactly what every {@link WorkspaceCredentials}
 * construct in it declares in `replaceOnReset`, never a hard-coded list.
 * @throws OpsError FAILURE when the stack declares none
 */
export function credentialAddresses(stack: ProvisioningStack): string[] {
  const constructs = stack.node.findAll().filter((c): c is WorkspaceCredentials => c instanceof WorkspaceCredentials);
  const addresses = constructs.flatMap((c) => c.replaceOnReset.map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`));
  if (addresses.length === 0) throw new OpsError(EXIT.FAILURE, `${stack.node.id} declares no credential resources (no WorkspaceCredentials construct with replaceOnReset)`);
  return addresses;
}
