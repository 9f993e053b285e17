/**
 * What every command runs with: where it writes (stdout/stderr, injectable for in-process tests), how it
 * asks for approval, the environment variables, the directories it works in, and the interrupt handling.
 */
import * as path from "path";
import * as readline from "readline";
import { Interrupts } from "./interrupts";

/** The repository root: the parent of `ops/`. */
export const REPO_ROOT = path.resolve(__dirname, "..");

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Asks `question` on the terminal and resolves to the line typed. Only called when `interactive`. */
  readonly ask: (question: string) => Promise<string>;
  /** Standard input is a terminal, so an approval can be asked. */
  readonly interactive: boolean;
  /** Standard error is a terminal (Terraform's colours are kept only then). */
  readonly colour: boolean;
}

export interface Context {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  /** The working directory relative paths (VARS_DIR, --transform) are resolved against. */
  readonly cwd: string;
  /**
   * Where local state lives (`terraform.<stack>.tfstate`, see stacks/backend.ts), and where runs keep
   * their synth directories and locks: the repository root, or `DBX_ROOT`.
   */
  readonly root: string;
  readonly interrupts: Interrupts;
  /** Clock, for lock times and credential expiry. */
  readonly now: () => Date;
  /**
   * The synth a run uses: ops/synth.ts in a real run (`lazySynthesizer` of ops/cli.ts: loaded on first
   * use, so `--help` and the guards before it load no cdktf). In-process tests hand in one that reuses a
   * synth across runs.
   */
  readonly synthesizer: Synthesizer;
}

/** The functions of ops/synth.ts that build the stacks. */
export type Synthesizer = Pick<typeof import("./synth"), "synthesize" | "synthesizeInMemory">;

/** Seconds Terraform gets to stop after the forwarded interrupt before it is killed: `DBX_TERRAFORM_GRACE_SECONDS`, default 120. */
export const DEFAULT_GRACE_SECONDS = 120;

export function graceSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.DBX_TERRAFORM_GRACE_SECONDS;
  const n = raw === undefined || raw === "" ? DEFAULT_GRACE_SECONDS : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_GRACE_SECONDS;
}

/** The context of a real run: the process's streams, terminal and environment, and `synthesizer`. */
export function processContext(synthesizer: Synthesizer): Context {
  // A reader that went away (`dbx ... | head`) must not crash a run that may be applying: drop the output.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  }
  const io: Io = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    ask: (question) =>
      new Promise((resolve, reject) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
        // Ctrl-C at the prompt (the terminal is in raw mode, so it arrives here, not as a signal).
        rl.on("SIGINT", () => {
          rl.close();
          reject(new PromptInterrupted());
        });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
    interactive: Boolean(process.stdin.isTTY),
    colour: Boolean(process.stderr.isTTY),
  };
  const env = process.env;
  return {
    io,
    env,
    cwd: process.cwd(),
    root: env.DBX_ROOT ? path.resolve(env.DBX_ROOT) : REPO_ROOT,
    interrupts: new Interrupts(graceSeconds(env), (line) => io.stderr(`dbx: ${line}\n`)),
    now: () => new Date(),
    synthesizer,
  };
}

/** Ctrl-C typed at the approval prompt. */
export class PromptInterrupted extends Error {
  constructor() {
    super("interrupted at the prompt");
  }
}

/**
 * Where a command's lines go. Results go to stdout, unless `--json` is given: then stdout carries only the
 * JSON document and every human line goes to stderr. Progress lines always go to stderr.
 */
export class Output {
  private readonly started = Date.now();

  constructor(
    private readonly ctx: Context,
    public readonly command: string,
    public readonly json: boolean,
  ) {}

  /** A result line for people. */
  say(text = ""): void {
    (this.json ? this.ctx.io.stderr : this.ctx.io.stdout)(`${text}\n`);
  }

  /** A progress line, with the seconds since the command started. */
  progress(text: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5);
    this.ctx.io.stderr(`dbx ${this.command}: [${seconds}s] ${text}\n`);
  }

  warn(text: string): void {
    this.ctx.io.stderr(`dbx ${this.command}: warning: ${text}\n`);
  }

  /** Raw text for people (Terraform's own output), always to stderr. */
  raw(text: string): void {
    this.ctx.io.stderr(text);
  }

  /** The machine-readable result, printed once at the end with --json. */
  result(doc: Record<string, unknown>): void {
    if (this.json) this.ctx.io.stdout(`${JSON.stringify({ command: this.command, ...doc }, null, 2)}\n`);
  }
}
