/**
 * Prints the Terraform addresses that `reset-tokens.sh` replaces in `provisioning-<env>`, one per line:
 * exactly the resources the credentials construct declares in `replaceOnReset` (the rotation clock, the
 * OAuth secret and, in PAT mode, the token). Builds the app in memory; writes nothing.
 *
 * Usage: tsx scripts/credential-addresses.ts <env>
 */
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "../config/load";
import { ProvisioningStack } from "../stacks/provisioning-stack";

export function credentialAddresses(env: string, varsDir = process.env.VARS_DIR ?? path.join(__dirname, "..", "vars")): string[] {
  const [environment] = loadEnvironments(varsDir, [env]);
  const stack = new ProvisioningStack(new App({ outdir: path.join(os.tmpdir(), "unused-cdktf-out") }), `provisioning-${env}`, { env: environment });
  return stack.credentials.replaceOnReset.map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`);
}

if (require.main === module) {
  const env = process.argv[2];
  if (!env || process.argv.length > 3) {
    console.error("usage: tsx scripts/credential-addresses.ts <env>");
    process.exit(2);
  }
  try {
    console.log(credentialAddresses(env).join("\n"));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}`);
    process.exit(1);
  }
}
