/**
 * Consumers, their SQL warehouse and extractor jobs, asserted on the synthesized JSON: which resources exist
 * with which properties, in which order, and what must never be there (a credential in provisioning, a
 * secret value or credential attribute in an output, a provider configured from its own stack, a principal's
 * databricks_grant beside an authoritative databricks_grants on the same securable).
 */
import { App, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { loadEnvironments } from "../config/load";
import { DBX021 } from "../constructs/security";
import { READ_ONLY_PRIVILEGES, jobSecretVariableName } from "../constructs/consumers";
import { addEnvironmentStacks } from "../stacks/app";
import { ManagementStack } from "../stacks/management-stack";
import { byPath, readVars, ref, resourceList, resources, synthEnvs, tempVarsDir, VARS_DIR, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

const stacks = synthEnvs();
const envs = ["dev", "prod"] as const;

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-provisioning-(?:dev|prod|[a-z0-9-]+)\.outputs\.([^}]+)\}$/;
/** The provisioning expression a management remote-state reference stands for. */
function fromProvisioning(prov: TfJson, reference: unknown): string {
  const m = REMOTE_OUTPUT.exec(String(reference));
  if (!m) throw new Error(`not a provisioning output reference: ${String(reference)}`);
  expect(prov.output![m[1]].sensitive).toBe(true);
  return String(prov.output![m[1]].value);
}

