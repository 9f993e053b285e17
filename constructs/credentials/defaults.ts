/**
 * Defaults and limits of {@link WorkspaceCredentials}, written once: the construct and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/** Maximum lifetime of an OAuth secret (Databricks Account API: default and maximum 730 days). */
export const MAX_CREDENTIAL_LIFETIME_DAYS = 730;

/** `lifetimeDays` when omitted: one day, rotated at half of it. */
export const DEFAULT_CREDENTIAL_LIFETIME_DAYS = 1;
