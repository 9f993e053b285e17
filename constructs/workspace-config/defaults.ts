/**
 * Defaults and limits of {@link WorkspaceConfiguration}, written once: the construct and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/** Cluster settings when omitted. */
export const DEFAULT_CLUSTER = { minWorkers: 1, maxWorkers: 4, autoterminationMinutes: 30, firstOnDemand: 1 } as const;

/** `autotermination_minutes`: Databricks accepts 10 to 10000 (Clusters API, `autotermination_minutes`). */
export const AUTOTERMINATION_MINUTES = { min: 10, max: 10000 } as const;

/** `disableLegacyDbfs` when omitted. */
export const DEFAULT_DISABLE_LEGACY_DBFS = true;
