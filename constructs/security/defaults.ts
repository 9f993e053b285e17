/**
 * Constants of the security rules that code outside synthesis needs too (the ops CLI's API client), written
 * once. No imports, so reading them loads no provider code.
 */

/** The Databricks account console: every `databricks_mws_*` resource goes through it (provider `docs/index.md`). */
export const ACCOUNTS_HOST = "https://accounts.cloud.databricks.com";
