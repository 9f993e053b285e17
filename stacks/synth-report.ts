/**
 * What `npm run synth` prints after a successful synth: one line per stack written (resources, data
 * sources and outputs, counted from the synthesized `cdk.tf.json`), the output directory and the wall time.
 *
 * The list of stacks comes from the `manifest.json` cdktf writes into the output directory (its
 * `stacks.<name>.synthesizedStackPath`), so a stack left over from an earlier run with other `ENVS` is
 * never reported as written.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";

/** Usage line of `npm run synth`. */
export const SYNTH_USAGE = "Usage: npm run synth [-- --quiet]   (environment: ENVS, VARS_DIR, NETWORK_MODE; see main.ts)";

/** Options of `npm run synth`. */
export interface SynthOptions {
  /** Print no report on success (findings of the security rules still go to stderr). @default false */
  readonly quiet: boolean;
  /** Print the usage and synthesize nothing. @default false */
  readonly help: boolean;
}

/**
 * Parses the command line of `npm run synth` (node's `util.parseArgs`, strict).
 * @throws Error naming the unknown option or the unexpected argument.
 */
export function parseSynthArgs(args: readonly string[]): SynthOptions {
  const { values } = parseArgs({
    args: [...args],
    options: { quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  return { quiet: values.quiet ?? false, help: values.help ?? false };
}

/** Counts of the top-level blocks of one synthesized stack. */
export interface StackCounts {
  /** `resource.<type>.<name>` entries. */
  readonly resources: number;
  /** `data.<type>.<name>` entries. */
  readonly dataSources: number;
  /** `output.<name>` entries. */
  readonly outputs: number;
}

/** One stack written by a synth. */
export interface StackSummary extends StackCounts {
  /** Stack name, e.g. `provisioning-dev`. */
  readonly name: string;
  /** Absolute path of its `cdk.tf.json`. */
  readonly file: string;
}

type BlockMap = Record<string, Record<string, unknown>>;

/** Counts resources, data sources and outputs of a parsed `cdk.tf.json` document. */
export function countBlocks(doc: { resource?: BlockMap; data?: BlockMap; output?: Record<string, unknown> }): StackCounts {
  const nested = (blocks: BlockMap | undefined) => Object.values(blocks ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return { resources: nested(doc.resource), dataSources: nested(doc.data), outputs: Object.keys(doc.output ?? {}).length };
}

/**
 * Reads `<outdir>/manifest.json` and every stack file it names.
 * @throws Error naming the file when the manifest or a stack file is missing or not JSON.
 */
export function summarizeSynth(outdir: string): StackSummary[] {
  const manifestFile = path.join(outdir, "manifest.json");
  const manifest = readJson(manifestFile) as { stacks?: Record<string, { name?: string; synthesizedStackPath?: string }> };
  return Object.entries(manifest.stacks ?? {}).map(([key, entry]) => {
    if (!entry.synthesizedStackPath) throw new Error(`${manifestFile}: stacks.${key}.synthesizedStackPath: expected a path, found none`);
    const file = path.join(outdir, entry.synthesizedStackPath);
    return { name: entry.name ?? key, file, ...countBlocks(readJson(file) as Parameters<typeof countBlocks>[0]) };
  });
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`${file}: expected a file written by synth, found none`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file}: expected JSON, found a syntax error`);
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The report lines: one per stack (name, counts, file relative to `cwd`), then a summary line with the
 * output directory and the wall time in seconds (one decimal).
 */
export function formatSynthReport(stacks: readonly StackSummary[], outdir: string, wallSeconds: number, cwd = process.cwd()): string[] {
  const rel = (p: string) => {
    const r = path.relative(cwd, p);
    return r === "" ? "." : r.startsWith("..") || path.isAbsolute(r) ? p : r;
  };
  const nameWidth = Math.max(0, ...stacks.map((s) => s.name.length));
  const cells = stacks.map((s) => [
    [s.resources, s.resources === 1 ? "resource" : "resources"],
    [s.dataSources, s.dataSources === 1 ? "data source" : "data sources"],
    [s.outputs, s.outputs === 1 ? "output" : "outputs"],
  ] as const);
  // Numbers right-aligned, words left-aligned, per column.
  const numberWidth = [0, 1, 2].map((j) => Math.max(0, ...cells.map((c) => String(c[j][0]).length)));
  const wordWidth = [0, 1, 2].map((j) => Math.max(0, ...cells.map((c) => c[j][1].length)));
  const lines = stacks.map((s, i) => {
    const counts = cells[i].map(([n, word], j) => `${String(n).padStart(numberWidth[j])} ${word.padEnd(wordWidth[j])}`).join("  ");
    return `${s.name.padEnd(nameWidth)}  ${counts}  ${rel(s.file)}`;
  });
  lines.push(`synth: ${plural(stacks.length, "stack", "stacks")} written to ${rel(outdir)} in ${wallSeconds.toFixed(1)} s`);
  return lines;
}
