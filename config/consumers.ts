/**
 * The vars blocks of the workspace's consumers (README, "Consumers"): `sqlWarehouse`, `consumers`,
 * `extractorJobs`, `externalCatalogs` and `tokenUsageGroups`, and their cross-field rules. Self-contained:
 * `schema.ts` adds the blocks to the top-level object and calls {@link consumerProblems} from its cross-field
 * rules. Every rule reuses the construct's own definition (constructs/consumers), so vars and constructs
 * cannot disagree.
 */
import { z } from "zod";
import { MAX_CREDENTIAL_LIFETIME_DAYS } from "../constructs/credentials/defaults";
import {
  artifactPathProblem,
  CONSUMER_AUTHENTICATIONS,
  CONSUMER_NAME,
  DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS,
  EXTRACTOR_JOB_LIMITS,
  isTimeZoneId,
  JOB_SECRET_KEY,
  jobSecretVariableName,
  PAUSE_STATUSES,
  quartzCronProblem,
  SQL_WAREHOUSE_AUTO_STOP_MINS,
  SQL_WAREHOUSE_MAX_NUM_CLUSTERS,
  SQL_WAREHOUSE_SIZES,
  volumeSchemaOf,
} from "../constructs/consumers/defaults";
import { CONSUMER_PRIVILEGES, consumerGrantProblems, resolveGrant, type ConsumerGrant, type ResolvedConsumerGrant } from "../constructs/consumers/grants";
import { UC_NAME } from "../constructs/unity-catalog/defaults";

const consumerName = z.string().regex(CONSUMER_NAME, "expected 3-40 lowercase letters, digits or hyphens, starting with a letter");
const ucName = z.string().regex(UC_NAME, "expected a Unity Catalog name: letters, digits, '-' or '_'");
const wholeNumber = (min: number, max: number, unit: string) =>
  z.number().int(`expected a whole number of ${unit}`).min(min, `expected at least ${min} ${unit}`).max(max, `expected at most ${max} ${unit}`);
const allPrivileges = [...new Set(Object.values(CONSUMER_PRIVILEGES).flat())];

/** The SQL warehouse consumers query through (constructs/consumers/warehouse.ts). */
export const sqlWarehouseSchema = z.strictObject({
  /** @default `<namePrefix>-consumers` */
  name: z.string().min(1).max(99, "expected a warehouse name shorter than 100 characters").optional(),
  clusterSize: z.enum(SQL_WAREHOUSE_SIZES),
  /** Idle minutes before it stops: 10 to 1440 (1 to 1440 when serverless); never 0. */
  autoStopMins: wholeNumber(SQL_WAREHOUSE_AUTO_STOP_MINS.serverlessMin, SQL_WAREHOUSE_AUTO_STOP_MINS.max, "minutes").default(10),
  /** Only where the region and account support serverless SQL (Databricks "Use serverless SQL warehouses"). */
  serverless: z.boolean().default(false),
  minNumClusters: wholeNumber(1, SQL_WAREHOUSE_MAX_NUM_CLUSTERS, "clusters").default(1),
  maxNumClusters: wholeNumber(1, SQL_WAREHOUSE_MAX_NUM_CLUSTERS, "clusters").default(1),
  spotInstancePolicy: z.enum(["COST_OPTIMIZED", "RELIABILITY_OPTIMIZED"]).optional(),
});

/** One grant: exactly one of catalog, schema (`catalog.schema`) or table (`catalog.schema.table`). */
const consumerGrantSchema = z.strictObject({
  catalog: z.string().optional(),
  schema: z.string().optional(),
  table: z.string().optional(),
  /** @default read-only: USE_CATALOG/USE_SCHEMA/SELECT as the securable allows */
  privileges: z.array(z.enum(allPrivileges as [string, ...string[]])).min(1, "expected at least 1 privilege (leave the field out for read-only access)").optional(),
});

export const consumerEntrySchema = z.strictObject({
  name: consumerName.refine((n) => n !== "automation", "expected a name other than \"automation\" (the automation principal is <namePrefix>-automation)"),
  comment: z.string().max(256).optional(),
  /** `oauth` (OAuth M2M secret), `pat` (personal access token, for tools that take nothing else) or `none` (jobs only). */
  authentication: z.enum(CONSUMER_AUTHENTICATIONS).default("oauth"),
  /** Lifetime of the credential; it rotates at half of it on a management deploy. */
  lifetimeDays: wholeNumber(1, MAX_CREDENTIAL_LIFETIME_DAYS, "days").default(DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS),
  /** `CAN_USE` on the SQL warehouse. */
  warehouseAccess: z.boolean().default(true),
  grants: z.array(consumerGrantSchema).min(1, "expected at least 1 grant"),
});

