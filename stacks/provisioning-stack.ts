/**
 * `provisioning-<env>`: the AWS side and the Databricks workspace. Thin by design: it wires constructs
 * from `constructs/` with the environment's settings and holds no logic of its own.
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DataDatabricksAwsBucketPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-bucket-policy";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import type { Environment } from "../config/load";
import { WorkspaceNetwork } from "../constructs/network";
import { CrossAccountRole, DataAccessInstanceProfile } from "../constructs/iam";
import { WorkspaceCredentials } from "../constructs/credentials";
import { EncryptedBucket, WorkspaceKeys } from "../constructs/storage";
import { DatabricksWorkspace, LogDelivery } from "../constructs/workspace";
import { AccountIdentities } from "../constructs/identities";
import { DataLakeStorageCredential, WorkspaceMetastore } from "../constructs/unity-catalog";
import { ownerGroupsOf, storageCredentialName } from "../config/unity-catalog";
import { ConsumerPrincipals, ConsumerSecretsKey } from "../constructs/consumers";
import { accountProviderConfig, awsProviderConfig } from "./providers";
import { configureBackend } from "./backend";

export { DATABRICKS_ACCOUNTS_HOST } from "./providers";

export interface ProvisioningStackProps {
  readonly env: Environment;
  /** @default "awake" */
  readonly networkMode?: "awake" | "asleep";
}

export class ProvisioningStack extends TerraformStack {
  public readonly network: WorkspaceNetwork;
  public readonly keys: WorkspaceKeys;
  public readonly workspace: DatabricksWorkspace;
  public readonly rootBucket: EncryptedBucket;
  public readonly dataLakeBuckets: EncryptedBucket[];
  public readonly loggingBucket: EncryptedBucket;
  public readonly accountProvider: DatabricksProvider;
  public readonly credentials: WorkspaceCredentials;
  public readonly dataAccess: DataAccessInstanceProfile;
  public readonly metastore: WorkspaceMetastore;
  public readonly identities: AccountIdentities;
  public readonly storageCredential: DataLakeStorageCredential;
  /** The consumers' account-level service principals (`consumers` in vars). */
  public readonly consumers: ConsumerPrincipals;
  /** The KMS key of the consumers' secrets in AWS Secrets Manager, when a consumer gets a credential. */
  public readonly consumerSecretsKey?: ConsumerSecretsKey;
  /** Prefix in the logging bucket where clusters deliver their logs. */
  public readonly clusterLogPrefix = "cluster-logs";

