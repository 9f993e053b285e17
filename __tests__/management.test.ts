import { byPath, dataList, readVars, ref, resourceList, synthEnvs, type TfJson } from "./helpers";

const stacks = synthEnvs();
const REMOTE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-provisioning-(dev|prod)\.outputs\.[^}]+\}$/;
const envs = ["dev", "prod"] as const;

/** The provisioning resource a management remote-state reference points at, e.g. "databricks_token.x.token_value". */
function provisioningSource(prov: TfJson, reference: string): string {
  const outputName = /\.outputs\.([^}]+)\}$/.exec(reference)![1];
  const output = prov.output![outputName];
  expect(output).toBeDefined();
  expect(output.sensitive).toBe(true);
  return String(output.value).replace(/^\$\{|\}$/g, "");
}

describe.each(envs)("management-%s", (env) => {
  const mgmt = stacks[`management-${env}`];
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);

  test("exists beside provisioning-<env>", () => {
    expect(mgmt).toBeDefined();
    expect(prov).toBeDefined();
  });

  test("the automation provider takes host and OAuth credentials only from provisioning outputs", () => {
    const providers = mgmt.provider!.databricks;
    const automation = providers.find((p) => p.alias === undefined) as Record<string, string>;
    const { auth_type, ...settings } = automation;
    expect(settings.account_id).toBeUndefined();
    expect(Object.keys(settings).sort()).toEqual(["client_id", "client_secret", "host"]);
    for (const value of Object.values(settings)) expect(value).toMatch(REMOTE);
    expect(auth_type).toBe("oauth-m2m");
    expect(provisioningSource(prov, settings.host)).toMatch(/^databricks_mws_workspaces\.[^.]+\.workspace_url$/);
    expect(provisioningSource(prov, settings.client_id)).toMatch(/^databricks_service_principal\.[^.]+\.application_id$/);
    expect(provisioningSource(prov, settings.client_secret)).toMatch(/^databricks_service_principal_secret\.[^.]+\.secret$/);
  });

  test("the metastore-admin provider: same host from provisioning, credentials only from the deploy environment", () => {
    const providers = mgmt.provider!.databricks;
    // The third is the account-level provider of the consumers' OAuth secrets (consumers.test.ts).
    expect(providers.map((p) => p.alias).sort()).toEqual(["account", "metastore-admin", undefined]);
    const admin = providers.find((p) => p.alias === "metastore-admin") as Record<string, string>;
    expect(Object.keys(admin).sort()).toEqual(["alias", "auth_type", "host"]);
    expect(admin.auth_type).toBe("oauth-m2m");
    expect(provisioningSource(prov, admin.host)).toMatch(/^databricks_mws_workspaces\.[^.]+\.workspace_url$/);
    // It grants the metastore privileges and nothing else.
    const used = Object.values(mgmt.resource!).flatMap((byName) => Object.values(byName)).filter((r) => r.provider === "databricks.metastore-admin");
    expect(used).toHaveLength(1);
    expect(used[0]).toMatchObject({ privileges: ["CREATE_CATALOG", "CREATE_CONNECTION", "CREATE_EXTERNAL_LOCATION"] });
  });

  test("remote state reads the provisioning stack's own backend", () => {
    const remote = Object.values(mgmt.data!.terraform_remote_state);
    expect(remote).toHaveLength(1);
    if (vars.backend.type === "local") expect(remote[0]).toMatchObject({ backend: "local", config: { path: `../../../terraform.provisioning-${env}.tfstate` } });
    else expect(remote[0]).toMatchObject({ backend: "s3", config: { bucket: vars.backend.bucket, key: `${vars.backend.keyPrefix}/provisioning-${env}.tfstate` } });
  });

  test("every output provisioning exports to management is sensitive", () => {
    const crossStack = Object.entries(prov.output!).filter(([k]) => k.startsWith("cross-stack-output-"));
    expect(crossStack.length).toBeGreaterThanOrEqual(3);
    crossStack.forEach(([, o]) => expect(o.sensitive).toBe(true));
  });

  test("cluster: autoscaling, spot with fallback, autotermination, governed by the policy, encrypted logs", () => {
    const cluster = byPath(mgmt, "databricks_cluster", "workspace-config/cluster");
    expect(cluster).toMatchObject({
      node_type_id: vars.cluster.nodeTypeId,
      spark_version: vars.cluster.sparkVersion,
      autoscale: { min_workers: vars.cluster.minWorkers, max_workers: vars.cluster.maxWorkers },
      autotermination_minutes: vars.cluster.autoterminationMinutes,
      policy_id: ref(mgmt, "databricks_cluster_policy", "workspace-config/cluster-policy"),
      aws_attributes: { availability: "SPOT_WITH_FALLBACK", first_on_demand: vars.cluster.firstOnDemand, instance_profile_arn: ref(mgmt, "databricks_instance_profile", "workspace-config/instance-profile") },
    });
    expect((cluster.cluster_log_conf as any).s3).toMatchObject({
      destination: `s3://${vars.storage.loggingBucketName}/cluster-logs`, enable_encryption: true, encryption_type: "sse-kms", region: vars.region,
    });
    expect(provisioningSource(prov, (cluster.cluster_log_conf as any).s3.kms_key)).toMatch(/^aws_kms_key\.keys_logs_[^.]+\.arn$/);
  });

  test("SSE-KMS with the data-lake key is enforced in Spark and fixed by the cluster policy", () => {
    expect(vars.storage.denyOtherEncryptionOnWrite.dataLake).toBe(true);
    const cluster = byPath(mgmt, "databricks_cluster", "workspace-config/cluster");
    const conf = cluster.spark_conf as Record<string, string>;
    expect(conf["spark.hadoop.fs.s3a.server-side-encryption-algorithm"]).toBe("SSE-KMS");
    expect(provisioningSource(prov, conf["spark.hadoop.fs.s3a.server-side-encryption.key"])).toMatch(/^aws_kms_key\.keys_data-lake_[^.]+\.arn$/);
    const definition = JSON.parse(String(byPath(mgmt, "databricks_cluster_policy", "workspace-config/cluster-policy").definition));
    expect(definition["spark_conf.spark.hadoop.fs.s3a.server-side-encryption-algorithm"]).toEqual({ type: "fixed", value: "SSE-KMS" });
    expect(definition["aws_attributes.availability"]).toMatchObject({ type: "fixed", value: "SPOT_WITH_FALLBACK" });
    expect(definition["cluster_log_conf.path"]).toEqual({ type: "fixed", value: `s3://${vars.storage.loggingBucketName}/cluster-logs` });
    expect(definition.node_type_id).toMatchObject({ type: "allowlist", values: [vars.cluster.nodeTypeId] });
  });

  test("instance profile from provisioning; permissions name the account groups; no workspace-local group exists", () => {
    const ip = byPath(mgmt, "databricks_instance_profile", "workspace-config/instance-profile");
    expect(provisioningSource(prov, ip.instance_profile_arn as string)).toMatch(/^aws_iam_instance_profile\.[^.]+\.arn$/);
    const perms = byPath(mgmt, "databricks_permissions", "workspace-config/cluster-permissions").access_control as any[];
    expect(perms.map((p) => [p.group_name, p.permission_level]).sort()).toEqual([
      [vars.identities.dataEngineersGroup, "CAN_RESTART"],
      [vars.identities.dataReadersGroup, "CAN_ATTACH_TO"],
    ]);
    expect(byPath(mgmt, "databricks_secret_acl", "workspace-config/secret-scope-engineers").principal).toBe(vars.identities.dataEngineersGroup);
    expect(resourceList(mgmt, "databricks_group")).toEqual([]);
    expect(resourceList(mgmt, "databricks_group_instance_profile")).toEqual([]);
  });

  test("cluster policy allows only Unity Catalog access modes", () => {
    const definition = JSON.parse(String(byPath(mgmt, "databricks_cluster_policy", "workspace-config/cluster-policy").definition));
    expect(definition.data_security_mode).toEqual({ type: "allowlist", values: ["USER_ISOLATION", "SINGLE_USER"], defaultValue: "USER_ISOLATION" });
    expect(byPath(mgmt, "databricks_cluster", "workspace-config/cluster").data_security_mode).toBe("USER_ISOLATION");
  });

  test("secret scope and workspace hardening", () => {
    expect(byPath(mgmt, "databricks_secret_scope", "workspace-config/secret-scope").name).toBe(vars.namePrefix);
    expect(byPath(mgmt, "databricks_disable_legacy_dbfs_setting", "workspace-config/disable-legacy-dbfs").disable_legacy_dbfs).toEqual({ value: true });
    expect(byPath(mgmt, "databricks_workspace_conf", "workspace-config/workspace-conf").custom_config).toMatchObject({ enableDbfsFileBrowser: "false" });
  });
});

