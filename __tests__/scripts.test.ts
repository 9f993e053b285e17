/**
 * scripts/sleep-network.sh and scripts/wake-network.sh, run as a user would: --help, --dry-run (no
 * credentials, no Terraform binary), the protected-environment guard, and each documented error exit.
 * No test here can deploy: every run is --dry-run, --help, an error before any command, or --plan.
 */
import * as fs from "fs";
import * as path from "path";
import { NO_TERRAFORM, REPO_ROOT, runScript, synthEnvs, tempVarsDir, readVars, type TfJson } from "./helpers";

const SLEEP = path.join(REPO_ROOT, "scripts", "sleep-network.sh");
const WAKE = path.join(REPO_ROOT, "scripts", "wake-network.sh");
const run = runScript;

/** Addresses after "-" (sleep) or "+" (wake) in the script's resource list. */
function listed(stdout: string, sign: "-" | "+"): string[] {
  return stdout.split("\n").flatMap((line) => {
    const m = /^ {2}([-+]) ([a-z][a-z0-9_]*\.[\w-]+) /.exec(line);
    return m && m[1] === sign ? [m[2]] : [];
  });
}

const awake = synthEnvs([], { networkMode: "awake" });
const asleep = synthEnvs([], { networkMode: "asleep" });
/** Terraform addresses present awake and absent asleep, from the jest synth. */
function expectedAddresses(env: string): string[] {
  const addrs = (json: TfJson) => Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
  const s = new Set(addrs(asleep[`provisioning-${env}`]));
  return addrs(awake[`provisioning-${env}`]).filter((a) => !s.has(a)).sort();
}

jest.setTimeout(120_000);

