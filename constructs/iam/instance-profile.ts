import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface DataAccessInstanceProfileProps {
  readonly namePrefix: string;
  /**
   * Data-lake buckets the clusters read and write directly, for legacy (non-Unity Catalog) workloads: bucket
   * ARNs and the KMS key ARN of the buckets. Unity Catalog reaches the data lake through its storage
   * credential instead, so this is off by default.
   * @default no data-lake access through the instance profile
   */
  readonly legacyDataLake?: { readonly bucketArns: readonly string[]; readonly kmsKeyArn: string };
  /** Bucket ARN and prefix where clusters deliver their logs, and the key encrypting them. */
  readonly clusterLogs: { readonly bucketArn: string; readonly prefix: string; readonly kmsKeyArn: string };
}

/**
 * The EC2 role and instance profile that workspace clusters run with: write-only on the cluster-log prefix of
 * the logging bucket and, for legacy workloads only, read/write on the data-lake buckets through their key. The cross-account role
 * must be allowed to pass it (`pass_roles` of `databricks_aws_crossaccount_policy`); the management stack
 * registers it with `databricks_instance_profile` (provider `docs/resources/instance_profile.md`).
 */
export class DataAccessInstanceProfile extends Construct {
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: DataAccessInstanceProfileProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "assume-role", {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", { name: `${props.namePrefix}-data-access`, assumeRolePolicy: trust.json, description: "Databricks clusters: data-lake access" });
    const logsPrefix = props.clusterLogs.prefix.replace(/^\/+|\/+$/g, "");
    const access = new DataAwsIamPolicyDocument(this, "access", {
      statement: [
        ...(props.legacyDataLake
          ? [
              { sid: "DataLakeList", actions: ["s3:ListBucket", "s3:GetBucketLocation"], resources: [...props.legacyDataLake.bucketArns] },
              { sid: "DataLakeObjects", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: props.legacyDataLake.bucketArns.map((arn) => `${arn}/*`) },
              { sid: "DataLakeKey", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], resources: [props.legacyDataLake.kmsKeyArn] },
            ]
          : []),
        { sid: "ClusterLogsWrite", actions: ["s3:PutObject", "s3:GetBucketLocation", "s3:ListBucket"], resources: [props.clusterLogs.bucketArn, `${props.clusterLogs.bucketArn}/${logsPrefix}/*`] },
        // kms:Decrypt too: S3A uploads logs in multiple parts, and SSE-KMS multipart uploads decrypt the data
        // key (S3 User Guide "Multipart upload API and permissions": SSE-KMS needs kms:Decrypt and kms:GenerateDataKey).
        { sid: "ClusterLogsKey", actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], resources: [props.clusterLogs.kmsKeyArn] },
      ],
    });
    new IamRolePolicy(this, "access-policy", { name: `${props.namePrefix}-data-access`, role: this.role.id, policy: access.json });
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", { name: `${props.namePrefix}-data-access`, role: this.role.name });
  }
}
