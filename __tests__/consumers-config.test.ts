/**
 * Bad consumer, warehouse and extractor-job settings in vars: one line per problem, naming the file, the
 * field and what was expected; nothing is built. Each case breaks the shipped dev file in one place.
 */
import { problemsAfter } from "./helpers";

const F = "vars/dev.json";

test("the shipped files have no consumer problem", () => {
  expect(problemsAfter("dev", () => undefined)).toEqual([]);
  expect(problemsAfter("prod", () => undefined)).toEqual([]);
});

test.each([
  [
    "a grant on a catalog the configuration does not know",
    (v: any) => (v.consumers[0].grants = [{ catalog: "finance_gold" }]),
    `${F}: consumers.0.grants.0.catalog: expected a securable in a catalog this configuration knows: unityCatalog.catalog.name, a connection's foreignCatalog.name or one of externalCatalogs (known: acme_dbx_dev, mysql_analytics, snowflake_finance, synapse_customer360, bigquery_analytics), found "finance_gold"`,
  ],
  [
    "a schema grant without USE_CATALOG on its catalog",
    (v: any) => (v.consumers[0].grants = [{ schema: "acme_dbx_dev.sales" }]),
    `${F}: consumers.0.grants.0.schema: expected the consumer to also hold USE_CATALOG on catalog acme_dbx_dev (a grant { "catalog": "acme_dbx_dev", "privileges": ["USE_CATALOG"] }): without it acme_dbx_dev.sales cannot be reached, found "acme_dbx_dev.sales"`,
  ],
  [
    "a table grant without USE_SCHEMA on its schema or catalog",
    (v: any) => (v.consumers[0].grants = [{ catalog: "acme_dbx_dev", privileges: ["USE_CATALOG"] }, { table: "acme_dbx_dev.sales.orders" }]),
    `${F}: consumers.0.grants.1.table: expected the consumer to also hold USE_SCHEMA on schema acme_dbx_dev.sales or on catalog acme_dbx_dev: without it acme_dbx_dev.sales.orders cannot be reached, found "acme_dbx_dev.sales.orders"`,
  ],
  [
    "the same securable twice for one consumer",
    (v: any) => v.consumers[0].grants.push({ schema: "acme_dbx_dev.sales", privileges: ["MODIFY"] }),
    `${F}: consumers.0.grants.2.schema: expected each securable once per consumer (merge the privileges into the first grant on acme_dbx_dev.sales), found "acme_dbx_dev.sales"`,
  ],
  [
    "a privilege the securable does not take",
    (v: any) => (v.consumers[0].grants[1] = { schema: "acme_dbx_dev.sales", privileges: ["USE_CATALOG"] }),
    `${F}: consumers.0.grants.1.privileges.0: expected a privilege on a schema: one of ALL_PRIVILEGES, APPLY_TAG, CREATE_FUNCTION, CREATE_TABLE, CREATE_VOLUME, EXECUTE, MANAGE, MODIFY, READ_VOLUME, REFRESH, SELECT, USE_SCHEMA, WRITE_VOLUME, found "USE_CATALOG"`,
  ],
  [
    "a grant naming two securables",
    (v: any) => (v.consumers[0].grants[1] = { schema: "acme_dbx_dev.sales", table: "acme_dbx_dev.sales.orders" }),
    `${F}: consumers.0.grants.1: expected exactly one of catalog, schema, table (schema and table are set), found {"schema":"acme_dbx_dev.sales","table":"acme_dbx_dev.sales.orders"}`,
  ],
  [
    "a schema name without its catalog",
    (v: any) => (v.consumers[0].grants[1] = { schema: "sales" }),
    `${F}: consumers.0.grants.1.schema: expected <catalog>.<schema>, each part letters, digits, '-' or '_', found "sales"`,
  ],
  [
    "two consumers with one name",
    (v: any) => (v.consumers[0].name = v.consumers[1].name),
    `${F}: consumers.1.name: expected a consumer name used once, found "orders-extractor"`,
  ],
  [
    "the automation principal's name",
    (v: any) => (v.consumers[0].name = "automation"),
    `${F}: consumers.0.name: expected a name other than "automation" (the automation principal is <namePrefix>-automation), found "automation"`,
  ],
  [
    "a lifetime beyond the Databricks maximum",
    (v: any) => (v.consumers[0].lifetimeDays = 731),
    `${F}: consumers.0.lifetimeDays: expected at most 730 days, found 731`,
  ],
  [
    "an unknown authentication",
    (v: any) => (v.consumers[0].authentication = "password"),
    `${F}: consumers.0.authentication: expected one of "oauth", "pat", "none", found "password"`,
  ],
  [
    "warehouse access without a warehouse",
    (v: any) => delete v.sqlWarehouse,
    `${F}: sqlWarehouse: expected warehouse settings: consumers airbyte-reader have warehouseAccess, found nothing (field missing)`,
  ],
  [
    "an auto stop below the minimum of a non-serverless warehouse",
    (v: any) => Object.assign(v.sqlWarehouse, { serverless: false, autoStopMins: 5 }),
    `${F}: sqlWarehouse.autoStopMins: expected at least 10 minutes for a non-serverless warehouse (SQL Warehouses API), found 5`,
  ],
  [
    "an auto stop of 0 (never stop)",
    (v: any) => (v.sqlWarehouse.autoStopMins = 0),
    `${F}: sqlWarehouse.autoStopMins: expected at least 1 minutes, found 0`,
  ],
  [
    "an unknown warehouse size",
    (v: any) => (v.sqlWarehouse.clusterSize = "Tiny"),
    `${F}: sqlWarehouse.clusterSize: expected one of "2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large", found "Tiny"`,
  ],
  [
    "more minimum than maximum clusters",
    (v: any) => Object.assign(v.sqlWarehouse, { minNumClusters: 3, maxNumClusters: 2 }),
    `${F}: sqlWarehouse.minNumClusters: expected at most sqlWarehouse.maxNumClusters (2), found 3`,
  ],
  [
    "a PAT consumer without tokenUsageGroups",
    (v: any) => (v.consumers[0].authentication = "pat"),
    `${F}: tokenUsageGroups: expected the account groups that keep personal access tokens (may be []): consumers airbyte-reader use "pat", which makes the workspace's token permissions authoritative and revokes the tokens of everyone not listed, found nothing (field missing)`,
  ],
  [
    "a token usage group that is not an account group of the configuration",
    (v: any) => {
      v.consumers[0].authentication = "pat";
      v.tokenUsageGroups = ["users"];
    },
    `${F}: tokenUsageGroups.0: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found "users"`,
  ],
  [
    "an external catalog this configuration creates",
    (v: any) => (v.externalCatalogs = ["acme_dbx_dev"]),
    `${F}: externalCatalogs.0: expected a catalog this configuration does not create (it is unityCatalog.catalog or a connection's foreign catalog), found "acme_dbx_dev"`,
  ],
  [
    "a job whose consumer is not declared",
    (v: any) => (v.extractorJobs[0].consumer = "orders-loader"),
    `${F}: extractorJobs.0.consumer: expected the name of one of consumers (airbyte-reader, orders-extractor), found "orders-loader"`,
  ],
  [
    "a job with both a wheel and a file",
    (v: any) => (v.extractorJobs[0].sparkPythonTask = { pythonFile: "/Workspace/Shared/x.py" }),
    expect.stringMatching(/^vars\/dev\.json: extractorJobs\.0: expected exactly one of pythonWheelTask and sparkPythonTask \(both are set\), found \{"name":"orders-extractor",/) as unknown as string,
  ],
  [
    "a wheel on DBFS",
    (v: any) => (v.extractorJobs[0].pythonWheelTask.whl = "dbfs:/FileStore/wheels/acme_extractors-1.4.0-py3-none-any.whl"),
    `${F}: extractorJobs.0.pythonWheelTask.whl: expected a Unity Catalog volume, workspace or S3 path, not DBFS (legacy DBFS root and mounts are turned off), found "dbfs:/FileStore/wheels/acme_extractors-1.4.0-py3-none-any.whl"`,
  ],
  [
    "a wheel in a volume the consumer may not read",
    (v: any) => {
      v.unityCatalog.catalog.schemas.push({ name: "releases", volumes: ["wheels"] });
      v.extractorJobs[0].pythonWheelTask.whl = "/Volumes/acme_dbx_dev/releases/wheels/acme_extractors-1.4.0-py3-none-any.whl";
    },
    `${F}: extractorJobs.0.pythonWheelTask.whl: expected consumer orders-extractor to hold USE_CATALOG on acme_dbx_dev, USE_SCHEMA and READ_VOLUME on acme_dbx_dev.releases (or its catalog): the job reads this file as that principal, found "/Volumes/acme_dbx_dev/releases/wheels/acme_extractors-1.4.0-py3-none-any.whl"`,
  ],
  [
    "a wheel in a volume the configuration does not create",
    (v: any) => (v.unityCatalog.catalog.schemas = v.unityCatalog.catalog.schemas.filter((sc: any) => sc.name !== "artifacts").concat([{ name: "artifacts" }])),
    `${F}: extractorJobs.0.pythonWheelTask.whl: expected a volume of unityCatalog.catalog.schemas (artifacts.wheels is not declared): nothing else creates volumes in acme_dbx_dev, found "/Volumes/acme_dbx_dev/artifacts/wheels/acme_extractors-1.4.0-py3-none-any.whl"`,
  ],
  [
    "a consumer grant on a schema the configuration does not create",
    (v: any) => (v.unityCatalog.catalog.schemas = v.unityCatalog.catalog.schemas.filter((sc: any) => sc.name !== "sales")),
    `${F}: consumers.0.grants.1.schema: expected a schema of unityCatalog.catalog.schemas (artifacts, raw_orders): nothing else creates schemas in acme_dbx_dev, and a grant on a missing schema fails at apply, found "acme_dbx_dev.sales"`,
  ],
  [
    "a cron expression in Unix syntax",
    (v: any) => (v.extractorJobs[0].schedule.quartzCronExpression = "30 2 * * *"),
    `${F}: extractorJobs.0.schedule.quartzCronExpression: expected a Quartz cron expression of 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), found 5 field(s)`,
  ],
  [
    "a cron expression with both day fields set",
    (v: any) => (v.extractorJobs[0].schedule.quartzCronExpression = "0 30 2 * * *"),
    `${F}: extractorJobs.0.schedule.quartzCronExpression: expected '?' in exactly one of day-of-month (4th field) and day-of-week (6th field), as Quartz requires, found "0 30 2 * * *"`,
  ],
  [
    "an unknown time zone",
    (v: any) => (v.extractorJobs[0].schedule.timezoneId = "CEST"),
    `${F}: extractorJobs.0.schedule.timezoneId: expected an IANA time-zone id such as Europe/Berlin or UTC, found "CEST"`,
  ],
  [
    "more workers than the cluster policy allows",
    (v: any) => (v.extractorJobs[0].maxWorkers = 3),
    `${F}: extractorJobs.0.maxWorkers: expected at most cluster.maxWorkers (2): the cluster policy caps autoscale.max_workers, found 3`,
  ],
  [
    "a timeout in milliseconds by mistake",
    (v: any) => (v.extractorJobs[0].timeoutSeconds = 3_600_000),
    `${F}: extractorJobs.0.timeoutSeconds: expected at most 604800 seconds, found 3600000`,
  ],
  [
    "retrying forever",
    (v: any) => (v.extractorJobs[0].maxRetries = -1),
    `${F}: extractorJobs.0.maxRetries: expected at least 0 retries, found -1`,
  ],
  [
    "no failure address",
    (v: any) => (v.extractorJobs[0].emailNotifications.onFailure = []),
    `${F}: extractorJobs.0.emailNotifications.onFailure: expected at least 1 address to notify when a run fails, found []`,
  ],
  [
    "a failure address that is not one",
    (v: any) => (v.extractorJobs[0].emailNotifications.onFailure = ["data platform alerts"]),
    `${F}: extractorJobs.0.emailNotifications.onFailure.0: expected an e-mail address, found "data platform alerts"`,
  ],
  [
    "a secret key that is not a variable-name fragment",
    (v: any) => (v.extractorJobs[0].secretKeys = ["Orders-API-Key"]),
    `${F}: extractorJobs.0.secretKeys.0: expected lowercase letters, digits and '_', starting with a letter, found "Orders-API-Key"`,
  ],
  [
    "two jobs whose secrets would share one TF_VAR_ name",
    (v: any) => {
      v.consumers[1].grants.push({ catalog: "mysql_analytics" });
      v.extractorJobs.push({ ...structuredClone(v.extractorJobs[0]), name: "orders", secretKeys: ["extractor_orders_api_client_secret"] });
    },
    `${F}: extractorJobs.1.secretKeys.0: expected a key whose variable TF_VAR_job_orders_extractor_orders_api_client_secret is not also that of extractorJobs.0.secretKeys.0, found "extractor_orders_api_client_secret"`,
  ],
] as [string, (v: any) => void, string][])("%s", (_name, mutate, expected) => {
  expect(problemsAfter("dev", mutate)).toEqual([expected]);
});

test("a literal secret under a consumer field is refused before the schema runs", () => {
  expect(problemsAfter("dev", (v) => (v.consumers[0].clientSecret = "dapi-123"))).toEqual([
    `${F}: consumers.0.clientSecret: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field`,
  ]);
});

test("an unknown field in a consumer entry is named", () => {
  expect(problemsAfter("dev", (v) => (v.consumers[0].warehouse = true))).toEqual([`${F}: consumers.0.warehouse: expected no such field (unknown field), found true`]);
});
