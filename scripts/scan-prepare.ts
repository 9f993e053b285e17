/**
 * The data handling of scripts/scan.sh, in TypeScript: the checks and copies around the checkov run.
 *
 *   tsx scripts/scan-prepare.ts --config <checkov.yaml>
 *       refuses a project-wide skip without a written reason (before the toolchain is looked for)
 *   tsx scripts/scan-prepare.ts --config <checkov.yaml> <stacks dir> <work dir> <baseline.json>
 *       ... then copies every `<stacks dir>/<stack>/cdk.tf.json` to `<work dir>/<stack>/cdk.tf.json` without
 *       `terraform.required_version` (with it checkov reports a parsing error, checks nothing and exits 0:
 *       checkov issue #7454), and writes the per-resource skips declared in code as a checkov baseline
 *       (scripts/checkov-baseline.ts), printing each skip with its reason.
 *
 * Every problem is one line on stderr. Exit codes: 0 done; 2 a skip without a reason, an invalid
 * per-resource skip, a stack that is not valid JSON, no stack at all, or a usage error (scan.sh passes it on).
 */
import * as fs from "fs";
import * as path from "path";
import type { StackJson } from "./checkov-baseline";

/**
 * scripts/checkov-baseline.ts, loaded when stacks are prepared: it reads the skips through the provider
 * bindings and cdktf (about half a second), which the config check before the toolchain does not need.
 */
function baselineModule(): typeof import("./checkov-baseline") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./checkov-baseline") as typeof import("./checkov-baseline");
}

/** A project-wide skip of `.checkov.yaml`: the check id and the reason written after `# reason:` ("" when none). */
export interface ConfigSkip {
  readonly checkId: string;
  readonly reason: string;
}

/**
 * The entries of the top-level `skip-check:` list, one per line, with the reason written on the same line
 * (`  - CKV_AWS_18  # reason: <why>`). Line based on purpose: a YAML parser drops the comments that hold
 * the reasons. `skip-check: []` and a missing list give none.
 */
export function configSkips(yamlText: string): ConfigSkip[] {
  const skips: ConfigSkip[] = [];
  let inList = false;
  for (const line of yamlText.split(/\r?\n/)) {
    if (/^skip-check:/.test(line)) {
      inList = !/\[\]/.test(line);
      continue;
    }
    if (inList && /^[^\s#-]/.test(line)) inList = false;
    const item = inList ? /^\s*-\s*([^\s#]+)(.*)$/.exec(line) : null;
    if (!item) continue;
    const reason = /#\s*reason:\s*(.*)$/.exec(item[2])?.[1].trim() ?? "";
    skips.push({ checkId: item[1], reason });
  }
  return skips;
}

/** `doc` without `terraform.required_version` (checkov issue #7454); the input is not changed. */
export function withoutRequiredVersion(doc: Record<string, unknown>): Record<string, unknown> {
  const terraform = doc.terraform as Record<string, unknown> | undefined;
  if (!terraform || !("required_version" in terraform)) return doc;
  const { required_version: _dropped, ...rest } = terraform;
  return { ...doc, terraform: rest };
}

class Refused extends Error {}

function checkConfig(config: string): number {
  if (!fs.existsSync(config)) throw new Refused(`no checkov config file: ${config}`);
  const skips = configSkips(fs.readFileSync(config, "utf8"));
  const missing = skips.filter((s) => s.reason === "").map((s) => s.checkId);
  if (missing.length > 0) {
    throw new Refused(`skipped check(s) without a written reason in ${config}: ${missing.join(" ")} (write '# reason: ...' on the same line)`);
  }
  return skips.length;
}

function prepare(stacksDir: string, workDir: string, baselineFile: string): number {
  const stacks: Record<string, StackJson> = {};
  const names = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  for (const name of names) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new Refused(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    fs.mkdirSync(path.join(workDir, name), { recursive: true });
    fs.writeFileSync(path.join(workDir, name, "cdk.tf.json"), JSON.stringify(withoutRequiredVersion(doc), null, 2));
    stacks[name] = doc as StackJson;
  }
  if (Object.keys(stacks).length === 0) throw new Refused(`no stacks (*/cdk.tf.json) under ${stacksDir}`);
  const { baselineOf, collectSkips } = baselineModule();
  const { skips, problems } = collectSkips(stacks);
  if (problems.length > 0) throw new Refused(`invalid per-resource checkov skip:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  fs.writeFileSync(baselineFile, `${JSON.stringify(baselineOf(skips), null, 2)}\n`);
  // One line per resource and reason: the checks it skips, where, and why.
  const lines = new Map<string, string[]>();
  for (const s of skips) {
    const key = `${s.stack} ${s.resource}: ${s.reason}`;
    lines.set(key, [...(lines.get(key) ?? []), s.checkId]);
  }
  for (const [where, ids] of lines) process.stderr.write(`scan: skip ${ids.join(",")} for ${where}\n`);
  return Object.keys(stacks).length;
}

function main(argv: string[]): number {
  const usage = "usage: tsx scripts/scan-prepare.ts --config <checkov.yaml> [<stacks dir> <work dir> <baseline.json>]\n";
  if (argv[0] !== "--config" || !argv[1] || (argv.length !== 2 && argv.length !== 5)) {
    process.stderr.write(usage);
    return 2;
  }
  try {
    const count = checkConfig(argv[1]);
    if (argv.length === 2) return 0;
    const [, , stacksDir, workDir, baselineFile] = argv;
    const found = prepare(stacksDir, workDir, baselineFile);
    process.stderr.write(`scan: checkov over ${found} stack(s) from ${stacksDir}, ${count} skipped check id(s) from ${argv[1]}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    process.stderr.write(`scan: error: ${e.message}\n`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
