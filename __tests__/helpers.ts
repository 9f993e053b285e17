/** Synth helpers shared by the tests: build stacks from vars files and query the synthesized JSON. */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DatabricksSecurityChecks } from "../constructs/security";
import { ConfigError, loadEnvironments, parseVars, readVarsInput } from "../config/load";
import { stackIds } from "../ops/synth";
import { addEnvironmentStacks, type BuildOptions } from "../stacks/app";
import { runDir, tempDir } from "./run-dir";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const VARS_DIR = path.join(REPO_ROOT, "vars");

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  variable?: Record<string, Record<string, unknown>>;
};

/**
 * Synthesizes every stack of the given environments; returns stack id -> parsed cdk.tf.json (a fresh object
 * on every call: tests may change it).
 *
 * The shipped vars are synthesized once per test run and network mode, whichever test file asks first; the
 * JSON is read back from the run's synth cache (in the run's scratch directory, run-dir.ts). The code and
 * vars/ do not change during a run, and the synth reads nothing else (no clock; of the environment only
 * cdktf's own settings, and a test that sets one is not served from the cache), so the JSON is what this
 * call would have written. Some of the shipped environments (`names`) are the stacks of those environments
 * in the synth of all of them: addEnvironmentStacks (stacks/app.ts) builds each environment's two stacks
 * from that environment alone, so they are the stacks a synth of `names` alone writes (network-mode.test.ts
 * compares main.ts with `ENVS=dev` against them). A name with no stacks there is synthesized, so the synth
 * reports it. A `varsDir` of the test's own is always synthesized. A build changed by the test
 * ({@link loadWithReplacedModule}) goes through {@link synthEnvsFresh} with its own `build`.
 */
export function synthEnvs(names: string[] = [], options: BuildOptions = {}, varsDir = VARS_DIR): Record<string, TfJson> {
  const cached = varsDir === VARS_DIR ? sharedSynthFile(options) : undefined;
  if (!cached) return synthJson(names, options, varsDir, undefined);
  const all = synthJson([], options, varsDir, cached);
  const ids = names.flatMap((name) => Object.values(stackIds(name)));
  if (!ids.every((id) => id in all)) return synthJson(names, options, varsDir, undefined);
  return names.length === 0 ? all : Object.fromEntries(ids.map((id) => [id, all[id]]));
}

/**
 * {@link synthEnvs} without the run's synth cache: a synth of its own on every call (for tests that compare
 * two synths), with `build` in place of stacks/app.ts's addEnvironmentStacks when given (a changed build).
 */
export function synthEnvsFresh(names: string[] = [], options: BuildOptions = {}, varsDir = VARS_DIR, build: typeof addEnvironmentStacks = addEnvironmentStacks): Record<string, TfJson> {
  return synthJson(names, options, varsDir, undefined, build);
}

