/**
 * Provider configurations shared by an environment's stacks: literals from vars only, credentials from the
 * deploy environment (rule DBX021: never from a resource managed in the same stack).
 */
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import type { DatabricksProviderConfig } from "@cdktf/provider-databricks/lib/provider";
import type { Environment } from "../config/load";

import { ACCOUNTS_HOST } from "../constructs/security";

/** The Databricks account console: every `databricks_mws_*` resource goes through it (provider docs/index.md). */
export const DATABRICKS_ACCOUNTS_HOST = ACCOUNTS_HOST;

/** The AWS provider of an environment's stacks: its region and account only, default tags on everything. */
export function awsProviderConfig(vars: Environment["vars"], stackId: string): AwsProviderConfig {
  return {
    region: vars.region,
    allowedAccountIds: [vars.aws.accountId],
    defaultTags: [{ tags: { ...vars.tags, ManagedBy: "databricks-aws-cdktf", Stack: stackId } }],
  };
}

/**
 * The account-level Databricks provider (alias `account`): literals only; the OAuth M2M client id and secret
 * come from DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET at deploy time.
 */
export function accountProviderConfig(vars: Environment["vars"]): DatabricksProviderConfig {
  return { alias: "account", host: DATABRICKS_ACCOUNTS_HOST, accountId: vars.databricks.accountId, authType: "oauth-m2m" };
}
