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
import { appliedSuppressions, DATABRICKS_SECURITY_RULES, DatabricksSecurityChecks, RULE_ID, securityRule, suppress, warningsOf, type SecurityRule } from "../constructs/security";
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
  ["DBX003", "literal connection password", (s: TerraformStack) => new Connection(s, "c", { name: "c", connectionType: "MYSQL", options: { host: "h", user: "u", password: "hunter2" } }), /\[DBX003\] checked\/c: databricks_connection option "password" is a secret: .*found a literal/],
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

describe("rules with reasons, and suppressions", () => {
  test("every rule has an id, a level, a reason and a source; ids are unique", () => {
    expect(DATABRICKS_SECURITY_RULES.length).toBeGreaterThanOrEqual(6);
    for (const rule of DATABRICKS_SECURITY_RULES) {
      expect(rule.id).toMatch(RULE_ID);
      expect(["error", "warning"]).toContain(rule.level);
      expect(rule.reason.length).toBeGreaterThan(20);
      expect(rule.source.length).toBeGreaterThan(5);
    }
    expect(new Set(DATABRICKS_SECURITY_RULES.map((r) => r.id)).size).toBe(DATABRICKS_SECURITY_RULES.length);
  });

  test("a failing rule's message carries its reason and source", () => {
    const message = synthError((s) => new KmsKey(s, "k", {}));
    expect(message).toContain(`Why: ${securityRule("DBX005")!.reason} (${securityRule("DBX005")!.source})`);
  });

  test("a suppression with a reason turns the error into a listed info", () => {
    let app: App | undefined;
    const message = synthError((s) => {
      const rule = new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      suppress(rule, "DBX006", "public load balancer listener, reviewed in ticket SEC-12");
      app = s.node.root as App;
    });
    expect(message).toBe("");
    expect(appliedSuppressions(app!)).toEqual([
      "[suppressed DBX006] checked/r: security group ingress from the whole internet. Suppressed because: public load balancer listener, reviewed in ticket SEC-12",
    ]);
  });

  test("a suppression on a scope covers the constructs below it, and only that rule", () => {
    const message = synthError((s) => {
      suppress(s, "DBX006", "every rule of this test stack is reviewed");
      new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      new KmsKey(s, "k", {});
    });
    expect(message).not.toContain("DBX006");
    expect(message).toContain("[DBX005] checked/k");
  });

  test.each([
    ["DBX006", "short", /reason: expected at least 10 characters saying why, found "short"/],
    ["DBX006", "   padded   ", /reason: expected at least 10 characters/],
    ["dbx006", "a long enough reason", /ruleId: expected a rule id such as DBX001, found "dbx006"/],
  ])("suppress(%s, %j) is refused", (id, reason, expected) => {
    const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "checks-")) }), "s");
    expect(() => suppress(stack, id, reason)).toThrow(expected);
  });

  test("a warning-level rule prints and does not fail synth", () => {
    const warn: SecurityRule = { id: "DBX900", level: "warning", description: "d", reason: "test reason for a warning", source: "test", check: (n) => (n instanceof KmsKey ? ["key seen"] : []) };
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "checks-")) });
    const stack = new TerraformStack(app, "w");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new KmsKey(stack, "k", { enableKeyRotation: true });
    Aspects.of(stack).add(new DatabricksSecurityChecks([...DATABRICKS_SECURITY_RULES, warn]));
    expect(() => app.synth()).not.toThrow();
    expect(warningsOf(app)).toEqual(["[DBX900] w/k: key seen. Why: test reason for a warning (test)"]);
  });
});
