/**
 * Extractor jobs: a Python wheel or a Python file run on a job cluster governed by the project's cluster
 * policy, as its consumer's service principal, reading its credentials from a secret scope of its own.
 *
 * Field facts:
 * - provider `docs/resources/job.md`: `python_wheel_task` (`package_name`, `entry_point`, `parameters`) with
 *   a task `library { whl = ... }`; `spark_python_task` (`python_file`: workspace paths, cloud URIs);
 *   `job_cluster.new_cluster` takes the cluster arguments except `autotermination_minutes`; `run_as
 *   { service_principal_name = <application id> }` needs the `servicePrincipal/user` role; `schedule`
 *   (`quartz_cron_expression`, `timezone_id`, `pause_status`); task `max_retries` (-1 retries forever, refused
 *   here), `min_retry_interval_millis`, `retry_on_timeout`, `timeout_seconds` (0 or unset: no timeout,
 *   refused here); `email_notifications.on_failure`.
 * - Databricks "Access modes": a run-as service principal on a `SINGLE_USER` cluster is that cluster's single
 *   user (`single_user_name` = application id), a Unity Catalog access mode the project's policy allows.
 * - provider `docs/resources/secret_scope.md`, `secret_acl.md` (principal: a service principal's application
 *   id; `READ` lets it read secrets and nothing else), `secret.md`; Databricks Secrets API: scope and key
 *   names are letters, digits, `-`, `_` and `.`, at most 128 characters.
 * - Cron expressions, time zones and artifact paths: the rules and their sources are in `defaults.ts`.
 */
import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import type { Cluster } from "@cdktf/provider-databricks/lib/cluster";
import { Job, type JobJobClusterNewCluster, type JobTask } from "@cdktf/provider-databricks/lib/job";
import { Secret } from "@cdktf/provider-databricks/lib/secret";
import { SecretAcl } from "@cdktf/provider-databricks/lib/secret-acl";
import { SecretScope } from "@cdktf/provider-databricks/lib/secret-scope";
import { artifactPathProblem, CONSUMER_NAME, EXTRACTOR_JOB_LIMITS, isTimeZoneId, JOB_SECRET_KEY, type PAUSE_STATUSES, quartzCronProblem } from "./defaults";

export { artifactPathProblem, EXTRACTOR_JOB_LIMITS, isTimeZoneId, JOB_SECRET_KEY, jobSecretVariableName, PAUSE_STATUSES, quartzCronProblem, volumeSchemaOf } from "./defaults";

export interface PythonWheelTaskSettings {
  readonly packageName: string;
  readonly entryPoint: string;
  /** Path of the wheel ({@link artifactPathProblem}), installed as the task's library. */
  readonly whl: string;
  /** @default none */
  readonly parameters?: readonly string[];
}

export interface SparkPythonTaskSettings {
  /** Path of the file ({@link artifactPathProblem}). */
  readonly pythonFile: string;
  /** @default none */
  readonly parameters?: readonly string[];
}

export interface JobScheduleSettings {
  /** Quartz cron expression ({@link quartzCronProblem}). */
  readonly quartzCronExpression: string;
  /** IANA time-zone id ({@link isTimeZoneId}). */
  readonly timezoneId: string;
  /** @default "UNPAUSED" */
  readonly pauseStatus?: (typeof PAUSE_STATUSES)[number];
}

