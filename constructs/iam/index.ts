/**
 * The cross-account IAM role Databricks assumes to launch clusters in the customer-managed VPC.
 *
 * Field facts: provider `docs/data-sources/aws_crossaccount_policy.md` (`policy_type` `managed` is for a
 * Databricks-managed VPC and grants CreateVpc, CreateNatGateway and more; `customer` fits a customer-managed
 * VPC; `restricted` also pins the account, region, VPC and security group) and
 * `docs/data-sources/aws_assume_role_policy.md` (trust on the Databricks account id as external id).
 * IAM is eventually consistent: `databricks_mws_credentials` validates the role at once, so it must wait
 * (terraform-databricks-examples PRs #57/#63 add a `time_sleep`).
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataDatabricksAwsAssumeRolePolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-assume-role-policy";
import { DataDatabricksAwsCrossaccountPolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-crossaccount-policy";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { DEFAULT_CROSS_ACCOUNT_POLICY_TYPE, DEFAULT_PROPAGATION_WAIT_SECONDS } from "./defaults";

export * from "./defaults";

export { DataAccessInstanceProfile, type DataAccessInstanceProfileProps } from "./instance-profile";

export type CrossAccountPolicyType = "customer" | "restricted";

export interface CrossAccountRoleProps {
  readonly namePrefix: string;
  /** Databricks account id (UUID): the external id of the trust policy. */
  readonly databricksAccountId: string;
  /** The account-level Databricks provider the policy data sources belong to. */
  readonly databricksProvider: TerraformProvider;
  /**
   * `customer` or `restricted`; `managed` is refused because it grants VPC creation rights a
   * customer-managed VPC does not need.
   * @default "customer"
   */
  readonly policyType?: CrossAccountPolicyType;
  /** Required for `restricted`: the account, region, VPC and workspace security group the role is pinned to. */
  readonly restrictTo?: { readonly awsAccountId: string; readonly region: string; readonly vpcId: string; readonly securityGroupId: string };
  /**
   * Role ARNs Databricks may pass to cluster nodes (instance profiles).
   * @default none
   */
  readonly passRoles?: readonly string[];
  /**
   * Seconds to wait after the role policy is written before Databricks validates the role.
   * @default 30
   */
  readonly propagationWaitSeconds?: number;
}

/**
 * The role, its inline policy and the propagation wait. `credentialsDependency` is what
 * `databricks_mws_credentials` must depend on.
 * @throws Error naming the value for `policyType` other than `customer`/`restricted`, or `restricted` without `restrictTo`.
 */
export class CrossAccountRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: DataDatabricksAwsCrossaccountPolicy;
  /** Completes once the role is usable by Databricks. */
  public readonly credentialsDependency: Sleep;

  constructor(scope: Construct, id: string, props: CrossAccountRoleProps) {
    super(scope, id);
    const policyType = props.policyType ?? DEFAULT_CROSS_ACCOUNT_POLICY_TYPE;
    if (policyType !== "customer" && policyType !== "restricted") {
      throw new Error(`CrossAccountRole ${id}: policyType: expected "customer" or "restricted" (never "managed" with a customer-managed VPC), found ${JSON.stringify(policyType)}`);
    }
    if (policyType === "restricted" && !props.restrictTo) {
      throw new Error(`CrossAccountRole ${id}: restrictTo: expected the account, region, VPC and security group for policyType "restricted", found nothing`);
    }
    const wait = props.propagationWaitSeconds ?? DEFAULT_PROPAGATION_WAIT_SECONDS;
    if (!Number.isInteger(wait) || wait < 0) throw new Error(`CrossAccountRole ${id}: propagationWaitSeconds: expected a whole number >= 0, found ${wait}`);

    const trust = new DataDatabricksAwsAssumeRolePolicy(this, "assume-role-policy", { provider: props.databricksProvider, externalId: props.databricksAccountId });
    this.policy = new DataDatabricksAwsCrossaccountPolicy(this, "crossaccount-policy", {
      provider: props.databricksProvider,
      policyType,
      passRoles: props.passRoles && props.passRoles.length > 0 ? [...props.passRoles] : undefined,
      ...(policyType === "restricted" && props.restrictTo
        ? { awsAccountId: props.restrictTo.awsAccountId, region: props.restrictTo.region, vpcId: props.restrictTo.vpcId, securityGroupId: props.restrictTo.securityGroupId }
        : {}),
    });
    this.role = new IamRole(this, "role", {
      name: `${props.namePrefix}-crossaccount`,
      description: "Databricks cross-account role: launches workspace clusters in the customer-managed VPC",
      assumeRolePolicy: trust.json,
    });
    const rolePolicy = new IamRolePolicy(this, "role-policy", { name: `${props.namePrefix}-crossaccount`, role: this.role.id, policy: this.policy.json });
    this.credentialsDependency = new Sleep(this, "iam-propagation", { createDuration: `${wait}s`, dependsOn: [rolePolicy], triggers: { role_arn: this.role.arn } });
  }
}
