import { Construct } from "constructs";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  type DataAwsIamPolicyDocumentStatementCondition,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DEFAULT_KMS_DELETION_WINDOW_DAYS, KMS_DELETION_WINDOW_DAYS, DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN } from "./defaults";

/**
 * The AWS account of the Databricks control plane (commercial regions), the principal that uses the
 * workspace keys. Source: Databricks docs "Configure customer-managed keys for encryption"
 * (docs.databricks.com/aws/en/security/keys/configure-customer-managed-keys), key policy examples.
 */
export const DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID = "414351767826";

/**
 * Sid of the AWS default key-policy statement that gives the account root `kms:*`, so IAM policies of the
 * account govern the key (AWS KMS "Default key policy"; provider `docs/resources/mws_customer_managed_keys.md`).
 */
export const ACCOUNT_ROOT_KEY_ADMIN_SID = "EnableIamUserPermissions";

/**
 * Sid of the statement that gives the explicitly configured deploying principal `kms:*` when the account
 * root statement is opted out of. `CreateKey` and `PutKeyPolicy` run the policy-lockout safety check (the
 * new policy must let the caller call `PutKeyPolicy` later), so without one of the two statements the key
 * cannot be created or its policy changed (AWS KMS API reference, `CreateKey`,
 * `BypassPolicyLockoutSafetyCheck`). The security rule DBX010 looks for either sid's grant.
 */
export const DEPLOYER_KEY_ADMIN_SID = "KeyAdministrationByDeployer";

const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

export interface WorkspaceKeysProps {
  readonly namePrefix: string;
  readonly region: string;
  /** The AWS account the keys live in (12 digits). */
  readonly awsAccountId: string;
  /** Databricks account id (UUID); the control plane may use the workspace keys only on its behalf. */
  readonly databricksAccountId: string;
  /** Cross-account role ARN: uses the storage key to encrypt cluster EBS volumes through EC2. */
  readonly crossAccountRoleArn: string;
  /**
   * Keep the AWS default statement giving the account root `kms:*` ("Enable IAM User Permissions") on every
   * key, so IAM policies of the account govern administration and usage whoever deploys. `false` removes
   * all root delegation of administration (the SRA's `cmk_admin_arn` model): `deployerArn` is then
   * required, and the account root keeps only key usage for IAM-granted principals.
   * @default true
   */
  readonly accountRootAdministration?: boolean;
  /**
   * The IAM principal Terraform runs as. With `accountRootAdministration: false` it gets `kms:*` in a
   * statement of its own (sid {@link DEPLOYER_KEY_ADMIN_SID}) so the policy passes the KMS lockout check.
   * @default none (required when `accountRootAdministration` is false)
   */
  readonly deployerArn?: string;
  /**
   * Further principals with full key administration (`kms:*`), in addition to the account root (or the
   * deployer); never a replacement for either.
   * @default none
   */
  readonly adminArns?: readonly string[];
  /**
   * Waiting period before a scheduled key deletion, 7 to 30 days.
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * The customer-managed KMS keys, each with yearly rotation and an alias:
 * - `managedServices`: notebooks, secrets and queries in the control plane (`use_cases = MANAGED_SERVICES`);
 * - `workspaceStorage`: the root bucket and cluster EBS volumes (`use_cases = STORAGE`); Databricks may use it
 *   and create grants for AWS resources on behalf of this Databricks account only, the cross-account role
 *   through EC2 only (`kms:ViaService = ec2.*.amazonaws.com`);
 * - `dataLake`: the data-lake buckets; usage is granted by IAM policies of the account;
 * - `logs`: the logging bucket and the VPC flow-log group (CloudWatch Logs in this region).
 *
 * Every policy starts with the account-root `kms:*` statement (AWS default key policy) unless
 * `accountRootAdministration` is false, in which case the deployer's statement takes its place.
 * Sources: provider `docs/resources/mws_customer_managed_keys.md` (the storage key's four statements,
 * "Allow Databricks to use KMS key for DBFS (Grants)" among them), databricks/terraform-databricks-sra
 * `aws/tf/cmk.tf` (the `aws:PrincipalTag/DatabricksAccountId` condition on Databricks' statements) and the
 * Databricks customer-managed key docs.
 * @throws Error naming the value when `deletionWindowDays` is outside 7-30, or when
 *   `accountRootAdministration` is false without a `deployerArn`.
 */
export class WorkspaceKeys extends Construct {
  public readonly managedServices: KmsKey;
  public readonly workspaceStorage: KmsKey;
  public readonly dataLake: KmsKey;
  public readonly logs: KmsKey;
  public readonly aliases: Record<"managedServices" | "workspaceStorage" | "dataLake" | "logs", KmsAlias>;
  /** The policy document of each key, for inspection (tests, security rules). */
  public readonly policies: Record<"managedServices" | "workspaceStorage" | "dataLake" | "logs", DataAwsIamPolicyDocument>;

