/**
 * Turns a synthesized `provisioning-<env>` stack into the variant the end-to-end test applies against a
 * local moto server. Usage:
 *
 *   tsx scripts/e2e/prepare.ts <cdk.tf.json> <out-dir> --endpoint http://127.0.0.1:<port> [--keep-databricks]
 *
 * What changes, and why (nothing else does):
 * - Databricks resources (`databricks_*` resources, the outputs that read them, any workspace-level
 *   Databricks provider, and the Databricks data sources that call an API, e.g. `databricks_group` or
 *   `databricks_metastore`) are removed: the Databricks account API cannot run locally. They are covered by
 *   `tofu validate` and by the unit tests' assertions instead. The Databricks policy data sources
 *   ({@link OFFLINE_DATABRICKS_DATA_SOURCES}) stay: the provider computes them locally without any API
 *   call, so the AWS resources get the real policies. Where such a data source reads a removed resource
 *   (the Unity Catalog trust policy reads the storage credential's external id, which only Databricks
 *   issues), that argument becomes the literal {@link E2E_PLACEHOLDER}, and the run says so.
 * - The AWS provider talks to the moto endpoint (every service), with test credentials, path-style S3 and
 *   no metadata lookups. `allowed_account_ids` stays: moto runs as the environment's account.
 * - The backend becomes a local state file in `<out-dir>`; `time_sleep` waits 1 s instead of 30 s.
 * - `--keep-databricks` keeps the Databricks resources, for a plan that shows them as the only changes.
 * Provider versions are left as the bindings require; e2e.sh then points them at what the local mirror
 * holds with scripts/lib/retarget-providers.js, as validate.sh does.
 */
import * as fs from "fs";
import * as path from "path";

type Json = Record<string, any>;

/** AWS services the provisioning stack uses; each gets the moto endpoint. */
const AWS_SERVICES = ["cloudwatchlogs", "ec2", "iam", "kms", "s3", "s3control", "sts"];

/** Databricks data sources the provider computes locally, with no API call (provider `docs/data-sources/aws_*.md`). */
export const OFFLINE_DATABRICKS_DATA_SOURCES = [
  "databricks_aws_assume_role_policy",
  "databricks_aws_bucket_policy",
  "databricks_aws_crossaccount_policy",
  "databricks_aws_unity_catalog_assume_role_policy",
  "databricks_aws_unity_catalog_policy",
];
/** Stands in for a value only Databricks issues (e.g. a storage credential's external id). */
export const E2E_PLACEHOLDER = "e2e-placeholder-issued-by-databricks";

export function prepare(stack: Json, endpoint: string, keepDatabricks = false): { stack: Json; placeholders: string[] } {
  const out: Json = JSON.parse(JSON.stringify(stack));
  const removed = new Set<string>();
  const placeholders: string[] = [];
  if (!keepDatabricks) {
    for (const type of Object.keys(out.resource ?? {})) {
      if (!type.startsWith("databricks_")) continue;
      for (const name of Object.keys(out.resource[type])) removed.add(`${type}.${name}`);
      delete out.resource[type];
    }
    for (const type of Object.keys(out.data ?? {})) {
      if (!type.startsWith("databricks_") || OFFLINE_DATABRICKS_DATA_SOURCES.includes(type)) continue;
      for (const name of Object.keys(out.data[type])) removed.add(`data.${type}.${name}`);
      delete out.data[type];
    }
    delete out.import;
  }
  const mentionsRemoved = (value: unknown) => {
    const text = JSON.stringify(value);
    return [...removed].some((address) => text.includes(`${address}.`) || text.includes(`${address}}`));
  };
  for (const [name, output] of Object.entries<Json>(out.output ?? {})) if (mentionsRemoved(output)) delete out.output[name];
  // Offline data sources that read a removed resource get a placeholder for that argument.
  for (const type of OFFLINE_DATABRICKS_DATA_SOURCES) {
    for (const [name, body] of Object.entries<Json>(out.data?.[type] ?? {})) {
      for (const [arg, value] of Object.entries(body)) {
        if (arg === "//" || arg === "depends_on" || !mentionsRemoved(value)) continue;
        body[arg] = E2E_PLACEHOLDER;
        placeholders.push(`data.${type}.${name}.${arg}`);
      }
    }
  }
  // Resources outside Databricks that still read a removed one would fail the plan: there must be none.
  for (const [type, byName] of Object.entries<Json>(out.resource ?? {})) {
    for (const [name, body] of Object.entries<Json>(byName)) {
      if (mentionsRemoved(body)) throw new Error(`${type}.${name} depends on a Databricks resource; the e2e variant cannot apply it`);
    }
  }
  if (!keepDatabricks) out.provider.databricks = (out.provider.databricks as Json[]).filter((p) => p.alias === "account");

  out.provider.aws = (out.provider.aws as Json[]).map((p) => ({
    ...p,
    access_key: "test",
    secret_key: "test",
    skip_credentials_validation: true,
    skip_metadata_api_check: "true",
    skip_region_validation: true,
    s3_use_path_style: true,
    endpoints: [Object.fromEntries(AWS_SERVICES.map((s) => [s, endpoint]))],
  }));

  out.terraform.backend = { local: { path: "terraform.tfstate" } };
  for (const sleep of Object.values<Json>(out.resource?.time_sleep ?? {})) sleep.create_duration = "1s";
  return { stack: out, placeholders };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const [input, outDir] = args;
  const endpoint = args[args.indexOf("--endpoint") + 1];
  if (!input || !outDir || !args.includes("--endpoint") || !endpoint) {
    console.error("usage: tsx scripts/e2e/prepare.ts <cdk.tf.json> <out-dir> --endpoint URL [--keep-databricks]");
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const { stack: prepared, placeholders } = prepare(JSON.parse(fs.readFileSync(input, "utf8")), endpoint, args.includes("--keep-databricks"));
  fs.writeFileSync(path.join(outDir, "main.tf.json"), JSON.stringify(prepared, null, 2));
  const kept = Object.values<Json>(prepared.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
  console.log(`prepared ${path.join(outDir, "main.tf.json")}: ${kept} resources${args.includes("--keep-databricks") ? "" : " (Databricks resources excluded)"}`);
  for (const p of placeholders) console.log(`  ${p} = "${E2E_PLACEHOLDER}" (only Databricks issues it)`);
}
