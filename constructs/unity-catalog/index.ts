/**
 * Unity Catalog for a workspace: the metastore it is attached to, the data-lake storage credential with its
 * IAM role, external locations, an optional catalog with managed storage, and the grants they need.
 *
 * Field facts (DESIGN.md, "Unity Catalog and identities"):
 * - provider `docs/resources/metastore.md`, `metastore_assignment.md` (import id `<workspace_id>|<metastore_id>`),
 *   `docs/data-sources/metastore.md` (account-level look-up by `region`), `docs/data-sources/current_metastore.md`;
 *   the account API creates an assignment with POST (Databricks REST API, "Account Metastore Assignment").
 * - New workspaces are enabled for Unity Catalog automatically since November 2023, rolled out gradually:
 *   a workspace may already be assigned to its region's metastore, or not. {@link METASTORE_SOURCES}
 *   handles both on purpose.
 * - provider `docs/resources/storage_credential.md`: usable with the account-level provider when
 *   `metastore_id` is set; `owner` sets the owner; `aws_iam_role[0].external_id` is computed by Databricks.
 *   So the credential is created first against the role's predictable ARN, the role's trust policy is built
 *   from that external id (`docs/data-sources/aws_unity_catalog_assume_role_policy.md`: Unity Catalog master
 *   role with the external id, plus self-assumption, required of credentials created since 2024-09-20), its
 *   permissions from `docs/data-sources/aws_unity_catalog_policy.md`, then a wait before external locations.
 * - provider `docs/resources/external_location.md` (`encryption_details.sse_encryption_details` with
 *   `algorithm = "AWS_SSE_KMS"` and `aws_kms_key_arn`), `catalog.md` (`storage_root`), `grant.md`
 *   (one principal's privileges, leaving other principals' grants alone), `grants.md` (all grants of a
 *   securable). Unity Catalog APIs are workspace-level: grants and locations use a workspace provider.
 * - Privileges (Databricks Unity Catalog privilege reference): creating a connection, catalog or external
 *   location needs `CREATE_CONNECTION`, `CREATE_CATALOG`, `CREATE_EXTERNAL_LOCATION` on the metastore; an
 *   external location also needs `CREATE_EXTERNAL_LOCATION` on the storage credential (or its ownership); a
 *   catalog with managed storage on a location needs `CREATE_MANAGED_STORAGE` on it (or its ownership).
 */