export const extractorJobEntrySchema = z.strictObject({
  name: consumerName,
  /** The consumer the job runs as: one of `consumers`. */
  consumer: z.string(),
  pythonWheelTask: z
    .strictObject({
      packageName: z.string().regex(/^[A-Za-z0-9_.-]+$/, "expected a Python distribution name"),
      entryPoint: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an entry-point name"),
      /** Path of the wheel: /Volumes/..., /Workspace/... or s3://... */
      whl: z.string(),
      parameters: z.array(z.string()).optional(),
    })
    .optional(),
  sparkPythonTask: z.strictObject({ pythonFile: z.string(), parameters: z.array(z.string()).optional() }).optional(),
  schedule: z.strictObject({
    quartzCronExpression: z.string(),
    timezoneId: z.string().refine(isTimeZoneId, "expected an IANA time-zone id such as Europe/Berlin or UTC"),
    pauseStatus: z.enum(PAUSE_STATUSES).default("UNPAUSED"),
  }),
  timeoutSeconds: wholeNumber(EXTRACTOR_JOB_LIMITS.minTimeoutSeconds, EXTRACTOR_JOB_LIMITS.maxTimeoutSeconds, "seconds"),
  maxRetries: wholeNumber(0, EXTRACTOR_JOB_LIMITS.maxRetries, "retries").default(0),
  minRetryIntervalMillis: z.number().int("expected a whole number of milliseconds").min(0).default(0),
  retryOnTimeout: z.boolean().default(false),
  emailNotifications: z.strictObject({ onFailure: z.array(z.email({ error: "expected an e-mail address" })).min(1, "expected at least 1 address to notify when a run fails") }),
  minWorkers: z.number().int().min(0).default(1),
  /** @default cluster.maxWorkers (the policy's ceiling) */
  maxWorkers: z.number().int().min(1).optional(),
  /** Keys of the secrets the job reads from its scope; each value comes from TF_VAR_job_<name>_<key> at deploy time. */
  secretKeys: z.array(z.string().regex(JOB_SECRET_KEY, "expected lowercase letters, digits and '_', starting with a letter")).default([]),
});

/** The new top-level blocks, for `schema.ts`'s strict object. */
export const consumerBlocks = {
  /** The SQL warehouse of the consumers; required when a consumer has `warehouseAccess`. */
  sqlWarehouse: sqlWarehouseSchema.optional(),
  /** Systems that read from the workspace (README, "Consumers"). */
  consumers: z.array(consumerEntrySchema).default([]),
  /** Jobs that run as a consumer (README, "Extractor jobs"). */
  extractorJobs: z.array(extractorJobEntrySchema).default([]),
  /** Catalogs that exist outside this configuration and that consumers may be granted on. */
  externalCatalogs: z.array(ucName).default([]),
  /**
   * Account groups that keep `CAN_USE` on personal access tokens when a consumer uses `pat`: the workspace's
   * token permissions become authoritative and revoke the tokens of anyone they leave out.
   */
  tokenUsageGroups: z.array(z.string().min(1)).optional(),
};

type Path = (string | number)[];
export interface ConsumerProblem {
  readonly path: Path;
  readonly message: string;
}

/** What {@link consumerProblems} reads of the parsed vars. */
export interface ConsumerVars {
  readonly cluster: { readonly maxWorkers: number };
  readonly identities: { readonly groups: readonly { readonly name: string }[] };
  readonly unityCatalog: { readonly catalog?: { readonly name: string; readonly schemas?: readonly { readonly name: string; readonly volumes?: readonly string[] }[] } };
  readonly connections: readonly { readonly foreignCatalog?: unknown }[];
  readonly sqlWarehouse?: z.output<typeof sqlWarehouseSchema>;
  readonly consumers: readonly z.output<typeof consumerEntrySchema>[];
  readonly extractorJobs: readonly z.output<typeof extractorJobEntrySchema>[];
  readonly externalCatalogs: readonly string[];
  readonly tokenUsageGroups?: readonly string[];
}

/**
 * The name of the consumers' SQL warehouse (`databricks_sql_endpoint.name` of `management-<env>`):
 * `sqlWarehouse.name`, by default `<namePrefix>-consumers`.
 */
