/**
 * `dbx`: the operations CLI of databricks-aws-cdktf (package.json "bin"; `npx dbx <command>`).
 *
 * Commands: synth, plan, deploy, reset-tokens, sleep, wake, status, check-connections, validate, scan, toolchain. Arguments
 * are parsed by commander; every failure ends as one message and an exit code of ops/exit-codes.ts.
 * `runCli` is what the tests call in-process; `main` adds the real process: its streams, terminal and
 * signal handlers.
 */
import { Command, CommanderError, Option } from "commander";
import { processContext, Output, type Context, type Synthesizer } from "./context";
import { EXIT, OpsError, exitCodeHelp, interruptedExitCode, type ExitCodeName } from "./exit-codes";
import { Interrupted } from "./interrupts";
// Command modules load on use (they pull in cdktf and the provider bindings): --help stays quick.
import type { CheckConnectionsOptions } from "./commands/check-connections";
// Defaults only (a module without imports), so --help prints the numbers the command uses.
import { CHECK_TIMEOUT_SECONDS, POLL_INTERVAL_MS } from "./commands/check-connections-defaults";
import type { DeployOptions } from "./commands/deploy";
import type { NetworkOptions } from "./commands/network";
import type { SynthOptions } from "./commands/synth";
import type { CheckOptions, ToolchainOptions } from "./commands/wrapped";
import type { Environment } from "./environment";
import type { VerifiedOptions } from "./commands/common";

/** A command module, loaded when its command runs. */
function load<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./commands/${name}`) as T;
}

/** ops/synth.ts (cdktf and the stacks), loaded when a run first synthesizes. */
function synthModule(): typeof import("./synth") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./synth") as typeof import("./synth");
}

/** The synthesizer of a real run: ops/synth.ts, loaded on first use (this module stays free of cdktf). */
export const lazySynthesizer: Synthesizer = {
  synthesize: (...args) => synthModule().synthesize(...args),
  synthesizeInMemory: (...args) => synthModule().synthesizeInMemory(...args),
};

/**
 * Loads the environment `name` once per run (ops/environment.ts, which loads no cdktf or provider binding),
 * before the command module that synthesizes is loaded: an unknown environment or a bad vars file fails
 * without loading the stacks, and the command gets this one object for its guards and its synth.
 */
function environmentOf(ctx: Context, name: string): Environment {
  return environmentModule().loadEnvironment(ctx, name);
}

/** ops/environment.ts (no cdktf), loaded when a command first needs an environment. */
function environmentModule(): typeof import("./environment") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./environment") as typeof import("./environment");
}


/** Stacks of an environment, in deploy order (`--only`). */
const STACK_KINDS = ["provisioning", "management"] as const;

const ENV_ARGUMENT = "the environment: the base name of a vars/<env>.json (VARS_DIR overrides the directory)";

const COMMON_CODES: ExitCodeName[] = ["OK", "FAILURE", "USAGE", "UNKNOWN_ENV"];
const APPLY_CODES: ExitCodeName[] = [
  ...COMMON_CODES,
  "MISSING_PROGRAM",
  "NO_AWS_CREDENTIALS",
  "NO_DATABRICKS_CREDENTIALS",
  "DECLINED",
  "LOCKED",
  "NEEDS_APPROVAL",
  "INTERRUPTED_HUP",
  "INTERRUPTED_INT",
  "INTERRUPTED_TERM",
];

const SAFETY = `

Safety: one run per environment at a time (lock file .dbx-<env>.lock at the repository root, naming who
holds it and since when); the synth goes to .dbx-<env>/stacks/, never to the shared cdktf.out; Terraform
(TERRAFORM_BINARY_NAME, default terraform) runs there directly, and what is applied is the saved plan file
that was shown and checked. Ctrl-C or SIGTERM: one interrupt is forwarded to Terraform, which gets
DBX_TERRAFORM_GRACE_SECONDS (default 120) to stop and release its state lock before it is killed; temp files
and the lock are removed and the CLI says what state the environment may be in.`;

const VERIFIED = `

