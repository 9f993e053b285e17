/**
 * The e2e variant of a synthesized `provisioning-<env>` stack, as one function used two ways:
 *
 * - by the operations CLI, `dbx sleep|wake <env> --transform scripts/e2e/transform.ts`: the CLI calls
 *   {@link transformStack} on each stack it synthesized, before planning it (management stacks are left as
 *   they are: e2e never plans them);
 * - by scripts/e2e.sh for its own applies: `tsx scripts/e2e/transform.ts <cdk.tf.json> <out.tf.json> [--keep-databricks]`.
 *
 * The variant is scripts/e2e/prepare.ts's (AWS provider pointed at moto, Databricks resources excluded),
 * with the state at the absolute path E2E_STATE, so that e2e.sh's own tofu runs and the CLI's runs (in its
 * run directory) share one state, and with the provider versions the toolchain mirror holds
 * (scripts/lib/retarget-providers.js, NOTE lines on stderr). Both ways give byte-identical files, so e2e can
 * compare the CLI's woken configuration with its first awake one.
 *
 * Environment: E2E_ENDPOINT (moto URL), E2E_STATE (state file), E2E_PROVIDERS_TSV (the toolchain's
 * providers.tsv; optional).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { E2E_PLACEHOLDER, prepare } from "./prepare";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`scripts/e2e/transform.ts: ${name} is not set`);
  return value;
}

/** Rewrites `input` (a synthesized cdk.tf.json) into the e2e variant at `output` (default: in place). */
export function writeVariant(input: string, output = input, keepDatabricks = false): void {
  const { stack: variant, placeholders } = prepare(JSON.parse(fs.readFileSync(input, "utf8")), required("E2E_ENDPOINT"), keepDatabricks);
  for (const p of placeholders) process.stderr.write(`NOTE: ${p} = "${E2E_PLACEHOLDER}" (only Databricks issues it)\n`);
  variant.terraform.backend = { local: { path: path.resolve(required("E2E_STATE")) } };
  fs.writeFileSync(output, JSON.stringify(variant, null, 2));
  const tsv = process.env.E2E_PROVIDERS_TSV;
  if (tsv) execFileSync(process.execPath, [path.join(__dirname, "..", "lib", "retarget-providers.js"), output, tsv], { stdio: ["ignore", 2, 2] });
}

/** The CLI's --transform hook. */
export function transformStack(file: string, context: { readonly stackId: string }): void {
  if (context.stackId.startsWith("provisioning-")) writeVariant(file);
}

if (require.main === module) {
  const [input, output, ...rest] = process.argv.slice(2);
  if (!input || !output || rest.some((a) => a !== "--keep-databricks")) {
    console.error("usage: tsx scripts/e2e/transform.ts <cdk.tf.json> <out.tf.json> [--keep-databricks]   (env: E2E_ENDPOINT, E2E_STATE, E2E_PROVIDERS_TSV)");
    process.exit(2);
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  writeVariant(input, output, rest.includes("--keep-databricks"));
  console.error(`prepared ${output}${rest.includes("--keep-databricks") ? "" : " (Databricks resources excluded)"}`);
}