import { Construct } from "constructs";
import { Fn, TerraformStack, Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { DataDatabricksAwsUnityCatalogAssumeRolePolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-unity-catalog-assume-role-policy";
import { DataDatabricksAwsUnityCatalogPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-unity-catalog-policy";
import { DataDatabricksCurrentMetastore } from "@cdktf/provider-databricks/lib/data-databricks-current-metastore";
import { DataDatabricksMetastore } from "@cdktf/provider-databricks/lib/data-databricks-metastore";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { Metastore } from "@cdktf/provider-databricks/lib/metastore";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { Volume } from "@cdktf/provider-databricks/lib/volume";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { METASTORE_SOURCES, MIN_TERRAFORM_VERSION_FOR_IMPORT } from "./defaults";

export * from "./defaults";

/**
 * What the management stack creates and so what its principal needs on the metastore, and nothing broader:
 * connections, catalogs (foreign and managed) and external locations. The storage credential is created in
 * provisioning by the deploying principal, so `CREATE_STORAGE_CREDENTIAL` is not needed.
 */
export const MANAGEMENT_METASTORE_PRIVILEGES = ["CREATE_CATALOG", "CREATE_CONNECTION", "CREATE_EXTERNAL_LOCATION"] as const;

export type MetastoreSource =
  | { readonly source: "existing"; readonly metastoreId: string; readonly adoptExistingAssignment?: boolean }
  | { readonly source: "create"; readonly name: string; readonly owner?: string; readonly adoptExistingAssignment?: boolean }
  | { readonly source: "automatic" };

export interface WorkspaceMetastoreProps {
  /** The account-level provider. */
  readonly accountProvider: TerraformProvider;
  /** AWS region of the workspace; a metastore serves one region. */
  readonly region: string;
  /** Numeric workspace id (`databricks_mws_workspaces.workspace_id`). */
  readonly workspaceId: number;
  readonly metastore: MetastoreSource;
}

/**
 * The workspace's metastore, attached on purpose (see {@link METASTORE_SOURCES}); lives in the provisioning
 * stack with the account-level provider.
 * @throws Error naming the value for an unknown `metastore.source`.
 */
export class WorkspaceMetastore extends Construct {
  /** The metastore id (a literal, a created metastore's id, or the region look-up's id). */
  public readonly metastoreId: string;
  public readonly source: MetastoreSource["source"];
  /** The explicit assignment (`existing`, `create`). */
  public readonly assignment?: MetastoreAssignment;
  /** The created metastore (`create`). */
  public readonly metastore?: Metastore;
  /** What must exist before principals are assigned to the workspace and Unity Catalog objects created. */
  public readonly ready: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: WorkspaceMetastoreProps) {
    super(scope, id);
    const provider = props.accountProvider;
    const m = props.metastore;
    this.source = m.source;
    switch (m.source) {
      case "existing":
        this.metastoreId = m.metastoreId;
        break;
      case "create":
        this.metastore = new Metastore(this, "metastore", { provider, name: m.name, region: props.region, owner: m.owner });
        this.metastoreId = this.metastore.metastoreId;
        break;
      case "automatic":
        this.metastoreId = new DataDatabricksMetastore(this, "region-metastore", { provider, region: props.region }).metastoreId;
        return;
      default:
        throw new Error(`WorkspaceMetastore ${id}: metastore.source: expected one of ${METASTORE_SOURCES.join(", ")}, found ${JSON.stringify((m as { source: unknown }).source)}`);
    }
    this.assignment = new MetastoreAssignment(this, "assignment", { provider, metastoreId: this.metastoreId, workspaceId: props.workspaceId });
    if (m.adoptExistingAssignment) {
      // An import block whose id is an expression: Terraform >= 1.6 (1.5 took literals only). The id is known
      // at plan time once the workspace exists in state (the first deploy stopped at the assignment because
      // automatic enablement had already assigned the workspace).
      this.assignment.importFrom(Fn.join("|", [Token.asString(props.workspaceId), this.metastoreId]), provider);
      TerraformStack.of(this).addOverride("terraform.required_version", MIN_TERRAFORM_VERSION_FOR_IMPORT);
    }
    this.ready.push(this.assignment);
  }
}

export interface DataLakeStorageCredentialProps {
  /** The account-level provider (the credential is created with `metastore_id`, before any workspace API is reachable). */
  readonly accountProvider: TerraformProvider;
  /** The metastore the credential belongs to. */
  readonly metastoreId: string;
  /** Storage credential name, unique in the metastore. */
  readonly name: string;
  /** Name of the IAM role to create; its ARN is predictable, which breaks the credential/role cycle. */
  readonly roleName: string;
  /** AWS account of the role (12 digits). */
  readonly awsAccountId: string;
  /** Data-lake bucket names the credential reads and writes. */
  readonly bucketNames: readonly string[];
  /** ARN of the data-lake KMS key (the buckets' SSE-KMS key). */
  readonly kmsKeyArn: string;
  /**
   * Owner of the credential: the principal that creates external locations on it (its ownership stands for
   * `CREATE_EXTERNAL_LOCATION` on the credential). A service principal is named by its application id.
   * @default the deploying principal
   */
  readonly owner?: string;
  /**
   * Seconds to wait after the role's policies are written before anything uses the credential.
   * @default 30
   */
  readonly propagationWaitSeconds?: number;
}

/**
 * The data-lake storage credential and its IAM role, in dependency order: credential (against the role's
 * predictable ARN) → trust policy from the credential's external id → role and permissions → wait.
 * @throws Error naming the value when `bucketNames` is empty or `propagationWaitSeconds` is negative.
 */
export class DataLakeStorageCredential extends Construct {
  public readonly credential: StorageCredential;
  public readonly role: IamRole;
  /** The role ARN, known at synth time (`arn:aws:iam::<account>:role/<roleName>`). */
  public readonly roleArn: string;
  /** Completes when the trust and permission policies have had time to propagate. */
  public readonly ready: Sleep;

  constructor(scope: Construct, id: string, props: DataLakeStorageCredentialProps) {
    super(scope, id);
    if (props.bucketNames.length === 0) throw new Error(`DataLakeStorageCredential ${id}: bucketNames: expected at least 1 bucket, found none`);
    const wait = props.propagationWaitSeconds ?? 30;
    if (!Number.isInteger(wait) || wait < 0) throw new Error(`DataLakeStorageCredential ${id}: propagationWaitSeconds: expected a whole number >= 0, found ${wait}`);
    const provider = props.accountProvider;
    this.roleArn = `arn:aws:iam::${props.awsAccountId}:role/${props.roleName}`;

    this.credential = new StorageCredential(this, "credential", {
      provider,
      metastoreId: props.metastoreId,
      name: props.name,
      owner: props.owner,
      awsIamRole: { roleArn: this.roleArn },
      comment: "Data-lake access for Unity Catalog (managed by databricks-aws-cdktf)",
    });
    const trust = new DataDatabricksAwsUnityCatalogAssumeRolePolicy(this, "assume-role-policy", {
      provider, awsAccountId: props.awsAccountId, roleName: props.roleName, externalId: this.credential.awsIamRole.externalId,
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName, assumeRolePolicy: trust.json, description: "Unity Catalog storage credential: data-lake buckets",
    });
    const policies = props.bucketNames.map((bucketName) => {
      const access = new DataDatabricksAwsUnityCatalogPolicy(this, `policy-${bucketName}`, {
        provider, awsAccountId: props.awsAccountId, roleName: props.roleName, bucketName, kmsName: props.kmsKeyArn,
      });
      return new IamRolePolicy(this, `role-policy-${bucketName}`, { name: `${props.roleName}-${bucketName}`, role: this.role.id, policy: access.json });
    });
    this.ready = new Sleep(this, "iam-propagation", { createDuration: `${wait}s`, dependsOn: policies, triggers: { role_arn: this.role.arn } });
  }
}

/** One grant: an account-level principal (group name, or a service principal's application id) and privileges. */
export interface UnityCatalogGrant {
  readonly principal: string;
  readonly privileges: readonly string[];
}

export interface DataLakeCatalogProps {
  /** Catalog name. */
  readonly name: string;
  /** A data-lake bucket of `externalLocations`; managed tables go under `s3://<bucket>/<name>/`. */
  readonly managedLocationBucketName: string;
  /** @default no comment */
  readonly comment?: string;
  /** @default no `databricks_grants` on the catalog */
  readonly grants?: readonly UnityCatalogGrant[];
  /**
   * Schemas of the catalog (`databricks_schema`), each with managed volumes (`databricks_volume`, `MANAGED`).
   * @default none
   */
  readonly schemas?: readonly { readonly name: string; readonly volumes?: readonly string[] }[];
}

export interface UnityCatalogDataLakeProps {
  /** Workspace provider of the principal that creates everything here (the automation service principal). */
  readonly provider: TerraformProvider;
  /**
   * Workspace provider of a metastore admin (the deploying principal), used only to grant the automation
   * principal {@link MANAGEMENT_METASTORE_PRIVILEGES} on the metastore.
   */
  readonly metastoreAdminProvider: TerraformProvider;
  /** Application id of the automation service principal (its Unity Catalog principal name). */
  readonly automationPrincipal: string;
  /** The metastore id the workspace must be attached to. */
  readonly metastoreId: string;
  /**
   * Check, with `databricks_current_metastore`, that the workspace really is attached to `metastoreId`:
   * for `automatic` metastores, whose assignment nothing in Terraform makes.
   * @default false
   */
  readonly checkAssignment?: boolean;
  /** Storage credential name (created in provisioning, owned by `automationPrincipal`). */
  readonly storageCredentialName: string;
  /** Data-lake bucket names: one external location each, at `s3://<bucket>/`. */
  readonly bucketNames: readonly string[];
  /** Full ARN of the data-lake KMS key: Unity Catalog writes SSE-KMS with it (the bucket policy compares full ARNs). */
  readonly kmsKeyArn: string;
  /** @default no grants on the storage credential */
  readonly storageCredentialGrants?: readonly UnityCatalogGrant[];
  /** Grants on every external location. @default none */
  readonly externalLocationGrants?: readonly UnityCatalogGrant[];
  /** @default no catalog */
  readonly catalog?: DataLakeCatalogProps;
}

/**
 * The management stack's Unity Catalog foundation: the automation principal's metastore privileges, the
 * `automatic` assignment check, one external location per data-lake bucket, an optional catalog with managed
 * storage on one of them, and the grants from vars. `ready` is what connections and catalogs wait for.
 * @throws Error naming the value when the catalog's bucket is not one of `bucketNames` or a grant has no privileges.
 */
export class UnityCatalogDataLake extends Construct {
  public readonly metastoreGrant: Grant;
  public readonly externalLocations: Record<string, ExternalLocation> = {};
  public readonly catalog?: Catalog;
  /** Schemas of the catalog by name, and their volumes by `schema.volume`. */
  public readonly schemas: Record<string, Schema> = {};
  public readonly volumes: Record<string, Volume> = {};
  /** What Unity Catalog objects created by the automation principal must wait for. */
  public readonly ready: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: UnityCatalogDataLakeProps) {
    super(scope, id);
    const provider = props.provider;
    const grantBlocks = (field: string, grants: readonly UnityCatalogGrant[]) =>
      grants.map((g, i) => {
        if (g.privileges.length === 0) throw new Error(`UnityCatalogDataLake ${id}: ${field}[${i}].privileges: expected at least 1 privilege, found none`);
        return { principal: g.principal, privileges: [...g.privileges] };
      });

    if (props.checkAssignment) {
      // Inside an expression a token renders as a bare reference; a literal id must be quoted.
      const expected = Token.isUnresolved(props.metastoreId) ? props.metastoreId : JSON.stringify(props.metastoreId);
      const current = new DataDatabricksCurrentMetastore(this, "current-metastore", {
        provider,
        lifecycle: {
          postcondition: [{
            // The provider sets id "no_metastore" and no metastore_info when none is assigned
            // (catalog/data_current_metastore.go), so compare the id.
            condition: `\${self.id == ${expected}}`,
            errorMessage:
              "The workspace is not assigned to its region's Unity Catalog metastore: automatic enablement has not assigned it (yet). " +
              "Set unityCatalog.metastore to {\"source\": \"existing\", \"metastoreId\": \"<id>\"} or {\"source\": \"create\", ...} in the vars file and deploy provisioning again.",
          }],
        },
      });
      this.ready.push(current);
    }
    // databricks_grant (one principal), not databricks_grants: the metastore is shared with other
    // workspaces and teams, whose grants an authoritative resource would revoke.
    this.metastoreGrant = new Grant(this, "automation-metastore-privileges", {
      provider: props.metastoreAdminProvider,
      metastore: props.metastoreId,
      principal: props.automationPrincipal,
      privileges: [...MANAGEMENT_METASTORE_PRIVILEGES],
      dependsOn: this.ready.length > 0 ? [...this.ready] : undefined,
    });
    this.ready.push(this.metastoreGrant);

    if ((props.storageCredentialGrants ?? []).length > 0) {
      new Grants(this, "storage-credential-grants", {
        provider, storageCredential: props.storageCredentialName, grant: grantBlocks("storageCredentialGrants", props.storageCredentialGrants ?? []), dependsOn: [...this.ready],
      });
    }
    for (const bucketName of props.bucketNames) {
      const location = new ExternalLocation(this, `location-${bucketName}`, {
        provider,
        name: bucketName,
        url: `s3://${bucketName}/`,
        credentialName: props.storageCredentialName,
        encryptionDetails: { sseEncryptionDetails: { algorithm: "AWS_SSE_KMS", awsKmsKeyArn: props.kmsKeyArn } },
        comment: `Data-lake bucket ${bucketName} (managed by databricks-aws-cdktf)`,
        dependsOn: [...this.ready],
      });
      this.externalLocations[bucketName] = location;
      if ((props.externalLocationGrants ?? []).length > 0) {
        new Grants(this, `location-${bucketName}-grants`, { provider, externalLocation: location.name, grant: grantBlocks("externalLocationGrants", props.externalLocationGrants ?? []) });
      }
    }

    const c = props.catalog;
    if (c) {
      const location = this.externalLocations[c.managedLocationBucketName];
      if (!location) {
        throw new Error(`UnityCatalogDataLake ${id}: catalog.managedLocationBucketName: expected one of ${props.bucketNames.join(", ")}, found ${JSON.stringify(c.managedLocationBucketName)}`);
      }
      // The automation principal owns the location it created: ownership stands for CREATE_MANAGED_STORAGE.
      this.catalog = new Catalog(this, "catalog", {
        provider,
        name: c.name,
        storageRoot: `s3://${c.managedLocationBucketName}/${c.name}/`,
        comment: c.comment,
        dependsOn: [...this.ready, location],
      });
      if ((c.grants ?? []).length > 0) new Grants(this, "catalog-grants", { provider, catalog: this.catalog.name, grant: grantBlocks("catalog.grants", c.grants ?? []) });
      for (const sc of c.schemas ?? []) {
        if (sc.name in this.schemas) throw new Error(`UnityCatalogDataLake ${id}: catalog.schemas: expected each schema once, found ${JSON.stringify(sc.name)} twice`);
        const schema = new Schema(this, `schema-${sc.name}`, { provider, catalogName: this.catalog.name, name: sc.name });
        this.schemas[sc.name] = schema;
        for (const volumeName of sc.volumes ?? []) {
          this.volumes[`${sc.name}.${volumeName}`] = new Volume(this, `volume-${sc.name}-${volumeName}`, {
            provider, catalogName: this.catalog.name, schemaName: schema.name, name: volumeName, volumeType: "MANAGED",
          });
        }
      }
    }
  }
}
