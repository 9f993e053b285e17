import { PRIVATE_LINK_SERVICE_NAMES } from "../constructs/network";
import { DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID } from "../constructs/storage";
import { byPath, dataList, readVars, ref, resourceList, resources, synthEnvs, type TfJson } from "./helpers";

const stacks = synthEnvs();
const dev = stacks["provisioning-dev"];
const prod = stacks["provisioning-prod"];
const each: [string, TfJson][] = [["dev", dev], ["prod", prod]];

type Statement = { sid?: string; effect?: string; actions?: string[]; resources?: string[]; principals?: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] };
/** The statements of the policy document a resource's `policy` attribute references. */
function statementsOf(json: TfJson, policyRef: unknown): Statement[] {
  const m = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(policyRef));
  if (!m) throw new Error(`not a policy document reference: ${String(policyRef)}`);
  return (json.data!.aws_iam_policy_document[m[1]].statement as Statement[]) ?? [];
}

describe.each(each)("provisioning-%s: network", (env, json) => {
  const vars = readVars(env);

  test("VPC has DNS support and DNS hostnames (customer-managed VPC requirement)", () => {
    const vpc = byPath(json, "aws_vpc", "network/vpc");
    expect(vpc).toMatchObject({ cidr_block: vars.network.cidrBlock, enable_dns_support: true, enable_dns_hostnames: true });
  });

  test("one workspace subnet per availability zone, at least two distinct zones", () => {
    const subnetIds = (byPath(json, "databricks_mws_networks", "workspace/network").subnet_ids as string[]);
    expect(subnetIds.length).toBeGreaterThanOrEqual(2);
    const subnets = resources(json, "aws_subnet");
    const zones = subnetIds.map((r) => subnets[/aws_subnet\.([^.]+)\.id/.exec(r)![1]].availability_zone);
    expect(new Set(zones).size).toBe(subnetIds.length);
    expect(zones).toEqual(vars.network.availabilityZones);
  });

  test("internet gateway, NAT gateways with EIPs, and a default route through NAT from every private route table", () => {
    expect(resourceList(json, "aws_internet_gateway")).toHaveLength(1);
    const natCount = vars.network.natGateways === "one-per-az" ? vars.network.availabilityZones.length : 1;
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(natCount);
    expect(resourceList(json, "aws_eip")).toHaveLength(natCount);
    resourceList(json, "aws_eip").forEach((eip) => expect(eip.domain).toBe("vpc"));
    const natRoutes = resourceList(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(vars.network.availabilityZones.length);
    natRoutes.forEach((r) => expect(r.destination_cidr_block).toBe("0.0.0.0/0"));
    const igwRoutes = resourceList(json, "aws_route").filter((r) => r.gateway_id);
    expect(igwRoutes).toHaveLength(1);
  });

  test("no subnet maps public IPs on launch", () => {
    resourceList(json, "aws_subnet").forEach((s) => expect(s.map_public_ip_on_launch ?? false).toBe(false));
  });

  test("workspace security group: all TCP and UDP within itself, TCP egress on the Databricks ports only", () => {
    const sgRef = ref(json, "aws_security_group", "network/workspace-sg");
    const ingress = resourceList(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === sgRef);
    expect(ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id]).sort()).toEqual([
      ["tcp", 0, 65535, sgRef],
      ["udp", 0, 65535, sgRef],
    ]);
    const egress = resourceList(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === sgRef);
    const toSelf = egress.filter((r) => r.referenced_security_group_id === sgRef).map((r) => r.ip_protocol).sort();
    expect(toSelf).toEqual(["tcp", "udp"]);
    const external = egress.filter((r) => r.cidr_ipv4);
    expect(external.map((r) => `${r.ip_protocol}:${r.from_port}-${r.to_port}>${r.cidr_ipv4}`).sort()).toEqual(
      ["tcp:2443-2443>0.0.0.0/0", "tcp:3306-3306>0.0.0.0/0", "tcp:443-443>0.0.0.0/0", "tcp:6666-6666>0.0.0.0/0", "tcp:8443-8451>0.0.0.0/0"],
    );
  });

  test("no security group accepts ingress from the internet", () => {
    for (const rule of resourceList(json, "aws_vpc_security_group_ingress_rule")) {
      expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
      expect(rule.cidr_ipv6).not.toBe("::/0");
    }
    for (const rule of resourceList(json, "aws_security_group_rule")) expect(rule.type === "ingress" && JSON.stringify(rule).includes("0.0.0.0/0")).toBe(false);
    for (const sg of resourceList(json, "aws_security_group")) expect(sg.ingress).toBeUndefined();
  });

  test("the VPC's default security group is adopted with no rules", () => {
    expect(byPath(json, "aws_default_security_group", "network/default-sg")).toMatchObject({ vpc_id: ref(json, "aws_vpc", "network/vpc"), ingress: [], egress: [] });
  });

  test("S3 gateway endpoint on every private route table", () => {
    const s3 = resourceList(json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Gateway");
    expect(s3).toMatchObject({ service_name: `com.amazonaws.${vars.region}.s3` });
    const privateTables = vars.network.availabilityZones.map((az: string) => ref(json, "aws_route_table", `network/private-${az}-rt`));
    expect(s3!.route_table_ids).toEqual(privateTables);
  });

  test("STS and Kinesis Streams interface endpoints with private DNS behind the endpoint security group", () => {
    const endpointSg = ref(json, "aws_security_group", "network/endpoint-sg");
    for (const service of ["sts", "kinesis-streams"]) {
      const e = resourceList(json, "aws_vpc_endpoint").find((x) => x.service_name === `com.amazonaws.${vars.region}.${service}`);
      expect(e).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true, security_group_ids: [endpointSg] });
    }
  });

  test("VPC flow logs go to a KMS-encrypted CloudWatch Logs group", () => {
    const flowLog = byPath(json, "aws_flow_log", "network/flow-log");
    expect(flowLog).toMatchObject({ log_destination_type: "cloud-watch-logs", traffic_type: vars.network.flowLogs.trafficType, vpc_id: ref(json, "aws_vpc", "network/vpc") });
    const group = byPath(json, "aws_cloudwatch_log_group", "network/flow-log-group");
    expect(group).toMatchObject({ kms_key_id: ref(json, "aws_kms_key", "keys/logs", "arn"), retention_in_days: vars.network.flowLogs.retentionDays });
  });
});

