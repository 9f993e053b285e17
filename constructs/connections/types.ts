/**
 * Public props of {@link UnityCatalogConnection}.
 *
 * Field facts come from the Databricks Terraform provider (databricks/databricks 1.99.0):
 * `docs/resources/connection.md` (and `catalog/resource_connection.go`), `docs/resources/catalog.md`
 * and `docs/resources/grants.md`. The per-source option keys and default ports are listed once, in
 * {@link SUPPORTED_CONNECTION_TYPES} (`connection-types.ts`).
 *
 * Secrets: every field documented as a **secret** must be a reference to an input that holds no value at
 * synth (see constructs/security/secret-reference.ts; e.g. a sensitive
 * `TerraformVariable`'s `.stringValue`, a secret-store data source attribute, any reference);
 * a plain string literal is rejected in the constructor so that no secret is written to `cdk.tf.json`.
 */
import type { ITerraformDependable, TerraformProvider } from "cdktf";

// ---------------------------------------------------------------------------------------------
// Privileges
// ---------------------------------------------------------------------------------------------

/**
 * Privileges grantable on a connection (`databricks_grants` with `foreign_connection`).
 * Source: provider `docs/resources/grants.md`, "Connection grants".
 */
export const CONNECTION_PRIVILEGES = ["ALL_PRIVILEGES", "MANAGE", "USE_CONNECTION", "CREATE_FOREIGN_CATALOG"] as const;

/** One of {@link CONNECTION_PRIVILEGES}. */
export type ConnectionPrivilege = (typeof CONNECTION_PRIVILEGES)[number];

/**
 * Privileges grantable on a catalog (`databricks_grants` with `catalog`).
 * Source: provider `docs/resources/grants.md`, "Catalog grants" (catalog-level privileges and the
 * schema/table/volume/function privileges that can be granted at catalog level), plus `BROWSE`
 * (Unity Catalog privilege reference: metadata-only access, grantable on catalogs).
 */
export const CATALOG_PRIVILEGES = [
  "ALL_PRIVILEGES",
  "APPLY_TAG",
  "BROWSE",
  "CREATE_CONNECTION",
  "CREATE_FUNCTION",
  "CREATE_SCHEMA",
  "CREATE_TABLE",
  "CREATE_VOLUME",
  "EXECUTE",
  "MANAGE",
  "MODIFY",
  "READ_VOLUME",
  "REFRESH",
  "SELECT",
  "USE_CATALOG",
  "USE_SCHEMA",
  "WRITE_VOLUME",
] as const;

/** One of {@link CATALOG_PRIVILEGES}. */
export type CatalogPrivilege = (typeof CATALOG_PRIVILEGES)[number];

/** One `grant` block of a `databricks_grants` resource on the connection. */
export interface ConnectionGrant {
  /** User name, group name or service principal application id. */
  readonly principal: string;
  /** One or more of {@link CONNECTION_PRIVILEGES}. */
  readonly privileges: ConnectionPrivilege[];
}

/** One `grant` block of a `databricks_grants` resource on the foreign catalog. */
export interface CatalogGrant {
  /** User name, group name or service principal application id. */
  readonly principal: string;
  /** One or more of {@link CATALOG_PRIVILEGES}. */
  readonly privileges: CatalogPrivilege[];
}

// ---------------------------------------------------------------------------------------------
// Foreign catalog
// ---------------------------------------------------------------------------------------------

/**
 * Settings of the optional foreign catalog (`databricks_catalog` with `connection_name`),
 * common to every source. The source-specific field naming the remote entity (`database`,
 * `catalog`, `serviceName`, `dataProjectId`) is added per connection type.
 * Source: provider `docs/resources/catalog.md`.
 */
export interface ForeignCatalogBaseProps {
  /**
   * Name of the catalog in Unity Catalog. Same naming rule as the connection name (see
   * {@link UnityCatalogConnectionBaseProps.name}). `connection_name` and `options` force
   * replacement of the catalog.
   */
  readonly name: string;
  /**
   * Free-form comment.
   * @default - no comment
   */
  readonly comment?: string;
  /**
   * Owner of the catalog (user name, group name or service principal application id).
   * @default - the principal that runs Terraform
   */
  readonly owner?: string;
  /**
   * Free-form catalog properties.
   * @default - none
   */
  readonly properties?: { readonly [key: string]: string };
  /**
   * `ISOLATED` (accessible only from bound workspaces, the current one included) or `OPEN`.
   * @default - provider/API default (`OPEN`)
   */
  readonly isolationMode?: "ISOLATED" | "OPEN";
  /**
   * Delete the catalog on destroy even when it is not empty (`force_destroy`).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Grants on the foreign catalog, in one `databricks_grants` resource (which then owns every grant
   * on the catalog: grants made outside Terraform are removed on apply).
   * @default - no `databricks_grants` resource for the catalog
   */
  readonly grants?: CatalogGrant[];
}

