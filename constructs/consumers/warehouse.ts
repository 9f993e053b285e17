/**
 * The SQL warehouse consumers query through, and who may use it.
 *
 * Field facts:
 * - provider `docs/resources/sql_endpoint.md`: `cluster_size` values, `auto_stop_mins` (0 disables auto stop),
 *   `enable_serverless_compute` (set it explicitly: the default depends on the workspace's history) and
 *   `warehouse_type` (`PRO` is required for serverless); `odbc_params` exports `hostname` and `path` (the
 *   HTTP path clients connect to).
 * - Databricks SQL Warehouses API, `CreateWarehouseRequest` (databricks-sdk-go, as vendored by provider
 *   1.84.0 `internal/service/sql_tf`): `auto_stop_mins` "Must be >= 0 mins for serverless warehouses; Must be
 *   == 0 or >= 10 mins for non-serverless warehouses"; `min_num_clusters` > 0 and <= `max_num_clusters`;
 *   `max_num_clusters` <= 30; fewer than 45 custom tags; name shorter than 100 characters.
 * - Databricks "Use serverless SQL warehouses", requirements: serverless needs a region that supports
 *   Databricks SQL Serverless, an account that is not on a free trial (accounts created before 2022-03-28
 *   must accept updated terms), no external Hive metastore and no S3 access policies. None of that can be
 *   checked at synth or plan time, so serverless is a switch, off by default: a `PRO` warehouse runs in the
 *   workspace's own VPC (the customer-managed network, its flow logs and egress) wherever the workspace
 *   runs. Lakehouse Federation queries need a Pro or serverless warehouse, so `CLASSIC` is never used.
 * - provider `docs/resources/permissions.md`: SQL warehouse permissions (`sql_endpoint_id`, `CAN_USE`) are
 *   authoritative for the warehouse: one resource lists every user.
 */
import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { SqlEndpoint } from "@cdktf/provider-databricks/lib/sql-endpoint";
import { SQL_WAREHOUSE_AUTO_STOP_MINS, SQL_WAREHOUSE_MAX_NUM_CLUSTERS, SQL_WAREHOUSE_SIZES, type SqlWarehouseSize } from "./defaults";

export { SQL_WAREHOUSE_AUTO_STOP_MINS, SQL_WAREHOUSE_MAX_NUM_CLUSTERS, SQL_WAREHOUSE_SIZES, type SqlWarehouseSize } from "./defaults";

export interface SqlWarehouseSettings {
  /** Warehouse name, unique in the workspace, shorter than 100 characters. */
  readonly name: string;
  readonly clusterSize: SqlWarehouseSize;
  /**
   * Idle minutes before the warehouse stops: {@link SQL_WAREHOUSE_AUTO_STOP_MINS} (1 for serverless or 10
   * otherwise, to 1440).
   * @default 10
   */
  readonly autoStopMins?: number;
  /**
   * Serverless compute (`warehouse_type = PRO`, `enable_serverless_compute = true`); otherwise a `PRO`
   * warehouse in the workspace's VPC. Only where the region and account support serverless SQL.
   * @default false
   */
  readonly serverless?: boolean;
  /** @default 1 */
  readonly minNumClusters?: number;
  /** 1 to 30, at least `minNumClusters`. @default 1 */
  readonly maxNumClusters?: number;
  /**
   * `spot_instance_policy` of a non-serverless warehouse.
   * @default "COST_OPTIMIZED"
   */
  readonly spotInstancePolicy?: "COST_OPTIMIZED" | "RELIABILITY_OPTIMIZED";
  /**
   * Tags on the warehouse's resources (fewer than 45).
   * @default {}
   */
  readonly customTags?: Readonly<Record<string, string>>;
}

