/**
 * State protection for environments marked `protected`: resources that hold data or identity nobody can
 * recreate get Terraform's `lifecycle.prevent_destroy`, so a plan that would destroy or replace one fails
 * instead of running (Terraform "The lifecycle meta-argument", `prevent_destroy`).
 *
 * What counts as stateful is decided by resource type, not by construct path, so a new construct that
 * creates a bucket or a catalog is covered without being listed. The pay-per-hour network parts that
 * `scripts/sleep-network.sh` removes (NAT gateways, EIPs, routes, interface endpoints) are not stateful and
 * never appear here: sleeping and waking a protected environment keeps working.
 */
import { TerraformResource, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Resource types whose destruction loses data or identity that cannot be recreated:
 * - `aws_kms_key`: everything encrypted under it becomes unreadable (a deleted key cannot be restored after
 *   its deletion window);
 * - `aws_s3_bucket`: the root (DBFS) bucket, data-lake buckets and logs;
 * - `aws_cloudwatch_log_group`: VPC flow-log records kept for audit;
 * - `databricks_mws_workspaces`: notebooks, jobs, workspace configuration; a new workspace gets a new id and URL;
 * - Unity Catalog metadata: `databricks_metastore`, `databricks_metastore_assignment`, `databricks_catalog`,
 *   `databricks_schema`, `databricks_volume` (a managed volume's files go with it), `databricks_storage_credential`,
 *   `databricks_external_location` (tables and grants hang off them; a recreated credential gets a new external id).
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  "aws_kms_key",
  "aws_s3_bucket",
  "aws_cloudwatch_log_group",
  "databricks_mws_workspaces",
  "databricks_metastore",
  "databricks_metastore_assignment",
  "databricks_catalog",
  "databricks_schema",
  "databricks_volume",
  "databricks_storage_credential",
  "databricks_external_location",
];

/**
 * An Aspect that sets `lifecycle.prevent_destroy = true` on every resource whose type is in `types`,
 * keeping any other lifecycle setting it already has. Apply it to the stacks of a protected environment.
 */
export class PreventDestroyOfStatefulResources implements IAspect {
  constructor(public readonly types: readonly string[] = STATEFUL_RESOURCE_TYPES) {}

  public visit(node: IConstruct): void {
    if (node instanceof TerraformResource && this.types.includes(node.terraformResourceType)) {
      node.lifecycle = { ...node.lifecycle, preventDestroy: true };
    }
  }
}
