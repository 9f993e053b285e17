/**
 * The cdktf app: one `provisioning-<env>` and one `management-<env>` stack per `vars/<env>.json`.
 *
 * Environment variables:
 *   ENVS       comma-separated environments to synthesize (default: every file in vars/)
 *   VARS_DIR   directory of the vars files (default: ./vars)
 *   NETWORK_MODE  `awake` (default) or `asleep`: without NAT gateways, their EIPs and routes, and the
 *              STS/Kinesis interface endpoints (scripts/sleep-network.sh, scripts/wake-network.sh)
 *
 * A bad vars file prints one line per problem and exits 1 before anything is built; a failed security
 * check (constructs/security) or construct validation prints its message and exits 1.
 */
import * as path from "path";
import { ConfigError, EXIT_INVALID_CONFIG, formatConfigError, loadEnvironments } from "./config/load";
import { NETWORK_MODES, type NetworkMode } from "./constructs/network/defaults";

function main(): void {
  const varsDir = process.env.VARS_DIR ?? path.join(__dirname, "vars");
  const networkMode = (process.env.NETWORK_MODE || "awake") as NetworkMode;
  if (!NETWORK_MODES.includes(networkMode)) {
    process.stderr.write(`Invalid NETWORK_MODE: expected "awake" or "asleep", found ${JSON.stringify(process.env.NETWORK_MODE)}\n`);
    process.exit(1);
  }
  const names = (process.env.ENVS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let envs;
  try {
    envs = loadEnvironments(varsDir, names, "ENVS");
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(formatConfigError(e));
    process.exit(EXIT_INVALID_CONFIG);
  }
  // Loaded once the configuration is valid: a bad vars file is reported without loading the provider bindings.
  const { App } = require("cdktf") as typeof import("cdktf");
  const { addEnvironmentStacks } = require("./stacks/app") as typeof import("./stacks/app");
  const { appliedSuppressions, warningsOf } = require("./constructs/security") as typeof import("./constructs/security");
  const app = new App();
  try {
    addEnvironmentStacks(app, envs, { networkMode });
    app.synth();
  } catch (e) {
    // Failed security checks (error annotations) and construct validation errors: the message names
    // the rule, the resource and the fix; a stack trace would add nothing.
    process.stderr.write(`Synth failed:\n${(e as Error).message}\n`);
    process.exit(1);
  }
  // Rule findings that do not fail synth: warnings, and the suppressed ones with their reasons.
  for (const line of [...warningsOf(app), ...appliedSuppressions(app)]) process.stderr.write(`${line}\n`);
}

main();