/** Foreign catalog of a source whose remote entity is a database (`options.database`). */
export interface DatabaseForeignCatalogProps extends ForeignCatalogBaseProps {
  /** Remote database mirrored by the catalog; emitted as catalog option `database`. */
  readonly database: string;
}

/** Foreign catalog of a MySQL connection: MySQL has no database level above schemas, so no option. */
export type MysqlForeignCatalogProps = ForeignCatalogBaseProps;

/** Foreign catalog of an Oracle connection. */
export interface OracleForeignCatalogProps extends ForeignCatalogBaseProps {
  /** Oracle service name mirrored by the catalog; emitted as catalog option `service_name`. */
  readonly serviceName: string;
}

/** Foreign catalog of a BigQuery connection. */
export interface BigQueryForeignCatalogProps extends ForeignCatalogBaseProps {
  /**
   * Google Cloud project holding the data; emitted as catalog option `dataProjectId`.
   * @default - the project of the service account key
   */
  readonly dataProjectId?: string;
}

/** Foreign catalog of a Databricks connection. */
export interface DatabricksForeignCatalogProps extends ForeignCatalogBaseProps {
  /** Catalog in the remote Databricks metastore; emitted as catalog option `catalog`. */
  readonly catalog: string;
}

// ---------------------------------------------------------------------------------------------
// Connection options, per source
// ---------------------------------------------------------------------------------------------

/**
 * Options of a JDBC-style source reached by host, port, user and password
 * (MYSQL, POSTGRESQL, REDSHIFT, ORACLE). Emitted as options `host`, `port`, `user`, `password`.
 */
export interface HostPortUserPasswordOptions {
  /**
   * Host name or IPv4 address only: no scheme (`jdbc:`, `https://`), no path, no `:port`.
   * May be a token (e.g. an RDS endpoint address).
   */
  readonly host: string;
  /**
   * TCP port, an integer in 1–65535; emitted as a string.
   * @default - the source's default port (see `SUPPORTED_CONNECTION_TYPES`)
   */
  readonly port?: number;
  /** Database user name. Not required to be a token (the provider keeps it in the sensitive `options` map). */
  readonly user: string;
  /** **Secret.** Database password: a Terraform token, never a literal. */
  readonly password: string;
}

/** Options of SQL Server and Azure Synapse (SQLDW) connections. */
export interface SqlServerOptions extends HostPortUserPasswordOptions {
  /**
   * Skip validation of the server's TLS certificate; emitted as option `trustServerCertificate`
   * (`"true"` / `"false"`).
   * @default - not emitted (the source's default: the certificate is validated)
   */
  readonly trustServerCertificate?: boolean;
}

/** Snowflake options common to both authentication methods. */
export interface SnowflakeBaseOptions {
  /** Snowflake account host, e.g. `xy12345.eu-west-1.snowflakecomputing.com` (no scheme, path or port). */
  readonly host: string;
  /**
   * TCP port, an integer in 1–65535; emitted as a string.
   * @default 443
   */
  readonly port?: number;
  /** Snowflake virtual warehouse used to run queries; emitted as option `sfWarehouse`. */
  readonly warehouse: string;
  /** Snowflake user name. */
  readonly user: string;
}

/** Snowflake with user/password authentication. */
export interface SnowflakePasswordOptions extends SnowflakeBaseOptions {
  /** **Secret.** Snowflake password: a Terraform token, never a literal. */
  readonly password: string;
  /** Not with password authentication. */
  readonly privateKey?: never;
}

/** Snowflake with key-pair authentication. */
export interface SnowflakePrivateKeyOptions extends SnowflakeBaseOptions {
  /**
   * **Secret.** Unencrypted PEM private key of the Snowflake user; emitted as option
   * `pem_private_key`. A Terraform token, never a literal.
   */
  readonly privateKey: string;
  /** Not with key-pair authentication. */
  readonly password?: never;
}

/** Snowflake options: exactly one of `password` or `privateKey`. */
export type SnowflakeOptions = SnowflakePasswordOptions | SnowflakePrivateKeyOptions;

/** Google BigQuery options. */
export interface BigQueryOptions {
  /**
   * **Secret.** The Google service account key file content (JSON); emitted as option
   * `GoogleServiceAccountKeyJson`. A Terraform token, never a literal.
   */
  readonly serviceAccountKeyJson: string;
}

/** Options of a connection to another Databricks workspace. */
export interface DatabricksOptions {
  /** Workspace host name, e.g. `dbc-1234abcd-5678.cloud.databricks.com` (no scheme, path or port). */
  readonly host: string;
  /** HTTP path of a SQL warehouse or cluster, starting with `/`, e.g. `/sql/1.0/warehouses/abc123`. */
  readonly httpPath: string;
  /** **Secret.** Personal access token; emitted as option `personalAccessToken`. A Terraform token, never a literal. */
  readonly personalAccessToken: string;
}

// ---------------------------------------------------------------------------------------------
// Props
// ---------------------------------------------------------------------------------------------

