/**
 * Names, limits and pure rules of the consumer constructs, written once: the constructs and the vars schema
 * (config/consumers.ts) both import them. No imports, so reading them loads no provider code.
 *
 * Field facts (extractor jobs, `jobs.ts`):
 * - Quartz "CronTrigger Tutorial" (the syntax the Jobs API takes): 6 or 7 fields, seconds first, and `?` in
 *   exactly one of day-of-month and day-of-week. `timezone_id` is a Java time-zone id: the IANA tz database.
 * - Artifacts: Unity Catalog volumes (`/Volumes/<catalog>/<schema>/<volume>/...`), workspace files
 *   (`/Workspace/...`) or S3. DBFS paths are refused: the project turns legacy DBFS root and mounts off
 *   (provider `docs/resources/disable_legacy_dbfs_setting.md`).
 */

/**
 * A consumer name: 3-40 lowercase letters, digits or hyphens, starting with a letter. It names the service
 * principal (`<namePrefix>-<name>`), construct ids, the Secrets Manager secret and the outputs.
 */
export const CONSUMER_NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/**
 * How a consumer signs in from outside the workspace: an OAuth secret (OAuth M2M, preferred), a personal
 * access token (for tools that take nothing else), or nothing (it only runs inside the workspace, as a job).
 */
export const CONSUMER_AUTHENTICATIONS = ["oauth", "pat", "none"] as const;
export type ConsumerAuthentication = (typeof CONSUMER_AUTHENTICATIONS)[number];

/** Default lifetime of a consumer's credential, in days; it rotates at half of it. */
export const DEFAULT_CONSUMER_CREDENTIAL_LIFETIME_DAYS = 90;

/** `cluster_size` values (provider `docs/resources/sql_endpoint.md`). */
export const SQL_WAREHOUSE_SIZES = ["2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large"] as const;
export type SqlWarehouseSize = (typeof SQL_WAREHOUSE_SIZES)[number];

/**
 * Bounds of `auto_stop_mins`. The API's minimum is 1 for serverless and 10 otherwise; 0 (never stop) is
 * refused on purpose (an idle warehouse bills until someone stops it); the maximum, one day, is the
 * project's: anything longer behaves like "never" for a daily workload.
 */
export const SQL_WAREHOUSE_AUTO_STOP_MINS = { serverlessMin: 1, min: 10, max: 1440 } as const;

/** Upper bound of `max_num_clusters` (SQL Warehouses API). */
export const SQL_WAREHOUSE_MAX_NUM_CLUSTERS = 30;

/** Upper bounds the project puts on a job's retry and timeout settings (a typo in milliseconds stays visible). */
export const EXTRACTOR_JOB_LIMITS = { maxRetries: 10, minTimeoutSeconds: 60, maxTimeoutSeconds: 7 * 86400 } as const;

/** A secret key in a job's scope: lowercase letters, digits and `_`, so it maps to a `TF_VAR_` name unchanged. */
export const JOB_SECRET_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** `pause_status` values of a schedule (provider `docs/resources/job.md`). */
export const PAUSE_STATUSES = ["PAUSED", "UNPAUSED"] as const;

/** The problem of a Quartz cron expression as the Jobs API takes it, or undefined when it is well-formed. */
export function quartzCronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) return `expected a Quartz cron expression of 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), found ${fields.length} field(s)`;
  if (!fields.every((f) => /^[0-9A-Za-z*?,/#LW-]+$/.test(f))) return "expected Quartz cron fields of digits, names and the characters * ? , / - # L W";
  if ((fields[3] === "?") === (fields[5] === "?")) return "expected '?' in exactly one of day-of-month (4th field) and day-of-week (6th field), as Quartz requires";
  return undefined;
}

/**
 * Answers of {@link isTimeZoneId} so far: each answer builds an `Intl.DateTimeFormat` (about 0.1 ms, the
 * first about 20 ms while the zone data loads), and every configuration load asks again for each job.
 */
const timeZoneIds = new Map<string, boolean>();

/** True for a time-zone id of the IANA database (what Java's `TimeZone` ids are), e.g. `Europe/Berlin`, `UTC`. */
export function isTimeZoneId(id: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(id)) return false;
  let known = timeZoneIds.get(id);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: id });
      known = true;
    } catch {
      known = false;
    }
    timeZoneIds.set(id, known);
  }
  return known;
}

/** The problem of an artifact path (wheel or Python file), or undefined when it is a volume, workspace or S3 path. */
export function artifactPathProblem(path: string, extension: ".whl" | ".py"): string | undefined {
  if (/^dbfs:/i.test(path)) return "expected a Unity Catalog volume, workspace or S3 path, not DBFS (legacy DBFS root and mounts are turned off)";
  const volume = /^\/Volumes\/[^/]+\/[^/]+\/[^/]+\/.+/;
  const workspace = /^\/Workspace\/.+/;
  const s3 = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/;
  if (![volume, workspace, s3].some((r) => r.test(path))) {
    return "expected /Volumes/<catalog>/<schema>/<volume>/..., /Workspace/... or s3://<bucket>/...";
  }
  if (!path.endsWith(extension)) return `expected a path ending in ${extension}`;
  return undefined;
}

/** `catalog.schema` of a `/Volumes/<catalog>/<schema>/<volume>/...` path, or undefined for other paths. */
export function volumeSchemaOf(path: string): { catalog: string; schema: string } | undefined {
  const m = /^\/Volumes\/([^/]+)\/([^/]+)\/[^/]+\//.exec(path);
  return m ? { catalog: m[1], schema: `${m[1]}.${m[2]}` } : undefined;
}

/** The sensitive Terraform variable that carries secret `key` of job `jobName`: `job_<job>_<key>`, `-` as `_`. */
export function jobSecretVariableName(jobName: string, key: string): string {
  return `job_${jobName.replace(/-/g, "_")}_${key}`;
}