describe.each(each)("provisioning-%s: keys and buckets", (env, json) => {
  const vars = readVars(env);

  test("four customer-managed keys, all rotating, each with an alias", () => {
    // The workspace keys; the consumers' secrets key is asserted in consumers.test.ts.
    const workspaceKey = (r: Record<string, unknown>) => JSON.stringify(r["//"]).includes("/keys/");
    const keys = resourceList(json, "aws_kms_key").filter(workspaceKey);
    expect(keys).toHaveLength(4);
    keys.forEach((k) => expect(k).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: vars.encryption.kmsKeyDeletionWindowDays }));
    expect(resourceList(json, "aws_kms_alias").filter(workspaceKey).map((a) => a.name).sort()).toEqual(
      ["data-lake", "logs", "managed-services", "workspace-storage"].map((k) => `alias/${vars.namePrefix}-${k}`),
    );
  });

  test("the workspace storage key lets the cross-account role encrypt EBS volumes through EC2 only", () => {
    const statements = statementsOf(json, byPath(json, "aws_kms_key", "keys/workspace-storage").policy);
    const ebs = statements.find((s) => s.sid === "CrossAccountRoleEbsThroughEc2");
    expect(ebs).toBeDefined();
    expect(ebs!.principals).toEqual([{ type: "AWS", identifiers: [ref(json, "aws_iam_role", "cross-account-role/role", "arn")] }]);
    expect(ebs!.actions).toEqual(expect.arrayContaining(["kms:CreateGrant", "kms:GenerateDataKey*", "kms:Decrypt"]));
    expect(ebs!.condition).toEqual([{ test: "ForAnyValue:StringLike", variable: "kms:ViaService", values: ["ec2.*.amazonaws.com"] }]);
    const control = statements.find((s) => s.sid === "DatabricksControlPlaneStorage");
    expect(control!.principals![0].identifiers).toEqual([`arn:aws:iam::${DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID}:root`]);
    expect(control!.condition![0]).toMatchObject({ variable: "aws:PrincipalTag/DatabricksAccountId", values: [vars.databricks.accountId] });
  });

  test("every bucket: SSE-KMS with a CMK and bucket key, versioning, all public access blocked, ACLs disabled, TLS-only policy", () => {
    const buckets = resources(json, "aws_s3_bucket");
    const names = [vars.storage.rootBucketName, ...vars.storage.dataLakeBucketNames, vars.storage.loggingBucketName];
    expect(Object.values(buckets).map((b) => b.bucket).sort()).toEqual([...names].sort());
    const keyArns = resourceList(json, "aws_kms_key").filter((k) => JSON.stringify(k["//"]).includes("/keys/")).length;
    expect(keyArns).toBe(4);
    for (const logicalId of Object.keys(buckets)) {
      const id = `\${aws_s3_bucket.${logicalId}.id}`;
      const of = (type: string) => resourceList(json, type).filter((r) => r.bucket === id);
      const sse = of("aws_s3_bucket_server_side_encryption_configuration");
      expect(sse).toHaveLength(1);
      const rule = (sse[0].rule as any[])[0];
      expect(rule.bucket_key_enabled).toBe(true);
      expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
      expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
      expect(of("aws_s3_bucket_public_access_block")).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
      expect(of("aws_s3_bucket_ownership_controls")).toEqual([expect.objectContaining({ rule: { object_ownership: "BucketOwnerEnforced" } })]);
      expect(of("aws_s3_bucket_versioning")).toEqual([expect.objectContaining({ versioning_configuration: { status: "Enabled" } })]);
      const policy = of("aws_s3_bucket_policy");
      expect(policy).toHaveLength(1);
      const tls = statementsOf(json, policy[0].policy).find((s) => s.sid === "DenyInsecureTransport");
      expect(tls).toMatchObject({ effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
    }
  });

  test("buckets use the right key: root -> workspace storage, data lake -> data lake, logging -> logs", () => {
    const keyOf = (name: string) => {
      const [logicalId] = Object.entries(resources(json, "aws_s3_bucket")).find(([, b]) => b.bucket === name)!;
      const sse = resourceList(json, "aws_s3_bucket_server_side_encryption_configuration").find((r) => r.bucket === `\${aws_s3_bucket.${logicalId}.id}`)!;
      return (sse.rule as any[])[0].apply_server_side_encryption_by_default.kms_master_key_id;
    };
    expect(keyOf(vars.storage.rootBucketName)).toBe(ref(json, "aws_kms_key", "keys/workspace-storage", "arn"));
    vars.storage.dataLakeBucketNames.forEach((n: string) => expect(keyOf(n)).toBe(ref(json, "aws_kms_key", "keys/data-lake", "arn")));
    expect(keyOf(vars.storage.loggingBucketName)).toBe(ref(json, "aws_kms_key", "keys/logs", "arn"));
  });

  test("uploads asking for another encryption are denied per the vars switches; header-less uploads never are", () => {
    const denies = (pathSuffix: string) =>
      statementsOf(json, byPath(json, "aws_s3_bucket_policy", `${pathSuffix}/policy`).policy).filter((s) => s.sid?.startsWith("DenyUploads"));
    const expectDenied = (pathSuffix: string, on: boolean, keyPath: string) => {
      const d = denies(pathSuffix);
      if (!on) return expect(d).toEqual([]);
      const key = ref(json, "aws_kms_key", keyPath, "arn");
      expect(d.map((s) => [s.sid, s.effect, s.actions, s.condition])).toEqual([
        ["DenyUploadsOtherEncryption", "Deny", ["s3:PutObject"], [
          { test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["false"] },
          { test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
        ]],
        ["DenyUploadsOtherKmsKey", "Deny", ["s3:PutObject"], [
          { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["false"] },
          { test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [key] },
        ]],
        ["DenyUploadsKmsWithoutKeyId", "Deny", ["s3:PutObject"], [
          { test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["false"] },
          { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["true"] },
        ]],
      ]);
      // Never a deny for a missing header alone (DESIGN "Encryption").
      for (const s of d) expect(s.condition).not.toContainEqual({ test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["true"] });
    };
    expectDenied("root-bucket", vars.storage.denyOtherEncryptionOnWrite.dbfs, "keys/workspace-storage");
    vars.storage.dataLakeBucketNames.forEach((n: string) => expectDenied(`data-lake-${n}`, vars.storage.denyOtherEncryptionOnWrite.dataLake, "keys/data-lake"));
    expectDenied("logging-bucket", false, "keys/logs");
  });

  test("root bucket policy merges the databricks_aws_bucket_policy document", () => {
    const policyRef = byPath(json, "aws_s3_bucket_policy", "root-bucket/policy").policy;
    const doc = json.data!.aws_iam_policy_document[/data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policyRef))![1]];
    expect(doc.source_policy_documents).toEqual([expect.stringMatching(/^\$\{data\.databricks_aws_bucket_policy\.[^.]+\.json\}$/)]);
    expect(dataList(json, "databricks_aws_bucket_policy")[0]).toMatchObject({ bucket: vars.storage.rootBucketName, provider: "databricks.account" });
  });
});