export interface ExtractorJobSettings {
  /** Job name ({@link CONSUMER_NAME}); the job is `<namePrefix>-<name>`, its secret scope too. */
  readonly name: string;
  /** Exactly one of `pythonWheelTask` and `sparkPythonTask`. */
  readonly pythonWheelTask?: PythonWheelTaskSettings;
  readonly sparkPythonTask?: SparkPythonTaskSettings;
  readonly schedule: JobScheduleSettings;
  /** Task timeout per attempt, {@link EXTRACTOR_JOB_LIMITS} (60 s to 7 days). */
  readonly timeoutSeconds: number;
  /** Addresses told when a run fails (at least one). */
  readonly onFailure: readonly string[];
  /** Retries of a failed attempt, 0 to 10. @default 0 */
  readonly maxRetries?: number;
  /** @default 0: retry immediately */
  readonly minRetryIntervalMillis?: number;
  /** @default false */
  readonly retryOnTimeout?: boolean;
  /** Autoscaling range of the job cluster; the policy caps `maxWorkers`. @default 1 */
  readonly minWorkers?: number;
  /** @default the template cluster's `max_workers` */
  readonly maxWorkers?: number;
  /**
   * Secrets the job reads with `dbutils.secrets.get(<scope>, <key>)`: key ({@link JOB_SECRET_KEY}) → value.
   * Every value must be a Terraform reference (a sensitive variable), never a literal.
   * @default no secrets (the scope is still created)
   */
  readonly secrets?: Readonly<Record<string, string>>;
}

export interface ExtractorJobProps extends ExtractorJobSettings {
  /** The workspace-level provider. */
  readonly provider: TerraformProvider;
  readonly namePrefix: string;
  /** Application id of the service principal the job runs as. */
  readonly runAs: string;
  /** The cluster policy every job cluster is governed by. */
  readonly policyId: string;
  /**
   * The cluster whose runtime, node type, AWS attributes, Spark settings, tags and log delivery the job cluster
   * copies: what that cluster satisfies in the policy, the job cluster satisfies too.
   */
  readonly template: Cluster;
  /** @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * One extractor job, its secret scope (the run-as principal may `READ`) and the scope's secrets.
 * @throws Error naming the field for: not exactly one task, a bad artifact path, cron expression or time
 *   zone, no failure address, retries or timeout out of bounds, workers out of order, a bad secret key, or a
 *   literal secret value (the value itself is never part of the message).
 */
export class ExtractorJob extends Construct {
  public readonly job: Job;
  public readonly secretScope: SecretScope;

  constructor(scope: Construct, id: string, props: ExtractorJobProps) {
    super(scope, id);
    const fail = (field: string, expected: string, found?: unknown): never => {
      throw new Error(`ExtractorJob ${id}: ${field}: ${expected}${found === undefined ? "" : `, found ${JSON.stringify(found)}`}`);
    };
    if (!CONSUMER_NAME.test(props.name)) fail("name", "expected 3-40 lowercase letters, digits or hyphens starting with a letter", props.name);
    const tasks = [props.pythonWheelTask, props.sparkPythonTask].filter((t) => t !== undefined);
    if (tasks.length !== 1) fail("pythonWheelTask/sparkPythonTask", `expected exactly one, found ${tasks.length}`);
    const wheel = props.pythonWheelTask;
    if (wheel) {
      const p = artifactPathProblem(wheel.whl, ".whl");
      if (p) fail("pythonWheelTask.whl", p, wheel.whl);
      if (!/^[A-Za-z0-9_.-]+$/.test(wheel.packageName)) fail("pythonWheelTask.packageName", "expected a Python distribution name", wheel.packageName);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(wheel.entryPoint)) fail("pythonWheelTask.entryPoint", "expected an entry-point name", wheel.entryPoint);
    }
    if (props.sparkPythonTask) {
      const p = artifactPathProblem(props.sparkPythonTask.pythonFile, ".py");
      if (p) fail("sparkPythonTask.pythonFile", p, props.sparkPythonTask.pythonFile);
    }
    const cron = quartzCronProblem(props.schedule.quartzCronExpression);
    if (cron) fail("schedule.quartzCronExpression", cron, props.schedule.quartzCronExpression);
    if (!isTimeZoneId(props.schedule.timezoneId)) fail("schedule.timezoneId", "expected an IANA time-zone id such as Europe/Berlin or UTC", props.schedule.timezoneId);
    const L = EXTRACTOR_JOB_LIMITS;
    if (!Number.isInteger(props.timeoutSeconds) || props.timeoutSeconds < L.minTimeoutSeconds || props.timeoutSeconds > L.maxTimeoutSeconds) {
      fail("timeoutSeconds", `expected a whole number of seconds from ${L.minTimeoutSeconds} to ${L.maxTimeoutSeconds}`, props.timeoutSeconds);
    }
    const maxRetries = props.maxRetries ?? 0;
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > L.maxRetries) fail("maxRetries", `expected a whole number from 0 to ${L.maxRetries}`, maxRetries);
    const minRetryIntervalMillis = props.minRetryIntervalMillis ?? 0;
    if (!Number.isInteger(minRetryIntervalMillis) || minRetryIntervalMillis < 0) fail("minRetryIntervalMillis", "expected a whole number of milliseconds >= 0", minRetryIntervalMillis);
    if (props.onFailure.length === 0) fail("onFailure", "expected at least 1 address to notify when a run fails");
    const template = props.template;
    const minWorkers = props.minWorkers ?? 1;
    const maxWorkers = props.maxWorkers ?? template.autoscaleInput?.maxWorkers ?? minWorkers;
    if (!Number.isInteger(minWorkers) || minWorkers < 0) fail("minWorkers", "expected a whole number >= 0", minWorkers);
    if (!Number.isInteger(maxWorkers) || maxWorkers < Math.max(1, minWorkers)) fail("maxWorkers", `expected a whole number >= max(1, minWorkers = ${minWorkers})`, maxWorkers);
    const secrets = Object.entries(props.secrets ?? {});
    for (const [key, value] of secrets) {
      if (!JOB_SECRET_KEY.test(key)) fail(`secrets.${key}`, "expected a key of lowercase letters, digits and '_', starting with a letter");
      // Never echo the value: it may be the secret itself.
      if (!Token.isUnresolved(value)) fail(`secrets.${key}`, "expected a Terraform reference (a sensitive variable), found a literal value");
    }