  constructor(scope: Construct, id: string, props: WorkspaceKeysProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowDays ?? DEFAULT_KMS_DELETION_WINDOW_DAYS;
    const { min, max } = KMS_DELETION_WINDOW_DAYS;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < min || deletionWindowInDays > max) {
      throw new Error(`WorkspaceKeys ${id}: deletionWindowDays: expected a whole number from ${min} to ${max}, found ${deletionWindowInDays}`);
    }
    const rootAdministration = props.accountRootAdministration ?? DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN;
    if (!rootAdministration && !props.deployerArn) {
      throw new Error(
        `WorkspaceKeys ${id}: deployerArn: expected the ARN of the principal that deploys when accountRootAdministration is false (KMS refuses a key policy that locks the caller out), found none`,
      );
    }
    const root = `arn:aws:iam::${props.awsAccountId}:root`;
    const administration: DataAwsIamPolicyDocumentStatement[] = rootAdministration
      ? [{ sid: ACCOUNT_ROOT_KEY_ADMIN_SID, principals: [{ type: "AWS", identifiers: [root] }], actions: ["kms:*"], resources: ["*"] }]
      : [{ sid: DEPLOYER_KEY_ADMIN_SID, principals: [{ type: "AWS", identifiers: [props.deployerArn!] }], actions: ["kms:*"], resources: ["*"] }];
    const extraAdmins = [...(props.adminArns ?? [])];
    if (extraAdmins.length > 0) {
      administration.push({ sid: "KeyAdministration", principals: [{ type: "AWS", identifiers: extraAdmins }], actions: ["kms:*"], resources: ["*"] });
    }
    // With the root statement, IAM policies of the account already grant usage; without it, the root keeps
    // usage only, so IAM policies still grant usage (never administration).
    const accountIamUse: DataAwsIamPolicyDocumentStatement[] = rootAdministration
      ? []
      : [{ sid: "AllowUseGrantedByIamPolicies", principals: [{ type: "AWS", identifiers: [root] }], actions: KEY_USE, resources: ["*"] }];
    const onBehalfOfThisAccount: DataAwsIamPolicyDocumentStatementCondition = {
      test: "StringEquals", variable: "aws:PrincipalTag/DatabricksAccountId", values: [props.databricksAccountId],
    };
    const databricks = (sid: string, actions: string[], condition: DataAwsIamPolicyDocumentStatementCondition[] = []): DataAwsIamPolicyDocumentStatement => ({
      sid,
      principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID}:root`] }],
      actions,
      resources: ["*"],
      condition: [...condition, onBehalfOfThisAccount],
    });

    const key = (keyId: string, description: string, statement: DataAwsIamPolicyDocumentStatement[]) => {
      const policy = new DataAwsIamPolicyDocument(this, `${keyId}-policy`, { statement });
      const k = new KmsKey(this, keyId, {
        description, enableKeyRotation: true, deletionWindowInDays, policy: policy.json,
        tags: { Name: `${props.namePrefix}-${keyId}` },
      });
      const alias = new KmsAlias(this, `${keyId}-alias`, { name: `alias/${props.namePrefix}-${keyId}`, targetKeyId: k.keyId });
      return { k, alias, policy };
    };

    const managedServices = key("managed-services", "Databricks managed services (control plane data)", [
      ...administration,
      ...accountIamUse,
      databricks("DatabricksControlPlaneManagedServices", ["kms:Encrypt", "kms:Decrypt"]),
    ]);
    const workspaceStorage = key("workspace-storage", "Databricks workspace storage: root bucket and cluster EBS volumes", [
      ...administration,
      ...accountIamUse,
      databricks("DatabricksControlPlaneStorage", KEY_USE),
      // "Allow Databricks to use KMS key for DBFS (Grants)": grants only for AWS resources (provider docs).
      databricks("DatabricksControlPlaneStorageGrants", ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], [
        { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
      ]),
      {
        sid: "CrossAccountRoleEbsThroughEc2",
        principals: [{ type: "AWS", identifiers: [props.crossAccountRoleArn] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        resources: ["*"],
        condition: [{ test: "ForAnyValue:StringLike", variable: "kms:ViaService", values: ["ec2.*.amazonaws.com"] }],
      },
    ]);
    const dataLake = key("data-lake", "Databricks data lake buckets", [...administration, ...accountIamUse]);
    const logs = key("logs", "Logging bucket and VPC flow logs", [
      ...administration,
      ...accountIamUse,
      {
        sid: "CloudWatchLogsFlowLogs",
        principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:${props.region}:${props.awsAccountId}:log-group:*`] }],
      },
    ]);

    this.managedServices = managedServices.k;
    this.workspaceStorage = workspaceStorage.k;
    this.dataLake = dataLake.k;
    this.logs = logs.k;
    this.aliases = { managedServices: managedServices.alias, workspaceStorage: workspaceStorage.alias, dataLake: dataLake.alias, logs: logs.alias };
    this.policies = { managedServices: managedServices.policy, workspaceStorage: workspaceStorage.policy, dataLake: dataLake.policy, logs: logs.policy };
  }
}
