/**
 * `dbx sleep` and `dbx wake` in-process against the stub Terraform: the saved plan is applied only when its
 * resource changes are exactly the pay-per-hour network parts; the state is read first; the protected
 * guard reads the configuration the synth uses; approval, dry run and no-terminal behaviour.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../ops/exit-codes";
import { PLAN_FILE } from "../ops/run";
import { addressesOf, planOf, Sandbox, stateOf } from "./cli-helpers";
import { memoizedSynthesizer } from "./synth-memo";
import { readVars, synthEnvs, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

// Each distinct (environment, mode) is synthesized once in this test worker; every run still gets its own copy (synth-memo.ts).
const synthesizer = memoizedSynthesizer();

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const awake = synthEnvs(["dev"], { networkMode: "awake" });
const asleep = synthEnvs(["dev"], { networkMode: "asleep" });
const PROV = "provisioning-dev";
const all = (json: TfJson) => addressesOf(json);
/** The pay-per-hour parts of dev: present awake, absent asleep. */
const parts = all(awake[PROV]).filter((a) => !all(asleep[PROV]).includes(a));
const kept = all(asleep[PROV]);
const deletes = Object.fromEntries(parts.map((a) => [a, ["delete"]]));
const creates = Object.fromEntries(parts.map((a) => [a, ["create"]]));
const kmsKey = kept.find((a) => a.startsWith("aws_kms_key."))!;
const bucket = kept.find((a) => a.startsWith("aws_s3_bucket."))!;

let box: Sandbox;
beforeEach(() => (box = new Sandbox(synthesizer)));
afterEach(() => box.cleanup());

const stackDir = () => path.join(box.root, ".dbx-dev", "stacks", PROV);

test("the parts are the NAT gateway, its EIP, the NAT routes and the STS/Kinesis endpoints", () => {
  expect(parts.map((a) => a.split(".")[0]).sort()).toEqual(["aws_eip", "aws_nat_gateway", "aws_route", "aws_route", "aws_vpc_endpoint", "aws_vpc_endpoint"]);
});

describe("sleep with an exact plan (one run, --json)", () => {
  let r: Awaited<ReturnType<Sandbox["run"]>>;
  let exact: Sandbox;
  beforeAll(async () => {
    exact = new Sandbox(synthesizer);
    exact.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    exact.plan(PROV, planOf(all(awake[PROV]), deletes));
    r = await exact.run(["sleep", "dev", "--auto-approve", "--json"]);
  });
  afterAll(() => exact.cleanup());
  const dir = () => path.join(exact.root, ".dbx-dev", "stacks", PROV);

  test("plans into a saved file, shows it, and applies that very file, all in the stack directory; no -target", () => {
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(EXIT.OK);
    expect(exact.subcommands()).toEqual(["init", "show", "plan", "show", "apply"]);
    const [init, state, plan, show, apply] = exact.calls();
    for (const c of [init, state, plan, show, apply]) expect(c.cwd).toBe(dir());
    expect(state.args).toEqual(["show", "-json"]);
    expect(plan.args).toEqual(["plan", "-no-color", "-input=false", `-out=${PLAN_FILE}`]);
    expect(show.args).toEqual(["show", "-json", PLAN_FILE]);
    expect(apply.args).toEqual(["apply", "-no-color", "-input=false", PLAN_FILE]);
    expect(exact.calls().flatMap((c) => c.args).filter((a) => a.startsWith("-target") || a.startsWith("-replace"))).toEqual([]);
    expect(r.stderr).toContain(`The plan of ${PROV} changes exactly the expected 6 resources:`);
    expect(r.stderr).toContain(`${PROV} is asleep. Saving $0.090 per hour.`);
  });

  test("the plan file and the lock are removed", () => {
    expect(fs.existsSync(path.join(dir(), PLAN_FILE))).toBe(false);
    expect(fs.existsSync(path.join(exact.root, ".dbx-dev.lock"))).toBe(false);
  });

  test("what was planned is the asleep synth, and its local state path is <root>/terraform.provisioning-dev.tfstate", () => {
    const planned = JSON.parse(fs.readFileSync(path.join(dir(), "cdk.tf.json"), "utf8")) as TfJson;
    expect(JSON.stringify(planned)).toBe(JSON.stringify(asleep[PROV]));
    const backend = (planned.terraform as { backend: { local: { path: string } } }).backend.local.path;
    expect(path.resolve(dir(), backend)).toBe(path.join(exact.root, `terraform.${PROV}.tfstate`));
  });

  test("--json: one JSON document on stdout, human lines on stderr", () => {
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: "sleep", env: "dev", ok: true, applied: true, to: "asleep", hourlyUsd: 0.09 });
    expect(doc.changes.map((c: { address: string }) => c.address).sort()).toEqual([...parts].sort());
    expect(r.stderr).toContain("Sleeping provisioning-dev (us-east-1) removes 6 resources:");
  });
});

