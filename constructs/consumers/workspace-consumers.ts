/**
 * What the management stack gives the workspace's consumers (other systems of the team): Unity Catalog
 * grants, `CAN_USE` on a SQL warehouse, a rotating credential kept in AWS Secrets Manager, and extractor jobs.
 *
 * Field facts:
 * - provider `docs/resources/service_principal_secret.md` (provider 1.84.0: account-level provider only;
 *   `lifetime` `NNNs`, default and maximum 730 days; changing `time_rotating` recreates the secret). The
 *   account provider here is configured from literals and the deploy environment only (rule DBX021).
 * - provider `docs/resources/obo_token.md`: a PAT on behalf of a service principal, created by a workspace
 *   admin through a workspace-level provider, for integrations that do not take OAuth; the principal needs
 *   `CAN_USE` on tokens. `docs/resources/permissions.md`, `authorization = "tokens"`: one resource per
 *   workspace (authoritative: whoever it leaves out loses token use and their tokens are revoked), and the
 *   workspace must already hold at least one PAT before token permissions can be managed.
 * - hashicorp/aws `website/docs/r/secretsmanager_secret.html.markdown` (`kms_key_id`, `recovery_window_in_days`
 *   0 or 7-30), `secretsmanager_secret_version.html.markdown` (`secret_string`; a new value becomes a new
 *   version labelled `AWSCURRENT`). The value is a Terraform expression over the credential's attribute, so
 *   `cdk.tf.json` holds only the reference; the value lives in state, as the credential itself does.
 * - Rotation: hashicorp/time `time_rotating` at half the lifetime, so a deploy in the second half of a
 *   credential's life replaces it before it expires; `create_before_destroy` writes the new credential to
 *   Secrets Manager before the old one is deleted.
 */
