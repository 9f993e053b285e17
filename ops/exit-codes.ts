/**
 * The exit codes of the operations CLI (`dbx`) and of the scripts that wrap it: one table for the whole
 * project. `main.ts` (synth) uses 1 for an invalid vars file or a failed synth, as here; the bash left in
 * `scripts/lib/common.sh` repeats the numbers 0-7 (a test keeps them equal).
 */

export interface ExitCode {
  readonly code: number;
  /** Constant name, e.g. `PLAN_MISMATCH`. */
  readonly name: string;
  /** What it means, one line, as `--help` prints it. */
  readonly meaning: string;
}

export const EXIT = {
  /** Done; also --help, --dry-run, and a sleep/wake that finds nothing to do. */
  OK: 0,
  /** A step failed (synth, terraform init/plan/apply, a wrapped script), or the vars file is invalid. */
  FAILURE: 1,
  /** Usage error: unknown command or option, missing or extra argument. */
  USAGE: 2,
  /** No `vars/<env>.json` for the environment named. */
  UNKNOWN_ENV: 3,
  /** The environment's vars say `"protected": true` and `--force` was not given. */
  PROTECTED: 4,
  /** A required program is missing: the Terraform binary, the project's node_modules, the offline toolchain. */
  MISSING_PROGRAM: 5,
  /** No AWS credentials in the environment. */
  NO_AWS_CREDENTIALS: 6,
  /** No Databricks credentials in the environment: account ones for the stacks, workspace ones for check-connections. */
  NO_DATABRICKS_CREDENTIALS: 7,
  /** The saved plan's resource changes are not exactly the expected set: nothing was applied. */
  PLAN_MISMATCH: 8,
  /** The operator answered something other than "yes" at the approval prompt: nothing was applied. */
  DECLINED: 9,
  /** Another run holds the environment's lock (or left a stale one): nothing was done. */
  LOCKED: 10,
  /** The stack has no state (never deployed), so there is nothing to sleep, wake or reset. */
  NOT_DEPLOYED: 11,
  /** Approval is needed but standard input is not a terminal and `--auto-approve` was not given. */
  NEEDS_APPROVAL: 12,
  /** A check ran and found a problem (check-connections: a connection missing, its catalog query failed or timed out). */
  CHECK_FAILED: 13,
  /** Interrupted by SIGHUP (128 + 1): see the message for the state the environment may be in. */
  INTERRUPTED_HUP: 129,
  /** Interrupted by SIGINT (128 + 2, Ctrl-C). */
  INTERRUPTED_INT: 130,
  /** Interrupted by SIGTERM (128 + 15). */
  INTERRUPTED_TERM: 143,
} as const;

export type ExitCodeName = keyof typeof EXIT;

const MEANINGS: Record<ExitCodeName, string> = {
  OK: "done (also --help, --dry-run, and sleep/wake with nothing to do)",
  FAILURE: "a step failed (synth, terraform, a wrapped script) or the vars file is invalid",
  USAGE: "usage error (unknown command or option, missing or extra argument)",
  UNKNOWN_ENV: "unknown environment (no vars/<env>.json; the message lists the available ones)",
  PROTECTED: 'protected environment ("protected": true) without --force',
  MISSING_PROGRAM: "missing program (terraform or $TERRAFORM_BINARY_NAME, npm ci not run, the offline toolchain)",
  NO_AWS_CREDENTIALS: "no AWS credentials in the environment",
  NO_DATABRICKS_CREDENTIALS: "no Databricks credentials (DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET; check-connections: DATABRICKS_HOST with those or DATABRICKS_TOKEN, not both without DATABRICKS_AUTH_TYPE)",
  PLAN_MISMATCH: "the plan is not exactly the expected change set: refused, nothing applied",
  DECLINED: "approval declined at the prompt: nothing applied",
  LOCKED: "another run holds the environment's lock, or a stale lock is left: nothing done",
  NOT_DEPLOYED: "the stack was never deployed (no state): nothing to sleep, wake, reset or read",
  NEEDS_APPROVAL: "approval needed but no terminal: pass --auto-approve",
  CHECK_FAILED: "a check failed (check-connections: a connection is missing, or its catalog query failed or timed out)",
  INTERRUPTED_HUP: "interrupted by SIGHUP (the message says what state the environment may be in)",
  INTERRUPTED_INT: "interrupted by SIGINT / Ctrl-C (the message says what state the environment may be in)",
  INTERRUPTED_TERM: "interrupted by SIGTERM (the message says what state the environment may be in)",
};

/** Every exit code with its name and meaning, in numeric order. */
export const EXIT_CODES: readonly ExitCode[] = (Object.keys(EXIT) as ExitCodeName[])
  .map((name) => ({ code: EXIT[name], name, meaning: MEANINGS[name] }))
  .sort((a, b) => a.code - b.code);

/** The `Exit codes:` block of `--help`, limited to `names` (all when omitted). */
export function exitCodeHelp(names?: readonly ExitCodeName[]): string {
  const rows = EXIT_CODES.filter((e) => names === undefined || names.includes(e.name as ExitCodeName));
  return ["Exit codes:", ...rows.map((e) => `  ${String(e.code).padStart(3)}  ${e.meaning}`)].join("\n");
}

/** The exit code of an interruption by `signal` (128 + its number). */
export function interruptedExitCode(signal: NodeJS.Signals): number {
  if (signal === "SIGHUP") return EXIT.INTERRUPTED_HUP;
  if (signal === "SIGTERM") return EXIT.INTERRUPTED_TERM;
  return EXIT.INTERRUPTED_INT;
}

/** An expected failure: printed as one line (or a few) without a stack trace, exiting with `exitCode`. */
export class OpsError extends Error {
  constructor(
    public readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "OpsError";
  }
}
