/**
 * The AWS and Databricks rules a real deploy enforces (issue "deployable for real, part 2"), asserted on
 * the synthesized JSON of dev and prod: key policies keep the account root's administration, the storage
 * key carries the DBFS grants statement, SSE-KMS multipart writers may decrypt, the workspace waits for the
 * root bucket policy and the security group rules, and rule ids come from content.
 */
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WorkspaceNetwork, workspaceEgressRuleId } from "../constructs/network";
import { ACCOUNT_ROOT_KEY_ADMIN_SID, DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID, DEPLOYER_KEY_ADMIN_SID, WorkspaceKeys } from "../constructs/storage";
import { byPath, problemsAfter, readVars, ref, resourceList, resources, synthEnvs, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

const stacks = synthEnvs();
const each: [string, TfJson][] = [["dev", stacks["provisioning-dev"]], ["prod", stacks["provisioning-prod"]]];

type Statement = { sid?: string; effect?: string; actions?: string[]; principals?: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] };
function statementsOf(json: TfJson, policyRef: unknown): Statement[] {
  const m = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(policyRef));
  if (!m) throw new Error(`not a policy document reference: ${String(policyRef)}`);
  return (json.data!.aws_iam_policy_document[m[1]].statement as Statement[]) ?? [];
}
const KEYS = ["managed-services", "workspace-storage", "data-lake", "logs"];

