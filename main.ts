/**
 * The cdktf app: one `provisioning-<env>` and one `management-<env>` stack per `vars/<env>.json`.
 *
 * Environment variables:
 *   ENVS       comma-separated environments to synthesize (default: every file in vars/)
 *   VARS_DIR   directory of the vars files (default: ./vars)
 *
 * A bad vars file prints one line per problem and exits 1 before anything is built.
 */
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "./config/load";
import { addEnvironmentStacks } from "./stacks/app";

function main(): void {
  const varsDir = process.env.VARS_DIR ?? path.join(__dirname, "vars");
  const names = (process.env.ENVS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let envs;
  try {
    envs = loadEnvironments(varsDir, names);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`);
    process.exit(1);
  }
  const app = new App();
  addEnvironmentStacks(app, envs);
  app.synth();
}

main();