/**
 * Props common to every connection type. Source: provider `docs/resources/connection.md` and
 * `catalog/resource_connection.go` (1.99.0).
 *
 * Replacement: `connection_type`, `comment`, `properties` and `read_only` force a new connection;
 * `options` and `owner` update in place. Renaming (`name`) does not work in place (provider issue
 * #3945: the update call keeps the old name), so treat a new `name` as a replacement: destroy and
 * re-create, which also drops grants and foreign catalogs that depend on the connection.
 */
export interface UnityCatalogConnectionBaseProps {
  /**
   * Connection name (`name`). Unity Catalog naming rule enforced here: non-empty, at most 255
   * characters, no period (`.`), space, forward slash (`/`) or control character (U+0000–U+001F,
   * U+007F). Unity Catalog stores names in lower case and the provider compares them
   * case-insensitively, so use lower case. Changing it replaces the connection (see above).
   */
  readonly name: string;
  /**
   * Free-form comment, at most `MAX_COMMENT_LENGTH` (1024) characters, no credential-shaped text.
   * Changing it replaces the connection.
   * @default - no comment
   */
  readonly comment?: string;
  /**
   * Owner of the connection (user name, group name or service principal application id). Updates in place.
   * @default - the principal that runs Terraform
   */
  readonly owner?: string;
  /**
   * Free-form connection properties. Not sensitive in the provider (written to cdk.tf.json, shown in
   * plans), so a key that names a secret (`pwd`, `apiKey`, ...) or a credential-shaped value is refused.
   * Changing them replaces the connection.
   * @default - none
   */
  readonly properties?: { readonly [key: string]: string };
  /**
   * Whether the connection is read-only (`read_only`). Changing it replaces the connection.
   * @default - not set; the API decides
   */
  readonly readOnly?: boolean;
  /**
   * Grants on the connection, in one `databricks_grants` resource with `foreign_connection`
   * (which then owns every grant on the connection).
   * @default - no `databricks_grants` resource for the connection
   */
  readonly grants?: ConnectionGrant[];
  /**
   * Workspace-level Databricks provider for every resource of the construct (never an account-level
   * one: connections, catalogs and grants are workspace APIs).
   * @default - the stack's default `databricks` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Resources every resource of the construct waits for, e.g. the groups its grants name.
   * @default none beyond the references in the props
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** A MySQL connection. */
export interface MysqlConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "MYSQL";
  readonly options: HostPortUserPasswordOptions;
  /**
   * Foreign catalog mirroring the MySQL server (no catalog option: MySQL databases become schemas).
   * @default - no foreign catalog
   */
  readonly foreignCatalog?: MysqlForeignCatalogProps;
}

/** A PostgreSQL connection. */
export interface PostgresqlConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "POSTGRESQL";
  readonly options: HostPortUserPasswordOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabaseForeignCatalogProps;
}

/** An Amazon Redshift connection. */
export interface RedshiftConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "REDSHIFT";
  readonly options: HostPortUserPasswordOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabaseForeignCatalogProps;
}

/** An Oracle connection. */
export interface OracleConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "ORACLE";
  readonly options: HostPortUserPasswordOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: OracleForeignCatalogProps;
}

/** A Microsoft SQL Server connection. */
export interface SqlServerConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "SQLSERVER";
  readonly options: SqlServerOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabaseForeignCatalogProps;
}

/**
 * An Azure Synapse connection. The API type is `SQLDW` (there is no `SYNAPSE`); `"synapse"` is
 * accepted as a friendly alias and emitted as `SQLDW`.
 */
export interface SynapseConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "SQLDW" | "synapse";
  readonly options: SqlServerOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabaseForeignCatalogProps;
}

/** A Snowflake connection (password or key-pair authentication). */
export interface SnowflakeConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "SNOWFLAKE";
  readonly options: SnowflakeOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabaseForeignCatalogProps;
}

/** A Google BigQuery connection. */
export interface BigQueryConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "BIGQUERY";
  readonly options: BigQueryOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: BigQueryForeignCatalogProps;
}

/** A connection to another Databricks workspace. */
export interface DatabricksConnectionProps extends UnityCatalogConnectionBaseProps {
  readonly connectionType: "DATABRICKS";
  readonly options: DatabricksOptions;
  /** @default - no foreign catalog */
  readonly foreignCatalog?: DatabricksForeignCatalogProps;
}

/** Props of {@link UnityCatalogConnection}: a union discriminated by `connectionType`. */
export type UnityCatalogConnectionProps =
  | MysqlConnectionProps
  | PostgresqlConnectionProps
  | RedshiftConnectionProps
  | OracleConnectionProps
  | SqlServerConnectionProps
  | SynapseConnectionProps
  | SnowflakeConnectionProps
  | BigQueryConnectionProps
  | DatabricksConnectionProps;

/** Every accepted `connectionType` value (API values plus the `"synapse"` alias). */
export type ConnectionTypeInput = UnityCatalogConnectionProps["connectionType"];
