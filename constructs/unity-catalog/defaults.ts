/**
 * Names and rules of the Unity Catalog constructs, written once: the constructs and the vars schema
 * (config/schema.ts, config/consumers.ts) both import them. No imports, so reading them loads no provider code.
 */

/**
 * Unity Catalog names the project creates: letters, digits, `-` and `_` (a subset of the Unity Catalog rule,
 * which also forbids periods, spaces and slashes; provider `docs/resources/catalog.md`).
 */
export const UC_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Where the workspace's metastore comes from:
 * - `existing`: the region's metastore by id, assigned explicitly (`databricks_metastore_assignment`); when
 *   automatic enablement already assigned it, `adoptExistingAssignment` imports that assignment instead;
 * - `create`: a new metastore for the region (one per region and account), assigned explicitly, with the same
 *   `adoptExistingAssignment` escape (automatic enablement may assign the new workspace to it first);
 * - `automatic`: rely on automatic enablement; the region's metastore is looked up and the management stack
 *   checks that the workspace is really assigned to it, failing with a clear message if not.
 */
export const METASTORE_SOURCES = ["existing", "create", "automatic"] as const;

/** Import blocks with an expression as id need Terraform (and OpenTofu) 1.6 or later. */
export const MIN_TERRAFORM_VERSION_FOR_IMPORT = ">= 1.6";
