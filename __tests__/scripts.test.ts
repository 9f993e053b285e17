/**
 * The scripts users know (reset-tokens.sh, sleep-network.sh, wake-network.sh, deploy-management.sh) are thin
 * wrappers over the operations CLI: short, no data handling in bash, the CLI's help and exit codes, and
 * the old flags still working. Run as a user would, as processes, against the stub Terraform.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../ops/exit-codes";
import { Sandbox } from "./cli-helpers";
import { REPO_ROOT } from "./helpers";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const WRAPPERS: Record<string, string> = {
  "reset-tokens.sh": "reset-tokens",
  "sleep-network.sh": "sleep",
  "wake-network.sh": "wake",
  "deploy-management.sh": "deploy --only management",
};
const script = (name: string) => path.join(REPO_ROOT, "scripts", name);

let box: Sandbox;
beforeEach(() => (box = new Sandbox()));
afterEach(() => box.cleanup());

function runScript(name: string, args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync("bash", [script(name), ...args], { cwd: REPO_ROOT, env: box.env(env), encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(Object.entries(WRAPPERS))("scripts/%s", (name, command) => {
  const text = fs.readFileSync(script(name), "utf8");

  test(`at most 15 lines, no awk, sed or node -e: it execs dbx ${command}`, () => {
    expect(text.split("\n").filter(Boolean).length).toBeLessThanOrEqual(15);
    expect(text).not.toMatch(/\bawk\b|\bsed\b|node -e|\bjq\b|python/);
    expect(text).toContain(`/../ops/bin/dbx.js" ${command} "$@"`);
    expect(fs.statSync(script(name)).mode & 0o111).not.toBe(0);
  });

  test("--help is the CLI's help for the command, with its exit codes", () => {
    const r = runScript(name, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: dbx ${command.split(" ")[0]} [options] <env>`);
    expect(r.stdout).toContain("Exit codes:");
    expect(r.stdout).toContain("  3  unknown environment");
  });
});

test("errors keep the documented codes: unknown environment 3, usage 2", () => {
  const unknown = runScript("sleep-network.sh", ["staging", "--dry-run"]);
  expect(unknown.code).toBe(EXIT.UNKNOWN_ENV);
  expect(unknown.stderr.trim()).toBe('dbx sleep: error: unknown environment "staging": no vars file vars/staging.json (available: dev, prod)');
  expect(runScript("wake-network.sh", ["dev", "--force"]).code).toBe(EXIT.USAGE);
  expect(runScript("reset-tokens.sh", []).code).toBe(EXIT.USAGE);
});

test("a protected environment is refused (exit 4) before the stacks load: no cdktf, no command module", () => {
  const report = path.join(box.root, "loaded.txt");
  const preload = path.join(__dirname, "fixtures", "report-loaded-modules.js");
  const r = runScript("sleep-network.sh", ["prod", "--dry-run"], { NODE_OPTIONS: `${box.env().NODE_OPTIONS} --require=${JSON.stringify(preload)}`, DBX_TEST_LOADED_MODULES: report });
  expect(r.code).toBe(EXIT.PROTECTED);
  const loaded = fs.readFileSync(report, "utf8").split("\n");
  expect(loaded.some((f) => f.endsWith(path.join("ops", "environment.ts")))).toBe(true);
  expect(loaded.filter((f) => /[\\/]node_modules[\\/](cdktf|@cdktf)[\\/]/.test(f) || f.includes(path.join("ops", "commands", "network")))).toEqual([]);
});

test("the old --plan of sleep-network.sh reaches the CLI, which names its new form", () => {
  // What --plan then does (plans and checks, applies nothing) is tested in process in cli-network.test.ts;
  // here, that the wrapper hands the old flag over: the warning comes before the unknown environment.
  const r = runScript("sleep-network.sh", ["staging", "--plan"]);
  expect(r.stderr).toContain("dbx sleep: warning: --plan is now --plan-only");
  expect(r.code).toBe(EXIT.UNKNOWN_ENV);
  expect(box.subcommands()).toEqual([]);
});

test("no node on PATH: exit 5 naming it", () => {
  const r = spawnSync("/bin/bash", [script("reset-tokens.sh"), "dev"], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
  expect(r.status).toBe(EXIT.MISSING_PROGRAM);
  expect(r.stderr).toBe("reset-tokens.sh: error: node not found on PATH: install Node.js 20 or later\n");
});

test("scripts/lib/network-mode.sh and the bash helpers the CLI replaced are gone", () => {
  expect(fs.existsSync(path.join(REPO_ROOT, "scripts", "lib", "network-mode.sh"))).toBe(false);
  const common = fs.readFileSync(path.join(REPO_ROOT, "scripts", "lib", "common.sh"), "utf8");
  for (const gone of ["vars_field", "parse_env_args", "require_aws_credentials", "node -e"]) expect(common).not.toContain(gone);
});