describe.each(envs)("provisioning-%s: credentials", (env) => {
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const seconds = vars.credentials.lifetimeDays * 86400;

  test("automation service principal is workspace admin", () => {
    expect(byPath(prov, "databricks_service_principal", "credentials/automation")).toMatchObject({ display_name: `${vars.namePrefix}-automation`, provider: "databricks.account" });
    expect(byPath(prov, "databricks_mws_permission_assignment", "credentials/automation-workspace-admin")).toMatchObject({
      permissions: ["ADMIN"],
      principal_id: ref(prov, "databricks_service_principal", "credentials/automation"),
      workspace_id: ref(prov, "databricks_mws_workspaces", "workspace/workspace", "workspace_id"),
    });
  });

  test("OAuth secret with the configured lifetime, recreated by a rotation at half of it", () => {
    expect(byPath(prov, "time_rotating", "credentials/rotation")).toEqual(expect.objectContaining({ rotation_hours: vars.credentials.lifetimeDays * 12 }));
    expect(byPath(prov, "databricks_service_principal_secret", "credentials/secret")).toMatchObject({
      lifetime: `${seconds}s`,
      time_rotating: ref(prov, "time_rotating", "credentials/rotation", "rfc3339"),
      service_principal_id: ref(prov, "databricks_service_principal", "credentials/automation"),
    });
  });

  test("no PAT and no provider configured from provisioning's own resources", () => {
    expect(resourceList(prov, "databricks_token")).toEqual([]);
    expect(prov.provider!.databricks.map((p) => p.alias)).toEqual(["account"]);
  });

  test("the data-access role may be passed by the cross-account role", () => {
    const roleName = `${vars.namePrefix}-data-access`;
    expect(byPath(prov, "aws_iam_role", "data-access/role").name).toBe(roleName);
    expect(dataList(prov, "databricks_aws_crossaccount_policy")[0].pass_roles).toEqual([`arn:aws:iam::${vars.aws.accountId}:role/${roleName}`]);
  });

  test("log delivery through its own role, per the vars switches", () => {
    const trust = dataList(prov, "databricks_aws_assume_role_policy").find((d) => d.for_log_delivery === true);
    expect(trust).toMatchObject({ external_id: vars.databricks.accountId });
    const deliveries = resourceList(prov, "databricks_mws_log_delivery");
    const expected = [
      ...(vars.logDelivery.auditLogs ? [["AUDIT_LOGS", "JSON"]] : []),
      ...(vars.logDelivery.billableUsage ? [["BILLABLE_USAGE", "CSV"]] : []),
    ];
    expect(deliveries.map((d) => [d.log_type, d.output_format])).toEqual(expected);
    const audit = deliveries.find((d) => d.log_type === "AUDIT_LOGS");
    if (audit) expect(audit.workspace_ids_filter).toEqual([ref(prov, "databricks_mws_workspaces", "workspace/workspace", "workspace_id")]);
    expect(byPath(prov, "databricks_mws_storage_configurations", "log-delivery/storage").bucket_name).toBe(ref(prov, "aws_s3_bucket", "logging-bucket/bucket", "bucket"));
  });
});