function synthJson(names: string[], options: BuildOptions, varsDir: string, cached: string | undefined, build: typeof addEnvironmentStacks = addEnvironmentStacks): Record<string, TfJson> {
  if (cached && fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8")) as Record<string, TfJson>;
  const outdir = synthToDir(names, options, varsDir, build);
  const text: string[] = [];
  for (const stackId of fs.readdirSync(path.join(outdir, "stacks")).sort()) {
    text.push(`${JSON.stringify(stackId)}:${fs.readFileSync(path.join(outdir, "stacks", stackId, "cdk.tf.json"), "utf8")}`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const json = `{${text.join(",")}}`;
  if (cached) {
    // Written whole and renamed, so a test file reading it at the same moment never sees half of it.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, json);
    fs.renameSync(partial, cached);
  }
  return JSON.parse(json) as Record<string, TfJson>;
}

/** Environment variables cdktf's App reads (node_modules/cdktf/lib/app.js), besides CDKTF_OUTDIR. */
const CDKTF_SETTINGS = ["CDKTF_CONTEXT_JSON", "SYNTH_HCL_OUTPUT", "CDKTF_TARGET_STACK_ID"];

/** The cache file of the synth of all the shipped vars with `options` (in the run's scratch directory), or undefined outside a test run. */
function sharedSynthFile(options: BuildOptions): string | undefined {
  const dir = runDir();
  if (!dir) return undefined;
  // cdktf's App reads these from the environment (node_modules/cdktf/lib/app.js): a test that sets one synthesizes its own.
  if (CDKTF_SETTINGS.some((name) => process.env[name] !== undefined)) return undefined;
  const key = JSON.stringify({ ...options, networkMode: options.networkMode ?? "awake" });
  return path.join(dir, `synth-${createHash("sha256").update(key).digest("hex").slice(0, 16)}.json`);
}

/**
 * Synthesizes like `cdktf synth` does (App.synth: aspects, validations, metadata) into a new temp
 * directory and returns it.
 */
export function synthToDir(names: string[] = [], options: BuildOptions = {}, varsDir = VARS_DIR, build: typeof addEnvironmentStacks = addEnvironmentStacks): string {
  const outdir = tempDir("cdktf-out-");
  const app = new App({ outdir });
  build(app, loadEnvironments(varsDir, names), options);
  app.synth();
  return outdir;
}

/**
 * cdktf's `Testing.app()` with its output directory in the run's scratch directory (run-dir.ts): on its own,
 * `Testing.app()` makes a directory in the system's temp directory that nothing removes
 * (node_modules/cdktf/lib/testing/index.js), and so does `Testing.synthScope`, which calls it.
 */
export function testApp(): App {
  return Testing.app({ outdir: tempDir("cdktf.outdir.") });
}

/** cdktf's `Testing.synthScope` on {@link testApp}: a stack "stack" built by `fn`, returned as `Testing.synth` does. */
export function synthScope(fn: (scope: TerraformStack) => void): string {
  const stack = new TerraformStack(testApp(), "stack");
  fn(stack);
  return Testing.synth(stack);
}

/** Resource bodies of one type, keyed by logical id. */
export function resources(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function resourceList(json: TfJson, type: string): Record<string, unknown>[] {
  return Object.values(resources(json, type));
}

export function dataList(json: TfJson, type: string): Record<string, unknown>[] {
  return Object.values(json.data?.[type] ?? {});
}

/** The resource whose construct path ends with `pathSuffix` (e.g. "network/vpc"). */
export function byPath(json: TfJson, type: string, pathSuffix: string): Record<string, unknown> {
  const found = Object.values(resources(json, type)).find((r) => {
    const meta = (r["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
    return meta?.path?.endsWith(`/${pathSuffix}`);
  });
  if (!found) throw new Error(`no ${type} at */${pathSuffix}`);
  return found;
}

/** `${type.name.attr}` reference of the resource at `pathSuffix`. */
export function ref(json: TfJson, type: string, pathSuffix: string, attr = "id"): string {
  const entry = Object.entries(resources(json, type)).find(([, r]) => (r["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path?.endsWith(`/${pathSuffix}`));
  if (!entry) throw new Error(`no ${type} at */${pathSuffix}`);
  return `\${${type}.${entry[0]}.${attr}}`;
}

/** A vars directory in a temp folder holding `files` (name -> content; objects are JSON-encoded). */
export function tempVarsDir(files: Record<string, unknown>): string {
  const dir = tempDir("vars-");
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/**
 * The settings of a shipped environment as written, vars/common.json merged under vars/<env>.json (the
 * loader's own merge, before defaults): a complete vars document, valid as a lone `<env>.json` too. A fresh
 * copy on every call, free to mutate.
 */
export function readVars(env: string): Record<string, any> {
  return structuredClone(readVarsInput(VARS_DIR, env));
}

/** A Terraform binary name that exists nowhere, so no script test can plan or deploy by accident. */
export const NO_TERRAFORM = "no-such-terraform-binary";

/** The test process's environment without any AWS or Databricks credential and with no usable Terraform. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|DATABRICKS_|TF_|NETWORK_MODE$|ENVS$|VARS_DIR$)/.test(k)) env[k] = v;
  return { ...env, TERRAFORM_BINARY_NAME: NO_TERRAFORM, ...extra };
}

/** Runs a bash script from the repository root in {@link cleanEnv} plus `extra`. */
export function runScript(script: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync("bash", [script, ...args], { cwd: REPO_ROOT, env: cleanEnv(extra), encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The problems `parseVars` reports for `vars/<env>.json` after `mutate`; [] when it stays valid. */
export function problemsAfter(env: string, mutate: (vars: any) => void): string[] {
  const vars = readVars(env);
  mutate(vars);
  try {
    parseVars(`vars/${env}.json`, JSON.stringify(vars));
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return [...e.problems];
  }
}

/**
 * Builds a stack named `stackId` with `build` (AWS and workspace Databricks providers already in it), applies the
 * security checks and synthesizes like the CLI (App.synth, which throws on error annotations); returns the
 * error message, or "" when synth passed.
 */
export function checkedSynthError(build: (stack: TerraformStack) => void, stackId = "checked"): string {
  const app = new App({ outdir: tempDir("checks-") });
  const stack = new TerraformStack(app, stackId);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new DatabricksProvider(stack, "databricks", { host: "https://dbc-1234.cloud.databricks.com" });
  build(stack);
  Aspects.of(stack).add(new DatabricksSecurityChecks());
  try {
    app.synth();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * `npm run synth` (main.ts) in this process: `env` is added to the process environment for the call (the
 * synth sees what a process started with it would: cdktf reads its settings from there too), then
 * restored. What a user would see is returned with the exit code. With `freshModules`, main.ts and
 * every module of this repository it loads are loaded anew after `env` is set ({@link withFreshModules}),
 * so a module of ours that reads the environment when it is loaded sees `env` too, as in a new process.
 */
export function synthMainInProcess(env: Record<string, string>, argv: string[] = [], options: { readonly freshModules?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let stdout = "";
  let stderr = "";
  const run = () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthMain } = require("../main") as typeof import("../main");
    return synthMain(argv, process.env, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  };
  try {
    const status = options.freshModules ? withFreshModules(run) : run();
    return { status, stdout, stderr };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** A module file of this repository (not a dependency, not a test helper). */
function isProjectModule(file: string): boolean {
  return file.startsWith(REPO_ROOT + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(path.join(REPO_ROOT, "__tests__") + path.sep);
}

/**
 * Runs `run` with this repository's modules unloaded from Node's module cache, so each `require` in it
 * loads and evaluates them anew; afterwards the cache holds what it held before (the modules other tests
 * share in this worker). Dependencies (cdktf, the bindings) stay loaded: they read the environment when
 * called, not when loaded (one exception, not a secret: cdktf's util.js reads TERRAFORM_BINARY_NAME when
 * loaded). `run` must be synchronous.
 * @throws Error when `run` returns a promise
 */
export function withFreshModules<T>(run: () => T): T {
  const saved = Object.entries(require.cache).filter(([file]) => isProjectModule(file));
  for (const [file] of saved) delete require.cache[file];
  try {
    const result = run();
    // The cache is restored when `run` returns: work it left for later would load the shared modules.
    if (result instanceof Promise) throw new Error("withFreshModules: run must be synchronous");
    return result;
  } finally {
    for (const file of Object.keys(require.cache)) if (isProjectModule(file)) delete require.cache[file];
    for (const [file, mod] of saved) require.cache[file] = mod;
  }
}

/**
 * Loads `entry` (a module path relative to the repository root, e.g. "stacks/app") anew, with the project
 * module `replaced` (e.g. "constructs/storage/encrypted-bucket") exporting what `replace` returns for its
 * actual exports instead: a changed build for one test, through Node's module cache
 * ({@link withFreshModules}), so the modules every other test shares stay as they are.
 */
export function loadWithReplacedModule<T>(entry: string, replaced: string, replace: (actual: any) => object): T {
  return withFreshModules(() => {
    const file = require.resolve(path.join(REPO_ROOT, replaced));
    const actual = require(file);
    require.cache[file]!.exports = replace(actual);
    return require(path.join(REPO_ROOT, entry)) as T;
  });
}
