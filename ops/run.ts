/**
 * One run of a command against one environment: its lock, its synth directory, Terraform in each stack
 * directory, the saved-plan check, the approval prompt, and what to say when it ends early.
 */
import * as fs from "fs";
import * as path from "path";
import type { NetworkMode } from "../constructs/network";
import type { Environment } from "../config/load";
import { PromptInterrupted, type Context, type Output } from "./context";
import { EXIT, OpsError } from "./exit-codes";
import { Interrupted } from "./interrupts";
import { acquireLock, lockFileOf } from "./lock";
import {
  checkPlan,
  formatPlanCheck,
  parseTerraformJson,
  resourceChanges,
  summarizeChanges,
  summarizeState,
  type ExpectedChange,
  type PlanCheck,
  type ResourceChange,
  type StateSummary,
} from "./plan-check";
import { checkStatePaths, resetRunDir, runDirOf, stackDirOf, stackIds, type Synthesized } from "./synth";
import { Terraform } from "./terraform";

/** The saved plan's file name in the stack directory (removed when the run ends). */
export const PLAN_FILE = "dbx.tfplan";

/**
 * A module that rewrites a synthesized stack before it is planned (`--transform`): it exports
 * `transformStack(file, context)`, which rewrites `file` (a `cdk.tf.json`) in place. For test harnesses
 * (scripts/e2e/transform.ts points the stack at a local AWS emulator); what is planned is then not the
 * plain synth, and the CLI says so.
 */
export interface StackTransform {
  transformStack(file: string, context: { readonly stackId: string; readonly mode: NetworkMode }): void;
}

export interface PlanApplyOptions {
  readonly stackId: string;
  /** The exact change set the plan must have; undefined: any plan (deploy), summarized before approval. */
  readonly expected?: readonly ExpectedChange[];
  /** Further plan arguments, e.g. `-replace=<address>`. */
  readonly planArgs?: readonly string[];
  readonly autoApprove: boolean;
  /** Plan and check, apply nothing. */
  readonly planOnly: boolean;
  /** Apply even when the plan is not the expected set (after showing the difference). */
  readonly allowUnexpected?: boolean;
  /** Changes accepted in addition to `expected` (--known-drift). */
  readonly knownDrift?: readonly ResourceChange[];
}

export interface PlanApplyResult {
  readonly changes: readonly ResourceChange[];
  readonly check?: PlanCheck;
  readonly applied: boolean;
}

export class EnvironmentRun {
  readonly runDir: string;
  readonly tf: Terraform;
  /** The stack whose apply is running, for the interruption message. */
  applying?: string;
  /** Stacks applied so far in this run. */
  readonly applied: string[] = [];
  /** What to run after an interrupted apply, e.g. `dbx sleep dev` (set by the command). */
  resumeHint = "";
  private releaseLock?: () => void;
  private readonly temporary = new Set<string>();

  constructor(
    readonly ctx: Context,
    readonly out: Output,
    readonly env: Environment,
    binary: string,
    private readonly transform?: StackTransform,
  ) {
    this.runDir = runDirOf(ctx.root, env.name);
    this.tf = new Terraform(ctx, out, binary);
  }

  get ids() {
    return stackIds(this.env.name);
  }

  stackDir(stackId: string): string {
    return stackDirOf(this.runDir, stackId);
  }

  /** @throws OpsError LOCKED */
  lock(commandLine: string): void {
    this.releaseLock = acquireLock(this.ctx.root, this.env.name, commandLine, this.ctx.now());
    this.out.progress(`locked ${path.relative(this.ctx.root, lockFileOf(this.ctx.root, this.env.name))}`);
  }

  /** Removes the run's temporary files and releases the lock. Safe to call more than once. */
  cleanup(): void {
    for (const file of this.temporary) fs.rmSync(file, { recursive: true, force: true });
    this.temporary.clear();
    this.releaseLock?.();
  }

  /** Registers a file or directory to remove when the run ends, whatever happens. */
  temp(file: string): string {
    this.temporary.add(file);
    return file;
  }

  /**
   * Synthesizes the environment in `mode` into the run directory (emptied first, Terraform's provider
   * cache kept), checks the local state paths, and applies the `--transform` module if any.
   */
  synth(mode: NetworkMode): Synthesized {
    this.ctx.interrupts.check();
    this.out.progress(`synthesizing ${this.env.name} (${mode}) into ${path.relative(this.ctx.root, this.runDir)}/stacks/`);
    resetRunDir(this.runDir);
    const result = this.ctx.synthesizer.synthesize([this.env], mode, this.runDir);
    for (const note of result.notes) this.out.raw(`${note}\n`);
    for (const [stackId, json] of Object.entries(result.stacks)) {
      checkStatePaths(this.ctx.root, this.stackDir(stackId), stackId, json);
      if (this.transform) {
        const file = path.join(this.stackDir(stackId), "cdk.tf.json");
        const before = fs.readFileSync(file, "utf8");
        this.transform.transformStack(file, { stackId, mode });
        if (fs.readFileSync(file, "utf8") !== before) this.out.warn(`${stackId}: planning the stack as rewritten by --transform, not the plain synth`);
      }
    }
    this.ctx.interrupts.check();
    return result;
  }

