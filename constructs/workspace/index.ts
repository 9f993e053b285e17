/**
 * The Databricks workspace and the account-level objects it is built from.
 *
 * Field facts: provider `docs/guides/aws-workspace.md`, `docs/resources/mws_credentials.md`,
 * `mws_storage_configurations.md`, `mws_networks.md`, `mws_customer_managed_keys.md` (use cases
 * `MANAGED_SERVICES` and `STORAGE`), `mws_vpc_endpoint.md`, `mws_private_access_settings.md` and
 * `mws_workspaces.md`. Every resource here needs the account-level provider
 * (`host = https://accounts.cloud.databricks.com` with `account_id`).
 */
import { Construct } from "constructs";
import type { TerraformProvider, ITerraformDependable } from "cdktf";
import { MwsCredentials } from "@cdktf/provider-databricks/lib/mws-credentials";
import { MwsCustomerManagedKeys } from "@cdktf/provider-databricks/lib/mws-customer-managed-keys";
import { MwsNetworks } from "@cdktf/provider-databricks/lib/mws-networks";
import { MwsPrivateAccessSettings } from "@cdktf/provider-databricks/lib/mws-private-access-settings";
import { MwsStorageConfigurations } from "@cdktf/provider-databricks/lib/mws-storage-configurations";
import { MwsVpcEndpoint } from "@cdktf/provider-databricks/lib/mws-vpc-endpoint";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DEFAULT_PRICING_TIER, DEFAULT_PRIVATE_ACCESS_LEVEL, DEFAULT_PUBLIC_ACCESS_ENABLED } from "./defaults";

export { LogDelivery, type LogDeliveryProps } from "./log-delivery";
export * from "./defaults";

export interface WorkspaceKeyRef {
  readonly keyArn: string;
  readonly keyAlias: string;
}

export interface DatabricksWorkspaceProps {
  readonly namePrefix: string;
  readonly region: string;
  /** Databricks account id (UUID). */
  readonly databricksAccountId: string;
  /** The account-level provider. */
  readonly accountProvider: TerraformProvider;
  readonly workspaceName: string;
  /** Cross-account role ARN, and what must complete before Databricks validates it (the IAM propagation wait). */
  readonly crossAccountRoleArn: string;
  readonly crossAccountRoleReady: ITerraformDependable;
  /** The workspace root (DBFS) bucket name. */
  readonly rootBucketName: string;
  readonly vpcId: string;
  /** At least two workspace subnets in different zones. */
  readonly subnetIds: readonly string[];
  /** 1 to 5 security groups. */
  readonly securityGroupIds: readonly string[];
  readonly managedServicesKey: WorkspaceKeyRef;
  readonly workspaceStorageKey: WorkspaceKeyRef;
  /**
   * Back-end PrivateLink: the AWS endpoint ids of the REST API and relay endpoints, registered with
   * Databricks and attached to the network and a private access settings object.
   * @default no PrivateLink
   */
  readonly privateLink?: {
    readonly restApiAwsEndpointId: string;
    readonly relayAwsEndpointId: string;
    /** @default true — the workspace UI and API stay reachable from the internet (back-end PrivateLink only) */
    readonly publicAccessEnabled?: boolean;
    /** @default "ACCOUNT" */
    readonly privateAccessLevel?: "ACCOUNT" | "ENDPOINT";
  };
  /** @default "ENTERPRISE" (customer-managed keys and PrivateLink need it) */
  readonly pricingTier?: string;
  /**
   * What `databricks_mws_workspaces` must wait for beyond the objects it references: the root bucket's
   * policy and the workspace security group's rules. Databricks validates bucket access and the network
   * when it creates the workspace, and nothing in the references orders those resources first (DESIGN
   * "Terraform rules"; security rule DBX012 refuses a workspace without them).
   * @default none
   */
  readonly workspaceDependsOn?: readonly ITerraformDependable[];
}

/**
 * Credentials, storage configuration, network, both customer-managed keys, optional PrivateLink
 * registration and the workspace.
 * @throws Error naming the field when fewer than 2 subnets or not 1-5 security groups are given.
 */
