/**
 * Workspace-level configuration: what the management stack owns inside the workspace.
 *
 * Field facts: provider `docs/resources/cluster_policy.md` (policy definition language),
 * `cluster.md` (`aws_attributes`, `cluster_log_conf.s3` with `enable_encryption`/`encryption_type = sse-kms`),
 * `instance_profile.md`, `secret_scope.md`, `secret_acl.md`, `permissions.md` (account groups assigned to the
 * workspace are named by display name),
 * `disable_legacy_dbfs_setting.md` and `workspace_conf.md`. SSE-KMS from Spark: Databricks docs
 * "Configure encryption for S3 with KMS" (`spark.hadoop.fs.s3a.server-side-encryption-algorithm SSE-KMS`,
 * `spark.hadoop.fs.s3a.server-side-encryption.key <key ARN>`).
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { Cluster } from "@cdktf/provider-databricks/lib/cluster";
import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { DisableLegacyDbfsSetting } from "@cdktf/provider-databricks/lib/disable-legacy-dbfs-setting";
import { InstanceProfile } from "@cdktf/provider-databricks/lib/instance-profile";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { SecretAcl } from "@cdktf/provider-databricks/lib/secret-acl";
import { SecretScope } from "@cdktf/provider-databricks/lib/secret-scope";
import { WorkspaceConf } from "@cdktf/provider-databricks/lib/workspace-conf";
import { AUTOTERMINATION_MINUTES, DEFAULT_CLUSTER, DEFAULT_DISABLE_LEGACY_DBFS } from "./defaults";

export * from "./defaults";

/** `data_security_mode` values that support Unity Catalog (Databricks "Access modes", provider `docs/resources/cluster.md`). */
export const UNITY_CATALOG_ACCESS_MODES = ["USER_ISOLATION", "SINGLE_USER"] as const;

export interface WorkspaceClusterSettings {
  /** EC2 node type, e.g. `m6i.xlarge`. */
  readonly nodeTypeId: string;
  /** Databricks Runtime key, e.g. `15.4.x-scala2.12`. */
  readonly sparkVersion: string;
  /** @default 1 */
  readonly minWorkers?: number;
  /** @default 4 */
  readonly maxWorkers?: number;
  /** @default 30 */
  readonly autoterminationMinutes?: number;
  /** On-demand nodes before spot nodes (the driver is the first). @default 1 */
  readonly firstOnDemand?: number;
}

export interface WorkspaceConfigurationProps {
  readonly namePrefix: string;
  readonly region: string;
  /** The workspace-level provider. */
  readonly provider: TerraformProvider;
  /**
   * Account group (assigned to the workspace) that may attach to the shared cluster. Workspace-local groups
   * are not used: they cannot be granted Unity Catalog privileges.
   */
  readonly dataReadersGroup: string;
  /** Account group (assigned to the workspace) that may restart the cluster, use the policy and read the secret scope. */
  readonly dataEngineersGroup: string;
  readonly cluster: WorkspaceClusterSettings;
  /**
   * ARN of the instance profile clusters run with (created in provisioning): it writes cluster logs, and
   * reaches the data lake only for legacy workloads; data access goes through Unity Catalog.
   */
  readonly instanceProfileArn: string;
  /**
   * Enforce SSE-KMS with this key on every S3 write from Spark (cluster policy fixes the settings).
   * @default no enforcement
   */
  readonly sseKmsKeyArn?: string;
  /** Where clusters deliver logs: bucket, prefix and the KMS key (SSE-KMS). */
  readonly clusterLogs: { readonly bucketName: string; readonly prefix: string; readonly kmsKeyArn: string };
  /**
   * Turn off legacy DBFS root and mounts for new compute.
   * @default true
   */
  readonly disableLegacyDbfs?: boolean;
  /**
   * Tags on every cluster (propagated to EC2).
   * @default {}
   */
  readonly customTags?: Record<string, string>;
  /**
   * Application ids of service principals that may use the cluster policy (`CAN_USE`), e.g. the principals
   * extractor jobs run as. The policy's permissions are one authoritative resource (provider
   * `docs/resources/permissions.md`), so every user of the policy is listed here.
   * @default none beyond `dataEngineersGroup`
   */
  readonly clusterPolicyServicePrincipals?: readonly string[];
}

/**
 * A cluster policy that fixes the security-relevant settings and allows only Unity Catalog access modes
 * (`USER_ISOLATION`, `SINGLE_USER`), an autoscaling spot-with-fallback cluster governed by it, the instance
 * profile registration, a secret scope, permissions for the two account groups, and workspace hardening.
 * @throws Error naming the value when `minWorkers > maxWorkers`.
 */
