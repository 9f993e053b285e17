/**
 * `dbx validate`, `dbx scan` and `dbx toolchain`: the offline real-toolchain scripts (scripts/validate.sh,
 * scan.sh, toolchain.sh) run as they are, with their exit codes mapped onto the CLI's table: a missing
 * toolchain is found first (MISSING_PROGRAM), and any other failure of a script is FAILURE.
 */
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT, type Context, type Output } from "../context";
import { EXIT, OpsError } from "../exit-codes";
import type { JsonOption } from "./common";

export const SCRIPTS_DIR = path.join(REPO_ROOT, "scripts");

/** @throws OpsError MISSING_PROGRAM unless `toolchain.sh --print-env` finds a built toolchain. */
export function requireToolchain(ctx: Context): void {
  const r = spawnSync("bash", [path.join(SCRIPTS_DIR, "toolchain.sh"), "--print-env"], { env: ctx.env, encoding: "utf8" });
  if (r.status !== 0) {
    const why = `${r.stderr ?? ""}`.trim().split("\n").pop() ?? "";
    throw new OpsError(EXIT.MISSING_PROGRAM, `the offline toolchain is not built${why ? ` (${why.replace(/^toolchain: error: /, "")})` : ""}: build it with: dbx toolchain (about 70 min cold, see README)`);
  }
}

/** Runs `bash scripts/<script> args...`, its output relayed (stdout to stderr with --json); resolves to its exit status. */
export async function runScript(ctx: Context, out: Output, script: string, args: readonly string[]): Promise<number> {
  out.progress(`scripts/${script} ${args.join(" ")}`.trim());
  const child = spawn("bash", [path.join(SCRIPTS_DIR, script), ...args], { cwd: REPO_ROOT, env: ctx.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (c: Buffer) => (out.json ? ctx.io.stderr : ctx.io.stdout)(c.toString()));
  child.stderr.on("data", (c: Buffer) => ctx.io.stderr(c.toString()));
  ctx.interrupts.attach(child);
  const code = await new Promise<number>((resolve) => {
    child.on("error", () => resolve(127));
    child.on("close", (status, signal) => resolve(status ?? (signal ? 128 : 1)));
  });
  ctx.interrupts.detach();
  ctx.interrupts.check();
  return code;
}

export interface CheckOptions extends JsonOption {
  readonly synth?: boolean;
  readonly stacksDir?: string;
  readonly config?: string;
}

/** validate or scan. */
export async function checkCommand(ctx: Context, out: Output, which: "validate" | "scan", options: CheckOptions): Promise<number> {
  requireToolchain(ctx);
  const args: string[] = [];
  if (options.synth === false) args.push("--no-synth");
  if (options.stacksDir) args.push("--stacks-dir", path.resolve(ctx.cwd, options.stacksDir));
  if (options.config) args.push("--config", path.resolve(ctx.cwd, options.config));
  const status = await runScript(ctx, out, `${which}.sh`, args);
  const code = status === 0 ? EXIT.OK : EXIT.FAILURE;
  if (code !== EXIT.OK) out.warn(`scripts/${which}.sh exited ${status}: ${which === "validate" ? "a stack is invalid" : "a check failed"} or it could not run (see above)`);
  out.result({ ok: code === EXIT.OK, exitCode: code, scriptExitCode: status });
  return code;
}

export interface ToolchainOptions extends JsonOption {
  readonly status?: boolean;
  readonly printEnv?: boolean;
}

export async function toolchainCommand(ctx: Context, out: Output, options: ToolchainOptions): Promise<number> {
  if (options.status && options.printEnv) throw new OpsError(EXIT.USAGE, "--status and --print-env exclude each other");
  const args = options.status ? ["--status"] : options.printEnv ? ["--print-env"] : [];
  const status = await runScript(ctx, out, "toolchain.sh", args);
  const code = status === 0 ? EXIT.OK : options.printEnv ? EXIT.MISSING_PROGRAM : EXIT.FAILURE;
  out.result({ ok: code === EXIT.OK, exitCode: code, scriptExitCode: status });
  return code;
}
