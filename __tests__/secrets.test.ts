/**
 * No secret at synth time: the entry point (main.ts's synthMain, in this process with the canaries in the
 * process environment and the project's modules loaded anew after they are set, as in a new process; the
 * dependencies stay loaded, and they read the environment when called) runs with canary values in every
 * variable a secret could arrive through, and none of them may reach any synthesized file.
 */
import * as fs from "fs";
import * as path from "path";
import { connectionSecretFields, connectionVariableName } from "../config/connections";
import { jobSecretVariableName } from "../constructs/consumers";
import { loadEnvironments } from "../config/load";
import { readVars, synthMainInProcess, tempVarsDir, VARS_DIR, withFreshModules } from "./helpers";
import { tempDir } from "./run-dir";

/** Every secret variable the project or its providers read, with a unique canary value. */
export const CANARIES: Record<string, string> = {
  DATABRICKS_CLIENT_ID: "canary-client-id-7d1f",
  DATABRICKS_CLIENT_SECRET: "canary-client-secret-93ab",
  DATABRICKS_TOKEN: "canary-databricks-token-55e2",
  DATABRICKS_PASSWORD: "canary-databricks-password-0c4d",
  AWS_ACCESS_KEY_ID: "AKIACANARY0000000001",
  AWS_SECRET_ACCESS_KEY: "canary-aws-secret-key-f00d",
  AWS_SESSION_TOKEN: "canary-aws-session-token-beef",
};

function synth(env: Record<string, string>): { outdir: string; status: number | null; stderr: string } {
  const outdir = tempDir("canary-out-");
  const r = synthMainInProcess({ ...env, CDKTF_OUTDIR: outdir }, ["--quiet"], { freshModules: true });
  return { outdir, status: r.status, stderr: r.stderr };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function leaks(outdir: string, values: string[]): string[] {
  return filesUnder(outdir).flatMap((f) => {
    const text = fs.readFileSync(f, "utf8");
    return values.filter((v) => text.includes(v)).map((v) => `${path.relative(outdir, f)} contains ${v}`);
  });
}

test("the canary runs load the project's modules anew (control): a module reading the environment when loaded would see the canaries", () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const shared = require("../config/load") as typeof import("../config/load");
  const fresh = withFreshModules(() => require("../config/load") as typeof import("../config/load"));
  expect(shared.loadEnvironments).toBe(loadEnvironments);
  expect(fresh).not.toBe(shared);
  expect(fresh.loadEnvironments).not.toBe(shared.loadEnvironments);
  // Afterwards the other tests' modules are back.
  expect(require("../config/load")).toBe(shared);
  /* eslint-enable @typescript-eslint/no-require-imports */
});

describe("no secret in synthesized output", () => {
  const tfVarCanaries = Object.fromEntries(Object.keys(CANARIES).map((k) => [`TF_VAR_${k.toLowerCase()}`, `canary-tfvar-${k.toLowerCase()}`]));
  // Every connection secret of every environment, as a deploy would set it.
  const connectionCanaries = Object.fromEntries(
    loadEnvironments(VARS_DIR).flatMap((e) =>
      e.vars.connections.flatMap((c) => connectionSecretFields(c).map((f) => [`TF_VAR_${connectionVariableName(c.name, f)}`, `canary-${c.name}-${f}`])),
    ),
  );
  // Every extractor job secret of every environment (TF_VAR_job_<job>_<key>).
  const jobCanaries = Object.fromEntries(
    loadEnvironments(VARS_DIR).flatMap((e) =>
      e.vars.extractorJobs.flatMap((j) => j.secretKeys.map((k) => [`TF_VAR_${jobSecretVariableName(j.name, k)}`, `canary-job-${j.name}-${k}`])),
    ),
  );
  const all = { ...CANARIES, ...tfVarCanaries, ...connectionCanaries, ...jobCanaries };

  test("the canaries cover every connection secret variable", () => {
    expect(Object.keys(connectionCanaries).sort()).toHaveLength(5);
    expect(Object.keys(connectionCanaries)).toEqual(expect.arrayContaining(["TF_VAR_connection_snowflake_finance_private_key", "TF_VAR_connection_bigquery_analytics_service_account_key_json"]));
  });
  test("the canaries cover every extractor job secret variable", () => {
    expect(Object.keys(jobCanaries)).toEqual(["TF_VAR_job_orders_extractor_orders_api_client_secret"]);
  });
  const run = synth(all);

  test("synth succeeds with the canaries set and writes every stack", () => {
    expect(run.status).toBe(0);
    const stacks = fs.readdirSync(path.join(run.outdir, "stacks")).sort();
    expect(stacks).toEqual(["management-dev", "management-prod", "provisioning-dev", "provisioning-prod"]);
  });

  test("no canary value appears in any file under the output directory", () => {
    expect(filesUnder(run.outdir).length).toBeGreaterThan(2);
    expect(leaks(run.outdir, Object.values(all))).toEqual([]);
  });

  test("the scan finds a value that does reach the output (control)", () => {
    const dev = readVars("dev");
    const dir = tempVarsDir({ "dev.json": { ...dev, tags: { ...dev.tags, Marker: "canary-control-3e9a" } } });
    const control = synth({ VARS_DIR: dir });
    expect(control.status).toBe(0);
    expect(leaks(control.outdir, ["canary-control-3e9a"])).not.toEqual([]);
  });
});
