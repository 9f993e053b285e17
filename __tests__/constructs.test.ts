/**
 * Construct-level tests, independent of vars/: every construct's thrown errors and branches, built with
 * `Testing.synthScope` (or `App.synth` where the security Aspects must run). Assertions are on the
 * synthesized JSON. WorkspaceCredentials and WorkspaceConfiguration are tested as they are at branch
 * start (their props are being reshaped); their cases are grouped so they are easy to adapt.
 */
import { ACCOUNT_ROOT_KEY_ADMIN_SID } from "../constructs/storage/keys";
import { DataTerraformRemoteStateS3, Fn, Lazy, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { PRIVATE_LINK_SERVICE_NAMES, WorkspaceNetwork, type WorkspaceNetworkProps } from "../constructs/network";
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from "../constructs/network/defaults";
import { EncryptedBucket, WorkspaceKeys, type WorkspaceKeysProps } from "../constructs/storage";
import { DEFAULT_KMS_DELETION_WINDOW_DAYS, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from "../constructs/storage/defaults";
import { CrossAccountRole, DataAccessInstanceProfile, type CrossAccountRoleProps } from "../constructs/iam";
import { DatabricksWorkspace, LogDelivery, type DatabricksWorkspaceProps, type LogDeliveryProps } from "../constructs/workspace";
import { WorkspaceCredentials, type WorkspaceCredentialsProps } from "../constructs/credentials";
import { WorkspaceConfiguration, type WorkspaceConfigurationProps } from "../constructs/workspace-config";
import { DEFAULT_CLUSTER } from "../constructs/workspace-config/defaults";
import { ConnectionConfigError, UnityCatalogConnection, type UnityCatalogConnectionProps } from "../constructs/connections";
import { checkedSynthError, synthScope } from "./helpers";

type Json = Record<string, any>;

/** Synthesizes what `build` adds to a test stack; returns the parsed JSON. */
function synth(build: (scope: Construct) => void): Json {
  return JSON.parse(synthScope((scope) => build(scope)));
}
const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const data = (json: Json, type: string): Json[] => Object.values(json.data?.[type] ?? {});
/** The message of what `build` throws ("" when nothing is thrown). */
function thrown(build: (scope: Construct) => void): string {
  try {
    synthScope((scope) => build(scope));
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}
const account = (scope: Construct) => new DatabricksProvider(scope, "account", { alias: "account", host: "https://accounts.cloud.databricks.com", accountId: "acc" });

// ---------------------------------------------------------------------------------------------
// WorkspaceNetwork
// ---------------------------------------------------------------------------------------------

describe("WorkspaceNetwork", () => {
  const base: WorkspaceNetworkProps = {
    namePrefix: "t",
    region: "us-east-1",
    cidrBlock: "10.0.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    privateSubnetCidrBlocks: ["10.0.0.0/19", "10.0.32.0/19"],
    publicSubnetCidrBlocks: ["10.0.64.0/26", "10.0.64.64/26"],
  };
  const net = (over: Partial<WorkspaceNetworkProps> = {}) => synth((s) => new WorkspaceNetwork(s, "net", { ...base, ...over } as WorkspaceNetworkProps));

  test.each<[string, Json, string]>([
    ["fewer than 2 zones", { availabilityZones: ["us-east-1a"], privateSubnetCidrBlocks: ["10.0.0.0/19"] }, "WorkspaceNetwork net: availabilityZones: expected at least 2 zones, found 1"],
    ["private subnets not one per zone", { privateSubnetCidrBlocks: ["10.0.0.0/19"] }, "WorkspaceNetwork net: privateSubnetCidrBlocks: expected one per availability zone (2), found 1"],
    ["one NAT per zone without a public subnet per zone", { natGateways: "one-per-az", publicSubnetCidrBlocks: ["10.0.64.0/26"] }, "WorkspaceNetwork net: publicSubnetCidrBlocks: expected 2, found 1"],
    ["no public subnet", { publicSubnetCidrBlocks: [] }, "WorkspaceNetwork net: publicSubnetCidrBlocks: expected at least 1, found 0"],
    ["a mode typo", { mode: "sleeping" as never }, 'WorkspaceNetwork net: mode: expected one of "awake", "asleep", found "sleeping"'],
  ])("throws for %s", (_name, over, message) => {
    expect(thrown((s) => new WorkspaceNetwork(s, "net", { ...base, ...over } as WorkspaceNetworkProps))).toBe(message);
  });

  test("PrivateLink in a region without known services and no names throws, naming the region", () => {
    expect(thrown((s) => new WorkspaceNetwork(s, "net", { ...base, region: "sa-east-1", availabilityZones: ["sa-east-1a", "sa-east-1b"], privateLink: { enabled: true } }))).toMatch(
      /^PrivateLink: region "sa-east-1" has no known Databricks endpoint services .*give both workspaceServiceName and relayServiceName$/,
    );
  });

  test("single NAT (default): one NAT gateway and EIP, every private route table routes to it", () => {
    const json = net();
    expect(all(json, "aws_nat_gateway")).toHaveLength(1);
    expect(all(json, "aws_eip")).toHaveLength(1);
    const natRoutes = all(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test("one NAT per zone: each zone's route table routes to its own NAT gateway, in its own public subnet", () => {
    const json = net({ natGateways: "one-per-az" });
    const nats = Object.entries(json.resource.aws_nat_gateway as Record<string, Json>);
    expect(nats).toHaveLength(2);
    const natRoutes = all(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(2);
    expect(new Set(nats.map(([, n]) => n.subnet_id)).size).toBe(2);
  });

  test("asleep: no NAT gateway, EIP, NAT route or STS/Kinesis endpoint; the S3 gateway endpoint stays", () => {
    const json = net({ mode: "asleep" });
    expect(all(json, "aws_nat_gateway")).toEqual([]);
    expect(all(json, "aws_eip")).toEqual([]);
    expect(all(json, "aws_route").filter((r) => r.nat_gateway_id)).toEqual([]);
    expect(all(json, "aws_vpc_endpoint").map((e) => e.service_name)).toEqual(["com.amazonaws.us-east-1.s3"]);
  });

  test("defaults: S3, STS and Kinesis endpoints, egress to 0.0.0.0/0; endpoints can be turned off", () => {
    expect(all(net(), "aws_vpc_endpoint").map((e) => e.service_name).sort()).toEqual(["com.amazonaws.us-east-1.kinesis-streams", "com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sts"]);
    expect(all(net(), "aws_vpc_security_group_egress_rule").filter((r) => r.cidr_ipv4).every((r) => r.cidr_ipv4 === "0.0.0.0/0")).toBe(true);
    expect(all(net({ vpcEndpoints: { sts: false, kinesisStreams: false } }), "aws_vpc_endpoint").map((e) => e.service_name)).toEqual(["com.amazonaws.us-east-1.s3"]);
  });

  test("PrivateLink: REST and relay interface endpoints with the region's service names, in the PrivateLink subnets", () => {
    const json = net({ privateLink: { enabled: true }, privateLinkSubnetCidrBlocks: ["10.0.65.0/27", "10.0.65.32/27"] });
    const names = all(json, "aws_vpc_endpoint").map((e) => e.service_name);
    expect(names).toEqual(expect.arrayContaining([PRIVATE_LINK_SERVICE_NAMES["us-east-1"].workspace, PRIVATE_LINK_SERVICE_NAMES["us-east-1"].relay]));
    const rest = all(json, "aws_vpc_endpoint").find((e) => e.service_name === PRIVATE_LINK_SERVICE_NAMES["us-east-1"].workspace)!;
    expect(rest).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true });
    expect((rest.subnet_ids as string[]).every((id) => id.includes("privatelink"))).toBe(true);
  });

  test("PrivateLink service names given explicitly win over the table", () => {
    const workspace = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
    const json = net({ privateLink: { enabled: true, serviceNames: { workspace } } });
    expect(all(json, "aws_vpc_endpoint").map((e) => e.service_name)).toEqual(expect.arrayContaining([workspace, PRIVATE_LINK_SERVICE_NAMES["us-east-1"].relay]));
  });

  test("flow logs: default retention and traffic type", () => {
    const json = synth((s) => new WorkspaceNetwork(s, "net", base).addFlowLogs("t", { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k" }));
    expect(all(json, "aws_cloudwatch_log_group")[0]).toMatchObject({ retention_in_days: DEFAULT_FLOW_LOG_RETENTION_DAYS, kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/k" });
    expect(all(json, "aws_flow_log")[0].traffic_type).toBe("ALL");
  });
});

// ---------------------------------------------------------------------------------------------
// Storage: EncryptedBucket and WorkspaceKeys
// ---------------------------------------------------------------------------------------------

describe("EncryptedBucket", () => {
  const bucket = (over: Json = {}) => synth((s) => new EncryptedBucket(s, "b", { bucketName: "acme-b", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", ...over }));

  test.each([0, -1, 1.5])("noncurrentVersionExpirationDays %o throws", (days) => {
    expect(thrown((s) => new EncryptedBucket(s, "b", { bucketName: "acme-b", kmsKeyArn: "k", noncurrentVersionExpirationDays: days }))).toBe(
      `EncryptedBucket b: noncurrentVersionExpirationDays: expected a whole number of days >= 1, found ${days}`,
    );
  });

  test("defaults: versions expire after the default days, no force destroy, TLS-only and deny-other-encryption statements", () => {
    const json = bucket();
    expect(all(json, "aws_s3_bucket_lifecycle_configuration")[0].rule[0].noncurrent_version_expiration[0].noncurrent_days).toBe(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS);
    expect(all(json, "aws_s3_bucket")[0].force_destroy).toBe(false);
    const sids = data(json, "aws_iam_policy_document")[0].statement.map((st: Json) => st.sid);
    expect(sids[0]).toBe("DenyInsecureTransport");
    expect(sids.length).toBeGreaterThan(1);
  });

  test("denyOtherEncryptionOnWrite false leaves only the TLS-only statement", () => {
    const sids = data(bucket({ denyOtherEncryptionOnWrite: false }), "aws_iam_policy_document")[0].statement.map((st: Json) => st.sid);
    expect(sids).toEqual(["DenyInsecureTransport"]);
  });
});

describe("WorkspaceKeys", () => {
  const props: WorkspaceKeysProps = { namePrefix: "t", region: "us-east-1", awsAccountId: "111122223333", databricksAccountId: "acc", crossAccountRoleArn: "arn:aws:iam::111122223333:role/x" };

  test.each([6, 31, 7.5])("deletionWindowDays %o throws", (days) => {
    expect(thrown((s) => new WorkspaceKeys(s, "keys", { ...props, deletionWindowDays: days }))).toBe(`WorkspaceKeys keys: deletionWindowDays: expected a whole number from 7 to 30, found ${days}`);
  });

  test("four rotating keys with aliases, the default window, the account root as administrator by default", () => {
    const json = synth((s) => new WorkspaceKeys(s, "keys", props));
    const keys = all(json, "aws_kms_key");
    expect(keys).toHaveLength(4);
    for (const k of keys) expect(k).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: DEFAULT_KMS_DELETION_WINDOW_DAYS });
    expect(all(json, "aws_kms_alias").map((a) => a.name).sort()).toEqual(["alias/t-data-lake", "alias/t-logs", "alias/t-managed-services", "alias/t-workspace-storage"]);
    for (const doc of data(json, "aws_iam_policy_document")) {
      const root = doc.statement.find((st: Json) => st.sid === ACCOUNT_ROOT_KEY_ADMIN_SID);
      expect(root).toMatchObject({ principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] }], actions: ["kms:*"] });
    }
  });

  test("administrators given are added beside the account root, never instead of it", () => {
    const json = synth((s) => new WorkspaceKeys(s, "keys", { ...props, adminArns: ["arn:aws:iam::111122223333:role/kms-admin"] }));
    const sids = data(json, "aws_iam_policy_document")[0].statement.map((st: Json) => st.sid);
    expect(sids).toEqual(expect.arrayContaining([ACCOUNT_ROOT_KEY_ADMIN_SID, "KeyAdministration"]));
    const admin = data(json, "aws_iam_policy_document")[0].statement.find((st: Json) => st.sid === "KeyAdministration");
    expect(admin.principals[0].identifiers).toEqual(["arn:aws:iam::111122223333:role/kms-admin"]);
  });
});

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

describe("CrossAccountRole", () => {
  const role = (s: Construct, over: Partial<CrossAccountRoleProps> = {}) => new CrossAccountRole(s, "xa", { namePrefix: "t", databricksAccountId: "acc", databricksProvider: account(s), ...over });

  test.each<[string, Json, string]>([
    ["the managed policy", { policyType: "managed" as never }, 'CrossAccountRole xa: policyType: expected "customer" or "restricted" (never "managed" with a customer-managed VPC), found "managed"'],
    ["restricted without restrictTo", { policyType: "restricted" }, 'CrossAccountRole xa: restrictTo: expected the account, region, VPC and security group for policyType "restricted", found nothing'],
    ["a negative wait", { propagationWaitSeconds: -1 }, "CrossAccountRole xa: propagationWaitSeconds: expected a whole number >= 0, found -1"],
  ])("throws for %s", (_name, over, message) => {
    expect(thrown((s) => role(s, over))).toBe(message);
  });

  test("customer (default): no pinning, the default propagation wait", () => {
    const json = synth((s) => role(s));
    const policy = data(json, "databricks_aws_crossaccount_policy")[0];
    expect(policy.policy_type).toBe("customer");
    expect(policy.vpc_id).toBeUndefined();
    expect(all(json, "time_sleep")[0].create_duration).toBe("30s");
  });

  test("restricted: pinned to the account, region, VPC and security group", () => {
    const json = synth((s) => role(s, { policyType: "restricted", restrictTo: { awsAccountId: "111122223333", region: "us-east-1", vpcId: "vpc-1", securityGroupId: "sg-1" } }));
    expect(data(json, "databricks_aws_crossaccount_policy")[0]).toMatchObject({ policy_type: "restricted", aws_account_id: "111122223333", region: "us-east-1", vpc_id: "vpc-1", security_group_id: "sg-1" });
  });

  test("DataAccessInstanceProfile: a role for EC2 and an instance profile of the same name", () => {
    const json = synth((s) => new DataAccessInstanceProfile(s, "da", { namePrefix: "t", clusterLogs: { bucketArn: "arn:aws:s3:::l", prefix: "/logs/", kmsKeyArn: "lk" } }));
    expect(all(json, "aws_iam_instance_profile")[0].name).toBe("t-data-access");
    const statements = data(json, "aws_iam_policy_document").find((d) => d.statement.length > 1)!.statement;
    expect(statements.find((st: Json) => st.sid === "ClusterLogsWrite").resources).toEqual(["arn:aws:s3:::l", "arn:aws:s3:::l/logs/*"]);
    expect(statements.map((st: Json) => st.sid)).not.toContain("DataLakeObjects");
  });

  test("DataAccessInstanceProfile: legacy data-lake access only when asked", () => {
    const json = synth((s) => new DataAccessInstanceProfile(s, "da", { namePrefix: "t", legacyDataLake: { bucketArns: ["arn:aws:s3:::b"], kmsKeyArn: "k" }, clusterLogs: { bucketArn: "arn:aws:s3:::l", prefix: "logs", kmsKeyArn: "lk" } }));
    const objects = data(json, "aws_iam_policy_document").find((d) => d.statement.length > 1)!.statement.find((st: Json) => st.sid === "DataLakeObjects");
    expect(objects.resources).toEqual(["arn:aws:s3:::b/*"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Workspace and log delivery
// ---------------------------------------------------------------------------------------------

describe("DatabricksWorkspace", () => {
  const props = (s: Construct): DatabricksWorkspaceProps => ({
    namePrefix: "t", region: "us-east-1", databricksAccountId: "acc", accountProvider: account(s), workspaceName: "ws",
    crossAccountRoleArn: "arn:aws:iam::111122223333:role/xa", crossAccountRoleReady: new KmsKey(s, "ready", {}),
    rootBucketName: "root", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"],
    managedServicesKey: { keyArn: "arn:ms", keyAlias: "alias/ms" }, workspaceStorageKey: { keyArn: "arn:st", keyAlias: "alias/st" },
  });

  test.each<[string, Json, string]>([
    ["one subnet", { subnetIds: ["subnet-a"] }, "DatabricksWorkspace ws: subnetIds: expected at least 2 subnets in different zones, found 1"],
    ["no security group", { securityGroupIds: [] }, "DatabricksWorkspace ws: securityGroupIds: expected 1 to 5 security groups, found 0"],
    ["six security groups", { securityGroupIds: ["1", "2", "3", "4", "5", "6"] }, "DatabricksWorkspace ws: securityGroupIds: expected 1 to 5 security groups, found 6"],
  ])("throws for %s", (_name, over, message) => {
    expect(thrown((s) => new DatabricksWorkspace(s, "ws", { ...props(s), ...over }))).toBe(message);
  });

  test("without PrivateLink: no VPC endpoint registration, no private access settings; Enterprise by default; both CMKs", () => {
    const json = synth((s) => new DatabricksWorkspace(s, "ws", props(s)));
    expect(all(json, "databricks_mws_vpc_endpoint")).toEqual([]);
    expect(all(json, "databricks_mws_private_access_settings")).toEqual([]);
    expect(all(json, "databricks_mws_workspaces")[0].pricing_tier).toBe("ENTERPRISE");
    expect(all(json, "databricks_mws_customer_managed_keys").map((k) => k.use_cases)).toEqual([["MANAGED_SERVICES"], ["STORAGE"]]);
  });

  test("with PrivateLink: both endpoints registered and attached, private access settings with the defaults", () => {
    const json = synth((s) => new DatabricksWorkspace(s, "ws", { ...props(s), privateLink: { restApiAwsEndpointId: "vpce-rest", relayAwsEndpointId: "vpce-relay" } }));
    expect(all(json, "databricks_mws_vpc_endpoint").map((e) => e.aws_vpc_endpoint_id).sort()).toEqual(["vpce-relay", "vpce-rest"]);
    expect(all(json, "databricks_mws_private_access_settings")[0]).toMatchObject({ public_access_enabled: true, private_access_level: "ACCOUNT", region: "us-east-1" });
    expect(all(json, "databricks_mws_networks")[0].vpc_endpoints).toBeDefined();
    expect(all(json, "databricks_mws_workspaces")[0].private_access_settings_id).toMatch(/databricks_mws_private_access_settings/);
  });
});

describe("LogDelivery", () => {
  const props = (s: Construct, over: Partial<LogDeliveryProps> = {}): LogDeliveryProps => ({
    namePrefix: "t", databricksAccountId: "acc", accountProvider: account(s), bucketName: "logs", bucketArn: "arn:aws:s3:::logs", kmsKeyArn: "k", workspaceId: 1, ...over,
  });

  test("audit logs by default, filtered to the workspace; no billable usage", () => {
    const json = synth((s) => new LogDelivery(s, "ld", props(s)));
    expect(all(json, "databricks_mws_log_delivery").map((d) => [d.log_type, d.workspace_ids_filter])).toEqual([["AUDIT_LOGS", [1]]]);
  });

  test("billable usage as well when asked", () => {
    const json = synth((s) => new LogDelivery(s, "ld", props(s, { billableUsage: true })));
    expect(all(json, "databricks_mws_log_delivery").map((d) => d.log_type)).toEqual(["AUDIT_LOGS", "BILLABLE_USAGE"]);
  });

  test("neither: the role only, no credentials, storage or delivery", () => {
    const json = synth((s) => new LogDelivery(s, "ld", props(s, { auditLogs: false })));
    expect(all(json, "databricks_mws_log_delivery")).toEqual([]);
    expect(all(json, "databricks_mws_credentials")).toEqual([]);
    expect(all(json, "aws_iam_role")).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// WorkspaceCredentials and WorkspaceConfiguration (as at branch start; being reshaped)
// ---------------------------------------------------------------------------------------------

describe("WorkspaceCredentials", () => {
  const props = (s: Construct, over: Partial<WorkspaceCredentialsProps> = {}): WorkspaceCredentialsProps => ({
    namePrefix: "t", accountProvider: account(s), workspaceId: 1, workspaceUrl: "https://dbc-1.cloud.databricks.com", ...over,
  });

  test.each<[string, Json, string]>([
    ["a lifetime of 0", { lifetimeDays: 0 }, "WorkspaceCredentials c: lifetimeDays: expected a whole number from 1 to 730, found 0"],
    ["a lifetime above the maximum", { lifetimeDays: 731 }, "WorkspaceCredentials c: lifetimeDays: expected a whole number from 1 to 730, found 731"],
    ["a fractional lifetime", { lifetimeDays: 1.5 }, "WorkspaceCredentials c: lifetimeDays: expected a whole number from 1 to 730, found 1.5"],
  ])("throws for %s", (_name, over, message) => {
    expect(thrown((s) => new WorkspaceCredentials(s, "c", props(s, over)))).toBe(message);
  });

  test("oauth (default): a service principal secret for one day, rotated at half of it, no token", () => {
    const json = synth((s) => new WorkspaceCredentials(s, "c", props(s)));
    expect(all(json, "databricks_service_principal_secret")[0].lifetime).toBe("86400s");
    expect(all(json, "time_rotating")[0].rotation_hours).toBe(12);
    expect(all(json, "databricks_token")).toEqual([]);
  });
});

describe("WorkspaceConfiguration", () => {
  const props = (s: Construct, over: Partial<WorkspaceConfigurationProps> = {}): WorkspaceConfigurationProps => ({
    namePrefix: "t", region: "us-east-1", provider: new DatabricksProvider(s, "ws", { host: "https://dbc-1.cloud.databricks.com" }),
    dataReadersGroup: "readers", dataEngineersGroup: "engineers",
    cluster: { nodeTypeId: "m6i.large", sparkVersion: "15.4.x-scala2.12" }, instanceProfileArn: "arn:aws:iam::111122223333:instance-profile/x",
    clusterLogs: { bucketName: "logs", prefix: "cluster-logs", kmsKeyArn: "k" }, ...over,
  });

  test("min workers above max throws", () => {
    expect(thrown((s) => new WorkspaceConfiguration(s, "wc", props(s, { cluster: { nodeTypeId: "m6i.large", sparkVersion: "15.4.x-scala2.12", minWorkers: 5, maxWorkers: 2 } })))).toBe(
      "WorkspaceConfiguration wc: cluster.minWorkers: expected at most maxWorkers (2), found 5",
    );
  });

  test("defaults: autoscaling and auto-termination from DEFAULT_CLUSTER, legacy DBFS disabled, no SSE-KMS settings", () => {
    const json = synth((s) => new WorkspaceConfiguration(s, "wc", props(s)));
    const cluster = all(json, "databricks_cluster")[0];
    expect(cluster.autoscale).toEqual({ min_workers: DEFAULT_CLUSTER.minWorkers, max_workers: DEFAULT_CLUSTER.maxWorkers });
    expect(cluster.autotermination_minutes).toBe(DEFAULT_CLUSTER.autoterminationMinutes);
    expect(cluster.aws_attributes.first_on_demand).toBe(DEFAULT_CLUSTER.firstOnDemand);
    expect(all(json, "databricks_disable_legacy_dbfs_setting")).toHaveLength(1);
    expect(cluster.spark_conf ?? {}).toEqual({});
  });

  test("SSE-KMS key: fixed in the cluster policy and set on the cluster; legacy DBFS setting can be left alone", () => {
    const json = synth((s) => new WorkspaceConfiguration(s, "wc", props(s, { sseKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/dl", disableLegacyDbfs: false })));
    expect(all(json, "databricks_cluster")[0].spark_conf["spark.hadoop.fs.s3a.server-side-encryption.key"]).toBe("arn:aws:kms:us-east-1:111122223333:key/dl");
    expect(JSON.parse(all(json, "databricks_cluster_policy")[0].definition)["spark_conf.spark.hadoop.fs.s3a.server-side-encryption-algorithm"]).toEqual({ type: "fixed", value: "SSE-KMS" });
    expect(all(json, "databricks_disable_legacy_dbfs_setting")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// UnityCatalogConnection: secrets must be references to inputs without a value at synth
// ---------------------------------------------------------------------------------------------

describe("UnityCatalogConnection secrets and free-form fields", () => {
  const mysql = (password: unknown, over: Json = {}) => ({ name: "m", connectionType: "MYSQL", options: { host: "db.example.com", user: "u", password }, ...over }) as unknown as UnityCatalogConnectionProps;
  function error(build: (s: Construct) => UnityCatalogConnectionProps): ConnectionConfigError {
    let caught: unknown;
    try {
      synthScope((s) => new UnityCatalogConnection(s, "c", build(s)));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConnectionConfigError);
    return caught as ConnectionConfigError;
  }

  test.each<[string, (s: Construct) => unknown, RegExp]>([
    ["a sensitive variable with a default", (s) => new TerraformVariable(s, "pw", { type: "string", sensitive: true, default: "hunter2-canary" }).stringValue, /found a reference to variable "pw", which has a default/],
    ["Lazy.stringValue producing a literal", () => Lazy.stringValue({ produce: () => "hunter2-canary" }), /found a literal/],
    ["Fn.join over literals", () => Fn.join("", ["hunter2", "-canary"]), /found an expression that is not a single reference/],
    ["text around a variable reference", (s) => `x${new TerraformVariable(s, "pw", { type: "string", sensitive: true }).stringValue}`, /found an expression that is not a single reference/],
    ["a resource attribute", (s) => new KmsKey(s, "k", {}).arn, /found a resource attribute reference/],
    ["a variable the stack does not declare, as text", () => "${var.nowhere}", /found a reference to variable "nowhere", which this stack does not declare/],
    ["a number", () => 12345, /found a number/],
  ])("refuses %s, without showing it", (_name, secret, reason) => {
    const e = error((s) => mysql(secret(s)));
    expect(e.field).toBe("options.password");
    expect(e.message).toMatch(reason);
    expect(e.message).not.toMatch(/hunter2|12345/);
  });

  test.each<[string, (s: Construct) => string, string]>([
    ["a variable without a default", (s) => new TerraformVariable(s, "pw", { type: "string", sensitive: true }).stringValue, "${var.pw}"],
    ["a data source attribute", (s) => new DataAwsSecretsmanagerSecretVersion(s, "sec", { secretId: "db" }).secretString, "${data.aws_secretsmanager_secret_version.sec.secret_string}"],
    ["a remote-state output", (s) => new DataTerraformRemoteStateS3(s, "rs", { bucket: "b", key: "k", region: "us-east-1" }).getString("pw"), "${data.terraform_remote_state.rs.outputs.pw}"],
    ["Lazy.stringValue producing a variable reference", (s) => {
      const pw = new TerraformVariable(s, "pw", { type: "string", sensitive: true });
      return Lazy.stringValue({ produce: () => pw.stringValue });
    }, "${var.pw}"],
  ])("accepts %s", (_name, secret, emitted) => {
    const json = synth((s) => new UnityCatalogConnection(s, "c", mysql(secret(s))));
    expect(all(json, "databricks_connection")[0].options.password).toBe(emitted);
  });

  test("a property named like a secret is refused without its value; so is a credential in a comment", () => {
    const e = error((s) => mysql(new TerraformVariable(s, "pw", { type: "string" }).stringValue, { properties: { pwd: "hunter2-canary" }, comment: "key: AKIAABCDEFGHIJKLMNOP" }));
    expect(e.problems.map((p) => p.field)).toEqual(["comment", "properties.pwd"]);
    expect(e.message).toContain("properties.pwd: expected no secret in properties");
    expect(e.message).toContain("comment: expected no credential in a comment, found an AWS access key id");
    expect(e.message).not.toMatch(/hunter2|AKIA/);
  });

  test.each(["system", "SYS_sales", "databricks_x", "hive_metastore", "samples"])("foreign catalog name %o is reserved", (name) => {
    const e = error((s) => mysql(new TerraformVariable(s, "pw", { type: "string" }).stringValue, { foreignCatalog: { name } }));
    expect(e.field).toBe("foreignCatalog.name");
    expect(e.message).toMatch(/expected a catalog name Databricks does not reserve/);
  });

  test("empty grant lists, a principal twice and a privilege twice are refused; every problem is listed", () => {
    const e = error((s) => mysql(new TerraformVariable(s, "pw", { type: "string" }).stringValue, {
      grants: [],
      foreignCatalog: { name: "c", grants: [{ principal: "a", privileges: ["SELECT", "SELECT"] }, { principal: "a", privileges: ["USE_CATALOG"] }] },
    }));
    expect(e.problems.map((p) => p.field)).toEqual(["grants", "foreignCatalog.grants[0].privileges[1]", "foreignCatalog.grants[1].principal"]);
    expect(e.message).toContain("grants: expected at least one grant; omit grants to manage none");
  });
});

// ---------------------------------------------------------------------------------------------
// DBX003 on a raw databricks_connection (what a construct-less stack could write)
// ---------------------------------------------------------------------------------------------

describe("DBX003", () => {
  const synthError = (build: (stack: TerraformStack) => void): string => checkedSynthError(build, "s");

  const connection = (s: TerraformStack, options: Record<string, string>, properties?: Record<string, string>) => new Connection(s, "c", { name: "c", connectionType: "MYSQL", options, properties });

  test.each<[string, (s: TerraformStack) => Record<string, string>, RegExp]>([
    ["a variable with a default", (s) => ({ password: new TerraformVariable(s, "pw", { type: "string", sensitive: true, default: "hunter2-canary" }).stringValue }), /option "password" is a secret: .*which has a default/],
    ["Lazy.stringValue", () => ({ password: Lazy.stringValue({ produce: () => "hunter2-canary" }) }), /option "password" is a secret: .*found a literal/],
    ["Fn.join over literals", () => ({ password: Fn.join("", ["hunter2", "-canary"]) }), /option "password" is a secret: .*not a single reference/],
    ["a secret under a key the provider does not list", () => ({ pwd: "hunter2-canary" }), /option "pwd" is a secret: .*found a literal/],
  ])("fails synth for %s, without showing the value", (_name, options, expected) => {
    const message = synthError((s) => connection(s, options(s)));
    expect(message).toMatch(/\[DBX003\] s\/c: /);
    expect(message).toMatch(expected);
    expect(message).not.toContain("hunter2");
  });

  test("fails synth for a property named like a secret", () => {
    const message = synthError((s) => connection(s, { host: "h" }, { api_key: "hunter2-canary" }));
    expect(message).toMatch(/\[DBX003\] s\/c: databricks_connection property "api_key" names a secret/);
    expect(message).not.toContain("hunter2");
  });

  test("passes for a variable without a default and a data source attribute", () => {
    expect(synthError((s) => {
      connection(s, { host: "h", user: "u", password: new TerraformVariable(s, "pw", { type: "string", sensitive: true }).stringValue });
      new Connection(s, "c2", { name: "c2", connectionType: "DATABRICKS", options: { host: "h", personalAccessToken: new DataAwsSecretsmanagerSecretVersion(s, "sec", { secretId: "pat" }).secretString } });
    })).toBe("");
  });
});
