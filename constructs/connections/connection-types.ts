/**
 * The supported Unity Catalog connection sources, as data: option keys, which are required,
 * which are secrets, default ports and the foreign-catalog option key. The construct validates and
 * maps props with it; documentation and the config layer can read it too.
 *
 * Sources: provider `docs/resources/connection.md` and `catalog/resource_connection.go`
 * (databricks/databricks 1.99.0; the resource's `sensitiveOptions` list names `password`,
 * `pem_private_key`, `personalAccessToken` and `GoogleServiceAccountKeyJson`), provider
 * `docs/resources/catalog.md` (foreign catalog `options`), and the Databricks Lakehouse Federation
 * pages per source for option names and foreign-catalog options. Default ports are the sources'
 * documented defaults.
 */

/** `connection_type` values this construct supports (API spelling). */
export type ApiConnectionType =
  | "MYSQL"
  | "POSTGRESQL"
  | "REDSHIFT"
  | "ORACLE"
  | "SQLSERVER"
  | "SQLDW"
  | "SNOWFLAKE"
  | "BIGQUERY"
  | "DATABRICKS";

/** How an option value is checked and rendered to the provider's string map. */
export type OptionKind =
  /** host name or IPv4 address: no scheme, path or port */
  | "host"
  /** integer 1–65535, rendered as a decimal string */
  | "port"
  /** boolean, rendered as `"true"` / `"false"` */
  | "boolean"
  /** URL path starting with `/` */
  | "path"
  /** any non-empty string */
  | "string";

/** One connection option: the friendly prop field and the provider option key it becomes. */
export interface ConnectionOptionSpec {
  /** Field name in the construct's `options` prop, e.g. `warehouse`. */
  readonly field: string;
  /** Key in the provider's `options` map, e.g. `sfWarehouse`. */
  readonly optionKey: string;
  readonly kind: OptionKind;
  /** A secret: must be a Terraform token, never a literal. */
  readonly secret: boolean;
  /** Required on its own (fields of an `exactlyOneOf` group are not). */
  readonly required: boolean;
}

/** How the optional foreign catalog names the remote entity it mirrors. */
export interface ForeignCatalogSpec {
  /** Field in the construct's `foreignCatalog` prop, e.g. `serviceName`; absent when the source takes none. */
  readonly field?: string;
  /** Key in `databricks_catalog.options`, e.g. `service_name`; absent when the source takes none. */
  readonly optionKey?: string;
  /** Whether the field must be given when a foreign catalog is requested. */
  readonly required: boolean;
}

/** Everything the construct knows about one source. */
export interface ConnectionTypeSpec {
  /** The API `connection_type`. */
  readonly connectionType: ApiConnectionType;
  /** Human name of the source. */
  readonly displayName: string;
  /** Other accepted `connectionType` inputs, emitted as `connectionType`. */
  readonly aliases: readonly string[];
  /** Port emitted when `options.port` is omitted; absent for sources without a port option. */
  readonly defaultPort?: number;
  /** Every accepted option. */
  readonly options: readonly ConnectionOptionSpec[];
  /** Groups of option fields of which exactly one must be given (authentication alternatives). */
  readonly exactlyOneOf: readonly (readonly string[])[];
  /** Fields required on their own. */
  readonly requiredOptions: readonly string[];
  /** Fields that may be omitted (including each field of an `exactlyOneOf` group). */
  readonly optionalOptions: readonly string[];
  /** Fields that are secrets. */
  readonly secretOptions: readonly string[];
  readonly foreignCatalog: ForeignCatalogSpec;
}

const HOST: ConnectionOptionSpec = { field: "host", optionKey: "host", kind: "host", secret: false, required: true };
const PORT: ConnectionOptionSpec = { field: "port", optionKey: "port", kind: "port", secret: false, required: false };
const USER: ConnectionOptionSpec = { field: "user", optionKey: "user", kind: "string", secret: false, required: true };
const PASSWORD: ConnectionOptionSpec = { field: "password", optionKey: "password", kind: "string", secret: true, required: true };
const TRUST_SERVER_CERTIFICATE: ConnectionOptionSpec = {
  field: "trustServerCertificate",
  optionKey: "trustServerCertificate",
  kind: "boolean",
  secret: false,
  required: false,
};
const DATABASE_CATALOG: ForeignCatalogSpec = { field: "database", optionKey: "database", required: true };

function spec(s: {
  connectionType: ApiConnectionType;
  displayName: string;
  aliases?: string[];
  defaultPort?: number;
  options: ConnectionOptionSpec[];
  exactlyOneOf?: string[][];
  foreignCatalog: ForeignCatalogSpec;
}): ConnectionTypeSpec {
  return Object.freeze({
    connectionType: s.connectionType,
    displayName: s.displayName,
    aliases: Object.freeze(s.aliases ?? []),
    defaultPort: s.defaultPort,
    options: Object.freeze(s.options),
    exactlyOneOf: Object.freeze((s.exactlyOneOf ?? []).map((g) => Object.freeze(g))),
    requiredOptions: Object.freeze(s.options.filter((o) => o.required).map((o) => o.field)),
    optionalOptions: Object.freeze(s.options.filter((o) => !o.required).map((o) => o.field)),
    secretOptions: Object.freeze(s.options.filter((o) => o.secret).map((o) => o.field)),
    foreignCatalog: Object.freeze(s.foreignCatalog),
  });
}