export class WorkspaceConfiguration extends Construct {
  public readonly clusterPolicy: ClusterPolicy;
  public readonly cluster: Cluster;
  public readonly secretScope: SecretScope;
  public readonly instanceProfile: InstanceProfile;
  /** The Spark settings every cluster gets (SSE-KMS when enforced). */
  public readonly sparkConf: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkspaceConfigurationProps) {
    super(scope, id);
    const provider = props.provider;
    const c = props.cluster;
    const minWorkers = c.minWorkers ?? DEFAULT_CLUSTER.minWorkers;
    const maxWorkers = c.maxWorkers ?? DEFAULT_CLUSTER.maxWorkers;
    if (minWorkers > maxWorkers) throw new Error(`WorkspaceConfiguration ${id}: cluster.minWorkers: expected at most maxWorkers (${maxWorkers}), found ${minWorkers}`);
    const autoterminationMinutes = c.autoterminationMinutes ?? DEFAULT_CLUSTER.autoterminationMinutes;
    const logs = props.clusterLogs;
    const logDestination = `s3://${logs.bucketName}/${logs.prefix.replace(/^\/+|\/+$/g, "")}`;

    this.sparkConf = props.sseKmsKeyArn
      ? { "spark.hadoop.fs.s3a.server-side-encryption-algorithm": "SSE-KMS", "spark.hadoop.fs.s3a.server-side-encryption.key": props.sseKmsKeyArn }
      : {};

    this.instanceProfile = new InstanceProfile(this, "instance-profile", { provider, instanceProfileArn: props.instanceProfileArn });

    const fixed = (value: unknown, hidden = false) => ({ type: "fixed", value, ...(hidden ? { hidden: true } : {}) });
    const definition: Record<string, unknown> = {
      spark_version: fixed(c.sparkVersion),
      node_type_id: { type: "allowlist", values: [c.nodeTypeId], defaultValue: c.nodeTypeId },
      "autoscale.max_workers": { type: "range", maxValue: maxWorkers, defaultValue: maxWorkers },
      autotermination_minutes: { type: "range", minValue: AUTOTERMINATION_MINUTES.min, maxValue: autoterminationMinutes, defaultValue: autoterminationMinutes },
      // Unity Catalog access modes only (Databricks "Access modes"): no legacy no-isolation clusters.
      data_security_mode: { type: "allowlist", values: [...UNITY_CATALOG_ACCESS_MODES], defaultValue: "USER_ISOLATION" },
      "aws_attributes.availability": fixed("SPOT_WITH_FALLBACK", true),
      "aws_attributes.instance_profile_arn": fixed(this.instanceProfile.id),
      "cluster_log_conf.type": fixed("S3"),
      "cluster_log_conf.path": fixed(logDestination),
      "cluster_log_conf.region": fixed(props.region),
      ...Object.fromEntries(Object.entries(this.sparkConf).map(([k, v]) => [`spark_conf.${k}`, fixed(v)])),
      ...Object.fromEntries(Object.entries(props.customTags ?? {}).map(([k, v]) => [`custom_tags.${k}`, fixed(v)])),
    };
    this.clusterPolicy = new ClusterPolicy(this, "cluster-policy", {
      provider, name: `${props.namePrefix}-standard`, description: "Spot with fallback, encrypted logs, SSE-KMS on S3 writes", definition: JSON.stringify(definition),
    });

    this.cluster = new Cluster(this, "cluster", {
      provider,
      clusterName: `${props.namePrefix}-shared`,
      sparkVersion: c.sparkVersion,
      nodeTypeId: c.nodeTypeId,
      policyId: this.clusterPolicy.id,
      applyPolicyDefaultValues: true,
      autoscale: { minWorkers, maxWorkers },
      autoterminationMinutes,
      dataSecurityMode: "USER_ISOLATION",
      sparkConf: this.sparkConf,
      customTags: props.customTags,
      awsAttributes: {
        availability: "SPOT_WITH_FALLBACK", firstOnDemand: c.firstOnDemand ?? DEFAULT_CLUSTER.firstOnDemand, zoneId: "auto", spotBidPricePercent: 100,
        instanceProfileArn: this.instanceProfile.id,
      },
      clusterLogConf: { s3: { destination: logDestination, region: props.region, enableEncryption: true, encryptionType: "sse-kms", kmsKey: logs.kmsKeyArn } },
    });

    new Permissions(this, "cluster-permissions", {
      provider, clusterId: this.cluster.id,
      accessControl: [
        { groupName: props.dataReadersGroup, permissionLevel: "CAN_ATTACH_TO" },
        { groupName: props.dataEngineersGroup, permissionLevel: "CAN_RESTART" },
      ],
    });
    new Permissions(this, "cluster-policy-permissions", {
      provider, clusterPolicyId: this.clusterPolicy.id,
      accessControl: [
        { groupName: props.dataEngineersGroup, permissionLevel: "CAN_USE" },
        ...(props.clusterPolicyServicePrincipals ?? []).map((servicePrincipalName) => ({ servicePrincipalName, permissionLevel: "CAN_USE" })),
      ],
    });

    this.secretScope = new SecretScope(this, "secret-scope", { provider, name: props.namePrefix });
    new SecretAcl(this, "secret-scope-engineers", { provider, scope: this.secretScope.name, principal: props.dataEngineersGroup, permission: "READ" });

    if (props.disableLegacyDbfs ?? DEFAULT_DISABLE_LEGACY_DBFS) {
      new DisableLegacyDbfsSetting(this, "disable-legacy-dbfs", { provider, disableLegacyDbfs: { value: true } });
    }
    new WorkspaceConf(this, "workspace-conf", {
      provider,
      customConfig: { enableDbfsFileBrowser: "false", enableDeprecatedGlobalInitScripts: "false" },
    });
  }
}
