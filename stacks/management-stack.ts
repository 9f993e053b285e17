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
 */
import { Construct } from "constructs";
import { TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import type { Environment } from "../config/load";
import type { ProvisioningStack } from "./provisioning-stack";
import { WorkspaceConfiguration } from "../constructs/workspace-config";
import { UnityCatalogConnection, type UnityCatalogConnectionProps } from "../constructs/connections";
import { connectionProps, connectionSecretFields, connectionVariableName } from "../config/connections";
import { UnityCatalogDataLake } from "../constructs/unity-catalog";
import { configureBackend } from "./backend";
import { storageCredentialName } from "../config/unity-catalog";

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
      customTags: { Environment: props.env.name, ManagedBy: "databricks-aws-cdktf" },
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
      catalog: uc.catalog,
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
      return new UnityCatalogConnection(this, `connection-${entry.name}`, {
        ...(connectionProps(entry, secrets) as unknown as UnityCatalogConnectionProps),
        provider: this.provider,
        // Creating a connection or foreign catalog needs the metastore privileges granted first.
        dependsOn: this.unityCatalog.ready,
      });
    });
  }
}
