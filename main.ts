/**
 * The cdktf app: one `provisioning-<env>` and one `management-<env>` stack per `vars/<env>.json`
 * (merged over `vars/common.json` when present; config/load.ts).
 *
 * Environment variables:
 *   ENVS       comma-separated environments to synthesize (default: every environment in vars/, that is
 *              every *.json but common.json and schema.json)
 *   VARS_DIR   directory of the vars files (default: ./vars)
 *   NETWORK_MODE  `awake` (default) or `asleep`: without NAT gateways, their EIPs and routes, and the
 *              STS/Kinesis interface endpoints (scripts/sleep-network.sh, scripts/wake-network.sh)
 *
 * Options (npm run synth -- --quiet): `--quiet` prints nothing on success (rule warnings and
 * suppressions still go to stderr); without it, one line per stack written and the wall time
 * (stacks/synth-report.ts).
 *
 * A bad vars file prints one line per problem and exits 1 before anything is built; a failed security
 * check (constructs/security) or construct validation prints its message and exits 1.
 */
import * as path from "path";
import { ConfigError, EXIT_INVALID_CONFIG, formatConfigError, loadEnvironments } from "./config/load";
import { NETWORK_MODES, type NetworkMode } from "./constructs/network/defaults";
import { formatSynthReport, parseSynthArgs, summarizeSynth, SYNTH_USAGE, type SynthOptions } from "./stacks/synth-report";

function main(): void {
  let options: SynthOptions;
  try {
    options = parseSynthArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${SYNTH_USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${SYNTH_USAGE}\n`);
    return;
  }
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
  if (!options.quiet) {
    const report = formatSynthReport(summarizeSynth(app.outdir), app.outdir, performance.now() / 1000);
    process.stdout.write(`${report.join("\n")}\n`);
  }
}

main();