The saved plan must change exactly the expected resources, with the expected actions (no-op and read
ignored): anything more, less or different is printed and refused (exit 8), unless --allow-unexpected.`;

/** Adds the options of the plan-verified commands. */
function verifiedOptions(cmd: Command): Command {
  return cmd
    .option("--dry-run", "print what would change and the commands; plan and apply nothing, leave no file behind (no credentials, no Terraform needed)")
    .option("--plan-only", "synthesize, plan and check the plan; apply nothing")
    .option("--auto-approve", "apply the checked plan without asking (required without a terminal)")
    .option("--allow-unexpected", "apply even when the plan is not exactly the expected change set (after printing the difference)")
    .option("--transform <module>", "for test harnesses: a module whose transformStack(file, context) rewrites each synthesized cdk.tf.json before planning (e2e points the stack at a local AWS emulator)")
    .option("--known-drift <plan.json>", "for test harnesses: resource changes of this `terraform show -json <planfile>` output are accepted besides the expected set (an emulator's known drift)")
    .option("--json", "print the result as one JSON document on stdout (human lines go to stderr)");
}

function help(cmd: Command, text: string, codes: ExitCodeName[]): Command {
  return cmd.addHelpText("after", `${text}\n\n${exitCodeHelp(codes)}`);
}

/** The command tree; each action stores its exit code through `done`. */
export function buildProgram(ctx: Context, done: (code: number) => void): Command {
  const run = async (command: string, json: boolean | undefined, body: (out: Output) => Promise<number> | number) => {
    const out = new Output(ctx, command, Boolean(json));
    done(await runCommand(ctx, out, body));
  };

  const program = new Command("dbx")
    .description("Operations CLI of databricks-aws-cdktf: synthesize, plan and deploy an environment, re-issue its credentials, sleep and wake its network, read its status, check its Unity Catalog connections, and run the offline toolchain's checks.")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
      outputError: (s, write) => write(`dbx: ${s}`),
    })
    .showHelpAfterError("(see dbx --help, or dbx <command> --help)")
    .addHelpText("after", `\nEach command has --help. Environment: TERRAFORM_BINARY_NAME, VARS_DIR, DBX_TERRAFORM_GRACE_SECONDS, DBX_ROOT (see README "Operations CLI").\n\n${exitCodeHelp()}`);

  help(
    program
      .command("synth")
      .description("synthesize the stacks of the named environments (default: every environment of vars/, i.e. every *.json but common.json and schema.json) into cdktf.out, as npm run synth does")
      .argument("[env...]", "environments (default: all)")
      .addOption(new Option("--network-mode <mode>", "awake or asleep").choices(["awake", "asleep"]).default("awake"))
      .option("--out <dir>", "output directory (default: cdktf.out at the repository root, or CDKTF_OUTDIR)")
      .option("--json", "print the result as JSON on stdout")
      .action((envs: string[], o: SynthOptions) => run("synth", o.json, async (out) => load<typeof import("./commands/synth")>("synth").synthCommand(ctx, out, envs, o))),
    "",
    COMMON_CODES,
  );

  for (const [name, planOnly] of [
    ["deploy", false],
    ["plan", true],
  ] as const) {
    const cmd = program
      .command(name)
      .description(
        planOnly
          ? "plan provisioning-<env> then management-<env> (or one of them): show what a deploy would change; apply nothing"
          : "deploy provisioning-<env>, then management-<env> (or one with --only), each from a saved plan you approve",
      )
      .argument("<env>", ENV_ARGUMENT)
      .addOption(new Option("--only <stack>", "this stack alone").choices([...STACK_KINDS]));
    if (!planOnly) {
      cmd.option("--dry-run", "print the commands; plan and apply nothing, leave no file behind").option("--auto-approve", "apply each saved plan without asking (required without a terminal)");
    }
    cmd.option("--json", "print the result as JSON on stdout (human lines go to stderr)");
    cmd.action((env: string, o: DeployOptions) => run(name, o.json, async (out) => load<typeof import("./commands/deploy")>("deploy").deployCommand(ctx, out, environmentOf(ctx, env), { ...o, planOnly })));
    help(
      cmd,
      `\nThe network keeps the mode its state records: an asleep environment is ${planOnly ? "planned" : "deployed"} asleep (dbx wake wakes it).\nManagement reads provisioning's outputs: it is refused (exit 11) while provisioning has no state.${planOnly ? "" : "\nEach stack's plan is summarized (counts; every delete and replace listed) before the prompt."}${SAFETY}`,
      planOnly ? [...COMMON_CODES, "MISSING_PROGRAM", "NO_AWS_CREDENTIALS", "NO_DATABRICKS_CREDENTIALS", "LOCKED", "NOT_DEPLOYED", "INTERRUPTED_INT", "INTERRUPTED_TERM"] : [...APPLY_CODES, "NOT_DEPLOYED"],
    );
  }

  help(
    verifiedOptions(
      program
        .command("reset-tokens")
        .description("re-issue the credentials management runs with: replace exactly the credential resources of provisioning-<env>, nothing else")
        .argument("<env>", ENV_ARGUMENT),
    ).action((env: string, o: VerifiedOptions) => run("reset-tokens", o.json, async (out) => load<typeof import("./commands/reset-tokens")>("reset-tokens").resetTokensCommand(ctx, out, environmentOf(ctx, env), o))),
    `
The resources replaced are those the credentials construct declares (WorkspaceCredentials.replaceOnReset:
the rotation clock and the automation OAuth secret), planned with -replace and without -target, so any
drift elsewhere in the stack refuses the run instead of being applied with it. management-<env> is not
touched; it reads the new credentials on its next deploy (dbx deploy <env> --only management).
Use it when management fails to authenticate because its credentials expired (dbx status shows when).${VERIFIED}${SAFETY}`,
    [...APPLY_CODES, "PLAN_MISMATCH", "NOT_DEPLOYED"],
  );

  for (const to of ["asleep", "awake"] as const) {
    const name = to === "asleep" ? "sleep" : "wake";
    const cmd = verifiedOptions(
      program
        .command(name)
        .description(
          to === "asleep"
            ? "remove the pay-per-hour network parts of provisioning-<env> (NAT gateways, their EIPs and routes, STS/Kinesis interface endpoints); nothing stateful"
            : "restore what sleep removed: provisioning-<env> becomes its normal (awake) synth again",
        )
        .argument("<env>", ENV_ARGUMENT),
    ).addOption(new Option("--plan", "old name of --plan-only").hideHelp());
    if (to === "asleep") cmd.option("--force", 'sleep an environment whose vars say "protected": true');
    cmd.action((env: string, o: NetworkOptions & { plan?: boolean }) =>
      run(name, o.json, async (out) => {
        if (o.plan) out.warn("--plan is now --plan-only (plans and checks, applies nothing)");
        const environment = environmentOf(ctx, env);
        // A protected environment without --force is refused before the stacks load (the command's own
        // guard then finds nothing to refuse, and prints the --force warning once).
        if (to === "asleep" && !o.force) environmentModule().guardProtected(environment, "sleep", false, () => undefined);
        return load<typeof import("./commands/network")>("network").networkCommand(ctx, out, to, environment, { ...o, planOnly: o.planOnly || o.plan });
      }),
    );
    help(
      cmd,
      `
It reads the state first: a stack never deployed is refused (exit 11); one already ${to} is a no-op that
says so (exit 0); after an interrupted run only the parts left are changed. The change set is the
difference between the awake and the asleep synth of the same configuration load, and it prints the
hourly and monthly cost of those parts (ops/network-prices.ts).${to === "asleep" ? '\nA protected environment ("protected": true in its vars file, read from the same loaded\nconfiguration as the synth) needs --force (exit 4 without).' : ""}${VERIFIED}${SAFETY}`,
      [...APPLY_CODES, ...(to === "asleep" ? (["PROTECTED"] as ExitCodeName[]) : []), "PLAN_MISMATCH", "NOT_DEPLOYED"],
    );
  }

  help(
    program
      .command("status")
      .description("read the state of provisioning-<env> and management-<env>: deployed, network awake/asleep/part-way, credential expiry")
      .argument("<env>", ENV_ARGUMENT)
      .option("--json", "print the result as JSON on stdout (human lines go to stderr)")
      .action((env: string, o: { json?: boolean }) => run("status", o.json, async (out) => load<typeof import("./commands/status")>("status").statusCommand(ctx, out, environmentOf(ctx, env), o))),
    `\nChanges nothing; it takes the environment's lock while it reads (a running command is named instead).`,
    [...COMMON_CODES, "MISSING_PROGRAM", "LOCKED", "INTERRUPTED_INT", "INTERRUPTED_TERM"],
  );

  help(
    program
      .command("check-connections")
      .description("for each Unity Catalog connection of <env>: confirm it exists in the workspace and run SHOW SCHEMAS on its foreign catalog through a SQL warehouse; one line per connection with its latency")
      .argument("<env>", ENV_ARGUMENT)
      .option("--warehouse-id <id>", "run the catalog queries on this SQL warehouse (default: the environment's sqlWarehouse, found by name; without one the queries are skipped)")
      .option("--timeout-seconds <n>", `seconds each connection's check may take, lookup and query together (retries of 429/503/504 answers included); a query still running then is canceled (default ${CHECK_TIMEOUT_SECONDS.default})`)
      .option("--poll-interval-ms <n>", `milliseconds between polls of a running query (default ${POLL_INTERVAL_MS.default})`)
      .option("--json", "print the result as JSON on stdout (human lines go to stderr)")
      .action((env: string, o: CheckConnectionsOptions) =>
        run("check-connections", o.json, async (out) => load<typeof import("./commands/check-connections")>("check-connections").checkConnectionsCommand(ctx, out, env, o)),
      ),
    `
Names come from the environment's vars file (over vars/common.json) through the functions the management
stack builds with: each connection (GET /api/2.1/unity-catalog/connections/<name>), its foreign catalog,
and the SQL warehouse of sqlWarehouse. The query runs through the SQL Statement Execution API. It proves
that the connection object and its foreign catalog answer through the warehouse; the answer may be served
from the metadata Unity Catalog keeps for the foreign catalog, so it does not by itself prove the source's
credentials or network path. Changes nothing; takes no lock.

Credentials (environment variables only, never printed; configuration profiles, DATABRICKS_CONFIG_PROFILE
and ~/.databrickscfg, are not read):
  DATABRICKS_HOST   the workspace URL (the workspace_url output of provisioning-<env>)
  DATABRICKS_TOKEN  a personal access token, or
  DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET  an OAuth M2M service principal (token from <host>/oidc/v1/token)
  DATABRICKS_AUTH_TYPE  pat or oauth-m2m: required when a token and client credentials are both set
                        (both without it are refused, exit 7, as the Databricks Go SDK refuses them)
One call signs in first (GET /api/2.0/preview/scim/v2/Me): credentials the workspace refuses end the run
with one message, exit 1.
Run it as the automation service principal management runs as (or a workspace admin): the SQL warehouse's
CAN_USE goes to the consumer service principals only, so a non-admin member of the owner groups cannot run
the queries (a refused statement is reported once, as a warehouse problem, exit 13).`,
    [...COMMON_CODES, "NO_DATABRICKS_CREDENTIALS", "CHECK_FAILED", "INTERRUPTED_HUP", "INTERRUPTED_INT", "INTERRUPTED_TERM"],
  );

  for (const which of ["validate", "scan"] as const) {
    const cmd = program
      .command(which)
      .description(which === "validate" ? "tofu init + validate every synthesized stack with the offline toolchain (scripts/validate.sh)" : "checkov over every synthesized stack with the offline toolchain (scripts/scan.sh)")
      .option("--no-synth", "do not run npm run synth first")
      .option("--stacks-dir <dir>", "check the stacks under this directory (implies --no-synth)");
    if (which === "scan") cmd.option("--config <file>", "checkov config (default .checkov.yaml)");
    cmd.option("--json", "print the result as JSON on stdout (the script's output goes to stderr)");
    cmd.action((o: CheckOptions) => run(which, o.json, async (out) => load<typeof import("./commands/wrapped")>("wrapped").checkCommand(ctx, out, which, o)));
    help(cmd, `\nExit 5 when the toolchain is not built (dbx toolchain builds it); 1 when a ${which === "validate" ? "stack is invalid" : "check fails"} or the script could not run.`, [...COMMON_CODES, "MISSING_PROGRAM"]);
  }

  help(
    program
      .command("toolchain")
      .description("build or reuse the offline toolchain: OpenTofu, the providers, checkov, moto (scripts/toolchain.sh)")
      .option("--status", "show what is built")
      .option("--print-env", "print the shell exports of the built toolchain (exit 5 when it is not built)")
      .option("--json", "print the result as JSON on stdout (the script's output goes to stderr)")
      .action((o: ToolchainOptions) => run("toolchain", o.json, async (out) => load<typeof import("./commands/wrapped")>("wrapped").toolchainCommand(ctx, out, o))),
    "",
    [...COMMON_CODES.filter((c) => c !== "UNKNOWN_ENV"), "MISSING_PROGRAM"],
  );
  return program;
}

