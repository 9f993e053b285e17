/**
 * The state contract: a checked-in inventory of every resource address of every stack of every environment
 * in `vars/` (`state-contract/<stack>.json`, address -> construct path). Terraform keys state by address, so
 * an address that disappears is a resource Terraform would destroy, and a new one is a resource it would
 * create: a renamed construct id, or a list reordering that feeds ids, replaces real infrastructure while
 * every other test still passes. The test `__tests__/state-contract.test.ts` fails on any difference;
 * accepting one is a reviewed decision:
 *
 *   npm run state-contract                 check (exit 1 and the difference when it changed)
 *   npm run state-contract -- --update     rewrite the inventory from the current code, to commit
 *
 * Intended renames keep their state with cdktf's move support (`resource.moveFromId("<old address>")`, or
 * `moveToId`/`moveTo` on the old construct), which synthesizes a Terraform `moved` block; the check reports
 * such pairs as moved rather than destroyed and created. Exit codes: 0 unchanged (or updated), 1 changed or
 * invalid vars, 2 usage error. VARS_DIR as for main.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "../config/load";
import { addEnvironmentStacks } from "../stacks/app";

/** Where the inventory lives, one JSON file per stack. */
export const STATE_CONTRACT_DIR = path.resolve(__dirname, "..", "state-contract");
/** The command that rewrites the inventory on purpose. */
export const UPDATE_COMMAND = "npm run state-contract -- --update";

/** The parts of a synthesized `cdk.tf.json` the contract reads. */
export type SynthesizedStack = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  moved?: { from: string; to: string }[];
};

/** One stack's inventory: resource address -> construct path below the stack (e.g. `keys/data-lake`). */
export type Inventory = Record<string, string>;

export interface ContractFile {
  readonly stack: string;
  readonly resources: Inventory;
}

export interface ContractDiff {
  readonly stack: string;
  /** In the contract, not in the configuration, and not moved: Terraform would destroy these. */
  readonly destroyed: { address: string; path: string }[];
  /** In the configuration, not in the contract, and not the target of a move: Terraform would create these. */
  readonly created: { address: string; path: string }[];
  /** Addresses whose state follows a `moved` block of the configuration. */
  readonly moved: { from: string; to: string }[];
}