export interface ConsumerSqlWarehouseProps extends SqlWarehouseSettings {
  /** The workspace-level provider. */
  readonly provider: TerraformProvider;
  /** Application ids of the service principals given `CAN_USE`. */
  readonly users: readonly string[];
  /** @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A SQL warehouse and its `CAN_USE` permissions.
 * @throws Error naming the value for a size outside {@link SQL_WAREHOUSE_SIZES}, auto stop outside its
 *   bounds, cluster counts outside 1-30 or min > max, 45 or more tags, or a name of 100 characters or more.
 */
export class ConsumerSqlWarehouse extends Construct {
  public readonly endpoint: SqlEndpoint;
  public readonly permissions?: Permissions;
  /** The warehouse id (`warehouse_id` of the SQL Statement Execution API). */
  public readonly warehouseId: string;
  /** Host name clients connect to (`odbc_params.hostname`, no scheme). */
  public readonly hostname: string;
  /** HTTP path of the warehouse (`odbc_params.path`, `/sql/1.0/warehouses/<id>`). */
  public readonly httpPath: string;

  constructor(scope: Construct, id: string, props: ConsumerSqlWarehouseProps) {
    super(scope, id);
    const fail = (field: string, expected: string, found: unknown): never => {
      throw new Error(`ConsumerSqlWarehouse ${id}: ${field}: expected ${expected}, found ${JSON.stringify(found)}`);
    };
    if (props.name.length === 0 || props.name.length >= 100) fail("name", "1 to 99 characters", props.name);
    if (!(SQL_WAREHOUSE_SIZES as readonly string[]).includes(props.clusterSize)) fail("clusterSize", `one of ${SQL_WAREHOUSE_SIZES.join(", ")}`, props.clusterSize);
    const serverless = props.serverless ?? false;
    const autoStopMins = props.autoStopMins ?? 10;
    const minStop = serverless ? SQL_WAREHOUSE_AUTO_STOP_MINS.serverlessMin : SQL_WAREHOUSE_AUTO_STOP_MINS.min;
    if (!Number.isInteger(autoStopMins) || autoStopMins < minStop || autoStopMins > SQL_WAREHOUSE_AUTO_STOP_MINS.max) {
      fail("autoStopMins", `a whole number of minutes from ${minStop} to ${SQL_WAREHOUSE_AUTO_STOP_MINS.max}${serverless ? "" : " (10 is the minimum of a non-serverless warehouse)"}`, autoStopMins);
    }
    const minNumClusters = props.minNumClusters ?? 1;
    const maxNumClusters = props.maxNumClusters ?? 1;
    for (const [field, value] of [["minNumClusters", minNumClusters], ["maxNumClusters", maxNumClusters]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > SQL_WAREHOUSE_MAX_NUM_CLUSTERS) fail(field, `a whole number from 1 to ${SQL_WAREHOUSE_MAX_NUM_CLUSTERS}`, value);
    }
    if (minNumClusters > maxNumClusters) fail("minNumClusters", `at most maxNumClusters (${maxNumClusters})`, minNumClusters);
    const tags = Object.entries(props.customTags ?? {});
    if (tags.length >= 45) fail("customTags", "fewer than 45 tags", tags.length);

    this.endpoint = new SqlEndpoint(this, "warehouse", {
      provider: props.provider,
      name: props.name,
      clusterSize: props.clusterSize,
      autoStopMins,
      minNumClusters,
      maxNumClusters,
      enableServerlessCompute: serverless,
      warehouseType: "PRO",
      spotInstancePolicy: serverless ? undefined : (props.spotInstancePolicy ?? "COST_OPTIMIZED"),
      tags: tags.length > 0 ? { customTags: tags.map(([key, value]) => ({ key, value })) } : undefined,
      dependsOn: props.dependsOn && props.dependsOn.length > 0 ? [...props.dependsOn] : undefined,
    });
    if (props.users.length > 0) {
      this.permissions = new Permissions(this, "permissions", {
        provider: props.provider,
        sqlEndpointId: this.endpoint.id,
        accessControl: props.users.map((applicationId) => ({ servicePrincipalName: applicationId, permissionLevel: "CAN_USE" })),
      });
    }
    this.warehouseId = this.endpoint.id;
    const odbc = this.endpoint.odbcParams.get(0);
    this.hostname = odbc.hostname;
    this.httpPath = odbc.path;
  }
}
