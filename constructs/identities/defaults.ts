/**
 * Values of {@link AccountIdentities}, written once: the construct and the vars schema (config/schema.ts)
 * both import them. No imports, so reading them loads no provider code.
 */

/** `permissions` values of `databricks_mws_permission_assignment` (provider `docs/resources/mws_permission_assignment.md`). */
export const WORKSPACE_PERMISSIONS = ["USER", "ADMIN"] as const;
export type WorkspacePermission = (typeof WORKSPACE_PERMISSIONS)[number];
