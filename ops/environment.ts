/**
 * Selecting an environment and checking what a command needs before it runs anything: the vars file
 * (loaded once, through the project's loader, and used for every decision and the synth alike), the
 * protected flag, credentials in the environment and the programs on PATH.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, listEnvironments, loadEnvironments, notAnEnvironment, type Environment } from "../config/load";
import { REPO_ROOT, type Context } from "./context";
import { EXIT, OpsError } from "./exit-codes";

export type { Environment } from "../config/load";

/** `VARS_DIR` resolved against the working directory, else the repository's `vars/`. */
export function varsDirOf(ctx: Context): string {
  return ctx.env.VARS_DIR ? path.resolve(ctx.cwd, ctx.env.VARS_DIR) : path.join(REPO_ROOT, "vars");
}

/** The vars file's problems, one per line, as main.ts prints them. */
export function configErrorMessage(e: ConfigError): string {
  return `Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}`;
}

/**
 * Loads and validates `<varsDir>/<name>.json`, merged over `<varsDir>/common.json` when there is one. This
 * one object is what the guards read and what is synthesized, so a check and the action it guards can
 * never read different settings.
 * @throws OpsError UNKNOWN_ENV when there is no such vars file (listing the available ones), FAILURE when it is invalid.
 */
export function loadEnvironment(ctx: Context, name: string): Environment {
  return loadEnvironmentsNamed(ctx, [name])[0];
}

/** {@link loadEnvironment} for several names; all of `varsDir` when `names` is empty. */
export function loadEnvironmentsNamed(ctx: Context, names: readonly string[]): Environment[] {
  const varsDir = varsDirOf(ctx);
  if (fs.existsSync(varsDir) && !fs.statSync(varsDir).isDirectory()) throw new OpsError(EXIT.FAILURE, `${varsDir}: expected a directory of <env>.json files, found a file`);
  let available: string[];
  try {
    available = listEnvironments(varsDir);
  } catch (e) {
    if (e instanceof ConfigError) throw new OpsError(EXIT.FAILURE, configErrorMessage(e));
    throw e;
  }
  const shown = path.relative(ctx.cwd, varsDir) || ".";
  for (const name of names) {
    const reserved = notAnEnvironment(name);
    if (reserved) {
      throw new OpsError(EXIT.UNKNOWN_ENV, `unknown environment ${JSON.stringify(name)}: ${path.join(shown, `${name}.json`)} ${reserved}, it is not an environment (available: ${available.join(", ") || "none"})`);
    }
    if (!available.includes(name)) {
      throw new OpsError(EXIT.UNKNOWN_ENV, `unknown environment ${JSON.stringify(name)}: no vars file ${path.join(shown, `${name}.json`)} (available: ${available.join(", ") || "none"})`);
    }
  }
  try {
    return loadEnvironments(varsDir, names);
  } catch (e) {
    if (e instanceof ConfigError) throw new OpsError(EXIT.FAILURE, configErrorMessage(e));
    throw e;
  }
}

/**
 * Refuses `action` on a protected environment (`"protected": true` in its merged settings, named in the
 * file that sets it) unless `force`; with `force`, warns.
 * @throws OpsError PROTECTED
 */
export function guardProtected(env: Environment, action: string, force: boolean, warn: (text: string) => void): void {
  if (!env.vars.protected) return;
  const { file, inherited } = env.sourceOf(["protected"]);
  const where = inherited ? `${file} (inherited by ${env.name})` : file;
  if (!force) throw new OpsError(EXIT.PROTECTED, `refusing to ${action} "${env.name}": ${where} has "protected": true; pass --force to ${action} it anyway`);
  warn(`"${env.name}" is protected; going on because of --force`);
}

/**
 * Dies unless the environment names AWS credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID with
 * AWS_SECRET_ACCESS_KEY, a web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE) or container
 * credentials. Presence only: the AWS provider verifies them and `allowed_account_ids` the account.
 * @throws OpsError NO_AWS_CREDENTIALS
 */
export function requireAwsCredentials(env: NodeJS.ProcessEnv): void {
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_SECRET_ACCESS_KEY) throw new OpsError(EXIT.NO_AWS_CREDENTIALS, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  if (env.AWS_PROFILE || env.AWS_ACCESS_KEY_ID) return;
  if (env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE) return;
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return;
  throw new OpsError(EXIT.NO_AWS_CREDENTIALS, "no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)");
}

/**
 * Dies unless DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M service principal of the
 * account, for the account-level provider of provisioning) are set; names the missing ones.
 * @throws OpsError NO_DATABRICKS_CREDENTIALS
 */
export function requireDatabricksCredentials(env: NodeJS.ProcessEnv): void {
  const missing = ["DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET"].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `no Databricks account credentials: set ${missing.join(" and ")} (OAuth M2M service principal with account admin)`);
  }
}

/** The Terraform binary: `TERRAFORM_BINARY_NAME` (e.g. tofu), default `terraform`. */
export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/** The path of executable `name` on `env.PATH` (or `name` itself when it holds a slash), undefined when none. */
export function findProgram(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = name.includes("/") ? [name] : (env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** @throws OpsError MISSING_PROGRAM unless the Terraform binary is on PATH. */
export function requireTerraform(env: NodeJS.ProcessEnv): string {
  const binary = terraformBinary(env);
  if (!findProgram(binary, env)) {
    throw new OpsError(EXIT.MISSING_PROGRAM, `"${binary}" not found on PATH: install Terraform, or set TERRAFORM_BINARY_NAME (e.g. tofu)`);
  }
  return binary;
}
