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

/** Where {@link synthMain} writes: the process's streams, or a test's buffers. */
export interface SynthIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * `npm run synth`: synthesizes the environments `env` selects (ENVS, VARS_DIR, NETWORK_MODE, CDKTF_OUTDIR)
 * with the options of `argv`, writing what a user sees to `io`; returns the exit code (0 done, 1 invalid
 * vars or a failed synth, 2 a usage error). Run in process by the tests; the file's last lines run it
 * for the real process.
 */
export function synthMain(argv: readonly string[], env: NodeJS.ProcessEnv, io: SynthIo): number {
  let options: SynthOptions;
  try {
    options = parseSynthArgs([...argv]);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${SYNTH_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout(`${SYNTH_USAGE}\n`);
    return 0;
  }
  const varsDir = env.VARS_DIR ?? path.join(__dirname, "vars");
  const networkMode = (env.NETWORK_MODE || "awake") as NetworkMode;
  if (!NETWORK_MODES.includes(networkMode)) {
    io.stderr(`Invalid NETWORK_MODE: expected "awake" or "asleep", found ${JSON.stringify(env.NETWORK_MODE)}\n`);
    return 1;
  }
  const names = (env.ENVS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let envs;
  try {
    envs = loadEnvironments(varsDir, names, "ENVS");
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(formatConfigError(e));
    return EXIT_INVALID_CONFIG;
  }
  // Loaded once the configuration is valid: a bad vars file is reported without loading the provider bindings.
  const { App } = require("cdktf") as typeof import("cdktf");
  const { addEnvironmentStacks } = require("./stacks/app") as typeof import("./stacks/app");
  const { appliedSuppressions, warningsOf } = require("./constructs/security") as typeof import("./constructs/security");
  const started = performance.now();
  // CDKTF_OUTDIR is how the cdktf CLI names the output directory (App's own default reads the same).
  const app = new App({ outdir: env.CDKTF_OUTDIR || undefined });
  try {
    addEnvironmentStacks(app, envs, { networkMode });
    app.synth();
  } catch (e) {
    // Failed security checks (error annotations) and construct validation errors: the message names
    // the rule, the resource and the fix; a stack trace would add nothing.
    io.stderr(`Synth failed:\n${(e as Error).message}\n`);
    return 1;
  }
  // Rule findings that do not fail synth: warnings, and the suppressed ones with their reasons.
  for (const line of [...warningsOf(app), ...appliedSuppressions(app)]) io.stderr(`${line}\n`);
  if (!options.quiet) {
    // The wall time of a real run includes the process's start-up (performance.now() counts from it).
    const seconds = (require.main === module ? performance.now() : performance.now() - started) / 1000;
    const report = formatSynthReport(summarizeSynth(app.outdir), app.outdir, seconds);
    io.stdout(`${report.join("\n")}\n`);
  }
  return 0;
}

if (require.main === module) {
  const code = synthMain(process.argv.slice(2), process.env, {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  });
  if (code !== 0) process.exit(code);
}
