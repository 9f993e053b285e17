/**
 * The security Aspects fail synthesis through the path that throws (App.synth, as `npm run synth` and
 * the cdktf CLI use), one case per rule, and pass on the shipped stacks.
 */
import { App, Aspects, TerraformStack, TerraformVariable } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DataDatabricksAwsCrossaccountPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-crossaccount-policy";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { MwsNetworks } from "@cdktf/provider-databricks/lib/mws-networks";
import { MwsStorageConfigurations } from "@cdktf/provider-databricks/lib/mws-storage-configurations";
import { DEPLOYER_KEY_ADMIN_SID } from "../constructs/storage/keys";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { DataDatabricksCurrentMetastore } from "@cdktf/provider-databricks/lib/data-databricks-current-metastore";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { ServicePrincipalSecret } from "@cdktf/provider-databricks/lib/service-principal-secret";
import { appliedSuppressions, DATABRICKS_SECURITY_RULES, DatabricksSecurityChecks, RULE_ID, securityRule, suppress, warningsOf, type SecurityRule } from "../constructs/security";
import { loadEnvironments } from "../config/load";
import { addEnvironmentStacks } from "../stacks/app";
import { checkedSynthError, synthEnvs, VARS_DIR } from "./helpers";
import { tempDir } from "./run-dir";

/** Builds a stack with `build`, applies the checks and synthesizes like the CLI; returns the error or "". */
const synthError = (build: (stack: TerraformStack) => void): string => checkedSynthError(build);

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
    const workspace = new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
    new MetastoreAssignment(s, "assignment", { metastoreId: "m", workspaceId: workspace.workspaceId });
    const secret = new TerraformVariable(s, "pw", { type: "string", sensitive: true });
    new Connection(s, "c", { name: "c", connectionType: "MYSQL", options: { host: "h", user: "u", password: secret.stringValue } });
    new DatabricksProvider(s, "acct", { alias: "acct", host: "https://accounts.cloud.databricks.com", accountId: "acc" });
    new KmsKey(s, "k", { enableKeyRotation: true });
    new VpcSecurityGroupIngressRule(s, "r", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
  })).toBe("");
});

test("every shipped stack carries the checks", () => {
  const app = new App({ outdir: tempDir("checks-") });
  addEnvironmentStacks(app, loadEnvironments(VARS_DIR));
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  expect(stacks).toHaveLength(4);
  for (const stack of stacks) expect(Aspects.of(stack).all.some((a) => a instanceof DatabricksSecurityChecks)).toBe(true);
});

test("the shipped stacks pass every check (App.synth would throw otherwise)", () => {
  // The run's synth of the shipped vars is App.synth's output (synthToDir in helpers.ts).
  expect(Object.keys(synthEnvs()).sort()).toEqual(["management-dev", "management-prod", "provisioning-dev", "provisioning-prod"]);
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
    const stack = new TerraformStack(new App({ outdir: tempDir("checks-") }), "s");
    expect(() => suppress(stack, id, reason)).toThrow(expected);
  });

  test("a warning-level rule prints and does not fail synth", () => {
    const warn: SecurityRule = { id: "DBX900", level: "warning", description: "d", reason: "test reason for a warning", source: "test", check: (n) => (n instanceof KmsKey ? ["key seen"] : []) };
    const app = new App({ outdir: tempDir("checks-") });
    const stack = new TerraformStack(app, "w");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new KmsKey(stack, "k", { enableKeyRotation: true });
    Aspects.of(stack).add(new DatabricksSecurityChecks([...DATABRICKS_SECURITY_RULES, warn]));
    expect(() => app.synth()).not.toThrow();
    expect(warningsOf(app)).toEqual(["[DBX900] w/k: key seen. Why: test reason for a warning (test)"]);
  });
});