/**
 * The supported sources, keyed by API `connection_type`.
 *
 * | type | required options | optional | secrets | default port | foreign catalog option |
 * |---|---|---|---|---|---|
 * | MYSQL | host, user, password | port | password | 3306 | none |
 * | POSTGRESQL | host, user, password | port | password | 5432 | database |
 * | REDSHIFT | host, user, password | port | password | 5439 | database |
 * | ORACLE | host, user, password | port | password | 1521 | service_name |
 * | SQLSERVER | host, user, password | port, trustServerCertificate | password | 1433 | database |
 * | SQLDW (alias `synapse`) | host, user, password | port, trustServerCertificate | password | 1433 | database |
 * | SNOWFLAKE | host, warehouse, user, one of password / privateKey | port | password, privateKey | 443 | database |
 * | BIGQUERY | serviceAccountKeyJson | – | serviceAccountKeyJson | – | dataProjectId (optional) |
 * | DATABRICKS | host, httpPath, personalAccessToken | – | personalAccessToken | – | catalog |
 */
export const SUPPORTED_CONNECTION_TYPES: Readonly<Record<ApiConnectionType, ConnectionTypeSpec>> = Object.freeze({
  MYSQL: spec({
    connectionType: "MYSQL",
    displayName: "MySQL",
    defaultPort: 3306,
    options: [HOST, PORT, USER, PASSWORD],
    foreignCatalog: { required: false },
  }),
  POSTGRESQL: spec({
    connectionType: "POSTGRESQL",
    displayName: "PostgreSQL",
    defaultPort: 5432,
    options: [HOST, PORT, USER, PASSWORD],
    foreignCatalog: DATABASE_CATALOG,
  }),
  REDSHIFT: spec({
    connectionType: "REDSHIFT",
    displayName: "Amazon Redshift",
    defaultPort: 5439,
    options: [HOST, PORT, USER, PASSWORD],
    foreignCatalog: DATABASE_CATALOG,
  }),
  ORACLE: spec({
    connectionType: "ORACLE",
    displayName: "Oracle",
    defaultPort: 1521,
    options: [HOST, PORT, USER, PASSWORD],
    foreignCatalog: { field: "serviceName", optionKey: "service_name", required: true },
  }),
  SQLSERVER: spec({
    connectionType: "SQLSERVER",
    displayName: "Microsoft SQL Server",
    defaultPort: 1433,
    options: [HOST, PORT, USER, PASSWORD, TRUST_SERVER_CERTIFICATE],
    foreignCatalog: DATABASE_CATALOG,
  }),
  SQLDW: spec({
    connectionType: "SQLDW",
    displayName: "Azure Synapse",
    aliases: ["synapse"],
    defaultPort: 1433,
    options: [HOST, PORT, USER, PASSWORD, TRUST_SERVER_CERTIFICATE],
    foreignCatalog: DATABASE_CATALOG,
  }),
  SNOWFLAKE: spec({
    connectionType: "SNOWFLAKE",
    displayName: "Snowflake",
    defaultPort: 443,
    options: [
      HOST,
      PORT,
      { field: "warehouse", optionKey: "sfWarehouse", kind: "string", secret: false, required: true },
      USER,
      { ...PASSWORD, required: false },
      { field: "privateKey", optionKey: "pem_private_key", kind: "string", secret: true, required: false },
    ],
    exactlyOneOf: [["password", "privateKey"]],
    foreignCatalog: DATABASE_CATALOG,
  }),
  BIGQUERY: spec({
    connectionType: "BIGQUERY",
    displayName: "Google BigQuery",
    options: [
      { field: "serviceAccountKeyJson", optionKey: "GoogleServiceAccountKeyJson", kind: "string", secret: true, required: true },
    ],
    foreignCatalog: { field: "dataProjectId", optionKey: "dataProjectId", required: false },
  }),
  DATABRICKS: spec({
    connectionType: "DATABRICKS",
    displayName: "Databricks",
    options: [
      HOST,
      { field: "httpPath", optionKey: "httpPath", kind: "path", secret: false, required: true },
      { field: "personalAccessToken", optionKey: "personalAccessToken", kind: "string", secret: true, required: true },
    ],
    foreignCatalog: { field: "catalog", optionKey: "catalog", required: true },
  }),
});

/** Every accepted `connectionType` input: the API values, then the aliases. */
export const ACCEPTED_CONNECTION_TYPE_INPUTS: readonly string[] = Object.freeze([
  ...Object.keys(SUPPORTED_CONNECTION_TYPES),
  ...Object.values(SUPPORTED_CONNECTION_TYPES).flatMap((s) => s.aliases),
]);
