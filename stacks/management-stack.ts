/**
 * `management-<env>`: workspace configuration, run with the credentials `provisioning-<env>` issues. The
 * workspace provider's host and credentials come only from provisioning outputs, through cdktf cross-stack
 * references (a sensitive output there, `terraform_remote_state` here): never from a file, never printed.
 */
import { Construct } from "constructs";
import { TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import type { Environment } from "../config/load";
import type { ProvisioningStack } from "./provisioning-stack";
import { WorkspaceConfiguration } from "../constructs/workspace-config";
import { UnityCatalogConnection, type UnityCatalogConnectionProps } from "../constructs/connections";
import { connectionProps, connectionSecretFields, connectionVariableName } from "../config/connections";
import { configureBackend } from "./backend";

export interface ManagementStackProps {
  readonly env: Environment;
  readonly provisioning: ProvisioningStack;
}

export class ManagementStack extends TerraformStack {
  public readonly provider: DatabricksProvider;
  public readonly workspaceConfiguration: WorkspaceConfiguration;
  public readonly connections: UnityCatalogConnection[];

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id);
    const { vars } = props.env;
    const p = props.provisioning;
    configureBackend(this, id, vars.backend);

    const creds = p.credentials;
    this.provider = new DatabricksProvider(
      this,
      "databricks",
      creds.token
        ? { host: creds.host, token: creds.token.tokenValue, authType: "pat" }
        : { host: creds.host, clientId: creds.clientId, clientSecret: creds.clientSecret, authType: "oauth-m2m" },
    );

    this.workspaceConfiguration = new WorkspaceConfiguration(this, "workspace-config", {
      namePrefix: vars.namePrefix,
      region: vars.region,
      provider: this.provider,
      cluster: vars.cluster,
      instanceProfileArn: p.dataAccess.instanceProfile.arn,
      sseKmsKeyArn: vars.storage.denyOtherEncryptionOnWrite.dataLake ? p.keys.dataLake.arn : undefined,
      clusterLogs: { bucketName: vars.storage.loggingBucketName, prefix: p.clusterLogPrefix, kmsKeyArn: p.keys.logs.arn },
      disableLegacyDbfs: vars.workspaceSettings.disableLegacyDbfs,
      customTags: { Environment: props.env.name, ManagedBy: "databricks-aws-cdktf" },
    });

    // One construct per vars entry; every secret it needs is a sensitive variable with a predictable
    // name (TF_VAR_connection_<name>_<field>), set at deploy time and never written to cdk.tf.json.
    const groups = [this.workspaceConfiguration.readersGroup, this.workspaceConfiguration.engineersGroup];
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
        // Owners and grants name the workspace groups: create those first.
        dependsOn: groups,
      });
    });
  }
}
