/**
 * `dbx deploy`, `dbx plan`, `dbx status`, `dbx synth` and the wrapped toolchain commands, in-process
 * against the stub Terraform.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../ops/exit-codes";
import { PLAN_FILE } from "../ops/run";
import { addressesOf, planOf, Sandbox, stateOf } from "./cli-helpers";
import { memoizedSynthesizer } from "./synth-memo";
import { synthEnvs } from "./helpers";
import { tempDir } from "./run-dir";

// Each distinct (environment, mode) is synthesized once in this test worker; every run still gets its own copy (synth-memo.ts).
const synthesizer = memoizedSynthesizer();

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const PROV = "provisioning-dev";
const MGMT = "management-dev";
const awake = synthEnvs(["dev"]);
const asleep = synthEnvs(["dev"], { networkMode: "asleep" });
const prov = addressesOf(awake[PROV]);
const provAsleep = addressesOf(asleep[PROV]);
const mgmt = addressesOf(awake[MGMT]);
const parts = prov.filter((a) => !provAsleep.includes(a));

let box: Sandbox;
beforeEach(() => (box = new Sandbox(synthesizer)));
afterEach(() => box.cleanup());

const dirOf = (stack: string) => path.join(box.root, ".dbx-dev", "stacks", stack);

describe("deploy", () => {
  test("provisioning, then management, each from its saved plan; deletes and replaces listed before approval", async () => {
    const bucket = prov.find((a) => a.startsWith("aws_s3_bucket."))!;
    box.state(PROV, stateOf(prov, { network_mode: "awake" }));
    box.plan(PROV, planOf(prov, { [bucket]: ["delete", "create"] }));
    box.plan(MGMT, planOf([], Object.fromEntries(mgmt.map((a) => [a, ["create"]]))));
    const r = await box.run(["deploy", "dev"], { interactive: true, answers: ["yes", "yes"] });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(EXIT.OK);
    expect(box.calls().map((c) => `${path.basename(c.cwd)} ${c.args[0]}`)).toEqual([
      `${PROV} init`, `${PROV} show`, `${PROV} plan`, `${PROV} show`, `${PROV} apply`,
      `${MGMT} init`, `${MGMT} plan`, `${MGMT} show`, `${MGMT} apply`,
    ]);
    for (const c of box.calls().filter((c) => c.args[0] === "apply")) expect(c.args[c.args.length - 1]).toBe(PLAN_FILE);
    expect(r.stdout).toContain(`Plan of ${PROV}: 1 to replace.\n  deleted or replaced:\n    replace ${bucket}`);
    expect(r.stdout).toContain(`Plan of ${MGMT}: ${mgmt.length} to create.`);
    expect(r.stderr).toContain(`Apply this 1 resource change to ${PROV}? Only "yes" is accepted: `);
  });

  test("declined at provisioning: exit 9, nothing applied, management not touched", async () => {
    box.state(PROV, stateOf(prov, { network_mode: "awake" }));
    box.plan(PROV, planOf(prov, {}));
    const r = await box.run(["deploy", "dev"], { interactive: true, answers: [""] });
    expect(r.code).toBe(EXIT.DECLINED);
    expect(r.stderr).toContain(`declined: nothing was applied to ${PROV}`);
    expect(box.calls().some((c) => c.cwd === dirOf(MGMT))).toBe(false);
  });

  test("--only management before provisioning has state: refused (exit 11), management never initialized", async () => {
    const r = await box.run(["deploy", "dev", "--only", "management", "--auto-approve"]);
    expect(r.code).toBe(EXIT.NOT_DEPLOYED);
    expect(r.stderr).toContain(`${PROV} has no state yet, and ${MGMT} reads its outputs: deploy it first: dbx deploy dev`);
    expect(box.calls().some((c) => c.cwd === dirOf(MGMT))).toBe(false);
  });

  test("an asleep environment is deployed asleep: a deploy never wakes the network", async () => {
    box.state(PROV, stateOf(provAsleep, { network_mode: "asleep" }));
    box.plan(PROV, planOf(provAsleep, {}));
    box.plan(MGMT, planOf(mgmt, {}));
    const r = await box.run(["deploy", "dev", "--auto-approve"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain(`${PROV} is asleep: deploying it asleep (dbx wake dev wakes it).`);
    const planned = JSON.parse(fs.readFileSync(path.join(dirOf(PROV), "cdk.tf.json"), "utf8"));
    expect(JSON.stringify(planned.resource)).toBe(JSON.stringify(asleep[PROV].resource));
  });

  test("--dry-run runs no Terraform command and writes nothing", async () => {
    const r = await box.run(["deploy", "dev", "--dry-run"]);
    expect(r.code).toBe(EXIT.OK);
    expect(box.calls()).toEqual([]);
    expect(fs.readdirSync(box.root)).toEqual([]);
    expect(r.stdout).toContain(`in .dbx-dev/stacks/${PROV} (${prov.length} resources declared):`);
  });
});

test("plan: plans, applies nothing; management is not planned while provisioning has no state", async () => {
  box.plan(PROV, planOf([], Object.fromEntries(prov.map((a) => [a, ["create"]]))));
  const r = await box.run(["plan", "dev", "--json"]);
  expect(r.code).toBe(EXIT.OK);
  expect(box.subcommands()).toEqual(["init", "show", "plan", "show"]);
  expect(r.stderr).toContain(`${MGMT}: not planned: ${PROV} has no state yet, and management reads its outputs.`);
  const doc = JSON.parse(r.stdout);
  expect(doc.stacks[0]).toMatchObject({ stack: PROV, applied: false });
  expect(doc.stacks[0].changes).toHaveLength(prov.length);
});

describe("status", () => {
  test("awake, credentials valid, management deployed", async () => {
    box.state(PROV, stateOf(prov, { network_mode: "awake", credentials_expire_time: "2026-11-24T00:00:00Z" }));
    box.state(MGMT, stateOf(mgmt));
    const r = await box.run(["status", "dev", "--json"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain(`${PROV}: deployed, ${prov.length} resources; network awake (6 of 6 pay-per-hour network parts in state, network_mode output "awake")`);
    expect(r.stderr).toContain("credentials expire 2026-11-24T00:00:00Z (in 12.0 h)");
    expect(JSON.parse(r.stdout)).toMatchObject({
      provisioning: { deployed: true, network: "awake", networkPartsInState: 6, credentialsExpireTime: "2026-11-24T00:00:00Z", credentialsExpired: false },
      management: { deployed: true, resources: mgmt.length },
    });
    expect(box.subcommands()).toEqual(["init", "show", "init", "show"]);
  });

  test("part-way asleep after an interrupted run, and expired credentials: both said, with what to run", async () => {
    box.state(PROV, stateOf([...provAsleep, parts[0]], { network_mode: "awake", credentials_expire_time: "2026-11-23T09:00:00Z" }));
    const r = await box.run(["status", "dev"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain("network part-way (1 of 6 pay-per-hour network parts in state");
    expect(r.stdout).toContain("finish it with dbx sleep dev or dbx wake dev");
    expect(r.stdout).toContain("credentials EXPIRED 2026-11-23T09:00:00Z (3.0 h ago): management cannot sign in; re-issue them with: dbx reset-tokens dev");
    expect(r.stdout).toContain(`${MGMT}: not deployed`);
  });
});

describe("synth", () => {
  test("writes the named environment's stacks where asked, lists them (--json)", async () => {
    const out = tempDir("dbx-synth-");
    const r = await box.run(["synth", "dev", "--out", out, "--json"]);
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout);
    expect(doc.stacks.map((s: { stack: string }) => s.stack)).toEqual([PROV, MGMT]);
    expect(doc.stacks[0].resources).toBe(prov.length);
    expect(JSON.parse(fs.readFileSync(path.join(out, "stacks", PROV, "cdk.tf.json"), "utf8")).resource).toEqual(awake[PROV].resource);
    fs.rmSync(out, { recursive: true, force: true });
  });

  test("an unknown environment (3) or mode (2)", async () => {
    expect((await box.run(["synth", "staging"])).code).toBe(EXIT.UNKNOWN_ENV);
    const bad = await box.run(["synth", "dev", "--network-mode", "sleep"]);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain("argument 'sleep' is invalid. Allowed choices are awake, asleep.");
  });
});

describe("the toolchain commands", () => {
  test.each([["validate"], ["scan"]])("%s without a built toolchain: exit 5 naming dbx toolchain, nothing run", async (command) => {
    const cache = tempDir("dbx-cache-");
    const r = await box.run([command, "--stacks-dir", cache], { env: { DBX_CDKTF_CACHE: cache } });
    fs.rmSync(cache, { recursive: true, force: true });
    expect(r.code).toBe(EXIT.MISSING_PROGRAM);
    expect(r.stderr).toMatch(new RegExp(`dbx ${command}: error: the offline toolchain is not built .*: build it with: dbx toolchain`));
  });

  test("toolchain --print-env without a built toolchain: exit 5", async () => {
    const cache = tempDir("dbx-cache-");
    const r = await box.run(["toolchain", "--print-env"], { env: { DBX_CDKTF_CACHE: cache } });
    fs.rmSync(cache, { recursive: true, force: true });
    expect(r.code).toBe(EXIT.MISSING_PROGRAM);
  });

  test("unknown command or option: usage (2)", async () => {
    expect((await box.run(["sleeep", "dev"])).code).toBe(EXIT.USAGE);
    expect((await box.run(["validate", "--bogus"])).code).toBe(EXIT.USAGE);
    expect((await box.run(["--help"])).code).toBe(EXIT.OK);
  });
});