    const provider = props.provider;
    const fullName = `${props.namePrefix}-${props.name}`;
    this.secretScope = new SecretScope(this, "secret-scope", { provider, name: fullName });
    new SecretAcl(this, "secret-scope-run-as", { provider, scope: this.secretScope.name, principal: props.runAs, permission: "READ" });
    const secretResources = secrets.map(([key, value]) => new Secret(this, `secret-${key}`, { provider, scope: this.secretScope.name, key, stringValue: value }));

    const newCluster: JobJobClusterNewCluster = {
      policyId: props.policyId,
      applyPolicyDefaultValues: true,
      sparkVersion: template.sparkVersionInput,
      nodeTypeId: template.nodeTypeIdInput,
      autoscale: { minWorkers, maxWorkers },
      dataSecurityMode: "SINGLE_USER",
      singleUserName: props.runAs,
      sparkConf: template.sparkConfInput,
      customTags: template.customTagsInput,
      awsAttributes: template.awsAttributesInput,
      clusterLogConf: template.clusterLogConfInput,
    };
    const task: JobTask = {
      taskKey: "extract",
      jobClusterKey: "extract",
      maxRetries,
      minRetryIntervalMillis,
      retryOnTimeout: props.retryOnTimeout ?? false,
      timeoutSeconds: props.timeoutSeconds,
      ...(wheel
        ? {
            pythonWheelTask: { packageName: wheel.packageName, entryPoint: wheel.entryPoint, parameters: wheel.parameters ? [...wheel.parameters] : undefined },
            library: [{ whl: wheel.whl }],
          }
        : { sparkPythonTask: { pythonFile: props.sparkPythonTask!.pythonFile, parameters: props.sparkPythonTask!.parameters ? [...props.sparkPythonTask!.parameters] : undefined } }),
    };
    this.job = new Job(this, "job", {
      provider,
      name: fullName,
      maxConcurrentRuns: 1,
      runAs: { servicePrincipalName: props.runAs },
      jobCluster: [{ jobClusterKey: "extract", newCluster }],
      task: [task],
      schedule: { quartzCronExpression: props.schedule.quartzCronExpression, timezoneId: props.schedule.timezoneId, pauseStatus: props.schedule.pauseStatus ?? "UNPAUSED" },
      emailNotifications: { onFailure: [...props.onFailure] },
      // The job's first run must find its secrets in place.
      dependsOn: [...(props.dependsOn ?? []), ...secretResources],
    });
  }
}
