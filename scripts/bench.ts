/**
 * `npm run bench`: wall times, measured, never asserted. Side by side:
 *   - synth of every environment through the real entry point (`tsx main.ts`, what `npm run synth` runs);
 *   - the same app through the cdktf CLI (`cdktf synth`, which adds the CLI's own start-up);
 *   - with --tests, `npm test` (the type check + vitest), once or --test-runs times.
 * Each into a temporary output directory (cdktf.out is not touched), CHECKPOINT_DISABLE=1 so the CLI does not
 * wait on checkpoint-api.hashicorp.com.
 *
 * Usage: npm run bench -- [runs] [--cli-runs N] [--tests] [--test-runs N]
 *   (default: 5 synth runs, 3 CLI runs, no tests; --test-runs N implies --tests)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function count(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench: ${what}: expected a whole number >= 0, found ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

/** Runs `command` `runs` times, each with a fresh output directory; returns the wall times in ms. */
function measure(label: string, runs: number, command: string, args: (outdir: string) => string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-out-"));
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args(outdir), { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (r.status !== 0) {
      console.error(`bench: ${label} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    times.push(ms);
    console.log(`${label}: run ${i + 1}/${runs}: ${(ms / 1000).toFixed(2)} s`);
  }
  return times;
}

function row(label: string, times: number[]): string {
  if (times.length === 0) return `${label.padEnd(44)}  (not run)`;
  const sorted = [...times].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return `${label.padEnd(44)}  ${String(sorted.length).padStart(4)}  ${s(sorted[0])}  ${s(median)}  ${s(sorted[sorted.length - 1])}`;
}

const USAGE = `Usage: npm run bench -- [runs] [--cli-runs N] [--tests] [--test-runs N]

Wall times, min/median/max, side by side:
  runs            synths of every environment through tsx main.ts (npm run synth's path); default 5
  --cli-runs N    the same through the cdktf CLI (cdktf synth); default 3
  --tests         npm test (the type check + vitest) once
  --test-runs N   npm test N times (implies --tests)`;

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({ options: { "cli-runs": { type: "string" }, tests: { type: "boolean" }, "test-runs": { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return;
  }
  const runs = count(parsed.positionals[0], 5, "runs");
  const cliRuns = count(parsed.values["cli-runs"], 3, "--cli-runs");
  const testRuns = count(parsed.values["test-runs"], parsed.values.tests ? 1 : 0, "--test-runs");
  const synth = measure("npm run synth path (tsx main.ts)", runs, bin("tsx"), () => ["main.ts", "--quiet"]);
  const cli = measure("cdktf synth (CLI)", cliRuns, bin("cdktf"), (outdir) => ["synth", "--output", outdir]);
  const tests = measure("npm test (type check + vitest)", testRuns, "npm", () => ["test", "--silent"]);
  console.log("");
  console.log(`${"wall time, all environments".padEnd(44)}  runs        min     median        max`);
  console.log(row("npm run synth path (tsx main.ts)", synth));
  console.log(row("cdktf synth (CLI: same app + CLI start-up)", cli));
  console.log(row("npm test (type check + vitest)", tests));
  console.log(`(${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)} at the end, Node ${process.versions.node})`);
}

main();
