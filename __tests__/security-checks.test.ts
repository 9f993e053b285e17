/**
 * The security Aspects fail synthesis through the path that throws (App.synth, as `npm run synth` and
 * the cdktf CLI use), one case per rule, and pass on the shipped stacks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Aspects, TerraformStack, TerraformVariable } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DataDatabricksAwsCrossaccountPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-crossaccount-policy";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DatabricksSecurityChecks } from "../constructs/security";
import { loadEnvironments } from "../config/load";
import { addEnvironmentStacks } from "../stacks/app";
import { synthToDir, VARS_DIR } from "./helpers";

/** Builds a stack with `build`, applies the checks and synthesizes like the CLI; returns the error or "". */
function synthError(build: (stack: TerraformStack) => void): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "checks-")) });
  const stack = new TerraformStack(app, "checked");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new DatabricksProvider(stack, "databricks", { host: "https://dbc-1234.cloud.databricks.com" });
  build(stack);
  Aspects.of(stack).add(new DatabricksSecurityChecks());
  try {
    app.synth();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

test.each([
  ["DBX001", "managed cross-account policy", (s: TerraformStack) => new DataDatabricksAwsCrossaccountPolicy(s, "p", { policyType: "managed" }), /\[DBX001\] checked\/p: .*"managed"/],
  ["DBX001", "policy type left unset (means managed)", (s: TerraformStack) => new DataDatabricksAwsCrossaccountPolicy(s, "p", {}), /\[DBX001\] checked\/p: .*managed \(unset\)/],
  ["DBX002", "workspace without CMKs", (s: TerraformStack) => new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w" }), /\[DBX002\] checked\/w: databricks_mws_workspaces has no managed_services_customer_managed_key_id/],
  ["DBX003", "literal connection password", (s: TerraformStack) => new Connection(s, "c", { name: "c", connectionType: "MYSQL", options: { host: "h", user: "u", password: "hunter2" } }), /\[DBX003\] checked\/c: databricks_connection option "password" is a literal/],
  ["DBX004", "account_id on a workspace provider", (s: TerraformStack) => new DatabricksProvider(s, "ws", { alias: "ws", host: "https://dbc-1.cloud.databricks.com", accountId: "acc" }), /\[DBX004\] checked\/ws: .*never set account_id on a workspace-level provider/],
  ["DBX005", "KMS key without rotation", (s: TerraformStack) => new KmsKey(s, "k", {}), /\[DBX005\] checked\/k: aws_kms_key without enable_key_rotation = true/],
  ["DBX006", "ingress from the internet", (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }), /\[DBX006\] checked\/r: security group ingress from the whole internet/],
] as [string, string, (s: TerraformStack) => void, RegExp][])("%s: %s fails synth", (_id, _name, build, expected) => {
  expect(synthError(build)).toMatch(expected);
});

test("compliant resources pass", () => {
  expect(synthError((s) => {
    new DataDatabricksAwsCrossaccountPolicy(s, "p", { policyType: "customer" });
    new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
    const secret = new TerraformVariable(s, "pw", { type: "string", sensitive: true });
    new Connection(s, "c", { name: "c", connectionType: "MYSQL", options: { host: "h", user: "u", password: secret.stringValue } });
    new DatabricksProvider(s, "acct", { alias: "acct", host: "https://accounts.cloud.databricks.com", accountId: "acc" });
    new KmsKey(s, "k", { enableKeyRotation: true });
    new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
  })).toBe("");
});

test("every shipped stack carries the checks", () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "checks-")) });
  addEnvironmentStacks(app, loadEnvironments(VARS_DIR));
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  expect(stacks).toHaveLength(4);
  for (const stack of stacks) expect(Aspects.of(stack).all.some((a) => a instanceof DatabricksSecurityChecks)).toBe(true);
});

test("the shipped stacks pass every check (App.synth would throw otherwise)", () => {
  expect(fs.readdirSync(path.join(synthToDir(), "stacks")).sort()).toEqual(["management-dev", "management-prod", "provisioning-dev", "provisioning-prod"]);
});
