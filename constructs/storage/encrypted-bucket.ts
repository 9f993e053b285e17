import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { DEFAULT_BUCKET_ENFORCE_SSE_KMS_ON_WRITE, DEFAULT_FORCE_DESTROY, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from "./defaults";

export interface EncryptedBucketProps {
  /** Globally unique S3 bucket name. */
  readonly bucketName: string;
  /** ARN of the customer-managed KMS key for default SSE-KMS encryption (with an S3 bucket key). */
  readonly kmsKeyArn: string;
  /**
   * Deny `s3:PutObject` requests that do not ask for SSE-KMS (`s3:x-amz-server-side-encryption` missing or
   * not `aws:kms`). Writers must then send the header: S3A's `fs.s3a.server-side-encryption-algorithm SSE-KMS`.
   * @default false
   */
  readonly enforceSseKmsOnWrite?: boolean;
  /**
   * Days after which noncurrent object versions are deleted; versioning is always on.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Let `destroy` delete a bucket that still holds objects. For throw-away environments only.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Further policy documents (JSON) merged into the bucket policy, e.g. from `databricks_aws_bucket_policy`.
   * @default none
   */
  readonly sourcePolicyDocuments?: readonly string[];
}

/**
 * An S3 bucket that is private and encrypted by construction: SSE-KMS with a customer-managed key and a
 * bucket key, versioning, all four public access blocks, `BucketOwnerEnforced` ownership (ACLs off), and a
 * policy that denies any request not over TLS and, when asked, any upload not encrypted with SSE-KMS.
 */
export class EncryptedBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    const expiryDays = props.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
    if (!Number.isInteger(expiryDays) || expiryDays < 1) {
      throw new Error(`EncryptedBucket ${id}: noncurrentVersionExpirationDays: expected a whole number of days >= 1, found ${expiryDays}`);
    }

    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? DEFAULT_FORCE_DESTROY, tags: { Name: props.bucketName } });
    const bucket = this.bucket.id;

    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [{
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: expiryDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      }],
      dependsOn: [versioning],
    });

    const objects = `${this.bucket.arn}/*`;
    const statement: DataAwsIamPolicyDocumentStatement[] = [{
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      actions: ["s3:*"],
      resources: [this.bucket.arn, objects],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    }];
    if (props.enforceSseKmsOnWrite ?? DEFAULT_BUCKET_ENFORCE_SSE_KMS_ON_WRITE) {
      statement.push(
        {
          sid: "DenyUploadsNotSseKms",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:PutObject"],
          resources: [objects],
          condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }],
        },
        {
          sid: "DenyUploadsWithoutEncryptionHeader",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:PutObject"],
          resources: [objects],
          condition: [{ test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["true"] }],
        },
      );
    }
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      sourcePolicyDocuments: props.sourcePolicyDocuments ? [...props.sourcePolicyDocuments] : undefined,
      statement,
    });
    this.policy = new S3BucketPolicy(this, "policy", { bucket, policy: document.json, dependsOn: [publicAccessBlock] });
  }
}