describe("a plan that is not exactly the expected set is refused, nothing applied (exit 8)", () => {
  test("sleep: one extra delete of a KMS key is named with its action", async () => {
    box.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    box.plan(PROV, planOf(all(awake[PROV]), { ...deletes, [kmsKey]: ["delete"] }));
    const r = await box.run(["sleep", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.PLAN_MISMATCH);
    expect(r.stdout).toContain("planned but not expected (1):");
    expect(r.stdout).toContain(`\n    delete  ${kmsKey}\n`);
    expect(r.stderr).toContain("refusing to apply: the plan of provisioning-dev is not exactly the expected change set");
    expect(r.stderr).toContain("nothing was applied");
    expect(box.subcommands()).not.toContain("apply");
    expect(fs.existsSync(path.join(stackDir(), PLAN_FILE))).toBe(false);
  });

  test("wake: one extra delete of a bucket is named with its action", async () => {
    box.state(PROV, stateOf(kept, { network_mode: "asleep" }));
    box.plan(PROV, planOf(kept, { ...creates, [bucket]: ["delete"] }));
    const r = await box.run(["wake", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.PLAN_MISMATCH);
    expect(r.stdout).toContain(`\n    delete  ${bucket}\n`);
    expect(box.subcommands()).not.toContain("apply");
  });

  test("--allow-unexpected applies it after printing the difference", async () => {
    box.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    box.plan(PROV, planOf(all(awake[PROV]), { ...deletes, [kmsKey]: ["update"] }));
    const r = await box.run(["sleep", "dev", "--auto-approve", "--allow-unexpected"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain(`update  ${kmsKey}`);
    expect(r.stderr).toContain("applying it anyway because of --allow-unexpected");
    expect(box.subcommands()).toContain("apply");
  });

  test("--known-drift lets through exactly the changes of that plan JSON, not others", async () => {
    const drift = path.join(box.stubDir, "drift.json");
    fs.writeFileSync(drift, JSON.stringify(planOf([], { [bucket]: ["update"] })));
    box.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    box.plan(PROV, planOf(all(awake[PROV]), { ...deletes, [bucket]: ["update"], [kmsKey]: ["update"] }));
    const r = await box.run(["sleep", "dev", "--auto-approve", "--known-drift", drift]);
    expect(r.code).toBe(EXIT.PLAN_MISMATCH);
    expect(r.stdout).toContain(`planned but not expected (1):\n    update  ${kmsKey}\n`);
    expect(r.stdout).toContain(`also accepted as known drift (--known-drift, 1):\n    update  ${bucket}`);
  });
});

describe("--transform (for test harnesses such as e2e)", () => {
  const fixture = (name: string) => path.join(__dirname, "fixtures", "transforms", `${name}.ts`);

  test("rewrites the synthesized stack before it is planned, and says so only for the stacks it changed", async () => {
    box.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    box.plan(PROV, planOf(all(awake[PROV]), deletes));
    const r = await box.run(["sleep", "dev", "--auto-approve", "--transform", fixture("marker")]);
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(fs.readFileSync(path.join(stackDir(), "cdk.tf.json"), "utf8")).locals).toEqual({ transformed_for: `${PROV} asleep` });
    expect(r.stderr).toContain(`warning: ${PROV}: planning the stack as rewritten by --transform, not the plain synth`);
    expect(r.stderr).not.toContain("management-dev: planning");
  });

  test("a module without transformStack is a usage error before anything runs", async () => {
    const r = await box.run(["sleep", "dev", "--auto-approve", "--transform", fixture("empty")]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("exports no transformStack(file, context) function");
    expect(box.calls()).toEqual([]);
  });
});

describe("the state is read first", () => {
  test("never deployed: refused (exit 11) before planning", async () => {
    const r = await box.run(["sleep", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.NOT_DEPLOYED);
    expect(r.stderr).toContain("dbx sleep: error: provisioning-dev has never been deployed (its state holds no resources): there is nothing to sleep. Deploy it first: dbx deploy dev");
    expect(box.subcommands()).toEqual(["init", "show"]);
  });

  test("already asleep: a no-op that says so (exit 0), no plan", async () => {
    box.state(PROV, stateOf(kept, { network_mode: "asleep" }));
    const r = await box.run(["sleep", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain('dev is already asleep: nothing to do (provisioning-dev has none of the 6 pay-per-hour network parts, and its network_mode output is "asleep").');
    expect(r.stdout).not.toContain("saves");
    expect(box.subcommands()).toEqual(["init", "show"]);
  });

  test("after an interrupted sleep, only the parts still in state are expected", async () => {
    const [nat, eip, ...rest] = parts;
    box.state(PROV, stateOf([...kept, ...rest], { network_mode: "awake" }));
    box.plan(PROV, planOf([...kept, ...rest], Object.fromEntries(rest.map((a) => [a, ["delete"]]))));
    const r = await box.run(["sleep", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain("removes 4 resources:");
    expect(r.stdout).toContain("(2 of the 6 parts are already gone: an earlier run stopped part-way; this run changes only the rest.)");
    expect(r.stdout).not.toContain(nat);
    expect(r.stdout).not.toContain(eip);
  });
});

describe("wake", () => {
  test("exactly the creations of the parts: applied; the woken configuration is the awake synth", async () => {
    box.state(PROV, stateOf(kept, { network_mode: "asleep" }));
    box.plan(PROV, planOf(kept, creates));
    const r = await box.run(["wake", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain("Waking provisioning-dev (us-east-1) adds 6 resources:");
    expect(r.stdout).toContain("Elastic IPs are\nnew addresses");
    expect(r.stdout).toContain(`${PROV} is awake. Costing $0.090 per hour.`);
    expect(JSON.stringify(JSON.parse(fs.readFileSync(path.join(stackDir(), "cdk.tf.json"), "utf8")))).toBe(JSON.stringify(awake[PROV]));
  });

});

describe("approval", () => {
  beforeEach(() => {
    box.state(PROV, stateOf(all(awake[PROV]), { network_mode: "awake" }));
    box.plan(PROV, planOf(all(awake[PROV]), deletes));
  });

  test('declined at the prompt: "nothing was applied", exit 9', async () => {
    const r = await box.run(["sleep", "dev"], { interactive: true, answers: ["no"] });
    expect(r.code).toBe(EXIT.DECLINED);
    expect(r.stderr).toContain('Apply these 6 resource changes to provisioning-dev? Only "yes" is accepted: ');
    expect(r.stderr).toContain("dbx sleep: error: declined: nothing was applied to provisioning-dev");
    expect(r.stdout).not.toContain("is asleep.");
    expect(box.subcommands()).not.toContain("apply");
    expect(fs.existsSync(path.join(box.root, ".dbx-dev.lock"))).toBe(false);
  });

  test('"yes" applies', async () => {
    const r = await box.run(["sleep", "dev"], { interactive: true, answers: ["yes"] });
    expect(r.code).toBe(EXIT.OK);
    expect(box.subcommands()).toContain("apply");
  });

  test("no terminal and no --auto-approve: one line naming the flag, exit 12, nothing run", async () => {
    const r = await box.run(["sleep", "dev"]);
    expect(r.code).toBe(EXIT.NEEDS_APPROVAL);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("pass --auto-approve");
    expect(box.calls()).toEqual([]);
  });

  test("--plan-only plans and checks, applies nothing; the old --plan still works and names the new form", async () => {
    const r = await box.run(["sleep", "dev", "--plan"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain("--plan is now --plan-only");
    expect(r.stdout).toContain("Plan only: the plan was checked and is exactly the expected change set; nothing was applied.");
    expect(box.subcommands()).toEqual(["init", "show", "plan", "show"]);
    expect((await box.run(["sleep", "dev", "--plan-only", "--auto-approve"])).code).toBe(EXIT.USAGE);
  });
});

describe("--dry-run", () => {
  test("wake (prod: no --force needed): runs no Terraform command at all, writes no run directory or lock, needs no credentials", async () => {
    const r = await box.run(["wake", "prod", "--dry-run"], { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, DATABRICKS_CLIENT_ID: undefined, DATABRICKS_CLIENT_SECRET: undefined, PATH: "/usr/bin:/bin" } });
    expect(r.code).toBe(EXIT.OK);
    expect(box.calls()).toEqual([]);
    expect(fs.readdirSync(box.root)).toEqual([]);
    expect(r.stdout).toContain("Waking costs $0.225 per hour, $164.25 per month (730 h)");
    expect(r.stdout).toContain("Dry run: nothing was planned or applied, and no file was left behind.");
  });

  test("prod: 3 NAT gateways, $0.225/h, and the PrivateLink note", async () => {
    const r = await box.run(["sleep", "prod", "--dry-run", "--force"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr.match(/"prod" is protected; going on because of --force/g)).toHaveLength(1);
    expect(r.stdout.match(/^ {2}- aws_nat_gateway\./gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/interface endpoint kinesis-streams, 3 AZs +\$0\.033\/h/);
    expect(r.stdout).toContain("Sleeping saves $0.225 per hour, $164.25 per month (730 h), at eu-west-1 list prices");
    expect(r.stdout).toContain("PrivateLink endpoints registered with Databricks (REST API, secure cluster\n    connectivity relay), so clusters still reach the Databricks control plane");
  });
});

describe("protected environments", () => {
  test("sleep prod without --force: exit 4 before anything runs, even --dry-run", async () => {
    expect(readVars("prod").protected).toBe(true);
    for (const args of [["--dry-run"], ["--auto-approve"]]) {
      const r = await box.run(["sleep", "prod", ...args]);
      expect(r.code).toBe(EXIT.PROTECTED);
      expect(r.stderr.trim()).toBe('dbx sleep: error: refusing to sleep "prod": vars/prod.json has "protected": true; pass --force to sleep it anyway');
    }
    expect(box.calls()).toEqual([]);
  });

  test("a relative VARS_DIR is read from the caller's directory by the guard and the synth alike", async () => {
    const cwd = tempDir("dbx-cwd-");
    fs.mkdirSync(path.join(cwd, "myvars"));
    fs.writeFileSync(path.join(cwd, "myvars", "qa.json"), JSON.stringify({ ...readVars("dev"), protected: true, region: "us-east-1" }));
    const refused = await box.run(["sleep", "qa", "--dry-run"], { cwd, env: { VARS_DIR: "myvars" } });
    expect(refused.code).toBe(EXIT.PROTECTED);
    expect(refused.stderr).toContain('myvars/qa.json has "protected": true');
    const forced = await box.run(["sleep", "qa", "--dry-run", "--force"], { cwd, env: { VARS_DIR: "myvars" } });
    expect(forced.code).toBe(EXIT.OK);
    expect(forced.stdout).toContain("Sleeping provisioning-qa (us-east-1) removes 6 resources:");
    fs.rmSync(cwd, { recursive: true, force: true });
  });

});
