/**
 * `dbx reset-tokens` (and scripts/reset-tokens.sh over it) against the stub Terraform: the credential set
 * comes from the construct, the plan replaces exactly it with -replace and no -target, and any drift
 * elsewhere refuses the run.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { loadEnvironments } from "../config/load";
import { WorkspaceCredentials } from "../constructs/credentials";
import { EXIT } from "../ops/exit-codes";
import { PLAN_FILE } from "../ops/run";
import { credentialAddresses } from "../ops/synth";
import { addEnvironmentStacks } from "../stacks/app";
import type { ProvisioningStack } from "../stacks/provisioning-stack";
import { addressesOf, planOf, Sandbox, stateOf } from "./cli-helpers";
import { memoizedSynthesizer } from "./synth-memo";
import { readVars, synthEnvs, VARS_DIR } from "./helpers";
import { tempDir } from "./run-dir";

// Each distinct (environment, mode) is synthesized once in this test worker; every run still gets its own copy (synth-memo.ts).
const synthesizer = memoizedSynthesizer();

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const PROV = "provisioning-dev";
const stacks = synthEnvs(["dev"]);
const all = addressesOf(stacks[PROV]);

/** The provisioning stack construct of dev, built in memory. */
function provisioningStack(): ProvisioningStack {
  const app = new App({ outdir: tempDir("cdktf-out-") });
  addEnvironmentStacks(app, loadEnvironments(VARS_DIR, ["dev"]));
  return app.node.findChild(PROV) as ProvisioningStack;
}

const stack = provisioningStack();
const credentials = credentialAddresses(stack);
const replaces = Object.fromEntries(credentials.map((a) => [a, ["delete", "create"]]));

