import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DEFAULT_KMS_DELETION_WINDOW_DAYS, KMS_DELETION_WINDOW_DAYS } from "./defaults";

/**
 * The AWS account of the Databricks control plane (commercial regions), the principal that uses the
 * workspace keys. Source: Databricks docs "Configure customer-managed keys for encryption"
 * (docs.databricks.com/aws/en/security/keys/configure-customer-managed-keys), key policy examples.
 */
export const DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID = "414351767826";

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
   * Principals with full key administration.
   * @default the account root (`arn:aws:iam::<awsAccountId>:root`)
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
 * - `workspaceStorage`: the root bucket and cluster EBS volumes (`use_cases = STORAGE`); its policy lets the
 *   cross-account role use it through EC2 only (`kms:ViaService = ec2.*.amazonaws.com`);
 * - `dataLake`: the data-lake buckets; usage is granted by IAM policies of the account;
 * - `logs`: the logging bucket and the VPC flow-log group (CloudWatch Logs in this region).
 * Source of the Databricks statements: databricks/terraform-databricks-sra `aws/tf/cmk.tf` and the
 * Databricks customer-managed key docs.
 * @throws Error naming the value when `deletionWindowDays` is outside 7-30.
 */
export class WorkspaceKeys extends Construct {
  public readonly managedServices: KmsKey;
  public readonly workspaceStorage: KmsKey;
  public readonly dataLake: KmsKey;
  public readonly logs: KmsKey;
  public readonly aliases: Record<"managedServices" | "workspaceStorage" | "dataLake" | "logs", KmsAlias>;

  constructor(scope: Construct, id: string, props: WorkspaceKeysProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowDays ?? DEFAULT_KMS_DELETION_WINDOW_DAYS;
    const { min, max } = KMS_DELETION_WINDOW_DAYS;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < min || deletionWindowInDays > max) {
      throw new Error(`WorkspaceKeys ${id}: deletionWindowDays: expected a whole number from ${min} to ${max}, found ${deletionWindowInDays}`);
    }
    const root = `arn:aws:iam::${props.awsAccountId}:root`;
    const admins = props.adminArns && props.adminArns.length > 0 ? [...props.adminArns] : [root];
    const admin: DataAwsIamPolicyDocumentStatement = { sid: "KeyAdministration", principals: [{ type: "AWS", identifiers: admins }], actions: ["kms:*"], resources: ["*"] };
    const accountIam: DataAwsIamPolicyDocumentStatement = { sid: "AllowUseGrantedByIamPolicies", principals: [{ type: "AWS", identifiers: [root] }], actions: KEY_USE, resources: ["*"] };
    const databricks = (sid: string, actions: string[]): DataAwsIamPolicyDocumentStatement => ({
      sid,
      principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${DATABRICKS_CONTROL_PLANE_AWS_ACCOUNT_ID}:root`] }],
      actions,
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:PrincipalTag/DatabricksAccountId", values: [props.databricksAccountId] }],
    });

    const key = (keyId: string, description: string, statement: DataAwsIamPolicyDocumentStatement[]) => {
      const policy = new DataAwsIamPolicyDocument(this, `${keyId}-policy`, { statement });
      const k = new KmsKey(this, keyId, {
        description, enableKeyRotation: true, deletionWindowInDays, policy: policy.json,
        tags: { Name: `${props.namePrefix}-${keyId}` },
      });
      const alias = new KmsAlias(this, `${keyId}-alias`, { name: `alias/${props.namePrefix}-${keyId}`, targetKeyId: k.keyId });
      return { k, alias };
    };

    const managedServices = key("managed-services", "Databricks managed services (control plane data)", [
      admin,
      databricks("DatabricksControlPlaneManagedServices", ["kms:Encrypt", "kms:Decrypt"]),
    ]);
    const workspaceStorage = key("workspace-storage", "Databricks workspace storage: root bucket and cluster EBS volumes", [
      admin,
      databricks("DatabricksControlPlaneStorage", KEY_USE),
      {
        sid: "CrossAccountRoleEbsThroughEc2",
        principals: [{ type: "AWS", identifiers: [props.crossAccountRoleArn] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        resources: ["*"],
        condition: [{ test: "ForAnyValue:StringLike", variable: "kms:ViaService", values: ["ec2.*.amazonaws.com"] }],
      },
    ]);
    const dataLake = key("data-lake", "Databricks data lake buckets", [admin, accountIam]);
    const logs = key("logs", "Logging bucket and VPC flow logs", [
      admin,
      accountIam,
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
  }
}