/** Every resource address of a synthesized stack with its construct path (the stack id stripped). */
export function inventoryOf(stack: SynthesizedStack): Inventory {
  const entries: [string, string][] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const metaPath = (body["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? "";
      entries.push([`${type}.${name}`, metaPath.split("/").slice(1).join("/")]);
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Compares a stack's contract with its current inventory and `moved` blocks. */
export function compareInventory(stack: string, contract: Inventory | undefined, current: Inventory, moves: readonly { from: string; to: string }[] = []): ContractDiff {
  const before = contract ?? {};
  const moved = moves.filter((m) => m.from in before && !(m.from in current) && m.to in current && !(m.to in before));
  const movedFrom = new Set(moved.map((m) => m.from));
  const movedTo = new Set(moved.map((m) => m.to));
  return {
    stack,
    destroyed: Object.keys(before).filter((a) => !(a in current) && !movedFrom.has(a)).map((address) => ({ address, path: before[address] })),
    created: Object.keys(current).filter((a) => !(a in before) && !movedTo.has(a)).map((address) => ({ address, path: current[address] })),
    moved,
  };
}

export function isUnchanged(diff: ContractDiff): boolean {
  return diff.destroyed.length === 0 && diff.created.length === 0 && diff.moved.length === 0;
}

/**
 * The explanation printed when a stack's addresses changed: what Terraform would destroy and create, how to
 * accept the change, and, for a destroyed and a created address of the same type, the `moveFromId` call
 * that keeps the state if it is a rename.
 */
export function formatDiff(diff: ContractDiff): string {
  const lines = [`State contract of ${diff.stack} changed (state-contract/${diff.stack}.json):`];
  if (diff.destroyed.length > 0) {
    lines.push(`  would be destroyed (in the contract, gone from the configuration): ${diff.destroyed.length}`);
    for (const r of diff.destroyed) lines.push(`    - ${r.address}  (${r.path})`);
  }
  if (diff.created.length > 0) {
    lines.push(`  would be created (new addresses): ${diff.created.length}`);
    for (const r of diff.created) lines.push(`    + ${r.address}  (${r.path})`);
  }
  if (diff.moved.length > 0) {
    lines.push(`  moved (state follows a moved block): ${diff.moved.length}`);
    for (const m of diff.moved) lines.push(`    ~ ${m.from} -> ${m.to}`);
  }
  const typeOf = (address: string) => address.split(".")[0];
  const renames = diff.destroyed.flatMap((d) => {
    const same = diff.created.filter((c) => typeOf(c.address) === typeOf(d.address));
    const sameDestroyed = diff.destroyed.filter((o) => typeOf(o.address) === typeOf(d.address));
    return same.length === 1 && sameDestroyed.length === 1 ? [{ from: d, to: same[0] }] : [];
  });
  lines.push(
    "",
    "Every address above is real infrastructure: a destroyed bucket, key or workspace loses its data.",
    "- If a construct id or an id-feeding list changed by accident, restore it.",
    "- If it is a rename, keep the state with cdktf's move support on the new resource, then accept:",
    ...(renames.length > 0
      ? renames.map((r) => `    <construct at ${r.to.path}>.moveFromId("${r.from.address}");`)
      : ['    newResource.moveFromId("<old address>");   // or oldResource.moveToId("<new address>")']),
    `- If resources are meant to be added or removed, accept it: ${UPDATE_COMMAND}, and commit state-contract/.`,
  );
  return lines.join("\n");
}

export function contractFile(stack: string, dir = STATE_CONTRACT_DIR): string {
  return path.join(dir, `${stack}.json`);
}

/** The stacks the checked-in contract covers. */
export function contractStacks(dir = STATE_CONTRACT_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
}

export function readContract(stack: string, dir = STATE_CONTRACT_DIR): Inventory | undefined {
  const file = contractFile(stack, dir);
  if (!fs.existsSync(file)) return undefined;
  return (JSON.parse(fs.readFileSync(file, "utf8")) as ContractFile).resources;
}

export function writeContract(stack: string, inventory: Inventory, dir = STATE_CONTRACT_DIR): void {
  fs.mkdirSync(dir, { recursive: true });
  const body: ContractFile = { stack, resources: inventory };
  fs.writeFileSync(contractFile(stack, dir), `${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Compares every synthesized stack with the contract in `dir`; a stack with a contract file but no longer
 * synthesized counts as destroyed entirely. Returns the changed stacks only.
 */
export function checkContract(stacks: Record<string, SynthesizedStack>, dir = STATE_CONTRACT_DIR): ContractDiff[] {
  const ids = [...new Set([...Object.keys(stacks), ...contractStacks(dir)])].sort();
  return ids
    .map((id) => compareInventory(id, readContract(id, dir), stacks[id] ? inventoryOf(stacks[id]) : {}, stacks[id]?.moved ?? []))
    .filter((d) => !isUnchanged(d));
}

/** Rewrites the contract in `dir` from `stacks`, removing files of stacks that no longer exist. */
export function updateContract(stacks: Record<string, SynthesizedStack>, dir = STATE_CONTRACT_DIR): void {
  for (const id of contractStacks(dir)) if (!stacks[id]) fs.rmSync(contractFile(id, dir));
  for (const [id, json] of Object.entries(stacks)) writeContract(id, inventoryOf(json), dir);
}

/** Synthesizes every stack of every environment in `varsDir` (awake) and returns stack id -> cdk.tf.json. */
export function synthesizeAll(varsDir: string): Record<string, SynthesizedStack> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "state-contract-"));
  try {
    const app = new App({ outdir });
    addEnvironmentStacks(app, loadEnvironments(varsDir));
    app.synth();
    const out: Record<string, SynthesizedStack> = {};
    for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
      out[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as SynthesizedStack;
    }
    return out;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const usage = `usage: tsx scripts/state-contract.ts [--update]\n  check the state contract (default), or rewrite it from the code with --update (${UPDATE_COMMAND})\n`;
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(usage);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--update");
  if (unknown.length > 0) {
    process.stderr.write(`state-contract: unknown argument ${JSON.stringify(unknown[0])}\n${usage}`);
    return 2;
  }
  const varsDir = process.env.VARS_DIR ?? path.resolve(__dirname, "..", "vars");
  let stacks: Record<string, SynthesizedStack>;
  try {
    stacks = synthesizeAll(varsDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`);
    return 1;
  }
  const changed = checkContract(stacks);
  if (argv.includes("--update")) {
    updateContract(stacks);
    for (const d of changed) process.stdout.write(`updated ${path.relative(process.cwd(), contractFile(d.stack))}: -${d.destroyed.length} +${d.created.length} ~${d.moved.length}\n`);
    process.stdout.write(`state contract: ${Object.keys(stacks).length} stacks, ${changed.length} changed\n`);
    return 0;
  }
  if (changed.length === 0) {
    process.stdout.write(`state contract: ${Object.keys(stacks).length} stacks unchanged\n`);
    return 0;
  }
  process.stderr.write(`${changed.map(formatDiff).join("\n\n")}\n`);
  return 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