describe("the credential set", () => {
  test("is what the WorkspaceCredentials construct declares in replaceOnReset, as Terraform addresses of this synth", () => {
    const construct = stack.node.findAll().find((c): c is WorkspaceCredentials => c instanceof WorkspaceCredentials)!;
    expect(credentials).toEqual(construct.replaceOnReset.map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`));
    for (const address of credentials) expect(all).toContain(address);
  });

  test("holds the rotation clock and the automation OAuth secret, and nothing stateful", () => {
    const types = credentials.map((a) => a.split(".")[0]);
    expect(types).toContain("time_rotating");
    expect(types).toContain("databricks_service_principal_secret");
    for (const t of types) expect(["time_rotating", "databricks_service_principal_secret", "databricks_token"]).toContain(t);
  });
});

describe("dbx reset-tokens", () => {
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox(synthesizer)));
  afterEach(() => box.cleanup());

  test("exact plan: -replace for each credential resource, no -target, the saved plan applied; the new expiry is read back", async () => {
    box.state(PROV, stateOf(all, { network_mode: "awake", credentials_expire_time: "2026-11-23T10:00:00Z" }));
    box.write(`state-after.${PROV}.json`, stateOf(all, { network_mode: "awake", credentials_expire_time: "2026-11-24T12:00:00Z" }));
    box.plan(PROV, planOf(all, replaces));
    const r = await box.run(["reset-tokens", "dev", "--auto-approve"]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(EXIT.OK);
    expect(box.subcommands()).toEqual(["init", "show", "plan", "show", "apply", "show"]);
    const plan = box.calls()[2];
    expect(plan.args.filter((a) => a.startsWith("-replace=")).map((a) => a.slice("-replace=".length))).toEqual(credentials);
    expect(box.calls().flatMap((c) => c.args).filter((a) => a.startsWith("-target"))).toEqual([]);
    expect(box.calls()[4].args).toEqual(["apply", "-no-color", "-input=false", PLAN_FILE]);
    expect(box.calls().every((c) => c.cwd.endsWith(`/.dbx-dev/stacks/${PROV}`))).toBe(true);
    expect(r.stdout).toContain(`The plan of ${PROV} changes exactly the expected ${credentials.length} resources:`);
    expect(r.stdout).toContain(`Credentials re-issued in ${PROV}; they expire 2026-11-24T12:00:00Z.`);
    expect(r.stdout).toContain("management-dev picks them up on its next deploy: dbx deploy dev --only management");
  });

  test("drift outside the credential set (an update of the workspace security group) refuses the run: named, nothing applied, exit 8", async () => {
    const sg = all.find((a) => a.startsWith("aws_security_group."))!;
    box.state(PROV, stateOf(all, { network_mode: "awake" }));
    box.plan(PROV, planOf(all, { ...replaces, [sg]: ["update"] }));
    const r = await box.run(["reset-tokens", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.PLAN_MISMATCH);
    expect(r.stdout).toContain(`planned but not expected (1):\n    update  ${sg}\n`);
    expect(r.stderr).toContain("reconcile them with dbx deploy dev, or pass --allow-unexpected");
    expect(box.subcommands()).not.toContain("apply");
  });

  test("an asleep environment is planned asleep, so the reset does not wake it", async () => {
    const asleep = addressesOf(synthEnvs(["dev"], { networkMode: "asleep" })[PROV]);
    box.state(PROV, stateOf(asleep, { network_mode: "asleep" }));
    box.plan(PROV, planOf(asleep, replaces));
    const r = await box.run(["reset-tokens", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain("provisioning-dev is asleep (network_mode output): synthesizing it asleep");
    const planned = JSON.parse(fs.readFileSync(path.join(box.root, ".dbx-dev", "stacks", PROV, "cdk.tf.json"), "utf8"));
    expect(planned.resource.aws_nat_gateway).toBeUndefined();
  });

  test("never deployed: refused, exit 11", async () => {
    const r = await box.run(["reset-tokens", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.NOT_DEPLOYED);
    expect(r.stderr).toContain("provisioning-dev has never been deployed (its state holds no resources): there are no credentials to reset");
    expect(box.subcommands()).toEqual(["init", "show"]);
  });

  test("--dry-run: the set and the commands, no Terraform run, no credentials needed", async () => {
    const r = await box.run(["reset-tokens", "dev", "--dry-run"], { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, DATABRICKS_CLIENT_ID: undefined, DATABRICKS_CLIENT_SECRET: undefined } });
    expect(r.code).toBe(EXIT.OK);
    expect(box.calls()).toEqual([]);
    expect(fs.readdirSync(box.root)).toEqual([]);
    expect(r.stdout).toContain(`terraform plan -input=false -out=${PLAN_FILE} ${credentials.map((a) => `-replace=${a}`).join(" ")}\n`);
    expect(r.stdout).not.toContain("-target");
    expect(r.stdout).toContain("management-dev is not touched");
  });

  test.each([
    ["missing Terraform binary", { TERRAFORM_BINARY_NAME: "no-such-terraform" }, EXIT.MISSING_PROGRAM, '"no-such-terraform" not found on PATH'],
    ["no AWS credentials", { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, EXIT.NO_AWS_CREDENTIALS, "no AWS credentials"],
    ["half the AWS credentials", { AWS_SECRET_ACCESS_KEY: undefined }, EXIT.NO_AWS_CREDENTIALS, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"],
    ["no Databricks credentials", { DATABRICKS_CLIENT_SECRET: undefined }, EXIT.NO_DATABRICKS_CREDENTIALS, "set DATABRICKS_CLIENT_SECRET (OAuth M2M"],
  ] as [string, Record<string, undefined | string>, number, string][])("%s: exit %i before anything runs", async (_name, env, code, message) => {
    const r = await box.run(["reset-tokens", "dev", "--auto-approve"], { env });
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(box.calls()).toEqual([]);
  });

  test("an invalid vars file fails before anything runs, with the loader's message (exit 1)", async () => {
    const dir = tempDir("vars-");
    const dev = readVars("dev");
    fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ ...dev, credentials: { mode: "oauth", lifetimeDays: 0 } }));
    const r = await box.run(["reset-tokens", "dev", "--dry-run"], { env: { VARS_DIR: dir } });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr).toContain("Invalid configuration:");
    expect(r.stderr).toContain("credentials.lifetimeDays: expected a lifetime of at least 1 day, found 0");
  });
});
