/**
 * SIGINT, SIGTERM and SIGHUP while a command runs.
 *
 * Terraform treats its first SIGINT (or SIGTERM) as a request to stop gracefully: it stops starting new
 * operations, lets the running ones finish, writes state and releases its state lock; a second one cancels
 * the operation at once, "Two interrupts received. Exiting immediately. Note that data loss may have
 * occurred." (hashicorp/terraform: `signal_unix.go` and `commands.go` makeShutdownCh for the signals,
 * `internal/command/meta.go` RunOperation for the first and second interrupt). So:
 *
 * - Terraform runs in a process group of its own, so a Ctrl-C in the terminal reaches only the CLI, and
 *   the CLI forwards exactly one SIGINT to Terraform's group (Terraform and its provider plugins, as a
 *   terminal would), whichever signal it received and however often.
 * - Terraform then gets {@link Interrupts.graceSeconds} (`DBX_TERRAFORM_GRACE_SECONDS`, default 120) to
 *   exit; after that its group gets SIGKILL, and the CLI says the state lock may be left behind.
 * - Between Terraform commands the CLI stops before the next step; the command's clean-up removes temp
 *   files and the lock, says what state the environment may be in, and exits 128 + the signal number.
 */
import type { ChildProcess } from "child_process";

export const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Thrown by {@link Interrupts.check} once a signal arrived; the command's clean-up turns it into its message. */
export class Interrupted extends Error {
  constructor(public readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = "Interrupted";
  }
}

export class Interrupts {
  /** The first signal received, if any. */
  signal?: NodeJS.Signals;
  /** Terraform was killed with SIGKILL after the grace period. */
  killed = false;
  private child?: ChildProcess;
  private forwarded = false;
  private killTimer?: NodeJS.Timeout;
  private readonly waiters: ((signal: NodeJS.Signals) => void)[] = [];

  constructor(
    public readonly graceSeconds: number,
    private readonly notify: (line: string) => void,
  ) {}

  /** Handles the signals of `proc` (the real process); returns a function that removes the handlers. */
  install(proc: NodeJS.Process = process): () => void {
    const handler = (signal: NodeJS.Signals) => this.receive(signal);
    for (const s of HANDLED_SIGNALS) proc.on(s, handler);
    return () => {
      for (const s of HANDLED_SIGNALS) proc.off(s, handler);
    };
  }

  /** A signal arrived (called by the handler; tests call it directly). */
  receive(signal: NodeJS.Signals): void {
    if (this.signal !== undefined) {
      this.notify(
        this.child
          ? `${signal} received again: still waiting for terraform to stop (it is killed ${this.graceSeconds} s after the first interrupt); not forwarded, a second interrupt would make terraform exit without saving state`
          : `${signal} received again: already stopping`,
      );
      return;
    }
    this.signal = signal;
    if (this.child) this.forward();
    else this.notify(`${signal} received: stopping before the next step`);
    for (const w of this.waiters.splice(0)) w(signal);
  }

  /** Resolves when a signal arrives (to abandon a prompt). */
  whenInterrupted(): Promise<NodeJS.Signals> {
    return new Promise((resolve) => (this.signal ? resolve(this.signal) : this.waiters.push(resolve)));
  }

  /** Throws {@link Interrupted} once a signal arrived. */
  check(): void {
    if (this.signal) throw new Interrupted(this.signal);
  }

  /** Terraform `child` (leader of its own process group) is running. */
  attach(child: ChildProcess): void {
    this.child = child;
    this.forwarded = false;
    this.killed = false;
    if (this.signal) this.forward();
  }

  /** The attached child exited. */
  detach(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = undefined;
    this.child = undefined;
  }

  private forward(): void {
    const child = this.child;
    if (!child || this.forwarded || child.pid === undefined) return;
    this.forwarded = true;
    const pid = child.pid;
    this.notify(`${this.signal} received: forwarding one interrupt to terraform (pid ${pid}) and waiting up to ${this.graceSeconds} s for it to stop and release its state lock`);
    signalGroup(pid, "SIGINT");
    this.killTimer = setTimeout(() => {
      this.killed = true;
      this.notify(`terraform did not stop within ${this.graceSeconds} s: killing it (SIGKILL)`);
      signalGroup(pid, "SIGKILL");
    }, this.graceSeconds * 1000);
  }
}

/** Sends `signal` to the process group led by `pid`, falling back to the process alone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
