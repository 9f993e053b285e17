/**
 * The project's synth-time rules (see `rules.ts` for the model): rules checkov has no equivalent for, or
 * rules a real platform enforces that no offline tool checks. Each rule is an object with its id, level,
 * reason and source; {@link DatabricksSecurityChecks} runs all of them on every stack.
 *
 * | id | rule | source |
 * | --- | --- | --- |
 * | DBX001 | cross-account policy is `customer` or `restricted`, never `managed` (or unset, which means managed) | provider `docs/data-sources/aws_crossaccount_policy.md` |
 * | DBX002 | a workspace uses customer-managed keys for both managed services and storage | provider `docs/resources/mws_workspaces.md` |
 * | DBX003 | connection secrets are references to inputs without a value at synth; no secret in `properties` | provider `docs/resources/connection.md`, `catalog/resource_connection.go` |
 * | DBX004 | a Databricks provider with `account_id` is the account console provider; workspace providers have none | provider `docs/index.md` |
 * | DBX005 | KMS keys rotate | AWS KMS best practice; checkov covers it for HCL only through plans |
 * | DBX006 | no security group rule accepts ingress from the whole internet | Databricks customer-managed VPC docs |
 * | DBX010 | a KMS key policy keeps the account root's `kms:*` (or gives an explicitly configured deployer `kms:PutKeyPolicy`) | AWS KMS "Default key policy", CreateKey lockout check (`aws-rules.ts`) |
 * | DBX011 | no bucket-policy Deny on PutObject applies merely because an encryption header is missing | AWS IAM condition operators, S3 PutObject (`aws-rules.ts`) |
 * | DBX012 | `databricks_mws_workspaces` depends on its root bucket policy and its security groups' rules | provider `docs/guides/aws-workspace.md` (`aws-rules.ts`) |
 * | DBX020-DBX022 | Unity Catalog principals are account-level; providers configured only from known input; metastore attached on purpose | see `unity-catalog-rules.ts` |
 */
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DataDatabricksAwsCrossaccountPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-crossaccount-policy";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DBX010, DBX011, DBX012 } from "./aws-rules";
import { RuleChecks, type SecurityRule } from "./rules";
import { UNITY_CATALOG_RULES } from "./unity-catalog-rules";
import { isSecretLikeKey } from "./secret-patterns";
import { secretReferenceProblem } from "./secret-reference";
import { SUPPORTED_CONNECTION_TYPES } from "../connections/connection-types";
import { ACCOUNTS_HOST } from "./defaults";

export * from "./defaults";
export * from "./rules";
export { DBX010, DBX011, DBX012 } from "./aws-rules";
export { PreventDestroyOfStatefulResources, STATEFUL_RESOURCE_TYPES } from "./protection";
export * from "./unity-catalog-rules";

/**
 * Option keys that hold secrets: the provider's `sensitiveOptions` (`catalog/resource_connection.go`), the
 * HTTP connection's `bearer_token` and `client_secret` (provider `docs/resources/connection.md`), and every
 * secret option of {@link SUPPORTED_CONNECTION_TYPES}. Any other option key that names a secret
 * (`isSecretLikeKey`) is treated the same way.
 */
export const SECRET_CONNECTION_OPTION_KEYS: readonly string[] = [
  ...new Set([
    "password", "pem_private_key", "personalAccessToken", "GoogleServiceAccountKeyJson", "bearer_token", "client_secret",
    ...Object.values(SUPPORTED_CONNECTION_TYPES).flatMap((spec) => spec.options.filter((o) => o.secret).map((o) => o.optionKey)),
  ]),
];

export const DBX001: SecurityRule = {
  id: "DBX001",
  level: "error",
  description: "databricks_aws_crossaccount_policy.policy_type is customer or restricted",
  reason: "the default \"managed\" policy grants VPC, NAT gateway and route creation that a customer-managed VPC never needs",
  source: "provider docs/data-sources/aws_crossaccount_policy.md",
  check: (node) => {
    if (!(node instanceof DataDatabricksAwsCrossaccountPolicy)) return [];
    const type = node.policyTypeInput;
    return type === "customer" || type === "restricted"
      ? []
      : [`databricks_aws_crossaccount_policy.policy_type is ${JSON.stringify(type ?? "managed (unset)")}; use "customer" or "restricted" with a customer-managed VPC`];
  },
};

