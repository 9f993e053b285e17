/**
 * Runs the Terraform binary (`TERRAFORM_BINARY_NAME`, default `terraform`) in a synthesized stack directory:
 * never `cdktf deploy`, so the CLI owns the approval prompt, the signals and the exit codes.
 *
 * Terraform runs in a process group of its own with no standard input (`-input=false` everywhere; the CLI
 * asks for approval itself), its output relayed to stderr; see ops/interrupts.ts for signals.
 */
import { spawn } from "child_process";
import * as path from "path";
import type { Context, Output } from "./context";
import { EXIT, OpsError } from "./exit-codes";

export class Terraform {
  constructor(
    private readonly ctx: Context,
    private readonly out: Output,
    public readonly binary: string,
  ) {}

  /**
   * Runs `binary args...` in `cwd`; resolves to its stdout when `capture` (then not relayed), else to "".
   * @throws Interrupted when a signal arrived before the command, or during it and it then failed
   * @throws OpsError FAILURE when it exits non-zero, MISSING_PROGRAM when it cannot be started
   */
  async run(args: readonly string[], cwd: string, options: { capture?: boolean; quiet?: boolean } = {}): Promise<string> {
    this.ctx.interrupts.check();
    const shownDir = path.relative(this.ctx.root, cwd) || ".";
    if (!options.quiet) this.out.progress(`${this.binary} ${args.join(" ")}   (in ${shownDir})`);
    // Flags before positional arguments (Go's flag parsing stops at the first one, e.g. the plan file).
    const fullArgs = this.ctx.io.colour || args.includes("-json") ? [...args] : [args[0], "-no-color", ...args.slice(1)];
    const child = spawn(this.binary, fullArgs, {
      cwd,
      env: { ...this.ctx.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => (options.capture ? chunks.push(chunk) : this.out.raw(chunk.toString())));
    child.stderr.on("data", (chunk: Buffer) => this.out.raw(chunk.toString()));
    this.ctx.interrupts.attach(child);
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.on("error", (error) => resolve({ code: null, signal: null, error }));
      child.on("close", (code, signal) => resolve({ code, signal }));
    });
    this.ctx.interrupts.detach();
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code === "ENOENT" ? EXIT.MISSING_PROGRAM : EXIT.FAILURE;
      throw new OpsError(code, `could not start ${this.binary}: ${result.error.message}`);
    }
    // A command that succeeded despite a signal (it finished first) counts as done; the next step stops.
    if (result.code !== 0) {
      this.ctx.interrupts.check();
      throw new OpsError(EXIT.FAILURE, `${this.binary} ${args[0]} failed (${result.signal ? `killed by ${result.signal}` : `exit ${result.code}`}) in ${shownDir}: see its message above`);
    }
    return options.capture ? Buffer.concat(chunks).toString("utf8") : "";
  }
}
