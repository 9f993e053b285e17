/**
 * `"protected": true` (prod) puts `lifecycle.prevent_destroy` on every stateful resource, by type, and on
 * nothing else; an unprotected environment (dev) gets none; sleeping the network never touches a protected
 * resource, so sleep and wake keep working on prod.
 */
import * as fs from "fs";
import * as path from "path";
import { App, Aspects, TerraformStack } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { PreventDestroyOfStatefulResources, STATEFUL_RESOURCE_TYPES } from "../constructs/security/protection";
import { readVars, synthEnvs, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

type Lifecycle = { prevent_destroy?: boolean; replace_triggered_by?: unknown; create_before_destroy?: boolean };
/** address -> lifecycle of every resource of a stack. */
function lifecycles(json: TfJson): Record<string, Lifecycle | undefined> {
  const out: Record<string, Lifecycle | undefined> = {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out[`${type}.${name}`] = body.lifecycle as Lifecycle | undefined;
  }
  return out;
}
const protectedAddresses = (json: TfJson) => Object.entries(lifecycles(json)).filter(([, l]) => l?.prevent_destroy === true).map(([a]) => a).sort();
const statefulAddresses = (json: TfJson) => Object.keys(lifecycles(json)).filter((a) => STATEFUL_RESOURCE_TYPES.includes(a.split(".")[0])).sort();

const awake = synthEnvs();
const asleep = synthEnvs(["prod"], { networkMode: "asleep" });

test("the shipped environments: prod is protected, dev is not", () => {
  expect(readVars("prod").protected).toBe(true);
  expect(readVars("dev").protected).toBe(false);
});

describe.each(["provisioning-prod", "management-prod"])("%s (protected)", (stackId) => {
  const json = awake[stackId];

  test("every stateful resource has prevent_destroy, and nothing else has", () => {
    expect(protectedAddresses(json)).toEqual(statefulAddresses(json));
  });
});

test("prod protects its keys, buckets, flow-log group, workspace and Unity Catalog metadata", () => {
  const typesOf = (stackId: string) => [...new Set(protectedAddresses(awake[stackId]).map((a) => a.split(".")[0]))].sort();
  expect(typesOf("provisioning-prod")).toEqual([
    "aws_cloudwatch_log_group", "aws_kms_key", "aws_s3_bucket", "databricks_metastore", "databricks_metastore_assignment", "databricks_mws_workspaces", "databricks_storage_credential",
  ]);
  expect(protectedAddresses(awake["provisioning-prod"]).filter((a) => a.startsWith("aws_kms_key."))).toEqual(statefulAddresses(awake["provisioning-prod"]).filter((a) => a.startsWith("aws_kms_key.")));
  expect(protectedAddresses(awake["provisioning-prod"]).filter((a) => a.startsWith("aws_kms_key.keys_"))).toHaveLength(4);
  expect(typesOf("management-prod")).toEqual(["databricks_catalog", "databricks_external_location", "databricks_schema", "databricks_volume"]);
});

test.each(["provisioning-dev", "management-dev"])("%s (not protected) has no prevent_destroy anywhere", (stackId) => {
  expect(protectedAddresses(awake[stackId])).toEqual([]);
});

test("sleeping prod removes no protected resource and changes no lifecycle", () => {
  const before = lifecycles(awake["provisioning-prod"]);
  const after = lifecycles(asleep["provisioning-prod"]);
  const removed = Object.keys(before).filter((a) => !(a in after));
  expect(removed.length).toBeGreaterThan(0);
  for (const address of removed) expect({ address, prevent_destroy: before[address]?.prevent_destroy }).toEqual({ address, prevent_destroy: undefined });
  for (const address of Object.keys(after)) expect({ address, lifecycle: after[address] }).toEqual({ address, lifecycle: before[address] });
});

test("the aspect keeps lifecycle settings a resource already has, and leaves other types alone", () => {
  const app = new App({ outdir: tempDir("protect-") });
  const stack = new TerraformStack(app, "s");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new KmsKey(stack, "key", { enableKeyRotation: true, lifecycle: { createBeforeDestroy: true } });
  new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  Aspects.of(stack).add(new PreventDestroyOfStatefulResources());
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", "s", "cdk.tf.json"), "utf8")) as TfJson;
  expect(Object.values(json.resource!.aws_kms_key)[0].lifecycle).toEqual({ create_before_destroy: true, prevent_destroy: true });
  expect(Object.values(json.resource!.aws_vpc)[0].lifecycle).toBeUndefined();
});