  async init(stackId: string): Promise<void> {
    await this.tf.run(["init", "-input=false"], this.stackDir(stackId));
  }

  /** `terraform show -json` of the stack's state, summarized (no secret value is kept). */
  async state(stackId: string): Promise<StateSummary> {
    const text = await this.tf.run(["show", "-json"], this.stackDir(stackId), { capture: true });
    return summarizeState(parseTerraformJson(text, `${this.tf.binary} show -json (state of ${stackId})`));
  }

  /**
   * Saved-plan apply: `plan -out`, `show -json` of that plan, the check against `expected` (refused with
   * PLAN_MISMATCH unless `allowUnexpected`), the approval, then `apply` of that very plan file.
   * @throws OpsError PLAN_MISMATCH, DECLINED; Interrupted
   */
  async planApply(options: PlanApplyOptions): Promise<PlanApplyResult> {
    const { stackId } = options;
    const dir = this.stackDir(stackId);
    this.temp(path.join(dir, PLAN_FILE));
    await this.tf.run(["plan", "-input=false", `-out=${PLAN_FILE}`, ...(options.planArgs ?? [])], dir);
    const plan = parseTerraformJson(await this.tf.run(["show", "-json", PLAN_FILE], dir, { capture: true }), `${this.tf.binary} show -json ${PLAN_FILE}`);
    const changes = resourceChanges(plan);
    let check: PlanCheck | undefined;
    if (options.expected) {
      check = checkPlan(plan, options.expected, options.knownDrift);
      this.out.say(formatPlanCheck(check, stackId));
      if (!check.ok) {
        if (!options.allowUnexpected) {
          throw new OpsError(
            EXIT.PLAN_MISMATCH,
            `refusing to apply: the plan of ${stackId} is not exactly the expected change set (listed above); nothing was applied. ` +
              `Changes outside the set are drift or pending configuration: review them with dbx plan ${this.env.name}, ` +
              `reconcile them with dbx deploy ${this.env.name}, or pass --allow-unexpected to apply this plan as it is.`,
          );
        }
        this.out.warn("the plan is not the expected change set; applying it anyway because of --allow-unexpected");
      }
    } else {
      this.out.say(`Plan of ${stackId}: ${summarizeChanges(changes)}.`);
      const notable = changes.filter((c) => c.action !== "create" && c.action !== "update");
      if (notable.length > 0) this.out.say(["  deleted or replaced:", ...notable.map((c) => `    ${c.action.padEnd(7)} ${c.address}`)].join("\n"));
    }
    if (options.planOnly) return { changes, check, applied: false };
    if (!options.autoApprove) {
      const count = changes.length === 0 ? "the output changes" : changes.length === 1 ? "this 1 resource change" : `these ${changes.length} resource changes`;
      const approved = await this.approve(`Apply ${count} to ${stackId}? Only "yes" is accepted: `);
      if (!approved) throw new OpsError(EXIT.DECLINED, `declined: nothing was applied to ${stackId}${this.applied.length > 0 ? ` (applied before: ${this.applied.join(", ")})` : ""}`);
    }
    this.applying = stackId;
    await this.tf.run(["apply", "-input=false", PLAN_FILE], dir);
    this.applying = undefined;
    this.applied.push(stackId);
    fs.rmSync(path.join(dir, PLAN_FILE), { force: true });
    return { changes, check, applied: true };
  }

  /** Asks on the terminal; true only for "yes". A signal while waiting interrupts the run. */
  async approve(question: string): Promise<boolean> {
    this.ctx.interrupts.check();
    let answer: string;
    try {
      const interrupted = this.ctx.interrupts.whenInterrupted().then((signal) => Promise.reject(new Interrupted(signal)));
      answer = await Promise.race([this.ctx.io.ask(question), interrupted]);
    } catch (e) {
      if (e instanceof PromptInterrupted) throw new Interrupted("SIGINT");
      throw e;
    }
    return answer.trim() === "yes";
  }

  /** What an interruption leaves behind, and what to do next. */
  describeInterruption(signal: NodeJS.Signals): string {
    const lines = [`interrupted by ${signal}.`];
    if (this.applying) {
      lines.push(
        this.ctx.interrupts.killed
          ? `terraform apply of ${this.applying} did not stop within ${this.ctx.interrupts.graceSeconds} s and was killed: ${this.applying} may be part-way changed, its state may lack the last operations, and its state lock may be left (a later run then names the lock id: terraform force-unlock <ID> in ${path.relative(this.ctx.root, this.stackDir(this.applying))}).`
          : `terraform apply of ${this.applying} stopped gracefully: ${this.applying} may be part-way changed; Terraform saved in state what it finished and released its state lock.`,
      );
      lines.push(`Next: dbx status ${this.env.name}${this.resumeHint ? `, then ${this.resumeHint} (it plans only what is left)` : ""}.`);
    } else {
      lines.push(`Nothing was being applied: ${this.applied.length > 0 ? `${this.applied.join(", ")} had been applied; the rest of ${this.env.name} is unchanged` : `${this.env.name} is unchanged`}.`);
      if (this.resumeHint) lines.push(`Run ${this.resumeHint} again when ready.`);
    }
    lines.push("Temporary files and the lock were removed.");
    return lines.join("\n");
  }
}
