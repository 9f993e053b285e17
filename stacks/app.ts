import { Aspects, type App } from "cdktf";
import { DatabricksSecurityChecks } from "../constructs/security";
import { KeyPolicyCheckovSkips } from "../constructs/security/checkov-skips";
import { PreventDestroyOfStatefulResources } from "../constructs/security/protection";
import type { Environment } from "../config/load";
import { ManagementStack } from "./management-stack";
import { ProvisioningStack } from "./provisioning-stack";

export interface BuildOptions {
  /** @default "awake" */
  readonly networkMode?: "awake" | "asleep";
}

/**
 * Adds the stacks of every environment to `app`: `provisioning-<env>` and `management-<env>`, each with the
 * security checks and the per-resource checkov skips of KMS key policies; in an environment with
 * `"protected": true`, stateful resources also get
 * `prevent_destroy` (see constructs/security/protection.ts).
 */
export function addEnvironmentStacks(app: App, envs: readonly Environment[], options: BuildOptions = {}): void {
  for (const env of envs) {
    const provisioning = new ProvisioningStack(app, `provisioning-${env.name}`, { env, networkMode: options.networkMode });
    const management = new ManagementStack(app, `management-${env.name}`, { env, provisioning });
    for (const stack of [provisioning, management]) {
      Aspects.of(stack).add(new DatabricksSecurityChecks());
      Aspects.of(stack).add(new KeyPolicyCheckovSkips());
      if (env.vars.protected) Aspects.of(stack).add(new PreventDestroyOfStatefulResources());
    }
  }
}