export const DBX002: SecurityRule = {
  id: "DBX002",
  level: "error",
  description: "a workspace uses customer-managed keys for managed services and for storage",
  reason: "without them notebooks, secrets, the root bucket and cluster volumes are encrypted with keys the customer cannot revoke",
  source: "provider docs/resources/mws_workspaces.md",
  check: (node) => {
    if (!(node instanceof MwsWorkspaces)) return [];
    return [
      ...(node.managedServicesCustomerManagedKeyIdInput ? [] : ["databricks_mws_workspaces has no managed_services_customer_managed_key_id"]),
      ...(node.storageCustomerManagedKeyIdInput ? [] : ["databricks_mws_workspaces has no storage_customer_managed_key_id"]),
    ];
  },
};

export const DBX003: SecurityRule = {
  id: "DBX003",
  level: "error",
  description: "connection secrets are references to inputs that hold no value at synth; connection properties hold no secret",
  reason: "a literal, a variable default, a Lazy value or an expression over literals is written to cdk.tf.json and to every plan and state file; properties are not even marked sensitive",
  source: "provider docs/resources/connection.md, catalog/resource_connection.go (sensitiveOptions)",
  check: (node) => {
    if (!(node instanceof Connection)) return [];
    const options = node.optionsInput ?? {};
    const secrets = Object.keys(options)
      .filter((key) => options[key] !== undefined && (SECRET_CONNECTION_OPTION_KEYS.includes(key) || isSecretLikeKey(key)))
      .flatMap((key) => {
        const problem = secretReferenceProblem(node, options[key]);
        return problem ? [`databricks_connection option "${key}" is a secret: ${problem}`] : [];
      });
    const properties = Object.keys(node.propertiesInput ?? {})
      .filter(isSecretLikeKey)
      .map((key) => `databricks_connection property "${key}" names a secret: properties are not sensitive; pass it in options as a variable reference`);
    return [...secrets, ...properties];
  },
};

export const DBX004: SecurityRule = {
  id: "DBX004",
  level: "error",
  description: "only the account console provider sets account_id",
  reason: "a workspace-level provider with account_id is treated as an account provider and its workspace calls fail",
  source: "provider docs/index.md",
  check: (node) => {
    if (!(node instanceof DatabricksProvider)) return [];
    return node.accountId !== undefined && node.host !== ACCOUNTS_HOST
      ? [`Databricks provider "${node.alias ?? "default"}" sets account_id but its host is not ${ACCOUNTS_HOST}: never set account_id on a workspace-level provider`]
      : [];
  },
};

export const DBX005: SecurityRule = {
  id: "DBX005",
  level: "error",
  description: "customer-managed KMS keys rotate",
  reason: "a key that never rotates keeps every data key it ever protected under one key material",
  source: "AWS KMS \"Rotating AWS KMS keys\"",
  check: (node) => (node instanceof KmsKey && node.enableKeyRotationInput !== true ? ["aws_kms_key without enable_key_rotation = true"] : []),
};

export const DBX006: SecurityRule = {
  id: "DBX006",
  level: "error",
  description: "no security group rule accepts ingress from the whole internet",
  reason: "workspace clusters only talk to each other and out through NAT; nothing on the internet may connect in",
  source: "Databricks \"Configure a customer-managed VPC\", security groups",
  check: (node) =>
    node instanceof VpcSecurityGroupIngressRule && (node.cidrIpv4Input === "0.0.0.0/0" || node.cidrIpv6Input === "::/0")
      ? ["security group ingress from the whole internet"]
      : [],
};

/** Every rule of the project, in id order. */
export const DATABRICKS_SECURITY_RULES: readonly SecurityRule[] = [DBX001, DBX002, DBX003, DBX004, DBX005, DBX006, DBX010, DBX011, DBX012, ...UNITY_CATALOG_RULES];

/** The Aspect the stacks carry: every rule of {@link DATABRICKS_SECURITY_RULES}. */
export class DatabricksSecurityChecks extends RuleChecks {
  constructor(rules: readonly SecurityRule[] = DATABRICKS_SECURITY_RULES) {
    super(rules);
  }
}

/** The rule with `id`, for documentation and tests. */
export function securityRule(id: string): SecurityRule | undefined {
  return DATABRICKS_SECURITY_RULES.find((r) => r.id === id);
}
