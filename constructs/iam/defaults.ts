/**
 * Defaults of the IAM constructs, written once: the construct and the vars schema (config/schema.ts)
 * both import them. No imports, so reading them loads no provider code.
 */

/** `CrossAccountRole.policyType` when omitted (never `managed` with a customer-managed VPC). */
export const DEFAULT_CROSS_ACCOUNT_POLICY_TYPE = "customer";

/** `CrossAccountRole.propagationWaitSeconds` when omitted (terraform-databricks-examples PRs #57/#63). */
export const DEFAULT_PROPAGATION_WAIT_SECONDS = 30;
