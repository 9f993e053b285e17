/**
 * Running the operations CLI against the stub Terraform (fixtures/terraform-stub/terraform): in-process
 * through `runCli` with an injected terminal, or as a process for signals and locks. Each sandbox has its
 * own root (state, run directories, locks) and stub directory, so no test touches the repository.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { lazySynthesizer, runCli } from "../ops/cli";
import { graceSeconds, type Context, type Synthesizer } from "../ops/context";
import { Interrupts } from "../ops/interrupts";
import { REPO_ROOT, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

export const STUB_BIN = path.join(__dirname, "fixtures", "terraform-stub");
export const DBX = path.join(REPO_ROOT, "ops", "bin", "dbx.js");
const SKIP_TOKEN_CREATION_STACKS = path.join(__dirname, "skip-token-creation-stacks.js");
export const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", DATABRICKS_CLIENT_ID: "fake", DATABRICKS_CLIENT_SECRET: "fake" };

export interface Call {
  readonly cwd: string;
  readonly args: readonly string[];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Standard input is a terminal; `answers` are typed at the prompts, in order. */
  readonly interactive?: boolean;
  readonly answers?: string[];
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Called with the context before the run (e.g. to send a signal through its Interrupts). */
  readonly onContext?: (ctx: Context) => void;
}

/** All resource addresses (`type.name`) of a synthesized stack. */
export function addressesOf(json: TfJson): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

/** `terraform show -json` of a state holding `addresses`, with string `outputs`. */
export function stateOf(addresses: Iterable<string>, outputs: Record<string, string> = {}): unknown {
  return {
    format_version: "1.0",
    terraform_version: "1.11.4",
    values: {
      outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { sensitive: false, value: v, type: "string" }])),
      root_module: { resources: [...addresses].map((address) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1] })) },
    },
  };
}

/**
 * `terraform show -json <planfile>` of a plan over `all` resources (no-op unless in `changes`), plus a
 * data source read and any extra `changes` of addresses outside `all`.
 */
export function planOf(all: readonly string[], changes: Record<string, string[]>): unknown {
  const entry = (address: string, actions: string[]) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1], change: { actions } });
  return {
    format_version: "1.2",
    resource_changes: [
      ...all.map((a) => entry(a, changes[a] ?? ["no-op"])),
      ...Object.entries(changes).filter(([a]) => !all.includes(a)).map(([a, actions]) => entry(a, actions)),
      { address: "data.aws_iam_policy_document.stub", mode: "data", type: "aws_iam_policy_document", name: "stub", change: { actions: ["read"] } },
    ],
  };
}

export class Sandbox {
  /** @param synthesizer what in-process runs synthesize with (memoizedSynthesizer() of synth-memo.ts reuses one synth). */
  constructor(readonly synthesizer: Synthesizer = lazySynthesizer) {}

  readonly root = tempDir("dbx-root-");
  readonly stubDir = tempDir("dbx-stub-");

  /** The environment of a run: no real credentials or Terraform settings, the stub first on PATH. */
  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|DATABRICKS_|TF_|TERRAFORM_BINARY_NAME$|NETWORK_MODE$|ENVS$|VARS_DIR$|DBX_)/.test(k)) env[k] = v;
    // Node processes of the run (the CLI started as a process) skip cdktf's token creation stacks, as the
    // test files do (skip-token-creation-stacks.js): it only makes their synth faster.
    const nodeOptions = [process.env.NODE_OPTIONS, `--require=${JSON.stringify(SKIP_TOKEN_CREATION_STACKS)}`].filter(Boolean).join(" ");
    const merged: NodeJS.ProcessEnv = { ...env, PATH: `${STUB_BIN}${path.delimiter}${process.env.PATH}`, STUB_DIR: this.stubDir, DBX_ROOT: this.root, NODE_OPTIONS: nodeOptions, ...FAKE_CREDENTIALS };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  }

  write(name: string, doc: unknown): void {
    fs.writeFileSync(path.join(this.stubDir, name), JSON.stringify(doc));
  }

  state(stack: string, doc: unknown): void {
    this.write(`state.${stack}.json`, doc);
  }

  plan(stack: string, doc: unknown): void {
    this.write(`plan.${stack}.json`, doc);
  }

  touch(name: string): void {
    fs.writeFileSync(path.join(this.stubDir, name), "");
  }

  /** The stub's calls so far. */
  calls(): Call[] {
    const file = path.join(this.stubDir, "calls.log");
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("\t"))
      .map((l) => {
        const [cwd, args] = l.split("\t");
        return { cwd, args: args.split(" ").filter(Boolean) };
      });
  }

  /** Subcommands called, e.g. ["init", "show", "plan", ...]. */
  subcommands(): string[] {
    return this.calls().map((c) => c.args[0]);
  }

  /** Runs the CLI in this process. */
  async run(argv: string[], options: RunOptions = {}): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const answers = [...(options.answers ?? [])];
    const env = this.env(options.env);
    const ctx: Context = {
      io: {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        ask: async (q) => {
          stderr += q;
          return answers.shift() ?? "";
        },
        interactive: Boolean(options.interactive),
        colour: false,
      },
      env,
      cwd: options.cwd ?? REPO_ROOT,
      root: this.root,
      // The grace period is the run's DBX_TERRAFORM_GRACE_SECONDS, as in a real run; 1 s unless a test sets it.
      interrupts: new Interrupts(graceSeconds({ DBX_TERRAFORM_GRACE_SECONDS: "1", ...env }), (line) => void (stderr += `dbx: ${line}\n`)),
      now: () => new Date("2026-11-23T12:00:00Z"),
      synthesizer: this.synthesizer,
    };
    options.onContext?.(ctx);
    const code = await runCli(argv, ctx);
    return { code, stdout, stderr };
  }

  /** Starts `dbx argv...` as a process (stdin not a terminal). */
  spawn(argv: string[], env: Record<string, string | undefined> = {}): ChildProcess & { output: () => CliResult } {
    const child = spawn(process.execPath, [DBX, ...argv], { cwd: REPO_ROOT, env: this.env(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    return Object.assign(child, { output: () => ({ code: child.exitCode ?? -1, stdout, stderr }) });
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.rmSync(this.stubDir, { recursive: true, force: true });
  }
}

/** Resolves with the exit code once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", (code) => resolve(code))));
}

/** Resolves once `file` exists (polling the filesystem; the test's own timeout bounds it). */
export async function fileAppears(file: string): Promise<void> {
  while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 50));
}
