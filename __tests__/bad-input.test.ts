/**
 * Bad input, table-driven: every case of bad-input-cases.ts runs the configuration step in process exactly
 * as main.ts does (ENVS, exit code, printed message) and must print the exact expected lines, name the file
 * (or ENVS / the vars directory) and the field, show no stack trace and no secret, and write nothing. One
 * run of the real entry point covers a directory of several bad files.
 */
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { EXIT_INVALID_CONFIG } from "../config/load";
import { CANARIES, CASES, EXPECTED, writeFiles } from "./bad-input-cases";
import { contentsOf, placeholders, runCase } from "./bad-input-run";
import { readVars, REPO_ROOT } from "./helpers";
import { tempDir } from "./run-dir";

const withPaths = (line: string, paths: Record<string, string>) => Object.entries(paths).reduce((l, [k, v]) => l.split(k).join(v), line);

/**
 * The real entry point, once, on a directory of several bad files. Started before the table runs and
 * awaited at the end, so the child process uses the second core while the table runs in this one.
 */
const dir = tempDir("bad-main-");
const outdir = path.join(tempDir("bad-out-"), "cdktf.out");
let result: Promise<{ status: number | null; stderr: string }>;
let before: Record<string, string>;

beforeAll(() => {
  const dev = readVars("dev");
  dev.connections[3].options = { serviceAccountKeyJson: '{"private_key": "s3cr3t-canary"}' };
  const qa = readVars("dev");
  qa.network.cidrBlock = "10.020.0.0/16";
  qa.connections[0].options.port = 70000;
  writeFiles(dir, { "dev.json": dev, "prod.json": Buffer.from(JSON.stringify(readVars("prod")), "utf16le"), "qa.json": qa, "test.json": '{ "databricks": { "password": hunter2-canary } }' });
  before = contentsOf(dir);
  result = new Promise((resolve) => {
    // `npm run synth` is `tsx main.ts`: the same loader registered in one process, without tsx's own launcher process.
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], { cwd: REPO_ROOT, env: { ...process.env, VARS_DIR: dir, CDKTF_OUTDIR: outdir } });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stderr }));
  });
});

test("the table holds at least 150 cases, each with an expectation", () => {
  expect(CASES.length).toBeGreaterThanOrEqual(150);
  expect(Object.keys(EXPECTED).sort()).toEqual(CASES.map((c) => c.name).sort());
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

test("the unchanged files load (control: the harness can pass)", () => {
  expect(runCase({ name: "control" }).status).toBe(0);
  expect(runCase({ name: "control", envs: ["dev", "prod"] }).status).toBe(0);
});

/** Cases whose input carries a canary: the no-secret assertions are meaningful only if some do. */
let carryingSecrets = 0;

describe("bad input", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", (name, c) => {
    const outcome = runCase(c);
    const lines = EXPECTED[name].map((l) => withPaths(l, placeholders(outcome)));
    expect(outcome.status).toBe(EXIT_INVALID_CONFIG);
    expect(outcome.stderr).toBe(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join("\n")}\n`);
    // file (or ENVS / the vars directory) and field named on every line
    for (const line of lines) expect(line).toMatch(/^(ENVS: environment "[^"]*": expected|\S+\.json: (\S.*?: )?expected|\/\S+: expected)/);
    expect(outcome.stderr).not.toMatch(/\n\s+at |Error:/);
    for (const canary of CANARIES) expect(outcome.stderr).not.toContain(canary);
    expect(outcome.unchanged).toBe(true);
    const input = Object.values(contentsOf(outcome.dir)).map((b) => Buffer.from(b, "base64").toString("utf8")).join("\n");
    if (CANARIES.some((canary) => input.includes(canary))) carryingSecrets++;
    fs.rmSync(outcome.dir, { recursive: true, force: true });
  });

  test("the secret cases really carry secrets (so the no-secret assertions can fail)", () => {
    expect(carryingSecrets).toBeGreaterThanOrEqual(15);
  });
});

describe("the real entry point", () => {
  test("several bad files at once: one line per problem, exit 1, no trace, no secret, nothing written", async () => {
    const r = await result;
    expect(r.status).toBe(1);
    const rel = path.relative(REPO_ROOT, dir);
    expect(r.stderr.replace(/^npm warn.*\n/gm, "")).toBe(
      [
        "Invalid configuration:",
        `  ${rel}/dev.json: connections.3.options.serviceAccountKeyJson: expected no secret in a vars file: set TF_VAR_connection_bigquery_analytics_service_account_key_json at deploy time instead, found a value (not shown)`,
        `  ${rel}/prod.json: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 little-endian text without a byte-order mark (zero bytes between the characters); save the file as UTF-8`,
        `  ${rel}/qa.json: network.cidrBlock: expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16, found "10.020.0.0/16"`,
        `  ${rel}/qa.json: connections.0.options.port: expected port (optional for MYSQL): an integer from 1 to 65535, found a number (not shown)`,
        `  ${rel}/test.json: (top level): expected valid JSON, found a syntax error at line 1, column 31 (invalid symbol)`,
        "",
      ].join("\n"),
    );
    for (const canary of [...CANARIES, "70000"]) expect(r.stderr).not.toContain(canary);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(contentsOf(dir)).toEqual(before);
  });
});