import { Construct } from "constructs";
import { Fn, TerraformStack, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import type { Cluster } from "@cdktf/provider-databricks/lib/cluster";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { OboToken } from "@cdktf/provider-databricks/lib/obo-token";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { ServicePrincipalSecret } from "@cdktf/provider-databricks/lib/service-principal-secret";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { MAX_CREDENTIAL_LIFETIME_DAYS } from "../credentials";
import { resolveConsumerGrants, type ConsumerGrant, type ResolvedConsumerGrant } from "./grants";
import { ExtractorJob, type ExtractorJobSettings } from "./jobs";
import { CONSUMER_AUTHENTICATIONS, CONSUMER_NAME, DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS, type ConsumerAuthentication } from "./defaults";
import { ConsumerSqlWarehouse, type SqlWarehouseSettings } from "./warehouse";

export { CONSUMER_AUTHENTICATIONS, DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS, type ConsumerAuthentication } from "./defaults";

export interface ConsumerSpec {
  /** Consumer name ({@link CONSUMER_NAME}). */
  readonly name: string;
  /** Application id of its account-level service principal (Unity Catalog principal, OAuth client id). */
  readonly applicationId: string;
  /** Account SCIM id of the service principal; needed for `oauth`. */
  readonly servicePrincipalId?: string;
  /** @default no comment */
  readonly comment?: string;
  /** @default "oauth" */
  readonly authentication?: ConsumerAuthentication;
  /**
   * Lifetime of the credential in days, 1 to 730; it rotates at half of it, on a management deploy.
   * @default 90
   */
  readonly lifetimeDays?: number;
  /**
   * `CAN_USE` on the SQL warehouse.
   * @default true
   */
  readonly warehouseAccess?: boolean;
  /** Exactly the Unity Catalog grants the consumer gets (see `grants.ts`). */
  readonly grants: readonly ConsumerGrant[];
}

export interface ConsumerSecretStore {
  /** ARN of the KMS key that encrypts the secrets (a customer-managed key). */
  readonly kmsKeyArn: string;
  /**
   * Days a deleted secret can be restored, 7 to 30 (AWS also allows 0: immediate deletion, refused here).
   * @default 30
   */
  readonly recoveryWindowDays?: number;
}

export interface ExtractorJobSpec extends ExtractorJobSettings {
  /** The consumer the job runs as: one of `consumers`. */
  readonly consumer: string;
}

export interface WorkspaceConsumersProps {
  readonly namePrefix: string;
  /** Workspace-level provider of the principal that creates everything here (the automation principal). */
  readonly provider: TerraformProvider;
  /**
   * Account-level provider, for OAuth secrets (`databricks_service_principal_secret` is account-level in
   * provider 1.84.0). Configure it from literals and the environment only.
   * @default none; required when a consumer uses `oauth`
   */
  readonly accountProvider?: TerraformProvider;
  /** Workspace URL, `https://…`: written into each credential secret. */
  readonly host: string;
  readonly consumers: readonly ConsumerSpec[];
  /** @default no warehouse; required when a consumer has `warehouseAccess` */
  readonly sqlWarehouse?: SqlWarehouseSettings;
  /** @default none; required when a consumer uses `oauth` or `pat` */
  readonly secretStore?: ConsumerSecretStore;
  /**
   * Account groups that keep `CAN_USE` on personal access tokens beside the `pat` consumers: the token
   * permissions are authoritative for the workspace.
   * @default none; only read when a consumer uses `pat`
   */
  readonly tokenUsageGroups?: readonly string[];
  /**
   * Catalogs whose grants a `databricks_grants` elsewhere in the stack manages authoritatively (the catalogs
   * this project creates). Consumer grants on them are not created here: pass
   * {@link consumerCatalogGrantBlocks} to that resource instead, or the two would overwrite each other.
   * @default none: every grant is a `databricks_grant` here
   */
  readonly authoritativeCatalogs?: readonly string[];
  /** @default no jobs */
  readonly extractorJobs?: readonly ExtractorJobSpec[];
  /** The cluster policy and template cluster of the job clusters. @default none; required with `extractorJobs` */
  readonly jobCluster?: { readonly policyId: string; readonly template: Cluster };
  /** What grants, the warehouse and jobs wait for (catalogs, the automation principal's privileges). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Non-secret connection settings of one consumer (the values of its output). */
export interface ConsumerConnectionSettings {
  readonly authentication: ConsumerAuthentication;
  /** Warehouse host name (no scheme), when the consumer may use the warehouse. */
  readonly host?: string;
  readonly http_path?: string;
  readonly warehouse_id?: string;
  /** Catalog of the consumer's first grant. */
  readonly catalog: string;
  /** The first schema (or table's schema) the consumer is granted in that catalog, without the catalog part. */
  readonly schema?: string;
  /** ARN of the Secrets Manager secret holding its credential, when it has one. */
  readonly secret_arn?: string;
}

/**
 * Grants, warehouse access, credentials and jobs of the consumers.
 * @throws Error naming the consumer or job and the field for: a bad or repeated name, bad grants, a lifetime
 *   outside 1-730 days, a missing `sqlWarehouse`, `secretStore`, `accountProvider`, `servicePrincipalId` or
 *   `jobCluster`, a job whose consumer is unknown, or a bad job setting (see {@link ExtractorJob}).
 */
export class WorkspaceConsumers extends Construct {
  public readonly warehouse?: ConsumerSqlWarehouse;
  /** The Secrets Manager secret of each consumer with a credential. */
  public readonly secrets: Readonly<Record<string, SecretsmanagerSecret>> = {};
  /** The `databricks_grant` resources of each consumer (grants on authoritative catalogs are not here). */
  public readonly grants: Readonly<Record<string, Grant[]>> = {};
  public readonly jobs: Readonly<Record<string, ExtractorJob>> = {};
  /** Output values by consumer name. */
  public readonly connectionSettings: Readonly<Record<string, ConsumerConnectionSettings>> = {};

  constructor(scope: Construct, id: string, props: WorkspaceConsumersProps) {
    super(scope, id);
    const fail = (field: string, message: string): never => {
      throw new Error(`WorkspaceConsumers ${id}: ${field}: ${message}`);
    };
    const provider = props.provider;
    const dependsOn = props.dependsOn && props.dependsOn.length > 0 ? [...props.dependsOn] : undefined;
    const names = new Set<string>();
    const resolved = new Map<string, ResolvedConsumerGrant[]>();
    for (const c of props.consumers) {
      if (!CONSUMER_NAME.test(c.name)) fail("consumers.name", `expected 3-40 lowercase letters, digits or hyphens starting with a letter, found ${JSON.stringify(c.name)}`);
      if (names.has(c.name)) fail("consumers.name", `expected each name once, found ${JSON.stringify(c.name)} twice`);
      names.add(c.name);
      if (c.grants.length === 0) fail(`consumers.${c.name}.grants`, "expected at least 1 grant");
      resolved.set(c.name, resolveConsumerGrants(`WorkspaceConsumers ${id}: consumers.${c.name}.grants`, c.grants));
      const days = c.lifetimeDays ?? DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS;
      if (!Number.isInteger(days) || days < 1 || days > MAX_CREDENTIAL_LIFETIME_DAYS) fail(`consumers.${c.name}.lifetimeDays`, `expected a whole number from 1 to ${MAX_CREDENTIAL_LIFETIME_DAYS}, found ${days}`);
      const auth = c.authentication ?? "oauth";
      if (!(CONSUMER_AUTHENTICATIONS as readonly string[]).includes(auth)) fail(`consumers.${c.name}.authentication`, `expected one of ${CONSUMER_AUTHENTICATIONS.join(", ")}, found ${JSON.stringify(auth)}`);
      if (auth !== "none" && !props.secretStore) fail("secretStore", `expected a secret store: consumer ${c.name} gets a credential`);
      if (auth === "oauth" && !props.accountProvider) fail("accountProvider", `expected the account-level provider: consumer ${c.name} gets an OAuth secret`);
      if (auth === "oauth" && !c.servicePrincipalId) fail(`consumers.${c.name}.servicePrincipalId`, "expected the service principal's SCIM id for its OAuth secret");
    }
    const warehouseUsers = props.consumers.filter((c) => c.warehouseAccess ?? true);
    if (warehouseUsers.length > 0 && !props.sqlWarehouse) fail("sqlWarehouse", `expected warehouse settings: ${warehouseUsers.map((c) => c.name).join(", ")} may use the warehouse`);
    const recoveryWindowInDays = props.secretStore?.recoveryWindowDays ?? 30;
    if (!Number.isInteger(recoveryWindowInDays) || recoveryWindowInDays < 7 || recoveryWindowInDays > 30) fail("secretStore.recoveryWindowDays", `expected a whole number from 7 to 30, found ${recoveryWindowInDays}`);

    // Unity Catalog grants: one databricks_grant per consumer and securable, except on catalogs whose
    // grants another (authoritative) resource manages.
    const authoritative = new Set(props.authoritativeCatalogs ?? []);
    const grants: Record<string, Grant[]> = {};
    for (const c of props.consumers) {
      grants[c.name] = resolved
        .get(c.name)!
        .filter((g) => !(g.type === "catalog" && authoritative.has(g.name)))
        .map(
          (g) =>
            new Grant(this, `${c.name}-grant-${g.type}-${g.name.replace(/\./g, "-")}`, {
              provider, ...securableArgument(g), principal: c.applicationId, privileges: [...g.privileges], dependsOn,
            }),
        );
    }
    this.grants = grants;

    if (props.sqlWarehouse) {
      this.warehouse = new ConsumerSqlWarehouse(this, "sql-warehouse", { ...props.sqlWarehouse, provider, users: warehouseUsers.map((c) => c.applicationId) });
    }

    // PATs: the workspace's token permissions (one resource) must list every PAT consumer.
    const patConsumers = props.consumers.filter((c) => c.authentication === "pat");
    const tokenPermissions =
      patConsumers.length > 0
        ? new Permissions(this, "token-permissions", {
            provider,
            authorization: "tokens",
            accessControl: [
              ...(props.tokenUsageGroups ?? []).map((groupName) => ({ groupName, permissionLevel: "CAN_USE" })),
              ...patConsumers.map((c) => ({ servicePrincipalName: c.applicationId, permissionLevel: "CAN_USE" })),
            ],
          })
        : undefined;

    const secrets: Record<string, SecretsmanagerSecret> = {};
    const settings: Record<string, ConsumerConnectionSettings> = {};
    for (const c of props.consumers) {
      const auth = c.authentication ?? "oauth";
      const days = c.lifetimeDays ?? DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS;
      let secretString: string | undefined;
      if (auth !== "none") {
        const rotation = new Rotating(this, `${c.name}-rotation`, { rotationHours: days * 12 });
        if (auth === "oauth") {
          const secret = new ServicePrincipalSecret(this, `${c.name}-oauth-secret`, {
            provider: props.accountProvider,
            servicePrincipalId: c.servicePrincipalId!,
            lifetime: `${days * 86400}s`,
            timeRotating: rotation.rfc3339,
            lifecycle: { createBeforeDestroy: true },
          });
          secretString = Fn.jsonencode({ host: props.host, client_id: c.applicationId, client_secret: secret.secret });
        } else {
          const token = new OboToken(this, `${c.name}-pat`, {
            provider,
            applicationId: c.applicationId,
            lifetimeSeconds: days * 86400,
            comment: `${props.namePrefix} consumer ${c.name} (managed by databricks-aws-cdktf)`,
            dependsOn: [tokenPermissions!],
            // A plain address: Terraform's JSON syntax refuses "${...}" in replace_triggered_by.
            lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${rotation.terraformResourceType}.${TerraformStack.of(this).getLogicalId(rotation)}`] },
          });
          secretString = Fn.jsonencode({ host: props.host, token: token.tokenValue });
        }
        const store = props.secretStore!;
        secrets[c.name] = new SecretsmanagerSecret(this, `${c.name}-secret`, {
          name: `${props.namePrefix}/consumers/${c.name}`,
          description: `Databricks ${auth === "oauth" ? "OAuth M2M credentials" : "personal access token"} of consumer ${c.name}${c.comment ? `: ${c.comment}` : ""}`,
          kmsKeyId: store.kmsKeyArn,
          recoveryWindowInDays,
        });
        new SecretsmanagerSecretVersion(this, `${c.name}-secret-value`, { secretId: secrets[c.name].id, secretString });
      }
      // The namespace a client starts in: the first grant's catalog and the first schema granted in it.
      const first = resolved.get(c.name)![0];
      const schema = resolved.get(c.name)!.find((g) => g.catalog === first.catalog && g.schema !== undefined)?.schema;
      const warehouse = (c.warehouseAccess ?? true) ? this.warehouse : undefined;
      settings[c.name] = {
        authentication: auth,
        ...(warehouse ? { host: warehouse.hostname, http_path: warehouse.httpPath, warehouse_id: warehouse.warehouseId } : {}),
        catalog: first.catalog,
        ...(schema ? { schema: schema.split(".")[1] } : {}),
        ...(secrets[c.name] ? { secret_arn: secrets[c.name].arn } : {}),
      };
    }
    this.secrets = secrets;
    this.connectionSettings = settings;

    const jobs: Record<string, ExtractorJob> = {};
    for (const job of props.extractorJobs ?? []) {
      const consumer = props.consumers.find((c) => c.name === job.consumer);
      if (!consumer) fail(`extractorJobs.${job.name}.consumer`, `expected one of the consumers (${[...names].join(", ") || "none"}), found ${JSON.stringify(job.consumer)}`);
      if (!props.jobCluster) fail("jobCluster", `expected the cluster policy and template cluster: job ${job.name} needs a job cluster`);
      if (job.name in jobs) fail("extractorJobs.name", `expected each name once, found ${JSON.stringify(job.name)} twice`);
      const { consumer: _consumer, ...settings } = job;
      jobs[job.name] = new ExtractorJob(this, `job-${job.name}`, {
        ...settings,
        provider,
        namePrefix: props.namePrefix,
        runAs: consumer!.applicationId,
        policyId: props.jobCluster!.policyId,
        template: props.jobCluster!.template,
        // The run-as principal's data access must exist before its first run.
        dependsOn: [...(dependsOn ?? []), ...grants[consumer!.name]],
      });
    }
    this.jobs = jobs;
  }
}

/** The `databricks_grant` argument naming a grant's securable: `catalog`, `schema` or `table`. */
function securableArgument(g: ResolvedConsumerGrant): { catalog: string } | { schema: string } | { table: string } {
  switch (g.type) {
    case "catalog":
      return { catalog: g.name };
    case "schema":
      return { schema: g.name };
    case "table":
      return { table: g.name };
  }
}