export function sqlWarehouseName(namePrefix: string, warehouse: { readonly name?: string }): string {
  return warehouse.name ?? `${namePrefix}-consumers`;
}

/** Catalogs this configuration creates: the data-lake catalog and the connections' foreign catalogs. */
export function managedCatalogNames(vars: Pick<ConsumerVars, "unityCatalog" | "connections">): string[] {
  const foreign = vars.connections.map((c) => (c.foreignCatalog as { name?: unknown } | undefined)?.name).filter((n): n is string => typeof n === "string");
  return [...(vars.unityCatalog.catalog ? [vars.unityCatalog.catalog.name] : []), ...foreign];
}

/** Cross-field problems of the consumer blocks (paths from the top of the vars file). */
export function consumerProblems(vars: ConsumerVars): ConsumerProblem[] {
  const problems: ConsumerProblem[] = [];
  const problem = (path: Path, message: string) => problems.push({ path, message });

  const managed = managedCatalogNames(vars);
  vars.externalCatalogs.forEach((name, i) => {
    if (vars.externalCatalogs.indexOf(name) !== i) problem(["externalCatalogs", i], "expected each catalog once");
    if (managed.includes(name)) problem(["externalCatalogs", i], "expected a catalog this configuration does not create (it is unityCatalog.catalog or a connection's foreign catalog)");
  });
  const known = new Set([...managed, ...vars.externalCatalogs]);

  const grantsOf = new Map<string, ResolvedConsumerGrant[]>();
  vars.consumers.forEach((c, i) => {
    if (vars.consumers.findIndex((o) => o.name === c.name) !== i) problem(["consumers", i, "name"], "expected a consumer name used once");
    const grantProblems = consumerGrantProblems(c.grants as ConsumerGrant[]);
    grantProblems.forEach((p) => problem(["consumers", i, "grants", ...p.path], p.message));
    const resolved: ResolvedConsumerGrant[] = [];
    c.grants.forEach((g, j) => {
      const r = resolveGrant(g as ConsumerGrant);
      if ("message" in r) return;
      resolved.push(r);
      if (!known.has(r.catalog)) {
        problem(["consumers", i, "grants", j, r.type], `expected a securable in a catalog this configuration knows: unityCatalog.catalog.name, a connection's foreignCatalog.name or one of externalCatalogs (known: ${[...known].join(", ") || "none"})`);
      }
      const createdCatalog = vars.unityCatalog.catalog;
      if (createdCatalog && r.catalog === createdCatalog.name && r.type !== "catalog") {
        const schemaName = r.name.split(".")[1];
        if (!(createdCatalog.schemas ?? []).some((sc) => sc.name === schemaName)) {
          problem(["consumers", i, "grants", j, r.type], `expected a schema of unityCatalog.catalog.schemas (${(createdCatalog.schemas ?? []).map((sc) => sc.name).join(", ") || "none declared"}): nothing else creates schemas in ${createdCatalog.name}, and a grant on a missing schema fails at apply`);
        }
      }
    });
    if (grantProblems.length === 0) grantsOf.set(c.name, resolved);
  });

  const warehouseUsers = vars.consumers.filter((c) => c.warehouseAccess);
  const w = vars.sqlWarehouse;
  if (warehouseUsers.length > 0 && !w) {
    problem(["sqlWarehouse"], `expected warehouse settings: consumers ${warehouseUsers.map((c) => c.name).join(", ")} have warehouseAccess`);
  }
  if (w && !w.serverless && w.autoStopMins < SQL_WAREHOUSE_AUTO_STOP_MINS.min) {
    problem(["sqlWarehouse", "autoStopMins"], `expected at least ${SQL_WAREHOUSE_AUTO_STOP_MINS.min} minutes for a non-serverless warehouse (SQL Warehouses API)`);
  }
  if (w && w.minNumClusters > w.maxNumClusters) problem(["sqlWarehouse", "minNumClusters"], `expected at most sqlWarehouse.maxNumClusters (${w.maxNumClusters})`);

  const patUsers = vars.consumers.filter((c) => c.authentication === "pat");
  const groupNames = new Set(vars.identities.groups.map((g) => g.name));
  if (patUsers.length > 0 && vars.tokenUsageGroups === undefined) {
    problem(
      ["tokenUsageGroups"],
      `expected the account groups that keep personal access tokens (may be []): consumers ${patUsers.map((c) => c.name).join(", ")} use "pat", which makes the workspace's token permissions authoritative and revokes the tokens of everyone not listed`,
    );
  }
  (vars.tokenUsageGroups ?? []).forEach((g, i) => {
    if (!groupNames.has(g)) problem(["tokenUsageGroups", i], `expected an account group of identities.groups (${[...groupNames].join(", ")})`);
  });

  const variables = new Map<string, Path>();
  vars.extractorJobs.forEach((job, i) => {
    const at = (...rest: Path): Path => ["extractorJobs", i, ...rest];
    if (vars.extractorJobs.findIndex((o) => o.name === job.name) !== i) problem(at("name"), "expected a job name used once");
    const consumer = vars.consumers.find((c) => c.name === job.consumer);
    if (!consumer) problem(at("consumer"), `expected the name of one of consumers (${[...new Set(vars.consumers.map((c) => c.name))].join(", ") || "none declared"})`);
    const tasks = (["pythonWheelTask", "sparkPythonTask"] as const).filter((t) => job[t] !== undefined);
    if (tasks.length !== 1) problem(at(), `expected exactly one of pythonWheelTask and sparkPythonTask (${tasks.length === 0 ? "neither is" : "both are"} set)`);
    const artifact = job.pythonWheelTask
      ? { path: at("pythonWheelTask", "whl"), value: job.pythonWheelTask.whl, problem: artifactPathProblem(job.pythonWheelTask.whl, ".whl") }
      : job.sparkPythonTask
        ? { path: at("sparkPythonTask", "pythonFile"), value: job.sparkPythonTask.pythonFile, problem: artifactPathProblem(job.sparkPythonTask.pythonFile, ".py") }
        : undefined;
    if (artifact?.problem) problem(artifact.path, artifact.problem);
    const volumePath = artifact && !artifact.problem ? /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)\//.exec(artifact.value) : null;
    const jobCatalog = vars.unityCatalog.catalog;
    if (volumePath && jobCatalog && volumePath[1] === jobCatalog.name && !(jobCatalog.schemas ?? []).some((sc) => sc.name === volumePath[2] && (sc.volumes ?? []).includes(volumePath[3]))) {
      problem(artifact!.path, `expected a volume of unityCatalog.catalog.schemas (${volumePath[2]}.${volumePath[3]} is not declared): nothing else creates volumes in ${jobCatalog.name}`);
    }
    const cron = quartzCronProblem(job.schedule.quartzCronExpression);
    if (cron) problem(at("schedule", "quartzCronExpression"), cron);
    const maxWorkers = job.maxWorkers ?? vars.cluster.maxWorkers;
    if (job.maxWorkers !== undefined && job.maxWorkers > vars.cluster.maxWorkers) {
      problem(at("maxWorkers"), `expected at most cluster.maxWorkers (${vars.cluster.maxWorkers}): the cluster policy caps autoscale.max_workers`);
    }
    if (job.minWorkers > maxWorkers) problem(at("minWorkers"), `expected at most the job's maxWorkers (${maxWorkers})`);
    job.secretKeys.forEach((key, k) => {
      if (job.secretKeys.indexOf(key) !== k) problem(at("secretKeys", k), "expected each key once");
      const variable = jobSecretVariableName(job.name, key);
      const clash = variables.get(variable);
      if (clash) problem(at("secretKeys", k), `expected a key whose variable TF_VAR_${variable} is not also that of ${clash.join(".")}`);
      else variables.set(variable, at("secretKeys", k));
    });
    // A wheel or file in a volume is read as the run-as principal: it needs READ_VOLUME there.
    const volume = artifact && !artifact.problem ? volumeSchemaOf(artifact.value) : undefined;
    const grants = consumer ? grantsOf.get(consumer.name) : undefined;
    if (volume && grants) {
      const holds = (type: "catalog" | "schema", name: string, privilege: string) =>
        grants.some((g) => g.type === type && g.name === name && (g.privileges.includes(privilege) || g.privileges.includes("ALL_PRIVILEGES")));
      const readable = holds("catalog", volume.catalog, "USE_CATALOG") &&
        (holds("schema", volume.schema, "USE_SCHEMA") || holds("catalog", volume.catalog, "USE_SCHEMA")) &&
        (holds("schema", volume.schema, "READ_VOLUME") || holds("catalog", volume.catalog, "READ_VOLUME"));
      if (!readable) {
        problem(artifact!.path, `expected consumer ${consumer!.name} to hold USE_CATALOG on ${volume.catalog}, USE_SCHEMA and READ_VOLUME on ${volume.schema} (or its catalog): the job reads this file as that principal`);
      }
    }
  });
  return problems;
}