  constructor(scope: Construct, id: string, props: ProvisioningStackProps) {
    super(scope, id);
    const { vars } = props.env;
    configureBackend(this, id, vars.backend);

    new AwsProvider(this, "aws", awsProviderConfig(vars, id));
    // Account-level provider; OAuth M2M client id and secret come from DATABRICKS_CLIENT_ID and
    // DATABRICKS_CLIENT_SECRET at deploy time and are never written here.
    this.accountProvider = new DatabricksProvider(this, "databricks-account", accountProviderConfig(vars));
    new TimeProvider(this, "time");

    const net = vars.network;
    this.network = new WorkspaceNetwork(this, "network", {
      namePrefix: vars.namePrefix,
      region: vars.region,
      cidrBlock: net.cidrBlock,
      availabilityZones: net.availabilityZones,
      privateSubnetCidrBlocks: net.privateSubnetCidrBlocks,
      publicSubnetCidrBlocks: net.publicSubnetCidrBlocks,
      privateLinkSubnetCidrBlocks: net.privateLinkSubnetCidrBlocks,
      natGateways: net.natGateways,
      vpcEndpoints: net.vpcEndpoints,
      egressCidrBlocks: net.egressCidrBlocks,
      privateLink: {
        enabled: vars.privateLink.enabled,
        serviceNames: { workspace: vars.privateLink.workspaceServiceName, relay: vars.privateLink.relayServiceName },
      },
      mode: props.networkMode ?? "awake",
      // Flow logs need the logs key, created below; assigned after the keys exist.
    });
    new TerraformOutput(this, "network_mode", { value: props.networkMode ?? "awake", description: "asleep: no NAT gateways, EIPs, NAT routes or STS/Kinesis endpoints (scripts/sleep-network.sh)" });

    // The data-access role's ARN is known from its name; using it here (not the resource) keeps the
    // construction order free of a cycle (its policy needs the keys, the keys need this role).
    const dataAccessRoleArn = `arn:aws:iam::${vars.aws.accountId}:role/${vars.namePrefix}-data-access`;
    const crossAccount = new CrossAccountRole(this, "cross-account-role", {
      namePrefix: vars.namePrefix,
      passRoles: [dataAccessRoleArn],
      databricksAccountId: vars.databricks.accountId,
      databricksProvider: this.accountProvider,
      policyType: vars.iam.crossAccountPolicyType,
      restrictTo: {
        awsAccountId: vars.aws.accountId, region: vars.region, vpcId: this.network.vpc.id, securityGroupId: this.network.workspaceSecurityGroup.id,
      },
    });

    this.keys = new WorkspaceKeys(this, "keys", {
      namePrefix: vars.namePrefix,
      region: vars.region,
      awsAccountId: vars.aws.accountId,
      databricksAccountId: vars.databricks.accountId,
      crossAccountRoleArn: crossAccount.role.arn,
      accountRootAdministration: vars.encryption.kmsKeyAccountRootAdmin,
      deployerArn: vars.encryption.kmsKeyDeployerArn,
      adminArns: vars.encryption.kmsKeyAdminArns,
      deletionWindowDays: vars.encryption.kmsKeyDeletionWindowDays,
    });
    if (net.flowLogs.enabled) {
      this.network.addFlowLogs(vars.namePrefix, { kmsKeyArn: this.keys.logs.arn, retentionDays: net.flowLogs.retentionDays, trafficType: net.flowLogs.trafficType });
    }

    const storage = vars.storage;
    const rootBucketPolicy = new DataDatabricksAwsBucketPolicy(this, "root-bucket-databricks-policy", {
      provider: this.accountProvider, bucket: storage.rootBucketName, databricksE2AccountId: vars.databricks.accountId,
    });
    this.rootBucket = new EncryptedBucket(this, "root-bucket", {
      bucketName: storage.rootBucketName,
      kmsKeyArn: this.keys.workspaceStorage.arn,
      denyOtherEncryptionOnWrite: storage.denyOtherEncryptionOnWrite.dbfs,
      forceDestroy: storage.forceDestroy,
      sourcePolicyDocuments: [rootBucketPolicy.json],
    });
    this.dataLakeBuckets = storage.dataLakeBucketNames.map(
      (bucketName) =>
        new EncryptedBucket(this, `data-lake-${bucketName}`, {
          bucketName, kmsKeyArn: this.keys.dataLake.arn, denyOtherEncryptionOnWrite: storage.denyOtherEncryptionOnWrite.dataLake, forceDestroy: storage.forceDestroy,
        }),
    );
    // No encryption deny here: Databricks log delivery's encryption headers are not documented, and an
    // `aws:kms` upload without a key id would be refused; default encryption applies the logs key anyway.
    this.loggingBucket = new EncryptedBucket(this, "logging-bucket", {
      bucketName: storage.loggingBucketName, kmsKeyArn: this.keys.logs.arn, forceDestroy: storage.forceDestroy, denyOtherEncryptionOnWrite: false,
    });

    this.dataAccess = new DataAccessInstanceProfile(this, "data-access", {
      namePrefix: vars.namePrefix,
      legacyDataLake: vars.workspaceSettings.legacyInstanceProfileDataAccess
        ? { bucketArns: this.dataLakeBuckets.map((b) => b.bucket.arn), kmsKeyArn: this.keys.dataLake.arn }
        : undefined,
      clusterLogs: { bucketArn: this.loggingBucket.bucket.arn, prefix: this.clusterLogPrefix, kmsKeyArn: this.keys.logs.arn },
    });

    this.workspace = new DatabricksWorkspace(this, "workspace", {
      namePrefix: vars.namePrefix,
      region: vars.region,
      databricksAccountId: vars.databricks.accountId,
      accountProvider: this.accountProvider,
      workspaceName: vars.databricks.workspaceName,
      pricingTier: vars.databricks.pricingTier,
      crossAccountRoleArn: crossAccount.role.arn,
      crossAccountRoleReady: crossAccount.credentialsDependency,
      rootBucketName: this.rootBucket.bucket.bucket,
      vpcId: this.network.vpc.id,
      subnetIds: this.network.privateSubnets.map((s) => s.id),
      securityGroupIds: [this.network.workspaceSecurityGroup.id],
      managedServicesKey: { keyArn: this.keys.managedServices.arn, keyAlias: this.keys.aliases.managedServices.name },
      workspaceStorageKey: { keyArn: this.keys.workspaceStorage.arn, keyAlias: this.keys.aliases.workspaceStorage.name },
      privateLink:
        this.network.restApiEndpoint && this.network.relayEndpoint
          ? {
              restApiAwsEndpointId: this.network.restApiEndpoint.id,
              relayAwsEndpointId: this.network.relayEndpoint.id,
              publicAccessEnabled: vars.privateLink.publicAccessEnabled,
              privateAccessLevel: vars.privateLink.privateAccessLevel,
            }
          : undefined,
      workspaceDependsOn: [this.rootBucket.policy, ...this.network.workspaceSecurityGroupRules],
    });

    const workspace = this.workspace.workspace;
    const uc = vars.unityCatalog;
    this.metastore = new WorkspaceMetastore(this, "metastore", {
      accountProvider: this.accountProvider, region: vars.region, workspaceId: workspace.workspaceId, metastore: uc.metastore,
    });
    this.credentials = new WorkspaceCredentials(this, "credentials", {
      namePrefix: vars.namePrefix,
      accountProvider: this.accountProvider,
      workspaceId: workspace.workspaceId,
      workspaceUrl: workspace.workspaceUrl,
      lifetimeDays: vars.credentials.lifetimeDays,
      assignAfter: this.metastore.ready,
    });
    // The automation principal creates the Unity Catalog objects; where vars give one of them to a group
    // as owner, the principal must stay able to act as owner (grants, foreign catalogs): it joins that group.
    const ownerGroups = ownerGroupsOf(vars);
    this.identities = new AccountIdentities(this, "identities", {
      accountProvider: this.accountProvider,
      workspaceId: workspace.workspaceId,
      groups: vars.identities.groups,
      assignAfter: this.metastore.ready,
      members: ownerGroups.map((groupName) => ({ groupName, memberKey: "automation", principalId: this.credentials.servicePrincipal.id })),
    });
    this.storageCredential = new DataLakeStorageCredential(this, "storage-credential", {
      accountProvider: this.accountProvider,
      metastoreId: this.metastore.metastoreId,
      name: storageCredentialName(vars),
      roleName: `${vars.namePrefix}-uc-data-lake`,
      awsAccountId: vars.aws.accountId,
      bucketNames: storage.dataLakeBucketNames,
      kmsKeyArn: this.keys.dataLake.arn,
      owner: this.credentials.clientId,
    });

    // Consumers: one account-level service principal each, assigned to the workspace after the metastore
    // like every other principal; the automation principal may make jobs run as a job's consumer.
    const jobConsumers = new Set(vars.extractorJobs.map((j) => j.consumer));
    this.consumers = new ConsumerPrincipals(this, "consumers", {
      namePrefix: vars.namePrefix,
      accountProvider: this.accountProvider,
      databricksAccountId: vars.databricks.accountId,
      workspaceId: workspace.workspaceId,
      assignAfter: this.metastore.ready,
      consumers: vars.consumers.map((c) => ({
        name: c.name, servicePrincipalUsers: jobConsumers.has(c.name) ? [this.credentials.servicePrincipal.aclPrincipalId] : undefined,
      })),
    });
    if (vars.consumers.some((c) => c.authentication !== "none")) {
      this.consumerSecretsKey = new ConsumerSecretsKey(this, "consumer-secrets-key", {
        namePrefix: vars.namePrefix,
        region: vars.region,
        awsAccountId: vars.aws.accountId,
        adminArns: vars.encryption.kmsKeyAdminArns,
        deletionWindowDays: vars.encryption.kmsKeyDeletionWindowDays,
      });
    }

    new LogDelivery(this, "log-delivery", {
      namePrefix: vars.namePrefix,
      databricksAccountId: vars.databricks.accountId,
      accountProvider: this.accountProvider,
      bucketName: this.loggingBucket.bucket.bucket,
      bucketArn: this.loggingBucket.bucket.arn,
      kmsKeyArn: this.keys.logs.arn,
      workspaceId: workspace.workspaceId,
      auditLogs: vars.logDelivery.auditLogs,
      billableUsage: vars.logDelivery.billableUsage,
    });

    const output = (outputId: string, value: string, description: string) => new TerraformOutput(this, outputId, { value, description });
    output("workspace_url", this.workspace.workspace.workspaceUrl, "URL of the Databricks workspace");
    output("workspace_id", this.workspace.workspace.workspaceId.toString(), "Numeric id of the Databricks workspace");
    output("vpc_id", this.network.vpc.id, "Id of the workspace VPC");
    output("root_bucket_name", this.rootBucket.bucket.bucket, "Workspace root (DBFS) bucket");
    output("logging_bucket_name", this.loggingBucket.bucket.bucket, "Logging bucket");
    new TerraformOutput(this, "data_lake_bucket_names", { value: this.dataLakeBuckets.map((b) => b.bucket.bucket), description: "Data-lake buckets" });
    output("managed_services_key_arn", this.keys.managedServices.arn, "CMK for managed services");
    output("workspace_storage_key_arn", this.keys.workspaceStorage.arn, "CMK for workspace storage and cluster EBS volumes");
    output("data_lake_key_arn", this.keys.dataLake.arn, "CMK for the data-lake buckets");
    output("logs_key_arn", this.keys.logs.arn, "CMK for the logging bucket and flow logs");
    output("metastore_id", this.metastore.metastoreId, "Unity Catalog metastore the workspace is attached to");
    output("storage_credential_role_arn", this.storageCredential.roleArn, "IAM role of the data-lake storage credential");
    output("credentials_expire_time", this.credentials.secret.expireTime, "When the automation OAuth secret expires; after it, run scripts/reset-tokens.sh");
  }
}