describe.each(each)("provisioning-%s: IAM and workspace", (env, json) => {
  const vars = readVars(env);

  test("cross-account policy is never the broad `managed` type", () => {
    const policies = dataList(json, "databricks_aws_crossaccount_policy");
    expect(policies).toHaveLength(1);
    expect(policies[0].policy_type).toBe(vars.iam.crossAccountPolicyType);
    expect(["customer", "restricted"]).toContain(policies[0].policy_type);
  });

  test("the role trusts Databricks with the account id as external id", () => {
    const trust = dataList(json, "databricks_aws_assume_role_policy").filter((d) => !d.for_log_delivery);
    expect(trust).toEqual([expect.objectContaining({ external_id: vars.databricks.accountId })]);
    expect(byPath(json, "aws_iam_role", "cross-account-role/role").assume_role_policy).toMatch(/^\$\{data\.databricks_aws_assume_role_policy\./);
  });

  test("credentials wait for IAM propagation after the role policy is written", () => {
    const sleep = byPath(json, "time_sleep", "cross-account-role/iam-propagation");
    expect(sleep.create_duration).toBe("30s");
    expect(sleep.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
    const creds = byPath(json, "databricks_mws_credentials", "workspace/credentials");
    expect(creds.depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    expect(creds.role_arn).toBe(ref(json, "aws_iam_role", "cross-account-role/role", "arn"));
  });

  test("account-level provider for every databricks_mws_* resource, with no secret in its configuration", () => {
    const account = json.provider!.databricks.filter((p) => p.alias === "account");
    expect(account).toEqual([{ alias: "account", host: "https://accounts.cloud.databricks.com", account_id: vars.databricks.accountId, auth_type: "oauth-m2m" }]);
    // Any other Databricks provider is workspace-level: never an account_id there (provider docs/index.md).
    json.provider!.databricks.filter((p) => p.alias !== "account").forEach((p) => expect(p.account_id).toBeUndefined());
    for (const type of Object.keys(json.resource!).filter((t) => t.startsWith("databricks_mws_"))) {
      resourceList(json, type).forEach((r) => expect(r.provider).toBe("databricks.account"));
    }
  });

  test("customer-managed keys for MANAGED_SERVICES and STORAGE, both used by the workspace", () => {
    const cmk = byPath(json, "databricks_mws_customer_managed_keys", "workspace/managed-services-key");
    const storage = byPath(json, "databricks_mws_customer_managed_keys", "workspace/storage-key");
    expect(cmk).toMatchObject({ use_cases: ["MANAGED_SERVICES"], aws_key_info: { key_arn: ref(json, "aws_kms_key", "keys/managed-services", "arn") } });
    expect(storage).toMatchObject({ use_cases: ["STORAGE"], aws_key_info: { key_arn: ref(json, "aws_kms_key", "keys/workspace-storage", "arn") } });
    const ws = byPath(json, "databricks_mws_workspaces", "workspace/workspace");
    expect(ws).toMatchObject({
      workspace_name: vars.databricks.workspaceName,
      aws_region: vars.region,
      pricing_tier: "ENTERPRISE",
      managed_services_customer_managed_key_id: ref(json, "databricks_mws_customer_managed_keys", "workspace/managed-services-key", "customer_managed_key_id"),
      storage_customer_managed_key_id: ref(json, "databricks_mws_customer_managed_keys", "workspace/storage-key", "customer_managed_key_id"),
      credentials_id: ref(json, "databricks_mws_credentials", "workspace/credentials", "credentials_id"),
      storage_configuration_id: ref(json, "databricks_mws_storage_configurations", "workspace/storage-configuration", "storage_configuration_id"),
      network_id: ref(json, "databricks_mws_networks", "workspace/network", "network_id"),
    });
  });

  test("network registration uses the workspace subnets, security group and VPC", () => {
    expect(byPath(json, "databricks_mws_networks", "workspace/network")).toMatchObject({
      vpc_id: ref(json, "aws_vpc", "network/vpc"),
      security_group_ids: [ref(json, "aws_security_group", "network/workspace-sg")],
    });
    expect(byPath(json, "databricks_mws_storage_configurations", "workspace/storage-configuration").bucket_name).toBe(ref(json, "aws_s3_bucket", "root-bucket/bucket", "bucket"));
  });

  test("outputs: workspace URL and id, VPC id, bucket names, key ARNs", () => {
    expect(Object.keys(json.output!).sort()).toEqual(expect.arrayContaining([
      "workspace_url", "workspace_id", "vpc_id", "root_bucket_name", "logging_bucket_name", "data_lake_bucket_names",
      "managed_services_key_arn", "workspace_storage_key_arn", "data_lake_key_arn", "logs_key_arn",
    ]));
  });
});

describe("PrivateLink", () => {
  test("prod registers REST API and relay endpoints with the region's Databricks services", () => {
    const services = PRIVATE_LINK_SERVICE_NAMES["eu-west-1"];
    const rest = byPath(prod, "aws_vpc_endpoint", "network/workspace-rest-endpoint");
    const relay = byPath(prod, "aws_vpc_endpoint", "network/workspace-relay-endpoint");
    expect(rest).toMatchObject({ service_name: services.workspace, vpc_endpoint_type: "Interface", private_dns_enabled: true });
    expect(relay).toMatchObject({ service_name: services.relay, vpc_endpoint_type: "Interface", private_dns_enabled: true });
    const privateLinkSubnets = ["a", "b", "c"].map((z) => ref(prod, "aws_subnet", `network/privatelink-eu-west-1${z}`));
    expect(rest.subnet_ids).toEqual(privateLinkSubnets);
    expect(byPath(prod, "databricks_mws_vpc_endpoint", "workspace/rest-api-endpoint").aws_vpc_endpoint_id).toBe(ref(prod, "aws_vpc_endpoint", "network/workspace-rest-endpoint"));
    expect(byPath(prod, "databricks_mws_vpc_endpoint", "workspace/relay-endpoint").aws_vpc_endpoint_id).toBe(ref(prod, "aws_vpc_endpoint", "network/workspace-relay-endpoint"));
    expect(byPath(prod, "databricks_mws_networks", "workspace/network").vpc_endpoints).toEqual({
      rest_api: [ref(prod, "databricks_mws_vpc_endpoint", "workspace/rest-api-endpoint", "vpc_endpoint_id")],
      dataplane_relay: [ref(prod, "databricks_mws_vpc_endpoint", "workspace/relay-endpoint", "vpc_endpoint_id")],
    });
    expect(byPath(prod, "databricks_mws_private_access_settings", "workspace/private-access-settings")).toMatchObject({ region: "eu-west-1", public_access_enabled: true, private_access_level: "ACCOUNT" });
    expect(byPath(prod, "databricks_mws_workspaces", "workspace/workspace").private_access_settings_id).toBe(
      ref(prod, "databricks_mws_private_access_settings", "workspace/private-access-settings", "private_access_settings_id"),
    );
  });

  test("dev has no PrivateLink resources", () => {
    expect(resourceList(dev, "databricks_mws_vpc_endpoint")).toEqual([]);
    expect(resourceList(dev, "databricks_mws_private_access_settings")).toEqual([]);
    const serviceNames = resourceList(dev, "aws_vpc_endpoint").map((e) => String(e.service_name));
    expect(serviceNames.filter((s) => s.startsWith("com.amazonaws.vpce."))).toEqual([]);
    expect(byPath(dev, "databricks_mws_networks", "workspace/network").vpc_endpoints).toBeUndefined();
    expect(byPath(dev, "databricks_mws_workspaces", "workspace/workspace").private_access_settings_id).toBeUndefined();
  });

  test("restricted cross-account policy is pinned to the account, region, VPC and workspace security group", () => {
    expect(dataList(prod, "databricks_aws_crossaccount_policy")[0]).toMatchObject({
      policy_type: "restricted",
      aws_account_id: "345678901234",
      region: "eu-west-1",
      vpc_id: ref(prod, "aws_vpc", "network/vpc"),
      security_group_id: ref(prod, "aws_security_group", "network/workspace-sg"),
    });
    expect(dataList(dev, "databricks_aws_crossaccount_policy")[0].vpc_id).toBeUndefined();
  });
});

describe("backend", () => {
  test("dev: local state at the repository root, outside cdktf.out", () => {
    expect((dev.terraform as any).backend).toEqual({ local: { path: "../../../terraform.provisioning-dev.tfstate" } });
  });
  test("prod: encrypted S3 backend with native lock files", () => {
    expect((prod.terraform as any).backend.s3).toMatchObject({ bucket: "acme-terraform-state-euw1", encrypt: true, use_lockfile: true, key: "databricks-aws-cdktf/prod/provisioning-prod.tfstate" });
  });
});