export class DatabricksWorkspace extends Construct {
  public readonly workspace: MwsWorkspaces;
  public readonly network: MwsNetworks;
  public readonly credentials: MwsCredentials;
  public readonly storageConfiguration: MwsStorageConfigurations;
  public readonly managedServicesKey: MwsCustomerManagedKeys;
  public readonly storageKey: MwsCustomerManagedKeys;
  public readonly restApiEndpoint?: MwsVpcEndpoint;
  public readonly relayEndpoint?: MwsVpcEndpoint;
  public readonly privateAccessSettings?: MwsPrivateAccessSettings;

  constructor(scope: Construct, id: string, props: DatabricksWorkspaceProps) {
    super(scope, id);
    if (props.subnetIds.length < 2) throw new Error(`DatabricksWorkspace ${id}: subnetIds: expected at least 2 subnets in different zones, found ${props.subnetIds.length}`);
    if (props.securityGroupIds.length < 1 || props.securityGroupIds.length > 5) {
      throw new Error(`DatabricksWorkspace ${id}: securityGroupIds: expected 1 to 5 security groups, found ${props.securityGroupIds.length}`);
    }
    const provider = props.accountProvider;
    const accountId = props.databricksAccountId;
    const name = (suffix: string) => `${props.namePrefix}-${suffix}`;

    this.credentials = new MwsCredentials(this, "credentials", {
      provider, credentialsName: name("credentials"), roleArn: props.crossAccountRoleArn, dependsOn: [props.crossAccountRoleReady],
    });
    this.storageConfiguration = new MwsStorageConfigurations(this, "storage-configuration", {
      provider, accountId, storageConfigurationName: name("storage"), bucketName: props.rootBucketName,
    });
    const key = (keyId: string, useCase: string, ref: WorkspaceKeyRef) =>
      new MwsCustomerManagedKeys(this, keyId, { provider, accountId, useCases: [useCase], awsKeyInfo: { keyArn: ref.keyArn, keyAlias: ref.keyAlias } });
    this.managedServicesKey = key("managed-services-key", "MANAGED_SERVICES", props.managedServicesKey);
    this.storageKey = key("storage-key", "STORAGE", props.workspaceStorageKey);

    const pl = props.privateLink;
    if (pl) {
      const endpoint = (endpointId: string, awsVpcEndpointId: string) =>
        new MwsVpcEndpoint(this, endpointId, { provider, accountId, vpcEndpointName: name(endpointId), awsVpcEndpointId, region: props.region });
      this.restApiEndpoint = endpoint("rest-api-endpoint", pl.restApiAwsEndpointId);
      this.relayEndpoint = endpoint("relay-endpoint", pl.relayAwsEndpointId);
      this.privateAccessSettings = new MwsPrivateAccessSettings(this, "private-access-settings", {
        provider, accountId, privateAccessSettingsName: name("pas"), region: props.region,
        publicAccessEnabled: pl.publicAccessEnabled ?? DEFAULT_PUBLIC_ACCESS_ENABLED, privateAccessLevel: pl.privateAccessLevel ?? DEFAULT_PRIVATE_ACCESS_LEVEL,
      });
    }

    this.network = new MwsNetworks(this, "network", {
      provider, accountId, networkName: name("network"), vpcId: props.vpcId,
      subnetIds: [...props.subnetIds], securityGroupIds: [...props.securityGroupIds],
      vpcEndpoints: this.restApiEndpoint && this.relayEndpoint
        ? { restApi: [this.restApiEndpoint.vpcEndpointId], dataplaneRelay: [this.relayEndpoint.vpcEndpointId] }
        : undefined,
    });

    this.workspace = new MwsWorkspaces(this, "workspace", {
      provider, accountId, workspaceName: props.workspaceName, awsRegion: props.region, pricingTier: props.pricingTier ?? DEFAULT_PRICING_TIER,
      credentialsId: this.credentials.credentialsId,
      storageConfigurationId: this.storageConfiguration.storageConfigurationId,
      networkId: this.network.networkId,
      managedServicesCustomerManagedKeyId: this.managedServicesKey.customerManagedKeyId,
      storageCustomerManagedKeyId: this.storageKey.customerManagedKeyId,
      privateAccessSettingsId: this.privateAccessSettings?.privateAccessSettingsId,
      dependsOn: props.workspaceDependsOn && props.workspaceDependsOn.length > 0 ? [...props.workspaceDependsOn] : undefined,
    });
  }
}
