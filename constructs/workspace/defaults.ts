/**
 * Defaults of the workspace constructs, written once: the constructs and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/** `pricingTier` when omitted: customer-managed keys and PrivateLink need the Enterprise tier. */
export const DEFAULT_PRICING_TIER = "ENTERPRISE";

/** `privateLink.publicAccessEnabled` when omitted: back-end PrivateLink only, the UI and API stay reachable. */
export const DEFAULT_PUBLIC_ACCESS_ENABLED = true;

/** `privateLink.privateAccessLevel` when omitted (`databricks_mws_private_access_settings`). */
export const DEFAULT_PRIVATE_ACCESS_LEVEL = "ACCOUNT";

/** `LogDelivery.auditLogs` when omitted. */
export const DEFAULT_AUDIT_LOGS = true;

/** `LogDelivery.billableUsage` when omitted: account-level, at most two enabled configurations per type. */
export const DEFAULT_BILLABLE_USAGE = false;
