/**
 * The CLI's pure parts, without synth or Terraform: the plan check, the state summary, the lock, the
 * state-path depth rule, and the exit-code table shared with the bash that is left.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, EXIT_CODES, exitCodeHelp } from "../ops/exit-codes";
import { acquireLock, lockFileOf, processAlive } from "../ops/lock";
import { checkPlan, formatPlanCheck, resourceChanges, summarizeState } from "../ops/plan-check";
import { checkStatePaths, resetRunDir, runDirOf, stackDirOf } from "../ops/synth";
import { planOf, stateOf } from "./cli-helpers";
import { REPO_ROOT } from "./helpers";
import { tempDir } from "./run-dir";

describe("checkPlan", () => {
  const all = ["aws_vpc.v", "aws_nat_gateway.n", "aws_eip.e", "aws_kms_key.k"];
  const expected = [
    { address: "aws_nat_gateway.n", action: "delete" },
    { address: "aws_eip.e", action: "delete" },
  ];

  test("exactly the expected set: ok; no-op and read are ignored", () => {
    const check = checkPlan(planOf(all, { "aws_nat_gateway.n": ["delete"], "aws_eip.e": ["delete"] }), expected);
    expect(check).toMatchObject({ ok: true, unexpected: [], missing: [] });
    expect(check.matched).toHaveLength(2);
    expect(formatPlanCheck(check, "s")).toBe("The plan of s changes exactly the expected 2 resources:\n    delete  aws_nat_gateway.n\n    delete  aws_eip.e");
  });

  test("an extra change, another action, and a missing one are each reported", () => {
    const check = checkPlan(planOf(all, { "aws_nat_gateway.n": ["create", "delete"], "aws_kms_key.k": ["delete"] }), expected);
    expect(check.ok).toBe(false);
    expect(check.unexpected).toEqual([
      { address: "aws_nat_gateway.n", action: "replace" },
      { address: "aws_kms_key.k", action: "delete" },
    ]);
    expect(check.missing).toEqual(expected);
    const text = formatPlanCheck(check, "s");
    expect(text).toContain("planned but not expected (2):\n    replace aws_nat_gateway.n\n    delete  aws_kms_key.k");
    expect(text).toContain("expected but not planned (2):");
  });

  test("accepted extra changes pass only with the same action", () => {
    const plan = planOf(all, { "aws_nat_gateway.n": ["delete"], "aws_eip.e": ["delete"], "aws_vpc.v": ["update"] });
    expect(checkPlan(plan, expected, [{ address: "aws_vpc.v", action: "update" }]).ok).toBe(true);
    expect(checkPlan(plan, expected, [{ address: "aws_vpc.v", action: "delete" }]).ok).toBe(false);
  });

  test("a deposed object is its own change; an errored plan is refused", () => {
    const plan = { resource_changes: [{ address: "aws_eip.e", deposed: "00aa", change: { actions: ["delete"] } }] };
    expect(resourceChanges(plan)).toEqual([{ address: "aws_eip.e (deposed 00aa)", action: "delete" }]);
    expect(() => resourceChanges({ errored: true })).toThrow("the plan errored");
  });
});

describe("summarizeState", () => {
  test("an empty state is not deployed", () => {
    expect(summarizeState({ format_version: "1.0" })).toMatchObject({ deployed: false, networkMode: undefined });
  });

  test("managed resources (data sources and child modules walked), and the two outputs it reads; a sensitive output is never read", () => {
    const doc = stateOf(["aws_vpc.v"], { network_mode: "asleep", credentials_expire_time: "2026-11-24T00:00:00Z" }) as { values: Record<string, any> };
    doc.values.root_module.resources.push({ address: "data.aws_region.r", mode: "data" });
    doc.values.root_module.child_modules = [{ resources: [{ address: "module.m.aws_s3_bucket.b", mode: "managed" }] }];
    doc.values.outputs.credentials_expire_time.sensitive = true;
    const s = summarizeState(doc);
    expect([...s.addresses].sort()).toEqual(["aws_vpc.v", "module.m.aws_s3_bucket.b"]);
    expect(s).toMatchObject({ deployed: true, networkMode: "asleep", credentialsExpireTime: undefined });
  });
});

describe("the environment lock", () => {
  let root: string;
  beforeEach(() => (root = tempDir("dbx-lock-")));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test("holds who, where, which pid, since when; a second taker is refused naming them; release frees it", () => {
    const release = acquireLock(root, "dev", "dbx sleep dev", new Date("2026-11-23T12:00:00Z"));
    const holder = JSON.parse(fs.readFileSync(lockFileOf(root, "dev"), "utf8"));
    expect(holder).toMatchObject({ host: os.hostname(), pid: process.pid, since: "2026-11-23T12:00:00.000Z", command: "dbx sleep dev" });
    expect(typeof holder.user).toBe("string");
    expect(() => acquireLock(root, "dev", "dbx wake dev", new Date("2026-11-23T12:05:00Z"))).toThrow(
      `environment "dev" is locked by another run: pid ${process.pid}, ${holder.user} on ${os.hostname()}, running "dbx sleep dev" since 2026-11-23T12:00:00.000Z (5 min ago). Wait for it to finish, then retry.`,
    );
    expect(() => acquireLock(root, "prod", "dbx wake prod")()).not.toThrow();
    release();
    release();
    expect(fs.existsSync(lockFileOf(root, "dev"))).toBe(false);
    acquireLock(root, "dev", "dbx wake dev")();
  });

  test("a stale lock (its pid is gone on this host) is explained, with what to do, and not taken over", () => {
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    expect(processAlive(dead)).toBe(false);
    fs.writeFileSync(lockFileOf(root, "dev"), JSON.stringify({ user: "alice", host: os.hostname(), pid: dead, since: "2026-11-23T11:00:00.000Z", command: "dbx sleep dev" }));
    let message = "";
    try {
      acquireLock(root, "dev", "dbx wake dev", new Date("2026-11-23T12:00:00Z"));
    } catch (e) {
      message = (e as Error).message;
      expect((e as { exitCode: number }).exitCode).toBe(EXIT.LOCKED);
    }
    expect(message).toContain(`environment "dev" has a stale lock (.dbx-dev.lock): pid ${dead}, alice on ${os.hostname()}, running "dbx sleep dev" since 2026-11-23T11:00:00.000Z (60 min ago), and that process no longer exists.`);
    expect(message).toContain('so "dev" may be part-way through that change');
    expect(message).toContain(`Remove the lock (rm ${lockFileOf(root, "dev")}), check with: dbx status dev`);
    expect(fs.existsSync(lockFileOf(root, "dev"))).toBe(true);
  });

  test("a lock held on another host is never called stale", () => {
    fs.writeFileSync(lockFileOf(root, "dev"), JSON.stringify({ user: "bob", host: "elsewhere", pid: 999999, since: "2026-11-23T11:00:00.000Z", command: "dbx sleep dev" }));
    expect(() => acquireLock(root, "dev", "x")).toThrow("is locked by another run: pid 999999, bob on elsewhere");
  });
});

describe("local state paths keep the depth of cdktf.out/stacks/<stack>", () => {
  const json = (p: string) => ({ terraform: { backend: { local: { path: p } } } });
  const root = "/srv/repo";

  test("the run directory <root>/.dbx-<env>/stacks/<stack> reaches <root>/terraform.<stack>.tfstate", () => {
    const dir = stackDirOf(runDirOf(root, "dev"), "provisioning-dev");
    expect(path.resolve(dir, "../../../terraform.provisioning-dev.tfstate")).toBe("/srv/repo/terraform.provisioning-dev.tfstate");
    expect(() => checkStatePaths(root, dir, "provisioning-dev", json("../../../terraform.provisioning-dev.tfstate"))).not.toThrow();
  });

  test("another depth is refused before any Terraform command, naming where it would lead", () => {
    const deeper = path.join(root, "runs", ".dbx-dev", "stacks", "provisioning-dev");
    expect(() => checkStatePaths(root, deeper, "provisioning-dev", json("../../../terraform.provisioning-dev.tfstate"))).toThrow(
      'backend of provisioning-dev: local state path "../../../terraform.provisioning-dev.tfstate" resolves to /srv/repo/runs/terraform.provisioning-dev.tfstate, not to /srv/repo/terraform.<stack>.tfstate',
    );
  });

  test("remote-state reads are checked too", () => {
    const dir = path.join(root, "x", "stacks", "management-dev", "deeper");
    const doc = { data: { terraform_remote_state: { r: { backend: "local", config: { path: "../../../terraform.provisioning-dev.tfstate" } } } } };
    expect(() => checkStatePaths(root, dir, "management-dev", doc)).toThrow("terraform_remote_state.r of management-dev");
  });

  test("a new run empties the run directory but keeps Terraform's provider installation", () => {
    const run = tempDir("dbx-run-");
    const stack = path.join(run, "stacks", "provisioning-dev");
    fs.mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
    for (const f of ["cdk.tf.json", ".terraform.lock.hcl", "dbx.tfplan"]) fs.writeFileSync(path.join(stack, f), "x");
    fs.writeFileSync(path.join(run, "manifest.json"), "{}");
    resetRunDir(run);
    expect(fs.readdirSync(run)).toEqual(["stacks"]);
    expect(fs.readdirSync(stack).sort()).toEqual([".terraform", ".terraform.lock.hcl"]);
    fs.rmSync(run, { recursive: true, force: true });
  });
});

describe("one exit-code table", () => {
  test("codes are unique and documented in --help", () => {
    expect(new Set(EXIT_CODES.map((e) => e.code)).size).toBe(EXIT_CODES.length);
    for (const e of EXIT_CODES) expect(exitCodeHelp()).toContain(`${String(e.code).padStart(3)}  ${e.meaning}`);
  });

  test("scripts/lib/common.sh repeats the same numbers", () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, "scripts", "lib", "common.sh"), "utf8");
    const pairs = [...text.matchAll(/EXIT_([A-Z_]+)=(\d+)/g)].map(([, name, code]) => [name, Number(code)] as const);
    expect(pairs.map(([name]) => name)).toEqual(["FAILURE", "USAGE", "MISSING_PROGRAM"]);
    for (const [name, code] of pairs) expect([name, code]).toEqual([name, (EXIT as Record<string, number>)[name]]);
  });

  test("the README's Operations CLI section lists every code with its meaning", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Operations CLI"));
    for (const e of EXIT_CODES) expect(section).toMatch(new RegExp(`\\| ${e.code} \\| \`${e.name}\` \\|`));
  });
});
