/**
 * scripts/reset-tokens.sh and scripts/deploy-management.sh, run as a user would. Nothing here can deploy:
 * every run is --help, --dry-run, or an error exit before any Terraform command.
 */
import * as path from "path";
import { NO_TERRAFORM, REPO_ROOT, runScript, synthEnvs, tempVarsDir, readVars } from "./helpers";

const RESET = path.join(REPO_ROOT, "scripts", "reset-tokens.sh");
const DEPLOY_MANAGEMENT = path.join(REPO_ROOT, "scripts", "deploy-management.sh");
const CREDENTIAL_TYPES = ["time_rotating", "databricks_service_principal_secret", "databricks_token"];
const stacks = synthEnvs();
const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", DATABRICKS_CLIENT_ID: "fake", DATABRICKS_CLIENT_SECRET: "fake" };

jest.setTimeout(120_000);

/** Every resource of the credential types in the synthesized provisioning stack, as Terraform addresses. */
function credentialResources(env: string): string[] {
  const json = stacks[`provisioning-${env}`];
  return CREDENTIAL_TYPES.flatMap((type) => Object.keys(json.resource?.[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

describe.each(["dev", "prod"])("reset-tokens.sh %s --dry-run", (env) => {
  const r = runScript(RESET, [env, "--dry-run"]);
  const apply = r.stdout.split("\n").find((l) => l.trim().startsWith(`${NO_TERRAFORM} apply`)) ?? "";
  const flags = (name: string) => [...apply.matchAll(new RegExp(`-${name}=(\\S+)`, "g"))].map((m) => m[1]).sort();

  test("runs with no credentials and no Terraform binary, and prints the commands", () => {
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`\n  env ENVS=${env} npm run synth\n`);
    expect(r.stdout).toContain(`and in cdktf.out/stacks/provisioning-${env}:\n  ${NO_TERRAFORM} init -input=false\n`);
  });

  test("replaces exactly the credential resources: the rotation, the secret and, in PAT mode, the token", () => {
    const expected = credentialResources(env);
    expect(expected).toHaveLength(readVars(env).credentials.mode === "pat" ? 3 : 2);
    expect(flags("replace")).toEqual(expected);
    expect(flags("target")).toEqual(expected);
    const listed = r.stdout.split("Resources to replace in")[1].split("Dry run")[0].trim().split("\n").slice(1).map((l) => l.trim()).sort();
    expect(listed).toEqual(expected);
  });

  test("never touches the management stack", () => {
    expect(r.stdout).not.toMatch(/management-/);
    expect(apply).not.toMatch(/-auto-approve/);
  });
});

describe("reset-tokens.sh errors", () => {
  test("--help prints usage and exit codes, exit 0", () => {
    const r = runScript(RESET, ["--help"]);
    expect(r.status).toBe(0);
    for (const text of ["Usage: scripts/reset-tokens.sh <env>", "--dry-run", "--auto-approve", "TERRAFORM_BINARY_NAME", "Exit codes:", "5 missing program"]) expect(r.stdout).toContain(text);
  });

  test("--auto-approve reaches the apply command", () => {
    const r = runScript(RESET, ["dev", "--dry-run", "--auto-approve"]);
    expect(r.stdout).toMatch(new RegExp(`${NO_TERRAFORM} apply -input=false .* -auto-approve\\n`));
  });

  test.each([
    ["missing environment argument", [], {}, 2, "missing environment, e.g. reset-tokens.sh dev"],
    ["unknown option", ["dev", "--now"], {}, 2, "unknown option: --now"],
    ["unknown environment", ["staging"], {}, 3, 'unknown environment "staging": no vars file vars/staging.json (available: dev, prod)'],
    ["missing Terraform binary", ["dev"], FAKE_CREDENTIALS, 5, `"${NO_TERRAFORM}" not found on PATH`],
    ["missing AWS credentials", ["dev"], { TERRAFORM_BINARY_NAME: "bash", DATABRICKS_CLIENT_ID: "x", DATABRICKS_CLIENT_SECRET: "y" }, 6, "no AWS credentials"],
    ["missing Databricks credentials", ["dev"], { TERRAFORM_BINARY_NAME: "bash", AWS_PROFILE: "x" }, 7, "no Databricks account credentials: set DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET"],
  ] as [string, string[], Record<string, string>, number, string][])("%s: exit %i", (_name, args, extra, code, message) => {
    const r = runScript(RESET, args, extra);
    expect(r.status).toBe(code);
    expect(r.stderr).toContain(`reset-tokens.sh: error: ${message}`);
    expect(r.stdout).not.toContain("apply");
  });

  test("an invalid vars file fails before anything runs", () => {
    const dir = tempVarsDir({ "dev.json": { ...readVars("dev"), credentials: { mode: "oauth", lifetimeDays: 0 } } });
    const r = runScript(RESET, ["dev", "--dry-run"], { VARS_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("credentials.lifetimeDays: expected a lifetime of at least 1 day, found 0");
  });
});

describe("deploy-management.sh", () => {
  test("--dry-run deploys management-<env> alone, ignoring the unselected provisioning dependency", () => {
    const r = runScript(DEPLOY_MANAGEMENT, ["dev", "--dry-run"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`\n  env TERRAFORM_BINARY_NAME=${NO_TERRAFORM} npx cdktf deploy management-dev --skip-synth --ignore-missing-stack-dependencies\n`);
  });

  test("before provisioning exists: a plain message, exit 1, no Terraform run", () => {
    // A fresh clone has no local state; the check looks for it beside the repository root.
    const r2 = runScript(DEPLOY_MANAGEMENT, ["dev"], { TERRAFORM_BINARY_NAME: "bash" });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain("deploy-management.sh: error: provisioning-dev has no state yet (terraform.provisioning-dev.tfstate is missing): deploy it first with: npx cdktf deploy provisioning-dev");
    expect(r2.stderr).not.toContain("+ env");
  });
});
