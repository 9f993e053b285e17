/**
 * Security checks as cdktf Aspects (in the manner of cdk-nag): rules checkov has no equivalent for,
 * evaluated on the construct tree before anything is written. A violation is an error annotation, which
 * makes `App.synth()` (and so `npm run synth` and `cdktf synth/deploy`) fail with the rule id, the
 * resource path and the fix.
 *
 * | id | rule | source |
 * | --- | --- | --- |
 * | DBX001 | cross-account policy is `customer` or `restricted`, never `managed` (or unset, which means managed) | provider `docs/data-sources/aws_crossaccount_policy.md` |
 * | DBX002 | a workspace uses customer-managed keys for both managed services and storage | provider `docs/resources/mws_workspaces.md` |
 * | DBX003 | connection options that are secrets are Terraform references, never literals | provider `docs/resources/connection.md` |
 * | DBX004 | a Databricks provider with `account_id` is the account console provider; workspace providers have none | provider `docs/index.md` |
 * | DBX005 | KMS keys rotate | AWS KMS best practice; checkov covers it for HCL only through plans |
 * | DBX006 | no security group rule accepts ingress from the whole internet | Databricks customer-managed VPC docs |
 */
import { Annotations, Token, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DataDatabricksAwsCrossaccountPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-crossaccount-policy";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";

/** Option keys the provider treats as secrets (`catalog/resource_connection.go`, `sensitiveOptions`). */
export const SECRET_CONNECTION_OPTION_KEYS: readonly string[] = ["password", "pem_private_key", "personalAccessToken", "GoogleServiceAccountKeyJson", "bearer_token", "client_secret"];

export const ACCOUNTS_HOST = "https://accounts.cloud.databricks.com";

export class DatabricksSecurityChecks implements IAspect {
  public visit(node: IConstruct): void {
    const fail = (id: string, message: string) => Annotations.of(node).addError(`[${id}] ${node.node.path}: ${message}`);

    if (node instanceof DataDatabricksAwsCrossaccountPolicy) {
      const type = node.policyTypeInput;
      if (type !== "customer" && type !== "restricted") {
        fail("DBX001", `databricks_aws_crossaccount_policy.policy_type is ${JSON.stringify(type ?? "managed (unset)")}; use "customer" or "restricted" with a customer-managed VPC`);
      }
    } else if (node instanceof MwsWorkspaces) {
      if (!node.managedServicesCustomerManagedKeyIdInput) fail("DBX002", "databricks_mws_workspaces has no managed_services_customer_managed_key_id");
      if (!node.storageCustomerManagedKeyIdInput) fail("DBX002", "databricks_mws_workspaces has no storage_customer_managed_key_id");
    } else if (node instanceof Connection) {
      const options = node.optionsInput ?? {};
      for (const key of SECRET_CONNECTION_OPTION_KEYS) {
        const value = options[key];
        if (value !== undefined && !Token.isUnresolved(value)) fail("DBX003", `databricks_connection option "${key}" is a literal; pass a sensitive variable or secret reference`);
      }
    } else if (node instanceof DatabricksProvider) {
      const host = node.host;
      if (node.accountId !== undefined && host !== ACCOUNTS_HOST) {
        fail("DBX004", `Databricks provider "${node.alias ?? "default"}" sets account_id but its host is not ${ACCOUNTS_HOST}: never set account_id on a workspace-level provider`);
      }
    } else if (node instanceof KmsKey) {
      if (node.enableKeyRotationInput !== true) fail("DBX005", "aws_kms_key without enable_key_rotation = true");
    } else if (node instanceof VpcSecurityGroupIngressRule) {
      if (node.cidrIpv4Input === "0.0.0.0/0" || node.cidrIpv6Input === "::/0") fail("DBX006", "security group ingress from the whole internet");
    }
  }
}
