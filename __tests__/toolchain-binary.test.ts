/**
 * Which Terraform-compatible binary scripts/toolchain.sh chooses (--print-env, --status): a terraform or
 * tofu >= 1.6 on PATH first, TERRAFORM_BINARY_NAME when set, else the OpenTofu built into the cache.
 * Fake binaries that only answer `version -json`; a fake cache with a mirror config; nothing is built.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./run-dir";

const script = path.resolve(__dirname, "..", "scripts", "toolchain.sh");
let dir: string;

/** Writes an executable that prints `version -json` output of the given version. */
function fakeBinary(where: string, name: string, version: string): string {
  fs.mkdirSync(where, { recursive: true });
  const file = path.join(where, name);
  fs.writeFileSync(file, `#!/bin/sh\nprintf '{\\n  "terraform_version": "${version}",\\n  "platform": "linux_amd64"\\n}\\n'\n`, { mode: 0o755 });
  return file;
}

function run(args: string[], opts: { path: string[]; cache: string; env?: Record<string, string> }) {
  const env: NodeJS.ProcessEnv = { HOME: dir, PATH: [...opts.path, "/usr/bin", "/bin"].join(":"), DBX_CDKTF_CACHE: opts.cache, ...opts.env };
  const r = spawnSync("bash", [script, ...args], { encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A cache whose mirror is "built" (tofurc and providers.tsv exist). */
function builtCache(): string {
  const cache = fs.mkdtempSync(path.join(dir, "cache-"));
  fs.writeFileSync(path.join(cache, "tofurc"), "");
  fs.writeFileSync(path.join(cache, "providers.tsv"), "time\thashicorp\t0.13.1\t0.13.1\tv0.13.1\n");
  return cache;
}

beforeAll(() => {
  dir = tempDir("dbx-toolchain-binary-");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a terraform >= 1.6 on PATH is used: --print-env exports TERRAFORM_BINARY_NAME=terraform and CHECKPOINT_DISABLE=1", () => {
  const bin = path.join(dir, "a");
  fakeBinary(bin, "terraform", "1.11.4");
  const cache = builtCache();
  const r = run(["--print-env"], { path: [bin], cache });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("export TERRAFORM_BINARY_NAME=terraform\n");
  expect(r.stdout).toContain("export CHECKPOINT_DISABLE=1\n");
  expect(r.stdout).toContain(`export TF_CLI_CONFIG_FILE=${path.join(cache, "tofurc")}\n`);
  expect(run(["--status"], { path: [bin], cache }).stdout).toContain(`binary:  terraform 1.11.4 (${path.join(bin, "terraform")}, on PATH)`);
});

test("a terraform older than 1.6 is ignored with a message; the tofu on PATH is used", () => {
  const bin = path.join(dir, "b");
  fakeBinary(bin, "terraform", "1.5.7");
  fakeBinary(bin, "tofu", "1.10.10");
  const r = run(["--print-env"], { path: [bin], cache: builtCache() });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("export TERRAFORM_BINARY_NAME=tofu\n");
  expect(r.stderr).toContain(`ignoring terraform 1.5.7 at ${path.join(bin, "terraform")}: older than 1.6.0`);
});

test("TERRAFORM_BINARY_NAME=tofu picks the OpenTofu built into the cache although terraform is on PATH", () => {
  const bin = path.join(dir, "c");
  fakeBinary(bin, "terraform", "1.11.4");
  const cache = builtCache();
  fakeBinary(path.join(cache, "bin"), "tofu", "1.10.10");
  const r = run(["--print-env"], { path: [bin], cache, env: { TERRAFORM_BINARY_NAME: "tofu" } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("export TERRAFORM_BINARY_NAME=tofu\n");
  expect(r.stdout).toContain(`export PATH=${path.join(cache, "bin")}:"$PATH"\n`);
  const status = run(["--status"], { path: [bin], cache, env: { TERRAFORM_BINARY_NAME: "tofu" } });
  expect(status.stdout).toContain(`binary:  tofu 1.10.10 (${path.join(cache, "bin", "tofu")}, built into the cache)`);
  // Without the setting, the terraform on PATH wins.
  expect(run(["--print-env"], { path: [bin], cache }).stdout).toContain("export TERRAFORM_BINARY_NAME=terraform\n");
});

test("no binary anywhere: --print-env fails naming npm run toolchain, --status says OpenTofu would be built", () => {
  const cache = builtCache();
  const r = run(["--print-env"], { path: [], cache });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/no terraform or tofu >= 1\.6\.0 on PATH nor in .*: run scripts\/toolchain\.sh \(npm run toolchain\)/);
  expect(run(["--status"], { path: [], cache }).stdout).toMatch(/binary: {2}none .*npm run toolchain builds OpenTofu v\d/);
});

test("a mirror that is not built yet: --print-env fails although a binary is there", () => {
  const bin = path.join(dir, "d");
  fakeBinary(bin, "terraform", "1.11.4");
  const r = run(["--print-env"], { path: [bin], cache: fs.mkdtempSync(path.join(dir, "empty-")) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("toolchain not built yet");
});