describe("--help", () => {
  test.each([[SLEEP], [WAKE]])("%s --help: usage, options and exit codes on stdout, exit 0", (script) => {
    const r = run(script, ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`Usage: scripts/${path.basename(script)} <env>`);
    for (const text of ["--dry-run", "--plan", "--auto-approve", "TERRAFORM_BINARY_NAME", "Exit codes: 0 done", "3 unknown environment", "6 no AWS credentials", "7 no Databricks credentials"]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout.includes("--force")).toBe(script === SLEEP);
    expect(r.stdout).not.toMatch(/^#/m);
  });
});

describe("sleep-network.sh dev --dry-run (no credentials, no terraform)", () => {
  let r: ReturnType<typeof run>;
  beforeAll(() => {
    r = run(SLEEP, ["dev", "--dry-run"]);
  });

  test("exit 0", () => {
    expect(r.stderr).not.toContain("error");
    expect(r.status).toBe(0);
  });

  test("lists exactly the resources the awake and asleep synth differ by", () => {
    expect(listed(r.stdout, "-").sort()).toEqual(expectedAddresses("dev"));
    expect(listed(r.stdout, "-")).toHaveLength(6);
    expect(listed(r.stdout, "+")).toEqual([]);
    expect(r.stdout).toContain("Sleeping provisioning-dev (us-east-1) removes 6 resources:");
    expect(r.stdout).toMatch(/- aws_nat_gateway\.\S+ +NAT gateway +\$0\.045\/h/);
    expect(r.stdout).toMatch(/- aws_eip\.\S+ +Elastic IP of the NAT gateway \(public IPv4\) +\$0\.005\/h/);
    expect(r.stdout).toMatch(/- aws_vpc_endpoint\.\S+ +interface endpoint sts, 2 AZs +\$0\.020\/h/);
  });

  test("prints the hourly and monthly cost", () => {
    expect(r.stdout).toContain("Sleeping saves $0.090 per hour, $65.70 per month (730 h), at us-east-1 list prices recorded");
  });

  test("tells what stops working and what keeps working", () => {
    expect(r.stdout).toContain("clusters cannot reach the internet");
    expect(r.stdout).toContain("dev has no back-end PrivateLink: clusters cannot reach the Databricks control plane either");
    expect(r.stdout).toContain("S3 through the S3 gateway endpoint");
    expect(r.stdout).toContain("wake it with: scripts/wake-network.sh dev");
  });

  test("prints the synth and deploy commands it would run, honouring TERRAFORM_BINARY_NAME", () => {
    expect(r.stdout).toContain("Dry run: nothing synthesized, planned or deployed.");
    expect(r.stdout).toContain("\n  env NETWORK_MODE=asleep ENVS=dev npm run synth\n");
    expect(r.stdout).toContain(`\n  env NETWORK_MODE=asleep TERRAFORM_BINARY_NAME=${NO_TERRAFORM} npx cdktf deploy provisioning-dev --skip-synth\n`);
  });
});

describe("wake-network.sh dev --dry-run", () => {
  test("lists the same resources as added, the same cost, and the awake commands", () => {
    const r = run(WAKE, ["dev", "--dry-run"]);
    expect(r.status).toBe(0);
    expect(listed(r.stdout, "+").sort()).toEqual(expectedAddresses("dev"));
    expect(listed(r.stdout, "-")).toEqual([]);
    expect(r.stdout).toContain("Waking provisioning-dev (us-east-1) adds 6 resources:");
    expect(r.stdout).toContain("Waking costs $0.090 per hour, $65.70 per month (730 h)");
    expect(r.stdout).toContain("Elastic IPs are\nnew addresses");
    expect(r.stdout).toContain("\n  env NETWORK_MODE=awake ENVS=dev npm run synth\n");
    expect(r.stdout).toContain(`\n  env NETWORK_MODE=awake TERRAFORM_BINARY_NAME=${NO_TERRAFORM} npx cdktf deploy provisioning-dev --skip-synth\n`);
  });
});

describe("protected environments", () => {
  test("sleep-network.sh prod is refused without --force (exit 4), before anything else", () => {
    expect(readVars("prod").protected).toBe(true);
    const r = run(SLEEP, ["prod", "--dry-run"]);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe('sleep-network.sh: error: refusing to sleep "prod": vars/prod.json has "protected": true; pass --force to sleep it anyway');
  });

  test("sleep-network.sh prod --force --auto-approve: 3 NAT gateways in 3 AZs, $0.225/h, and the deploy command with --auto-approve", () => {
    const r = run(SLEEP, ["prod", "--force", "--dry-run", "--auto-approve"], { TERRAFORM_BINARY_NAME: "tofu" });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('"prod" is protected; sleeping it anyway (--force)');
    expect(listed(r.stdout, "-").sort()).toEqual(expectedAddresses("prod"));
    expect(listed(r.stdout, "-").filter((a) => a.startsWith("aws_nat_gateway."))).toHaveLength(3);
    expect(r.stdout).toMatch(/interface endpoint kinesis-streams, 3 AZs +\$0\.033\/h/);
    expect(r.stdout).toContain("Sleeping saves $0.225 per hour, $164.25 per month (730 h), at eu-west-1 list prices");
    expect(r.stdout).toContain("PrivateLink endpoints registered with Databricks (REST API, secure cluster\n    connectivity relay), so clusters still reach the Databricks control plane");
    expect(r.stdout).toContain("\n  env NETWORK_MODE=asleep TERRAFORM_BINARY_NAME=tofu npx cdktf deploy provisioning-prod --skip-synth --auto-approve\n");
  });

  test("wake-network.sh prod needs no --force; --plan runs cdktf plan instead of deploy", () => {
    const r = run(WAKE, ["prod", "--dry-run", "--plan"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Waking costs $0.225 per hour, $164.25 per month");
    expect(r.stdout).toContain(`\n  env NETWORK_MODE=awake TERRAFORM_BINARY_NAME=${NO_TERRAFORM} npx cdktf plan provisioning-prod --skip-synth\n`);
    expect(r.stdout).not.toContain("cdktf deploy");
  });

  test("a protected environment from VARS_DIR is refused too", () => {
    const dir = tempVarsDir({ "qa.json": { ...readVars("dev"), protected: true } });
    const r = run(SLEEP, ["qa", "--dry-run"], { VARS_DIR: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('refusing to sleep "qa"');
  });
});

describe("errors (exit codes as documented in --help)", () => {
  test("unknown environment: exit 3, lists the available ones", () => {
    for (const script of [SLEEP, WAKE]) {
      const r = run(script, ["staging", "--dry-run"]);
      expect(r.status).toBe(3);
      expect(r.stderr.trim()).toBe(`${path.basename(script)}: error: unknown environment "staging": no vars file vars/staging.json (available: dev, prod)`);
    }
    expect(run(SLEEP, ["../vars/dev", "--dry-run"]).status).toBe(3);
  });

  test.each([
    [SLEEP, [] as string[], "missing environment"],
    [SLEEP, ["dev", "--bogus"], "unknown option: --bogus"],
    [SLEEP, ["dev", "prod"], 'expected one environment, found "dev" and "prod"'],
    [WAKE, ["dev", "--force"], "unknown option: --force (see --help)"],
    [SLEEP, ["dev", "--plan", "--auto-approve"], "--plan and --auto-approve exclude each other"],
  ])("usage error: %s %j exits 2", (script, args, message) => {
    const r = run(script, args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("missing Terraform binary: exit 5, names TERRAFORM_BINARY_NAME", () => {
    const r = run(SLEEP, ["dev", "--plan"], { AWS_PROFILE: "x", DATABRICKS_CLIENT_ID: "x", DATABRICKS_CLIENT_SECRET: "x" });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain(`"${NO_TERRAFORM}" not found on PATH`);
    expect(r.stderr).toContain("TERRAFORM_BINARY_NAME");
    expect(r.stdout).toBe("");
  });

  // `node` stands in for an installed terraform: the credential checks come before any command runs.
  test("missing AWS credentials: exit 6", () => {
    const r = run(WAKE, ["dev", "--plan"], { TERRAFORM_BINARY_NAME: "node", DATABRICKS_CLIENT_ID: "x", DATABRICKS_CLIENT_SECRET: "x" });
    expect(r.status).toBe(6);
    expect(r.stderr).toContain("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    const half = run(WAKE, ["dev", "--plan"], { TERRAFORM_BINARY_NAME: "node", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" });
    expect(half.status).toBe(6);
    expect(half.stderr).toContain("AWS_SECRET_ACCESS_KEY is not");
  });

  test("missing Databricks credentials: exit 7, names the missing variables", () => {
    const r = run(SLEEP, ["dev", "--plan"], { TERRAFORM_BINARY_NAME: "node", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "example" });
    expect(r.status).toBe(7);
    expect(r.stderr).toContain("set DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET");
    const half = run(SLEEP, ["dev", "--plan"], { TERRAFORM_BINARY_NAME: "node", AWS_PROFILE: "x", DATABRICKS_CLIENT_ID: "x" });
    expect(half.status).toBe(7);
    expect(half.stderr).toContain("set DATABRICKS_CLIENT_SECRET (");
  });

  test("invalid vars file: exit 1 with the loader's message, no command printed", () => {
    const dir = tempVarsDir({ "dev.json": { ...readVars("dev"), network: { ...readVars("dev").network, cidrBlock: "10.20.0.0/33" } } });
    const r = run(SLEEP, ["dev", "--dry-run"], { VARS_DIR: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Invalid configuration:");
    expect(r.stderr).toContain("network.cidrBlock");
    expect(r.stdout).not.toContain("npx cdktf");
  });
});