describe("AWS deploy rules: DBX010 key policy lockout, DBX011 missing-header deny, DBX012 workspace ordering", () => {
  const ROOT = "arn:aws:iam::123456789012:root";
  const ADMIN = "arn:aws:iam::123456789012:role/platform-kms-admin";
  const key = (s: TerraformStack, statement: any[]) => {
    const doc = new DataAwsIamPolicyDocument(s, "key-policy", { statement });
    return new KmsKey(s, "key", { enableKeyRotation: true, policy: doc.json });
  };

  test("DBX010 fails: kms:* only for a named admin role and usage for the root (the lockout the review found in prod)", () => {
    expect(synthError((s) => key(s, [
      { sid: "KeyAdministration", principals: [{ type: "AWS", identifiers: [ADMIN] }], actions: ["kms:*"], resources: ["*"] },
      { sid: "AllowUseGrantedByIamPolicies", principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:Encrypt", "kms:Decrypt"], resources: ["*"] },
    ]))).toMatch(/\[DBX010\] checked\/key: aws_kms_key policy has no unconditional statement giving the account root kms:\* \("Enable IAM User Permissions"\)/);
  });

  test("DBX010 fails: a root statement with a condition or without PutKeyPolicy does not count; nor does a literal JSON policy without root", () => {
    expect(synthError((s) => key(s, [
      { principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:Describe*", "kms:Get*"], resources: ["*"] },
      { principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:*"], resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:PrincipalTag/team", values: ["x"] }] },
    ]))).toContain("[DBX010] checked/key");
    expect(synthError((s) => new KmsKey(s, "key", {
      enableKeyRotation: true,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ADMIN }, Action: "kms:*", Resource: "*" }] }),
    }))).toContain("[DBX010] checked/key");
  });

  test("DBX010 fails: kms:* for the root of another account than the one the AWS provider is pinned to", () => {
    expect(synthError((s) => {
      new AwsProvider(s, "pinned", { alias: "pinned", region: "us-east-1", allowedAccountIds: ["123456789012"] });
      key(s, [{ principals: [{ type: "AWS", identifiers: ["arn:aws:iam::414351767826:root"] }], actions: ["kms:*"], resources: ["*"] }]);
    })).toContain("[DBX010] checked/key");
  });

  test("DBX010 passes: the account root's kms:* (ARN or bare account id), an explicit deployer statement, or no policy (AWS default)", () => {
    expect(synthError((s) => key(s, [{ principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:*"], resources: ["*"] }]))).toBe("");
    expect(synthError((s) => key(s, [{ principals: [{ type: "AWS", identifiers: ["123456789012"] }], actions: ["kms:*"], resources: ["*"] }]))).toBe("");
    expect(synthError((s) => key(s, [{ sid: DEPLOYER_KEY_ADMIN_SID, principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/deployer"] }], actions: ["kms:*"], resources: ["*"] }]))).toBe("");
    expect(synthError((s) => new KmsKey(s, "key", { enableKeyRotation: true }))).toBe("");
    expect(synthError((s) => {
      new AwsProvider(s, "pinned", { alias: "pinned", region: "us-east-1", allowedAccountIds: ["123456789012"] });
      key(s, [{ principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:*"], resources: ["*"] }]);
    })).toBe("");
  });

  const bucketPolicy = (s: TerraformStack, statement: any[]) => {
    const bucket = new S3Bucket(s, "bucket", { bucket: "b" });
    const doc = new DataAwsIamPolicyDocument(s, "bucket-policy-doc", { statement });
    return new S3BucketPolicy(s, "bucket-policy", { bucket: bucket.id, policy: doc.json });
  };
  const denyPut = (sid: string, condition: unknown[]) => ({ sid, effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:PutObject"], resources: ["arn:aws:s3:::b/*"], condition });

  test.each([
    ["a missing header (Null = true)", [{ test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["true"] }]],
    ["a bare StringNotEquals on the header", [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }]],
    ["a bare StringNotEqualsIfExists on the key id", [{ test: "StringNotEqualsIfExists", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["arn:aws:kms:us-east-1:123456789012:key/k"] }]],
  ])("DBX011 fails: a PutObject Deny whose only condition is %s", (_name, condition) => {
    expect(synthError((s) => bucketPolicy(s, [denyPut("DenyUploads", condition)]))).toMatch(
      /\[DBX011\] checked\/bucket-policy: bucket policy statement "DenyUploads" denies s3:PutObject without an encryption header \(.*\); add Null = "false" on the header/,
    );
  });

  test("DBX011 fails on a literal JSON bucket policy too", () => {
    expect(synthError((s) => new S3BucketPolicy(s, "bucket-policy", {
      bucket: "b",
      policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b/*", Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } } }] }),
    }))).toContain("[DBX011] checked/bucket-policy");
  });

  test("DBX011 passes: each encryption Deny guarded by Null = false, and the TLS deny", () => {
    expect(synthError((s) => bucketPolicy(s, [
      { sid: "DenyInsecureTransport", effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:*"], resources: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
      denyPut("DenyUploadsOtherEncryption", [
        { test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["false"] },
        { test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
      ]),
      denyPut("DenyUploadsKmsWithoutKeyId", [
        { test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["false"] },
        { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["true"] },
      ]),
    ]))).toBe("");
  });

  /** A workspace with its root bucket, bucket policy, storage configuration, security group, one rule and network. */
  const workspace = (s: TerraformStack, dependsOn: (parts: { policy: S3BucketPolicy; rule: VpcSecurityGroupEgressRule }) => (S3BucketPolicy | VpcSecurityGroupEgressRule)[]) => {
    const bucket = new S3Bucket(s, "root", { bucket: "root-bucket" });
    const policy = new S3BucketPolicy(s, "root-policy", { bucket: bucket.id, policy: "{}" });
    const storage = new MwsStorageConfigurations(s, "storage", { accountId: "a", storageConfigurationName: "st", bucketName: bucket.bucket });
    const sg = new SecurityGroup(s, "sg", { name: "sg" });
    const rule = new VpcSecurityGroupEgressRule(s, "sg-out-443", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
    const network = new MwsNetworks(s, "network", { accountId: "a", networkName: "n", vpcId: "vpc-1", subnetIds: ["s1", "s2"], securityGroupIds: [sg.id] });
    const w = new MwsWorkspaces(s, "w", {
      accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s",
      storageConfigurationId: storage.storageConfigurationId, networkId: network.networkId, dependsOn: dependsOn({ policy, rule }),
    });
    new MetastoreAssignment(s, "metastore-assignment", { metastoreId: "m", workspaceId: w.workspaceId });
    return w;
  };

  test("DBX012 fails: a workspace that does not wait for the root bucket policy and the security group rules", () => {
    const message = synthError((s) => workspace(s, () => []));
    expect(message).toMatch(/\[DBX012\] checked\/w: databricks_mws_workspaces does not depend on the root bucket policy aws_s3_bucket_policy\.root-policy/);
    expect(message).toMatch(/\[DBX012\] checked\/w: databricks_mws_workspaces does not depend on 1 rule\(s\) of security group aws_security_group\.sg: aws_vpc_security_group_egress_rule\.sg-out-443/);
    expect(synthError((s) => workspace(s, ({ policy }) => [policy]))).not.toContain("root bucket policy");
  });

  test("DBX012 passes: the workspace depends on both", () => {
    expect(synthError((s) => workspace(s, ({ policy, rule }) => [policy, rule]))).toBe("");
  });

  test("the new rules are in the catalog every stack carries", () => {
    expect(DATABRICKS_SECURITY_RULES.map((r) => r.id)).toEqual(expect.arrayContaining(["DBX010", "DBX011", "DBX012"]));
  });
});

describe("Unity Catalog rules (DBX020-DBX022)", () => {
  const accountProvider = (s: TerraformStack) =>
    new DatabricksProvider(s, "account", { alias: "account", host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" });

  test("DBX020: a grant to a workspace-local group fails synth", () => {
    expect(synthError((s) => {
      new Group(s, "analysts", { displayName: "analysts" });
      new Grants(s, "g", { catalog: "main", grant: [{ principal: "analysts", privileges: ["USE_CATALOG"] }] });
    })).toMatch(/\[DBX020\] checked\/g: grant\[0\]\.principal "analysts" is a workspace-local group \(checked\/analysts\)/);
  });

  test("DBX020: an owner referencing a workspace-local group fails synth", () => {
    expect(synthError((s) => {
      const group = new Group(s, "engineers", { displayName: "engineers" });
      new Connection(s, "c", { name: "c", connectionType: "MYSQL", owner: group.displayName, options: { host: "h", user: "u", password: new TerraformVariable(s, "pw", { type: "string", sensitive: true }).stringValue } });
    })).toMatch(/\[DBX020\] checked\/c: owner references the workspace-local group checked\/engineers/);
  });

  test("DBX020: grants and owners naming account groups pass", () => {
    expect(synthError((s) => {
      const account = accountProvider(s);
      const group = new Group(s, "engineers", { provider: account, displayName: "engineers" });
      new Grants(s, "g", { catalog: "main", grant: [{ principal: "engineers", privileges: ["USE_CATALOG"] }] });
      new Catalog(s, "cat", { name: "x", owner: group.displayName });
    })).toBe("");
  });

  test("DBX021: a provider configured from a secret of its own stack fails synth", () => {
    expect(synthError((s) => {
      const account = accountProvider(s);
      const sp = new ServicePrincipal(s, "sp", { provider: account, displayName: "automation" });
      const secret = new ServicePrincipalSecret(s, "secret", { provider: account, servicePrincipalId: sp.id });
      new DatabricksProvider(s, "as-automation", { alias: "as-automation", host: "https://dbc-1.cloud.databricks.com", clientId: sp.applicationId, clientSecret: secret.secret });
    })).toMatch(/\[DBX021\] checked\/as-automation: provider "databricks\.as-automation" is configured from databricks_service_principal\.sp, a resource managed in the same stack.*\n?.*databricks_service_principal_secret\.secret/s);
  });

  test("DBX021: providers configured from variables, data sources and literals pass", () => {
    expect(synthError((s) => {
      const host = new TerraformVariable(s, "host", { type: "string" });
      const secret = new TerraformVariable(s, "secret", { type: "string", sensitive: true });
      new DatabricksProvider(s, "ws", { alias: "ws", host: host.stringValue, clientId: "literal-client-id", clientSecret: secret.stringValue });
    })).toBe("");
  });

  test("DBX021: a provider reading another stack's output through remote state passes", () => {
    const app = new App({ outdir: tempDir("checks-") });
    const source = new TerraformStack(app, "source");
    const account = accountProvider(source);
    const sp = new ServicePrincipal(source, "sp", { provider: account, displayName: "automation" });
    const target = new TerraformStack(app, "target");
    new DatabricksProvider(target, "ws", { host: "https://dbc-1.cloud.databricks.com", clientId: sp.applicationId });
    for (const s of [source, target]) Aspects.of(s).add(new DatabricksSecurityChecks());
    expect(() => app.synth()).not.toThrow();
  });

  test("DBX022: a workspace without metastore assignment or check fails synth", () => {
    expect(synthError((s) => {
      new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
    })).toMatch(/\[DBX022\] checked\/w: databricks_mws_workspaces has no databricks_metastore_assignment/);
  });

  test("DBX022: an explicit assignment of that workspace passes", () => {
    expect(synthError((s) => {
      const w = new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
      new MetastoreAssignment(s, "a", { metastoreId: "m", workspaceId: w.workspaceId });
    })).toBe("");
  });

  test("DBX022: an assignment of another workspace does not count", () => {
    expect(synthError((s) => {
      new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
      new MetastoreAssignment(s, "a", { metastoreId: "m", workspaceId: 42 });
    })).toMatch(/\[DBX022\]/);
  });

  test("DBX022: a checked automatic assignment (current metastore with a postcondition) passes", () => {
    expect(synthError((s) => {
      new MwsWorkspaces(s, "w", { accountId: "a", workspaceName: "w", managedServicesCustomerManagedKeyId: "m", storageCustomerManagedKeyId: "s" });
      new DataDatabricksCurrentMetastore(s, "current", { lifecycle: { postcondition: [{ condition: "${self.id != \"\"}", errorMessage: "no metastore" }] } });
    })).toBe("");
  });
});