describe.each(each)("provisioning-%s: key policies", (env, json) => {
  const vars = readVars(env);
  const root = `arn:aws:iam::${vars.aws.accountId}:root`;

  test.each(KEYS)("key %s keeps the account root's kms:* (AWS default key policy), first", (key) => {
    const statements = statementsOf(json, byPath(json, "aws_kms_key", `keys/${key}`).policy);
    expect(statements[0]).toEqual({ sid: ACCOUNT_ROOT_KEY_ADMIN_SID, principals: [{ type: "AWS", identifiers: [root] }], actions: ["kms:*"], resources: ["*"] });
    expect(statements.some((s) => s.sid === DEPLOYER_KEY_ADMIN_SID)).toBe(false);
  });

  test("configured admins are additional administrators, never a replacement for the root", () => {
    for (const key of KEYS) {
      const admins = statementsOf(json, byPath(json, "aws_kms_key", `keys/${key}`).policy).filter((s) => s.actions?.includes("kms:*"));
      const principals = admins.flatMap((s) => s.principals!.flatMap((p) => p.identifiers));
      expect(principals).toEqual([root, ...(vars.encryption.kmsKeyAdminArns ?? [])]);
    }
  });

  test("the storage key lets Databricks create grants for AWS resources only, on behalf of this Databricks account", () => {
    const statements = statementsOf(json, byPath(json, "aws_kms_key", "keys/workspace-storage").policy);
    expect(statements.find((s) => s.sid === "DatabricksControlPlaneStorageGrants")).toEqual({
      sid: "DatabricksControlPlaneStorageGrants",
      principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID}:root`] }],
      actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: ["*"],
      condition: [
        { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
        { test: "StringEquals", variable: "aws:PrincipalTag/DatabricksAccountId", values: [vars.databricks.accountId] },
      ],
    });
  });

  test("SSE-KMS multipart writers may decrypt: log delivery and cluster logs", () => {
    const logDelivery = statementsOf(json, byPath(json, "aws_iam_role_policy", "log-delivery/role-policy").policy).find((s) => s.sid === "Key");
    expect(logDelivery!.actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]));
    const clusterLogs = statementsOf(json, byPath(json, "aws_iam_role_policy", "data-access/access-policy").policy).find((s) => s.sid === "ClusterLogsKey");
    expect(clusterLogs!.actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]));
  });
});

describe.each(each)("provisioning-%s: ordering", (_env, json) => {
  test("the workspace waits for the root bucket policy and every rule of the workspace security group", () => {
    const sg = ref(json, "aws_security_group", "network/workspace-sg");
    const address = (type: string, r: [string, Record<string, unknown>]) => `${type}.${r[0]}`;
    const rules = ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((type) =>
      Object.entries(resources(json, type)).filter(([, r]) => r.security_group_id === sg).map((r) => address(type, r)),
    );
    expect(rules.length).toBeGreaterThanOrEqual(4);
    const rootPolicy = ref(json, "aws_s3_bucket_policy", "root-bucket/policy").replace(/^\$\{(.*)\.id\}$/, "$1");
    expect([...(byPath(json, "databricks_mws_workspaces", "workspace/workspace").depends_on as string[])].sort()).toEqual([rootPolicy, ...rules].sort());
  });
});

describe("rule ids come from content, not list position", () => {
  function egressIds(egressCidrBlocks: string[]): string[] {
    const stack = new TerraformStack(new App({ outdir: tempDir("ids-") }), "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const net = new WorkspaceNetwork(stack, "network", {
      namePrefix: "t", region: "us-east-1", cidrBlock: "10.0.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"],
      privateSubnetCidrBlocks: ["10.0.0.0/19", "10.0.32.0/19"], publicSubnetCidrBlocks: ["10.0.64.0/26"], egressCidrBlocks,
    });
    return net.node.children.map((c) => c.node.id).filter((id) => /^workspace-sg-out-\d/.test(id));
  }

  test("the first CIDR keeps the historical id; the others are named by their CIDR", () => {
    expect(workspaceEgressRuleId(443, "0.0.0.0/0", 0)).toBe("workspace-sg-out-443");
    expect(workspaceEgressRuleId(443, "10.0.0.0/8", 1)).toBe("workspace-sg-out-443-10-0-0-0-8");
    expect(egressIds(["0.0.0.0/0"])).toEqual(["workspace-sg-out-443", "workspace-sg-out-3306", "workspace-sg-out-6666", "workspace-sg-out-2443", "workspace-sg-out-8443"]);
  });

  test("reordering the CIDRs after the first changes no id", () => {
    const a = egressIds(["0.0.0.0/0", "10.0.0.0/8", "192.168.0.0/16"]);
    const b = egressIds(["0.0.0.0/0", "192.168.0.0/16", "10.0.0.0/8"]);
    expect([...b].sort()).toEqual([...a].sort());
    expect(a).toContain("workspace-sg-out-6666-192-168-0-0-16");
  });

  test("a CIDR listed twice is refused with its value", () => {
    expect(() => egressIds(["0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/8"])).toThrow("WorkspaceNetwork network: egressCidrBlocks: expected each CIDR block once, found 10.0.0.0/8 twice");
  });

  test("every shipped workspace egress rule id is content-derived (no -<position> suffix)", () => {
    for (const [, json] of each) {
      for (const r of resourceList(json, "aws_vpc_security_group_egress_rule")) {
        const p = (r["//"] as { metadata: { path: string } }).metadata.path;
        expect(p).not.toMatch(/workspace-sg-out-\d+-\d+$/);
      }
    }
  });
});

describe("opting out of the account root's key administration", () => {
  const build = (props: Partial<ConstructorParameters<typeof WorkspaceKeys>[2]>) => {
    const stack = new TerraformStack(new App({ outdir: tempDir("keys-") }), "s");
    return new WorkspaceKeys(stack, "keys", {
      namePrefix: "t", region: "us-east-1", awsAccountId: "123456789012", databricksAccountId: "3f9a6c2e-8b41-4d7a-9e0f-5c2d1b7a6e84",
      crossAccountRoleArn: "arn:aws:iam::123456789012:role/x", ...props,
    });
  };

  test("without a deployer it is refused: KMS would reject a policy that locks the caller out", () => {
    expect(() => build({ accountRootAdministration: false })).toThrow(
      "WorkspaceKeys keys: deployerArn: expected the ARN of the principal that deploys when accountRootAdministration is false (KMS refuses a key policy that locks the caller out), found none",
    );
  });

  test("with a deployer, the deployer administers and the root keeps usage only", () => {
    const keys = build({ accountRootAdministration: false, deployerArn: "arn:aws:iam::123456789012:role/deployer" });
    const statements = keys.policies.dataLake.statementInput as Statement[];
    expect(statements.map((s) => [s.sid, s.principals![0].identifiers, s.actions])).toEqual([
      [DEPLOYER_KEY_ADMIN_SID, ["arn:aws:iam::123456789012:role/deployer"], ["kms:*"]],
      ["AllowUseGrantedByIamPolicies", ["arn:aws:iam::123456789012:root"], ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]],
    ]);
  });

  test("the vars file says the same: kmsKeyAccountRootAdmin false needs kmsKeyDeployerArn", () => {
    expect(problemsAfter("prod", (v) => (v.encryption.kmsKeyAccountRootAdmin = false))).toEqual([
      "vars/prod.json: encryption.kmsKeyDeployerArn: expected the ARN of the role that deploys when kmsKeyAccountRootAdmin is false (KMS refuses a key policy that locks the caller out), found nothing (field missing)",
    ]);
    expect(problemsAfter("prod", (v) => Object.assign(v.encryption, { kmsKeyAccountRootAdmin: false, kmsKeyDeployerArn: "arn:aws:iam::345678901234:role/deployer" }))).toEqual([]);
  });
});
