/**
 * Behaviour of scripts/toolchain.sh, scripts/validate.sh and scripts/scan.sh.
 *
 * The first block needs nothing but bash. The "real toolchain" block runs tofu and checkov
 * against the fixture stacks and only runs when DBX_CDKTF_REAL_TOOLCHAIN=1 (after
 * `npm run toolchain`), so the plain unit run stays offline and fast.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./run-dir";

const root = path.resolve(__dirname, "..");
const fixtures = path.join(__dirname, "fixtures", "stacks");

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync("bash", [path.join(root, "scripts", script), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function tmpDir(): string {
  return tempDir("dbx-scripts-test-");
}

describe("toolchain scripts without the toolchain", () => {
  it.each(["toolchain.sh", "validate.sh", "scan.sh"])("%s --help exits 0 with usage", (script) => {
    const r = run(script, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: scripts\//);
  });

  it.each(["toolchain.sh", "validate.sh", "scan.sh"])("%s rejects an unknown option", (script) => {
    const r = run(script, ["--no-such-option"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("unknown option: --no-such-option");
  });

  it("validate.sh names the missing toolchain in one line", () => {
    const r = run("validate.sh", ["--stacks-dir", fixtures], { DBX_CDKTF_CACHE: tmpDir() });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/offline toolchain missing .*npm run toolchain/);
  });

  it("scan.sh refuses a skipped check without a written reason, before it loads cdktf", () => {
    const dir = tmpDir();
    const config = path.join(dir, "checkov.yaml");
    fs.writeFileSync(
      config,
      ["skip-check:", "  - CKV_AWS_18  # reason: access logs cannot log to themselves", "  - CKV_AWS_144", ""].join("\n"),
    );
    const loaded = path.join(dir, "loaded.txt");
    const preload = path.join(__dirname, "fixtures", "report-loaded-modules.js");
    const r = run("scan.sh", ["--config", config, "--stacks-dir", fixtures], { DBX_CDKTF_CACHE: dir, NODE_OPTIONS: `--require=${JSON.stringify(preload)}`, DBX_TEST_LOADED_MODULES: loaded });
    expect(r.code).toBe(2);
    expect(r.out).toContain("without a written reason");
    expect(r.out).toContain("CKV_AWS_144");
    expect(r.out).not.toMatch(/reason in .*CKV_AWS_18/);
    const modules = fs.readFileSync(loaded, "utf8").split("\n");
    expect(modules.some((f) => f.endsWith(path.join("scripts", "scan-prepare.ts")))).toBe(true);
    expect(modules.filter((f) => /[\\/]node_modules[\\/](cdktf|@cdktf)[\\/]/.test(f))).toEqual([]);
  });
});

const real = process.env.DBX_CDKTF_REAL_TOOLCHAIN === "1" ? describe : describe.skip;

real("toolchain scripts with the real toolchain (DBX_CDKTF_REAL_TOOLCHAIN=1)", () => {
  vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

  it("validate.sh passes the valid fixture and fails the broken one with tofu's message", () => {
    const r = run("validate.sh", ["--stacks-dir", fixtures]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^PASS valid-stack$/m);
    expect(r.out).toMatch(/^FAIL broken-stack$/m);
    expect(r.out).toContain("Extraneous JSON object property");
    expect(r.out).toContain("not_an_attribute");
    expect(r.out).toMatch(/^validate: 1 passed, 1 failed$/m);
  });

  it("scan.sh fails on the broken fixture's findings and passes the valid fixture alone", () => {
    const both = run("scan.sh", ["--stacks-dir", fixtures]);
    expect(both.code).toBe(1);
    expect(both.out).toContain("aws_s3_bucket.logs");
    expect(both.out).not.toMatch(/Parsing errors: [1-9]/);

    const dir = tmpDir();
    fs.cpSync(path.join(fixtures, "valid-stack"), path.join(dir, "valid-stack"), { recursive: true });
    const one = run("scan.sh", ["--stacks-dir", dir]);
    expect(one.code).toBe(0);
    expect(one.out).toContain("scan: no failed checks");
  });
});
