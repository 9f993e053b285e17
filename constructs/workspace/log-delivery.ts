import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataDatabricksAwsAssumeRolePolicy } from "@cdktf/provider-databricks/lib/data-databricks-aws-assume-role-policy";
import { MwsCredentials } from "@cdktf/provider-databricks/lib/mws-credentials";
import { MwsLogDelivery } from "@cdktf/provider-databricks/lib/mws-log-delivery";
import { MwsStorageConfigurations } from "@cdktf/provider-databricks/lib/mws-storage-configurations";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { DEFAULT_AUDIT_LOGS, DEFAULT_BILLABLE_USAGE } from "./defaults";

export interface LogDeliveryProps {
  readonly namePrefix: string;
  readonly databricksAccountId: string;
  /** The account-level provider. */
  readonly accountProvider: TerraformProvider;
  /** Bucket receiving the logs (name and ARN) and the KMS key encrypting it. */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /**
   * Deliver this workspace's audit logs (JSON, under `audit-logs/`); filtered to `workspaceId`, so it is a
   * workspace-level configuration.
   * @default true
   */
  readonly auditLogs?: boolean;
  /** Workspace whose audit logs are delivered. */
  readonly workspaceId: number;
  /**
   * Deliver the account's billable usage (CSV, under `billable-usage/`). Account-level: an account allows
   * at most two enabled account-level configurations of a log type, so enable it in one environment only.
   * @default false
   */
  readonly billableUsage?: boolean;
}

/**
 * Databricks log delivery to an encrypted bucket through a dedicated IAM role.
 * Field facts: provider `docs/resources/mws_log_delivery.md` (log types `AUDIT_LOGS`/`JSON`,
 * `BILLABLE_USAGE`/`CSV`, the two-configuration limit) and `docs/data-sources/aws_assume_role_policy.md`
 * (`for_log_delivery`).
 */
export class LogDelivery extends Construct {
  public readonly role: IamRole;
  public readonly configurations: MwsLogDelivery[] = [];

  constructor(scope: Construct, id: string, props: LogDeliveryProps) {
    super(scope, id);
    const provider = props.accountProvider;
    const accountId = props.databricksAccountId;
    const trust = new DataDatabricksAwsAssumeRolePolicy(this, "assume-role-policy", { provider, externalId: accountId, forLogDelivery: true });
    this.role = new IamRole(this, "role", { name: `${props.namePrefix}-log-delivery`, assumeRolePolicy: trust.json, description: "Databricks log delivery" });
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        { sid: "Bucket", actions: ["s3:GetBucketLocation", "s3:ListBucket"], resources: [props.bucketArn] },
        { sid: "Objects", actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], resources: [`${props.bucketArn}/*`] },
        // Multipart uploads with SSE-KMS decrypt the data key to assemble the parts: kms:Decrypt as well as
        // kms:GenerateDataKey (S3 User Guide "Multipart upload API and permissions": SSE-KMS needs kms:Decrypt and kms:GenerateDataKey).
        { sid: "Key", actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], resources: [props.kmsKeyArn] },
      ],
    });
    const policy = new IamRolePolicy(this, "role-policy", { name: `${props.namePrefix}-log-delivery`, role: this.role.id, policy: write.json });
    const ready = new Sleep(this, "iam-propagation", { createDuration: "30s", dependsOn: [policy], triggers: { role_arn: this.role.arn } });

    const auditLogs = props.auditLogs ?? DEFAULT_AUDIT_LOGS;
    const billableUsage = props.billableUsage ?? DEFAULT_BILLABLE_USAGE;
    if (!auditLogs && !billableUsage) return;
    const credentials = new MwsCredentials(this, "credentials", { provider, credentialsName: `${props.namePrefix}-log-delivery`, roleArn: this.role.arn, dependsOn: [ready] });
    const storage = new MwsStorageConfigurations(this, "storage", { provider, accountId, storageConfigurationName: `${props.namePrefix}-log-delivery`, bucketName: props.bucketName });
    const delivery = (deliveryId: string, logType: string, outputFormat: string, extra: { workspaceIdsFilter?: number[] }) =>
      this.configurations.push(new MwsLogDelivery(this, deliveryId, {
        provider, accountId, configName: `${props.namePrefix}-${deliveryId}`, logType, outputFormat,
        credentialsId: credentials.credentialsId, storageConfigurationId: storage.storageConfigurationId, deliveryPathPrefix: deliveryId, ...extra,
      }));
    if (auditLogs) delivery("audit-logs", "AUDIT_LOGS", "JSON", { workspaceIdsFilter: [props.workspaceId] });
    if (billableUsage) delivery("billable-usage", "BILLABLE_USAGE", "CSV", {});
  }
}
