/**
 * `management-<env>`: workspace configuration, run with the credentials `provisioning-<env>` issues. The
 * workspace provider's host and credentials come only from provisioning outputs, through cdktf cross-stack
 * references (a sensitive output there, `terraform_remote_state` here): never from a file, never printed.
 *
 * Two workspace providers, both configured only from known input (DESIGN.md "Terraform rules", rule DBX021):
 * - `databricks`: the automation service principal (OAuth M2M, client id and secret from provisioning). It
 *   creates everything here and so owns it.
 * - `databricks-metastore-admin`: the deploying principal (OAuth M2M from DATABRICKS_CLIENT_ID and
 *   DATABRICKS_CLIENT_SECRET at deploy time, never written here), a metastore admin. It only grants the
 *   automation principal the metastore privileges the stack needs: Unity Catalog grants are workspace-level
 *   APIs and only a metastore admin may grant on the metastore (provider `docs/resources/grants.md`).
 *
 * When consumers get credentials (`consumers` in vars, constructs/consumers): an AWS provider (Secrets Manager;
 * region, account and default tags as provisioning's), a time provider (rotation) and, for OAuth secrets, the
 * account-level provider `account` (literals and DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET, like
 * provisioning's: provider 1.84.0 issues service principal secrets only at account level).
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import type { Environment } from "../config/load";
import type { ProvisioningStack } from "./provisioning-stack";
import { WorkspaceConfiguration } from "../constructs/workspace-config";
import { UnityCatalogConnection, type UnityCatalogConnectionProps } from "../constructs/connections";
import { connectionProps, connectionSecretFields, connectionVariableName } from "../config/connections";
import { UnityCatalogDataLake } from "../constructs/unity-catalog";
import { configureBackend } from "./backend";
import { storageCredentialName } from "../config/unity-catalog";
import { accountProviderConfig, awsProviderConfig } from "./providers";
import { consumerCatalogGrantBlocks, jobSecretVariableName, WorkspaceConsumers } from "../constructs/consumers";
import { managedCatalogNames, sqlWarehouseName } from "../config/consumers";

export interface ManagementStackProps {
  readonly env: Environment;
  readonly provisioning: ProvisioningStack;
}

export class ManagementStack extends TerraformStack {
  public readonly provider: DatabricksProvider;
  public readonly workspaceConfiguration: WorkspaceConfiguration;
  public readonly connections: UnityCatalogConnection[];
  public readonly metastoreAdminProvider: DatabricksProvider;
  public readonly unityCatalog: UnityCatalogDataLake;
  /** Grants, SQL warehouse, credentials and extractor jobs of the consumers (`consumers` in vars). */
  public readonly consumers: WorkspaceConsumers;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id);
    const { vars } = props.env;
    const p = props.provisioning;
    configureBackend(this, id, vars.backend);

    const creds = p.credentials;
    this.provider = new DatabricksProvider(this, "databricks", {
      host: creds.host, clientId: creds.clientId, clientSecret: creds.clientSecret, authType: "oauth-m2m",
    });
    this.metastoreAdminProvider = new DatabricksProvider(this, "databricks-metastore-admin", {
      alias: "metastore-admin", host: creds.host, authType: "oauth-m2m",
    });

    // Consumers (config/consumers.ts): their principals come from provisioning. Their grants on the catalogs
    // this stack creates join those catalogs' databricks_grants (authoritative: a databricks_grant beside it
    // would be revoked on every apply); every other grant is a databricks_grant of the consumer alone.
    const consumerSpecs = vars.consumers.map((c) => ({
      ...c, applicationId: p.consumers.applicationIds[c.name], servicePrincipalId: p.consumers.servicePrincipalIds[c.name],
    }));
    const withConsumerGrants = <T extends { readonly name: string; readonly grants?: readonly { principal: string; privileges: readonly string[] }[] }>(catalog: T): T => {
      const extra = consumerCatalogGrantBlocks(consumerSpecs, catalog.name);
      return extra.length === 0 ? catalog : { ...catalog, grants: [...(catalog.grants ?? []), ...extra] };
    };
    const jobRunners = [...new Set(vars.extractorJobs.map((j) => j.consumer))].map((name) => p.consumers.applicationIds[name]).filter((a) => a !== undefined);
    const clusterTags = { Environment: props.env.name, ManagedBy: "databricks-aws-cdktf" };

    this.workspaceConfiguration = new WorkspaceConfiguration(this, "workspace-config", {
      namePrefix: vars.namePrefix,
      region: vars.region,
      provider: this.provider,
      dataReadersGroup: vars.identities.dataReadersGroup,
      dataEngineersGroup: vars.identities.dataEngineersGroup,
      cluster: vars.cluster,
      instanceProfileArn: p.dataAccess.instanceProfile.arn,
      sseKmsKeyArn: vars.storage.denyOtherEncryptionOnWrite.dataLake ? p.keys.dataLake.arn : undefined,
      clusterLogs: { bucketName: vars.storage.loggingBucketName, prefix: p.clusterLogPrefix, kmsKeyArn: p.keys.logs.arn },
      disableLegacyDbfs: vars.workspaceSettings.disableLegacyDbfs,
      customTags: clusterTags,
      clusterPolicyServicePrincipals: jobRunners,
    });

    const uc = vars.unityCatalog;
    this.unityCatalog = new UnityCatalogDataLake(this, "unity-catalog", {
      provider: this.provider,
      metastoreAdminProvider: this.metastoreAdminProvider,
      automationPrincipal: creds.clientId,
      metastoreId: p.metastore.metastoreId,
      checkAssignment: p.metastore.source === "automatic",
      storageCredentialName: storageCredentialName(vars),
      bucketNames: vars.storage.dataLakeBucketNames,
      kmsKeyArn: p.keys.dataLake.arn,
      storageCredentialGrants: uc.storageCredentialGrants,
      externalLocationGrants: uc.externalLocationGrants,
      catalog: uc.catalog ? withConsumerGrants(uc.catalog) : undefined,
    });

    // One construct per vars entry; every secret it needs is a sensitive variable with a predictable
    // name (TF_VAR_connection_<name>_<field>), set at deploy time and never written to cdk.tf.json.
    this.connections = vars.connections.map((entry) => {
      const secrets = Object.fromEntries(
        connectionSecretFields(entry).map((field) => {
          const variable = new TerraformVariable(this, connectionVariableName(entry.name, field), {
            type: "string", sensitive: true, nullable: false, description: `${field} of Unity Catalog connection ${entry.name}`,
          });
          return [field, variable.stringValue];
        }),
      );
      const connection = connectionProps(entry, secrets);
      const foreignCatalog = connection.foreignCatalog as { name: string; grants?: { principal: string; privileges: string[] }[] } | undefined;
      return new UnityCatalogConnection(this, `connection-${entry.name}`, {
        ...({ ...connection, ...(foreignCatalog ? { foreignCatalog: withConsumerGrants(foreignCatalog) } : {}) } as unknown as UnityCatalogConnectionProps),
        provider: this.provider,
        // Creating a connection or foreign catalog needs the metastore privileges granted first.
        dependsOn: this.unityCatalog.ready,
      });
    });

    // Credentials go to AWS Secrets Manager (an AWS provider, literals only) and OAuth secrets need the
    // account-level provider (provider 1.84.0), configured like provisioning's: never from a resource here.
    const needsSecrets = vars.consumers.some((c) => c.authentication !== "none");
    if (needsSecrets) {
      new AwsProvider(this, "aws", awsProviderConfig(vars, id));
      new TimeProvider(this, "time");
    }
    const accountProvider = vars.consumers.some((c) => c.authentication === "oauth")
      ? new DatabricksProvider(this, "databricks-account", accountProviderConfig(vars))
      : undefined;
    const w = vars.sqlWarehouse;
    this.consumers = new WorkspaceConsumers(this, "consumers", {
      namePrefix: vars.namePrefix,
      provider: this.provider,
      accountProvider,
      host: creds.host,
      consumers: consumerSpecs,
      sqlWarehouse: w ? { ...w, name: sqlWarehouseName(vars.namePrefix, w), customTags: clusterTags } : undefined,
      secretStore: p.consumerSecretsKey ? { kmsKeyArn: p.consumerSecretsKey.key.arn } : undefined,
      tokenUsageGroups: vars.tokenUsageGroups,
      authoritativeCatalogs: managedCatalogNames(vars),
      // One sensitive variable per job secret (TF_VAR_job_<job>_<key>), set at deploy time.
      extractorJobs: vars.extractorJobs.map(({ emailNotifications, secretKeys, ...job }) => ({
        ...job,
        onFailure: emailNotifications.onFailure,
        secrets: Object.fromEntries(
          secretKeys.map((key) => {
            const variable = new TerraformVariable(this, jobSecretVariableName(job.name, key), {
              type: "string", sensitive: true, nullable: false, description: `Secret ${key} of extractor job ${job.name}`,
            });
            return [key, variable.stringValue];
          }),
        ),
      })),
      jobCluster: { policyId: this.workspaceConfiguration.clusterPolicy.id, template: this.workspaceConfiguration.cluster },
      dependsOn: [
        ...this.unityCatalog.ready,
        ...(this.unityCatalog.catalog ? [this.unityCatalog.catalog] : []),
        ...Object.values(this.unityCatalog.schemas),
        ...Object.values(this.unityCatalog.volumes),
        ...this.connections.flatMap((c) => (c.foreignCatalog ? [c.foreignCatalog] : [])),
      ],
    });
    for (const [name, settings] of Object.entries(this.consumers.connectionSettings)) {
      new TerraformOutput(this, `consumer_${name.replace(/-/g, "_")}`, {
        value: settings,
        description: `Connection settings of consumer ${name} (no secret: the credential is in the Secrets Manager secret secret_arn)`,
      });
    }
    for (const [name, job] of Object.entries(this.consumers.jobs)) {
      new TerraformOutput(this, `extractor_job_${name.replace(/-/g, "_")}`, {
        value: { job_id: job.job.id, secret_scope: job.secretScope.name },
        description: `Extractor job ${name}: its id and the secret scope it reads`,
      });
    }
  }
}