/** Construct path of a synthesized resource. */
const pathOf = (r: Record<string, unknown>) => String((r["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path);
/** The dev variant whose vars are changed by `mutate`. */
function devWith(mutate: (vars: any) => void): Record<string, TfJson> {
  const vars = readVars("dev");
  mutate(vars);
  return synthEnvs(["dev"], {}, tempVarsDir({ "dev.json": vars }));
}

describe.each(envs)("provisioning-%s: consumer principals and their key", (env) => {
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const jobConsumers = new Set(vars.extractorJobs.map((j: any) => j.consumer));

  test("vars declare one warehouse reader and one extractor job", () => {
    expect(vars.consumers.filter((c: any) => c.warehouseAccess !== false && c.authentication !== "none")).toHaveLength(1);
    expect(vars.extractorJobs).toHaveLength(1);
  });

  test("one account-level service principal per consumer, assigned to the workspace as USER after the metastore", () => {
    const metastoreAssignment = `databricks_metastore_assignment.${Object.keys(resources(prov, "databricks_metastore_assignment"))[0]}`;
    for (const c of vars.consumers) {
      expect(byPath(prov, "databricks_service_principal", `consumers/consumer-${c.name}`)).toMatchObject({ provider: "databricks.account", display_name: `${vars.namePrefix}-${c.name}` });
      expect(byPath(prov, "databricks_mws_permission_assignment", `consumers/consumer-${c.name}-assignment`)).toEqual(expect.objectContaining({
        provider: "databricks.account",
        permissions: ["USER"],
        principal_id: ref(prov, "databricks_service_principal", `consumers/consumer-${c.name}`),
        workspace_id: ref(prov, "databricks_mws_workspaces", "workspace/workspace", "workspace_id"),
        depends_on: [metastoreAssignment],
      }));
    }
  });

  test("the automation principal may run jobs as a job's consumer, and only as those", () => {
    const ruleSets = resourceList(prov, "databricks_access_control_rule_set");
    expect(ruleSets).toHaveLength(jobConsumers.size);
    for (const name of jobConsumers) {
      expect(byPath(prov, "databricks_access_control_rule_set", `consumers/consumer-${name}-rule-set`)).toMatchObject({
        provider: "databricks.account",
        name: `accounts/${vars.databricks.accountId}/servicePrincipals/${ref(prov, "databricks_service_principal", `consumers/consumer-${name}`, "application_id")}/ruleSets/default`,
        grant_rules: [{ role: "roles/servicePrincipal.user", principals: [ref(prov, "databricks_service_principal", "credentials/automation", "acl_principal_id")] }],
      });
    }
  });

  test("no consumer credential is created in provisioning (no PAT, no consumer secret)", () => {
    expect(resourceList(prov, "databricks_token")).toEqual([]);
    expect(resourceList(prov, "databricks_obo_token")).toEqual([]);
    expect(resourceList(prov, "databricks_service_principal_secret").map(pathOf)).toEqual([`provisioning-${env}/credentials/secret`]);
    expect(resourceList(prov, "aws_secretsmanager_secret")).toEqual([]);
  });

  test("the secrets key rotates, keeps the account-root administration statement and is used only through Secrets Manager", () => {
    const key = byPath(prov, "aws_kms_key", "consumer-secrets-key/key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: vars.encryption.kmsKeyDeletionWindowDays });
    expect(byPath(prov, "aws_kms_alias", "consumer-secrets-key/alias").name).toBe(`alias/${vars.namePrefix}-consumer-secrets`);
    const policyId = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(key.policy))![1];
    const statements = prov.data!.aws_iam_policy_document[policyId].statement as any[];
    const admin = statements.find((s) => s.sid === "EnableIamUserPermissions");
    expect(admin.actions).toEqual(["kms:*"]);
    expect(admin.principals[0].identifiers).toEqual([`arn:aws:iam::${vars.aws.accountId}:root`, ...(vars.encryption.kmsKeyAdminArns ?? [])]);
    expect(statements.find((s) => s.sid === "CryptoOnlyThroughSecretsManager")).toMatchObject({
      effect: "Deny",
      actions: expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]),
      condition: [{ test: "StringNotEquals", variable: "kms:ViaService", values: [`secretsmanager.${vars.region}.amazonaws.com`] }],
    });
  });
});

describe.each(envs)("management-%s: consumers", (env) => {
  const mgmt = stacks[`management-${env}`];
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const reader = vars.consumers.find((c: any) => c.authentication === "oauth");
  const appId = (name: string) => ref(prov, "databricks_service_principal", `consumers/consumer-${name}`, "application_id");
  const isConsumer = (reference: unknown, name: string) => REMOTE_OUTPUT.test(String(reference)) && fromProvisioning(prov, reference) === appId(name);
  const managedCatalogs = [vars.unityCatalog.catalog?.name, ...vars.connections.map((c: any) => c.foreignCatalog?.name)].filter(Boolean);

  test("exactly the grants listed: catalogs this stack creates in their databricks_grants, everything else as databricks_grant", () => {
    for (const c of vars.consumers) {
      for (const g of c.grants) {
        const type = ["catalog", "schema", "table"].find((t) => g[t] !== undefined)!;
        const privileges = g.privileges ?? [...(READ_ONLY_PRIVILEGES as any)[type]];
        if (type === "catalog" && managedCatalogs.includes(g.catalog)) {
          const onCatalog = resourceList(mgmt, "databricks_grants").filter((r) => r.catalog !== undefined && pathOf(r).match(/catalog-grants$/));
          const blocks = onCatalog.flatMap((r) => (r.grant as any[]).filter((b) => isConsumer(b.principal, c.name)).map((b) => ({ ...b, resource: r })));
          expect(blocks).toHaveLength(1);
          expect(blocks[0].privileges).toEqual(privileges);
        } else {
          const grant = byPath(mgmt, "databricks_grant", `consumers/${c.name}-grant-${type}-${g[type].replace(/\./g, "-")}`);
          expect(grant).toMatchObject({ provider: "databricks", [type]: g[type], privileges });
          expect(isConsumer(grant.principal, c.name)).toBe(true);
        }
      }
      const own = resourceList(mgmt, "databricks_grant").filter((r) => pathOf(r).includes(`/consumers/${c.name}-grant-`));
      expect(own.length).toBe(c.grants.filter((g: any) => !(g.catalog && managedCatalogs.includes(g.catalog))).length);
    }
  });

  test("never a databricks_grant beside a databricks_grants on the same securable (they would overwrite each other)", () => {
    const authoritative = new Set<string>();
    for (const r of resourceList(mgmt, "databricks_grants")) {
      const catalog = String(r.catalog ?? "");
      // Managed catalogs are referenced by resource; resolve to the catalog's configured name.
      const m = /^\$\{databricks_catalog\.([^.]+)\.name\}$/.exec(catalog);
      if (m) authoritative.add(`catalog:${String(resources(mgmt, "databricks_catalog")[m[1]].name)}`);
    }
    expect(authoritative.size).toBeGreaterThan(0);
    for (const g of resourceList(mgmt, "databricks_grant")) {
      for (const type of ["catalog", "schema", "table"]) if (g[type] !== undefined) expect(authoritative.has(`${type}:${String(g[type])}`)).toBe(false);
    }
  });

  test("consumer grants wait for the catalogs and the automation principal's metastore privileges", () => {
    const metastoreGrant = ref(mgmt, "databricks_grant", "unity-catalog/automation-metastore-privileges").replace(/^\$\{|\.id\}$/g, "");
    const catalog = ref(mgmt, "databricks_catalog", "unity-catalog/catalog").replace(/^\$\{|\.id\}$/g, "");
    for (const g of resourceList(mgmt, "databricks_grant").filter((r) => pathOf(r).includes("/consumers/"))) {
      expect(g.depends_on).toEqual(expect.arrayContaining([metastoreGrant, catalog]));
    }
  });

  test("the SQL warehouse: size, auto stop, serverless switch and PRO type from vars; CAN_USE for exactly the consumers with warehouse access", () => {
    const w = vars.sqlWarehouse;
    const endpoint = byPath(mgmt, "databricks_sql_endpoint", "consumers/sql-warehouse/warehouse");
    expect(endpoint).toMatchObject({
      provider: "databricks",
      name: w.name ?? `${vars.namePrefix}-consumers`,
      cluster_size: w.clusterSize,
      auto_stop_mins: w.autoStopMins,
      enable_serverless_compute: w.serverless,
      warehouse_type: "PRO",
      min_num_clusters: w.minNumClusters ?? 1,
      max_num_clusters: w.maxNumClusters ?? 1,
    });
    expect(endpoint.auto_stop_mins).toBeGreaterThan(0);
    const permissions = byPath(mgmt, "databricks_permissions", "consumers/sql-warehouse/permissions");
    expect(permissions.sql_endpoint_id).toBe(ref(mgmt, "databricks_sql_endpoint", "consumers/sql-warehouse/warehouse"));
    const users = vars.consumers.filter((c: any) => c.warehouseAccess !== false);
    expect((permissions.access_control as any[]).map((a) => a.permission_level)).toEqual(users.map(() => "CAN_USE"));
    (permissions.access_control as any[]).forEach((a, i) => expect(isConsumer(a.service_principal_name, users[i].name)).toBe(true));
  });

  test("the reader's OAuth secret: account-level provider, lifetime from vars, recreated by a rotation at half of it, new before old", () => {
    const days = reader.lifetimeDays ?? 90;
    expect(byPath(mgmt, "time_rotating", `consumers/${reader.name}-rotation`)).toEqual(expect.objectContaining({ rotation_hours: days * 12 }));
    const secret = byPath(mgmt, "databricks_service_principal_secret", `consumers/${reader.name}-oauth-secret`);
    expect(secret).toMatchObject({
      provider: "databricks.account",
      lifetime: `${days * 86400}s`,
      time_rotating: ref(mgmt, "time_rotating", `consumers/${reader.name}-rotation`, "rfc3339"),
      lifecycle: { create_before_destroy: true },
    });
    expect(fromProvisioning(prov, secret.service_principal_id)).toBe(ref(prov, "databricks_service_principal", `consumers/consumer-${reader.name}`));
  });

  test("the credential goes to Secrets Manager, encrypted with the consumer-secrets CMK, as an expression only", () => {
    const secret = byPath(mgmt, "aws_secretsmanager_secret", `consumers/${reader.name}-secret`);
    expect(secret).toMatchObject({ name: `${vars.namePrefix}/consumers/${reader.name}`, recovery_window_in_days: 30 });
    expect(fromProvisioning(prov, secret.kms_key_id)).toBe(ref(prov, "aws_kms_key", "consumer-secrets-key/key", "arn"));
    const version = byPath(mgmt, "aws_secretsmanager_secret_version", `consumers/${reader.name}-secret-value`);
    expect(version.secret_id).toBe(ref(mgmt, "aws_secretsmanager_secret", `consumers/${reader.name}-secret`));
    const value = String(version.secret_string);
    expect(value).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
    expect(value).toContain(`"client_secret" = ${ref(mgmt, "databricks_service_principal_secret", `consumers/${reader.name}-oauth-secret`, "secret").replace(/^\$\{|\}$/g, "")}`);
    expect(value).toMatch(/"client_id" = data\.terraform_remote_state\./);
  });

  test("one output per consumer with its non-secret connection settings and the secret's ARN; no credential attribute in any output", () => {
    const output = mgmt.output![`consumer_${reader.name.replace(/-/g, "_")}`];
    const first = reader.grants[0];
    expect(output.value).toEqual({
      authentication: "oauth",
      host: ref(mgmt, "databricks_sql_endpoint", "consumers/sql-warehouse/warehouse", "odbc_params[0].hostname"),
      http_path: ref(mgmt, "databricks_sql_endpoint", "consumers/sql-warehouse/warehouse", "odbc_params[0].path"),
      warehouse_id: ref(mgmt, "databricks_sql_endpoint", "consumers/sql-warehouse/warehouse"),
      catalog: first.catalog,
      schema: reader.grants.find((g: any) => g.schema)?.schema.split(".")[1],
      secret_arn: ref(mgmt, "aws_secretsmanager_secret", `consumers/${reader.name}-secret`, "arn"),
    });
    const outputs = JSON.stringify(mgmt.output);
    for (const forbidden of ["databricks_service_principal_secret.", "databricks_obo_token.", "secret_string", "token_value", "var.", "terraform_remote_state"]) expect(outputs).not.toContain(forbidden);
  });

  test("providers: the account provider and the AWS provider take literals only, like provisioning's", () => {
    const account = mgmt.provider!.databricks.find((p) => p.alias === "account");
    expect(account).toEqual(prov.provider!.databricks.find((p) => p.alias === "account"));
    expect(Object.keys(account!).sort()).toEqual(["account_id", "alias", "auth_type", "host"]);
    expect(JSON.stringify(account)).not.toContain("${");
    const aws = mgmt.provider!.aws[0] as any;
    expect(aws).toMatchObject({ region: vars.region, allowed_account_ids: [vars.aws.accountId] });
    expect(aws.default_tags[0].tags).toMatchObject({ ...vars.tags, ManagedBy: "databricks-aws-cdktf", Stack: `management-${env}` });
    // Only the consumers' OAuth secrets use the account provider here.
    const onAccount = Object.values(mgmt.resource!).flatMap((byName) => Object.values(byName)).filter((r) => r.provider === "databricks.account");
    expect(onAccount.map(pathOf)).toEqual(vars.consumers.filter((c: any) => (c.authentication ?? "oauth") === "oauth").map((c: any) => `management-${env}/consumers/${c.name}-oauth-secret`));
  });

  test("the extractor job: wheel task on a SINGLE_USER job cluster under the project's policy, run as its consumer, schedule, retries, timeout, failure e-mail", () => {
    const j = vars.extractorJobs[0];
    const job = byPath(mgmt, "databricks_job", `consumers/job-${j.name}/job`) as any;
    expect(isConsumer(job.run_as.service_principal_name, j.consumer)).toBe(true);
    expect(job).toMatchObject({
      provider: "databricks",
      name: `${vars.namePrefix}-${j.name}`,
      max_concurrent_runs: 1,
      schedule: { quartz_cron_expression: j.schedule.quartzCronExpression, timezone_id: j.schedule.timezoneId, pause_status: j.schedule.pauseStatus ?? "UNPAUSED" },
      email_notifications: { on_failure: j.emailNotifications.onFailure },
    });
    const cluster = job.job_cluster[0];
    expect(cluster.new_cluster).toMatchObject({
      policy_id: ref(mgmt, "databricks_cluster_policy", "workspace-config/cluster-policy"),
      apply_policy_default_values: true,
      data_security_mode: "SINGLE_USER",
      spark_version: vars.cluster.sparkVersion,
      node_type_id: vars.cluster.nodeTypeId,
      autoscale: { min_workers: j.minWorkers ?? 1, max_workers: j.maxWorkers ?? vars.cluster.maxWorkers },
      aws_attributes: { instance_profile_arn: ref(mgmt, "databricks_instance_profile", "workspace-config/instance-profile") },
      cluster_log_conf: { s3: { enable_encryption: true, encryption_type: "sse-kms" } },
    });
    expect(cluster.new_cluster.single_user_name).toBe(job.run_as.service_principal_name);
    expect(cluster.new_cluster.autotermination_minutes).toBeUndefined();
    expect(job.task).toEqual([expect.objectContaining({
      job_cluster_key: cluster.job_cluster_key,
      python_wheel_task: { package_name: j.pythonWheelTask.packageName, entry_point: j.pythonWheelTask.entryPoint, parameters: j.pythonWheelTask.parameters },
      library: [{ whl: j.pythonWheelTask.whl }],
      max_retries: j.maxRetries,
      min_retry_interval_millis: j.minRetryIntervalMillis,
      retry_on_timeout: j.retryOnTimeout ?? false,
      timeout_seconds: j.timeoutSeconds,
    })]);
  });

  test("the job's secret scope: the run-as principal may READ, secrets come from sensitive variables, the job waits for them and for its grants", () => {
    const j = vars.extractorJobs[0];
    const job = byPath(mgmt, "databricks_job", `consumers/job-${j.name}/job`) as any;
    expect(byPath(mgmt, "databricks_secret_scope", `consumers/job-${j.name}/secret-scope`).name).toBe(`${vars.namePrefix}-${j.name}`);
    const acls = resourceList(mgmt, "databricks_secret_acl").filter((a) => a.scope === ref(mgmt, "databricks_secret_scope", `consumers/job-${j.name}/secret-scope`, "name"));
    expect(acls).toHaveLength(1);
    expect(acls[0].permission).toBe("READ");
    expect(isConsumer(acls[0].principal, j.consumer)).toBe(true);
    expect(j.secretKeys.length).toBeGreaterThan(0);
    for (const key of j.secretKeys) {
      const variable = jobSecretVariableName(j.name, key);
      expect(mgmt.variable![variable]).toMatchObject({ type: "string", sensitive: true, nullable: false });
      expect(mgmt.variable![variable].default).toBeUndefined();
      const secret = byPath(mgmt, "databricks_secret", `consumers/job-${j.name}/secret-${key}`);
      expect(secret).toMatchObject({ key, string_value: `\${var.${variable}}` });
      expect(job.depends_on).toContain(ref(mgmt, "databricks_secret", `consumers/job-${j.name}/secret-${key}`).replace(/^\$\{|\.id\}$/g, ""));
    }
    const ownGrants = resourceList(mgmt, "databricks_grant").filter((r) => pathOf(r).includes(`/consumers/${j.consumer}-grant-`));
    expect(ownGrants.length).toBeGreaterThan(0);
    for (const g of Object.entries(resources(mgmt, "databricks_grant")).filter(([, r]) => ownGrants.includes(r))) expect(job.depends_on).toContain(`databricks_grant.${g[0]}`);
  });

  test("the job's consumer may use the cluster policy, beside the engineers group, in the policy's one permissions resource", () => {
    const j = vars.extractorJobs[0];
    const policyPermissions = resourceList(mgmt, "databricks_permissions").filter((p) => p.cluster_policy_id !== undefined);
    expect(policyPermissions).toHaveLength(1);
    const entries = policyPermissions[0].access_control as any[];
    expect(entries[0]).toEqual({ group_name: vars.identities.dataEngineersGroup, permission_level: "CAN_USE" });
    expect(entries).toHaveLength(2);
    expect(entries[1].permission_level).toBe("CAN_USE");
    expect(isConsumer(entries[1].service_principal_name, j.consumer)).toBe(true);
  });

  test("no provider of either stack is configured from a resource of its own stack (DBX021), and the rule would see one", () => {
    // After synth (which runs the rule as an Aspect and throws on an error), cross-stack references are
    // remote-state reads; the rule is then asked directly about every provider.
    const app = new App({ outdir: tempDir("consumers-dbx021-") });
    addEnvironmentStacks(app, loadEnvironments(VARS_DIR, [env]));
    expect(() => app.synth()).not.toThrow();
    const providers = app.node.findAll().filter((c) => c instanceof DatabricksProvider || c.constructor.name === "AwsProvider" || c.constructor.name === "TimeProvider");
    expect(providers.length).toBeGreaterThanOrEqual(6);
    for (const p of providers) expect(DBX021.check(p)).toEqual([]);
    // Control: a provider signed in with a consumer's own OAuth secret would be configured from this stack.
    const management = app.node.findAll().find((c): c is ManagementStack => c instanceof ManagementStack)!;
    const secret = management.node.findAll().find((c) => c.node.path.endsWith(`consumers/${reader.name}-oauth-secret`)) as any;
    const asConsumer = new DatabricksProvider(management, "as-consumer", { alias: "as-consumer", host: "https://dbc-1.cloud.databricks.com", clientSecret: secret.secret });
    expect(DBX021.check(asConsumer).join("\n")).toMatch(/databricks_service_principal_secret\./);
    expect(TerraformStack.of(asConsumer)).toBe(management);
  });
});

describe("variants", () => {
  test("a PAT consumer: an on-behalf-of token in management through the workspace provider, rotating, after the token permissions", () => {
    const s = devWith((v) => {
      v.consumers[0].authentication = "pat";
      v.consumers[0].lifetimeDays = 30;
      v.tokenUsageGroups = [v.identities.dataEngineersGroup];
    });
    const mgmt = s["management-dev"];
    const prov = s["provisioning-dev"];
    const name = readVars("dev").consumers[0].name;
    const token = byPath(mgmt, "databricks_obo_token", `consumers/${name}-pat`) as any;
    const rotation = ref(mgmt, "time_rotating", `consumers/${name}-rotation`).replace(/^\$\{(.*)\.id\}$/, "$1");
    expect(token).toMatchObject({ provider: "databricks", lifetime_seconds: 30 * 86400, lifecycle: { create_before_destroy: true, replace_triggered_by: [rotation] } });
    expect(JSON.stringify(token.lifecycle)).not.toContain("${");
    const permissions = byPath(mgmt, "databricks_permissions", "consumers/token-permissions") as any;
    expect(token.depends_on).toEqual([ref(mgmt, "databricks_permissions", "consumers/token-permissions").replace(/^\$\{|\.id\}$/g, "")]);
    expect(permissions.authorization).toBe("tokens");
    expect(permissions.access_control[0]).toEqual({ group_name: readVars("dev").identities.dataEngineersGroup, permission_level: "CAN_USE" });
    expect(permissions.access_control[1].permission_level).toBe("CAN_USE");
    expect(String(byPath(mgmt, "aws_secretsmanager_secret_version", `consumers/${name}-secret-value`).secret_string)).toContain(`"token" = ${ref(mgmt, "databricks_obo_token", `consumers/${name}-pat`, "token_value").replace(/^\$\{|\}$/g, "")}`);
    // No OAuth consumer left: no account provider in management; never a PAT in provisioning.
    expect(mgmt.provider!.databricks.map((p) => p.alias)).not.toContain("account");
    expect(resourceList(mgmt, "databricks_service_principal_secret")).toEqual([]);
    expect(resourceList(prov, "databricks_obo_token")).toEqual([]);
    expect(resourceList(prov, "databricks_token")).toEqual([]);
  });

  test("no consumers: nothing of theirs in either stack, and management needs no AWS, time or account provider", () => {
    const s = devWith((v) => {
      v.consumers = [];
      v.extractorJobs = [];
      delete v.sqlWarehouse;
    });
    const mgmt = s["management-dev"];
    const prov = s["provisioning-dev"];
    expect(Object.keys(mgmt.provider!).sort()).toEqual(["databricks"]);
    expect(mgmt.provider!.databricks.map((p) => p.alias).sort()).toEqual(["metastore-admin", undefined]);
    for (const type of ["databricks_sql_endpoint", "databricks_job", "databricks_grant", "aws_secretsmanager_secret"]) {
      expect(resourceList(mgmt, type).filter((r) => pathOf(r).includes("/consumers/"))).toEqual([]);
    }
    expect(resourceList(prov, "aws_kms_key").map(pathOf).filter((p) => p.includes("consumer"))).toEqual([]);
    expect(resourceList(prov, "databricks_service_principal").map(pathOf).filter((p) => p.includes("/consumers/"))).toEqual([]);
    expect(Object.keys(mgmt.output ?? {}).filter((o) => o.startsWith("consumer_") || o.startsWith("extractor_job_"))).toEqual([]);
  });

  test("grants on an external catalog and on a table are databricks_grant resources with the listed privileges", () => {
    const mgmt = devWith((v) => {
      v.externalCatalogs = ["shared_reference"];
      v.consumers[0].grants = [
        { catalog: "shared_reference", privileges: ["USE_CATALOG", "USE_SCHEMA"] },
        { table: "shared_reference.geo.countries" },
      ];
    })["management-dev"];
    const name = readVars("dev").consumers[0].name;
    expect(byPath(mgmt, "databricks_grant", `consumers/${name}-grant-catalog-shared_reference`)).toMatchObject({ catalog: "shared_reference", privileges: ["USE_CATALOG", "USE_SCHEMA"] });
    expect(byPath(mgmt, "databricks_grant", `consumers/${name}-grant-table-shared_reference-geo-countries`)).toMatchObject({ table: "shared_reference.geo.countries", privileges: ["SELECT"] });
    expect(mgmt.output![`consumer_${name.replace(/-/g, "_")}`].value).toMatchObject({ catalog: "shared_reference", schema: "geo" });
  });

  test("a Python-file job and a classic (non-serverless) warehouse", () => {
    const mgmt = devWith((v) => {
      const j = v.extractorJobs[0];
      delete j.pythonWheelTask;
      j.sparkPythonTask = { pythonFile: "/Workspace/Shared/extractors/orders.py", parameters: ["--full"] };
      v.sqlWarehouse = { clusterSize: "Small", autoStopMins: 20, serverless: false, spotInstancePolicy: "RELIABILITY_OPTIMIZED" };
    })["management-dev"];
    const job = resourceList(mgmt, "databricks_job")[0] as any;
    expect(job.task[0].spark_python_task).toEqual({ python_file: "/Workspace/Shared/extractors/orders.py", parameters: ["--full"] });
    expect(job.task[0].library).toBeUndefined();
    expect(job.task[0].python_wheel_task).toBeUndefined();
    expect(resourceList(mgmt, "databricks_sql_endpoint")[0]).toMatchObject({ enable_serverless_compute: false, warehouse_type: "PRO", auto_stop_mins: 20, spot_instance_policy: "RELIABILITY_OPTIMIZED" });
  });
});