/** Runs one command body, turning every ending into an exit code and at most one message. */
export async function runCommand(ctx: Context, out: Output, body: (out: Output) => Promise<number> | number): Promise<number> {
  try {
    const code = await body(out);
    // A signal during the last step, which then completed: the run is done; say so rather than hide it.
    if (ctx.interrupts.signal) ctx.io.stderr(`dbx ${out.command}: ${ctx.interrupts.signal} arrived as the last step was finishing; that step completed, the result above stands.\n`);
    return code;
  } catch (e) {
    if (e instanceof Interrupted) {
      ctx.io.stderr(`dbx ${out.command}: interrupted by ${e.signal} before anything was planned or applied; nothing changed.\n`);
      const exitCode = interruptedExitCode(e.signal);
      out.result({ ok: false, exitCode, interrupted: e.signal });
      return exitCode;
    }
    const known = e instanceof OpsError;
    const exitCode = known ? e.exitCode : EXIT.FAILURE;
    const message = known ? e.message : `unexpected error: ${(e as Error).message ?? String(e)}`;
    ctx.io.stderr(`dbx ${out.command}: error: ${message}\n`);
    if (!known && ctx.env.DBX_DEBUG) ctx.io.stderr(`${(e as Error).stack}\n`);
    out.result({ ok: false, exitCode, error: message });
    return exitCode;
  }
}

/** Parses `argv` (without node and the script) and runs the command; resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: Context): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(ctx, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    throw e;
  }
  return code;
}

/** The `dbx` process: real streams and terminal, signal handlers, exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  const ctx = processContext(lazySynthesizer);
  const uninstall = ctx.interrupts.install();
  try {
    process.exitCode = await runCli(argv, ctx);
  } finally {
    uninstall();
  }
}

if (require.main === module) void main(process.argv.slice(2));
