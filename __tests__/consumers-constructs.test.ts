/**
 * The consumer constructs on their own (Testing.synthScope): what they build from minimal props and the
 * errors they throw, each naming the construct, the field and the value (never a secret's value).
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Cluster } from "@cdktf/provider-databricks/lib/cluster";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  ConsumerPrincipals,
  ConsumerSecretsKey,
  ConsumerSqlWarehouse,
  ExtractorJob,
  WorkspaceConsumers,
  type ExtractorJobProps,
  type WorkspaceConsumersProps,
} from "../constructs/consumers";
import { synthScope } from "./helpers";

/** Synthesized JSON of the constructs `build` adds to a scope with a workspace and an account provider. */
function synth(build: (scope: Construct, providers: { workspace: DatabricksProvider; account: DatabricksProvider }) => void): any {
  return JSON.parse(
    synthScope((scope) => {
      const workspace = new DatabricksProvider(scope, "databricks", { host: "https://dbc-1.cloud.databricks.com" });
      const account = new DatabricksProvider(scope, "account", { alias: "account", host: "https://accounts.cloud.databricks.com", accountId: "acc" });
      build(scope, { workspace, account });
    }),
  );
}

/** The message of the error `build` throws, or "" when it throws none. */
function errorOf(build: (scope: Construct, providers: { workspace: DatabricksProvider; account: DatabricksProvider }) => void): string {
  try {
    synth(build);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const template = (scope: Construct, provider: DatabricksProvider) =>
  new Cluster(scope, "template", { provider, sparkVersion: "15.4.x-scala2.12", nodeTypeId: "m6i.large", autoscale: { minWorkers: 1, maxWorkers: 3 } });

const jobProps = (scope: Construct, provider: DatabricksProvider, over: Partial<ExtractorJobProps> = {}): ExtractorJobProps => ({
  provider,
  namePrefix: "acme",
  name: "orders",
  runAs: "00000000-0000-0000-0000-000000000001",
  policyId: "policy-1",
  template: template(scope, provider),
  sparkPythonTask: { pythonFile: "/Workspace/Shared/orders.py" },
  schedule: { quartzCronExpression: "0 0 3 * * ?", timezoneId: "UTC" },
  timeoutSeconds: 600,
  onFailure: ["ops@acme.example"],
  ...over,
});

const consumersProps = (p: { workspace: DatabricksProvider; account: DatabricksProvider }, over: Partial<WorkspaceConsumersProps> = {}): WorkspaceConsumersProps => ({
  namePrefix: "acme",
  provider: p.workspace,
  accountProvider: p.account,
  host: "https://dbc-1.cloud.databricks.com",
  consumers: [{ name: "reader", applicationId: "app-1", servicePrincipalId: "101", grants: [{ catalog: "main" }] }],
  sqlWarehouse: { name: "acme-consumers", clusterSize: "2X-Small" },
  secretStore: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  ...over,
});

describe("WorkspaceConsumers", () => {
  test("defaults: an OAuth secret rotating at 45 of 90 days, CAN_USE on a PRO warehouse that stops after 10 idle minutes, read-only grant", () => {
    const json = synth((s, p) => new WorkspaceConsumers(s, "consumers", consumersProps(p)));
    const secret = Object.values(json.resource.databricks_service_principal_secret)[0] as any;
    expect(secret).toMatchObject({ provider: "databricks.account", lifetime: `${90 * 86400}s`, service_principal_id: "101" });
    expect(Object.values(json.resource.time_rotating)[0]).toMatchObject({ rotation_hours: 90 * 12 });
    expect(Object.values(json.resource.databricks_sql_endpoint)[0]).toMatchObject({ auto_stop_mins: 10, enable_serverless_compute: false, warehouse_type: "PRO", spot_instance_policy: "COST_OPTIMIZED" });
    expect(Object.values(json.resource.databricks_grant)[0]).toMatchObject({ catalog: "main", principal: "app-1", privileges: ["USE_CATALOG", "USE_SCHEMA", "SELECT"] });
    expect(json.resource.aws_secretsmanager_secret).toBeDefined();
  });

  test("grants on an authoritative catalog are left to its databricks_grants", () => {
    const json = synth((s, p) => new WorkspaceConsumers(s, "consumers", consumersProps(p, { authoritativeCatalogs: ["main"] })));
    expect(json.resource.databricks_grant).toBeUndefined();
  });

  test.each([
    ["an OAuth consumer without the account provider", () => ({ accountProvider: undefined }), /^WorkspaceConsumers consumers: accountProvider: expected the account-level provider: consumer reader gets an OAuth secret$/],
    ["a credential without a secret store", () => ({ secretStore: undefined }), /^WorkspaceConsumers consumers: secretStore: expected a secret store: consumer reader gets a credential$/],
    ["warehouse access without a warehouse", () => ({ sqlWarehouse: undefined }), /^WorkspaceConsumers consumers: sqlWarehouse: expected warehouse settings: reader may use the warehouse$/],
    ["a lifetime beyond 730 days", () => ({ consumers: [{ name: "reader", applicationId: "a", servicePrincipalId: "1", lifetimeDays: 800, grants: [{ catalog: "main" }] }] }), /^WorkspaceConsumers consumers: consumers\.reader\.lifetimeDays: expected a whole number from 1 to 730, found 800$/],
    ["a bad grant", () => ({ consumers: [{ name: "reader", applicationId: "a", servicePrincipalId: "1", grants: [{ table: "main.sales.orders" }] }] }), /^WorkspaceConsumers consumers: consumers\.reader\.grants\[0\]\.table: expected the consumer to also hold USE_CATALOG on catalog main .*, found "main\.sales\.orders"$/],
    ["a repeated consumer", () => ({ consumers: [1, 2].map(() => ({ name: "reader", applicationId: "a", servicePrincipalId: "1", grants: [{ catalog: "main" }] })) }), /^WorkspaceConsumers consumers: consumers\.name: expected each name once, found "reader" twice$/],
    ["a job whose consumer is unknown", () => ({ extractorJobs: [{ name: "orders", consumer: "loader" } as any] }), /^WorkspaceConsumers consumers: extractorJobs\.orders\.consumer: expected one of the consumers \(reader\), found "loader"$/],
    ["a job without a job cluster", () => ({ extractorJobs: [{ name: "orders", consumer: "reader" } as any] }), /^WorkspaceConsumers consumers: jobCluster: expected the cluster policy and template cluster: job orders needs a job cluster$/],
    ["a secret store that deletes at once", () => ({ secretStore: { kmsKeyArn: "k", recoveryWindowDays: 0 } }), /^WorkspaceConsumers consumers: secretStore\.recoveryWindowDays: expected a whole number from 7 to 30, found 0$/],
  ] as [string, (p: any) => Partial<WorkspaceConsumersProps>, RegExp][])("throws for %s", (_name, over, expected) => {
    expect(errorOf((s, p) => new WorkspaceConsumers(s, "consumers", consumersProps(p, over(p))))).toMatch(expected);
  });
});

describe("ExtractorJob", () => {
  test("a literal secret value is refused and never echoed", () => {
    const message = errorOf((s, p) => new ExtractorJob(s, "job", jobProps(s, p.workspace, { secrets: { api_key: "s3cr3t-value-42" } })));
    expect(message).toBe("ExtractorJob job: secrets.api_key: expected a Terraform reference (a sensitive variable), found a literal value");
    expect(message).not.toContain("s3cr3t-value-42");
  });

  test("a secret from a sensitive variable becomes a databricks_secret in the job's scope", () => {
    const json = synth((s, p) => {
      const v = new TerraformVariable(s as TerraformStack, "api_key", { type: "string", sensitive: true });
      new ExtractorJob(s, "job", jobProps(s, p.workspace, { secrets: { api_key: v.stringValue } }));
    });
    expect(Object.values(json.resource.databricks_secret)[0]).toMatchObject({ key: "api_key", string_value: "${var.api_key}" });
    expect(Object.values(json.resource.databricks_secret_acl)[0]).toMatchObject({ principal: "00000000-0000-0000-0000-000000000001", permission: "READ" });
    const job = Object.values(json.resource.databricks_job)[0] as any;
    expect(job.job_cluster[0].new_cluster.autoscale).toEqual({ min_workers: 1, max_workers: 3 });
  });

  test.each([
    ["no task", { sparkPythonTask: undefined }, /^ExtractorJob job: pythonWheelTask\/sparkPythonTask: expected exactly one, found 0$/],
    ["a file on DBFS", { sparkPythonTask: { pythonFile: "dbfs:/x.py" } }, /^ExtractorJob job: sparkPythonTask\.pythonFile: expected a Unity Catalog volume, workspace or S3 path, not DBFS .*, found "dbfs:\/x\.py"$/],
    ["a Unix cron expression", { schedule: { quartzCronExpression: "0 3 * * *", timezoneId: "UTC" } }, /^ExtractorJob job: schedule\.quartzCronExpression: expected a Quartz cron expression of 6 or 7 fields .*, found "0 3 \* \* \*"$/],
    ["an unknown time zone", { schedule: { quartzCronExpression: "0 0 3 * * ?", timezoneId: "Mars/Olympus" } }, /^ExtractorJob job: schedule\.timezoneId: expected an IANA time-zone id .*, found "Mars\/Olympus"$/],
    ["no timeout", { timeoutSeconds: 0 }, /^ExtractorJob job: timeoutSeconds: expected a whole number of seconds from 60 to 604800, found 0$/],
    ["retrying forever", { maxRetries: -1 }, /^ExtractorJob job: maxRetries: expected a whole number from 0 to 10, found -1$/],
    ["no failure address", { onFailure: [] }, /^ExtractorJob job: onFailure: expected at least 1 address to notify when a run fails$/],
    ["fewer max than min workers", { minWorkers: 4, maxWorkers: 2 }, /^ExtractorJob job: maxWorkers: expected a whole number >= max\(1, minWorkers = 4\), found 2$/],
    ["a bad secret key", { secrets: { "API-KEY": "x" } }, /^ExtractorJob job: secrets\.API-KEY: expected a key of lowercase letters/],
  ] as [string, Partial<ExtractorJobProps>, RegExp][])("throws for %s", (_name, over, expected) => {
    expect(errorOf((s, p) => new ExtractorJob(s, "job", jobProps(s, p.workspace, over)))).toMatch(expected);
  });
});

describe("ConsumerSqlWarehouse, ConsumerPrincipals, ConsumerSecretsKey", () => {
  test.each([
    ["auto stop below 10 minutes on a PRO warehouse", { autoStopMins: 5 }, /^ConsumerSqlWarehouse w: autoStopMins: expected a whole number of minutes from 10 to 1440 \(10 is the minimum of a non-serverless warehouse\), found 5$/],
    ["auto stop 0 (never) even when serverless", { autoStopMins: 0, serverless: true }, /^ConsumerSqlWarehouse w: autoStopMins: expected a whole number of minutes from 1 to 1440, found 0$/],
    ["more than 30 clusters", { maxNumClusters: 31 }, /^ConsumerSqlWarehouse w: maxNumClusters: expected a whole number from 1 to 30, found 31$/],
    ["an unknown size", { clusterSize: "Huge" as any }, /^ConsumerSqlWarehouse w: clusterSize: expected one of 2X-Small, .*, found "Huge"$/],
  ] as [string, object, RegExp][])("the warehouse throws for %s", (_name, over, expected) => {
    expect(errorOf((s, p) => new ConsumerSqlWarehouse(s, "w", { provider: p.workspace, users: [], name: "w", clusterSize: "Small", ...over }))).toMatch(expected);
  });

  test("a serverless warehouse may stop after 1 idle minute and has no spot policy", () => {
    const json = synth((s, p) => new ConsumerSqlWarehouse(s, "w", { provider: p.workspace, users: ["app-1"], name: "w", clusterSize: "Small", serverless: true, autoStopMins: 1 }));
    const endpoint = Object.values(json.resource.databricks_sql_endpoint)[0] as any;
    expect(endpoint).toMatchObject({ enable_serverless_compute: true, warehouse_type: "PRO", auto_stop_mins: 1 });
    expect(endpoint.spot_instance_policy).toBeUndefined();
  });

  test("principals: a repeated or malformed consumer name is refused", () => {
    const props = (names: string[]) => (s: Construct, p: { account: DatabricksProvider }) =>
      new ConsumerPrincipals(s, "consumers", { namePrefix: "acme", accountProvider: p.account, databricksAccountId: "acc", workspaceId: 1, consumers: names.map((name) => ({ name })) });
    expect(errorOf(props(["reader", "reader"]))).toBe('ConsumerPrincipals consumers: consumers.name: expected each name once, found "reader" twice');
    expect(errorOf(props(["Reader"]))).toBe('ConsumerPrincipals consumers: consumers.name: expected 3-40 lowercase letters, digits or hyphens starting with a letter, found "Reader"');
  });

  test("the secrets key refuses a deletion window outside 7-30 days", () => {
    expect(errorOf((s) => new ConsumerSecretsKey(s, "key", { namePrefix: "acme", region: "us-east-1", awsAccountId: "111122223333", deletionWindowDays: 3 }))).toBe(
      "ConsumerSecretsKey key: deletionWindowDays: expected a whole number from 7 to 30, found 3",
    );
  });
});
