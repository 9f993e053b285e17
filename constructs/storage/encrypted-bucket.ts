import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE, DEFAULT_FORCE_DESTROY, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from "./defaults";

export { DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE };

/** The S3 request headers (condition keys) that choose server-side encryption (S3 PutObject API reference). */
export const SSE_CONDITION_KEY = "s3:x-amz-server-side-encryption";
export const SSE_KMS_KEY_ID_CONDITION_KEY = "s3:x-amz-server-side-encryption-aws-kms-key-id";

/**
 * The three Deny statements that refuse uploads asking for another encryption than SSE-KMS with `kmsKeyArn`
 * on `objectsArn` (`<bucket ARN>/*`), and nothing else. Each ANDs `Null = "false"` (the header is present)
 * with the comparison, because `StringNotEquals` and `StringNotEqualsIfExists` are both true when the
 * key is absent (AWS IAM "Condition operators" and "...IfExists condition operators"): without the guard a
 * header-less upload, which default encryption handles correctly, would be denied.
 * 1. `DenyUploadsOtherEncryption`: encryption header present and not `aws:kms`;
 * 2. `DenyUploadsOtherKmsKey`: key-id header present and not `kmsKeyArn`;
 * 3. `DenyUploadsKmsWithoutKeyId`: `aws:kms` requested without a key id (S3 would use `aws/s3`).
 */
export function denyOtherEncryptionStatements(objectsArn: string, kmsKeyArn: string): DataAwsIamPolicyDocumentStatement[] {
  const deny = (sid: string, condition: { test: string; variable: string; values: string[] }[]): DataAwsIamPolicyDocumentStatement => ({
    sid, effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:PutObject"], resources: [objectsArn], condition,
  });
  return [
    deny("DenyUploadsOtherEncryption", [
      { test: "Null", variable: SSE_CONDITION_KEY, values: ["false"] },
      { test: "StringNotEquals", variable: SSE_CONDITION_KEY, values: ["aws:kms"] },
    ]),
    deny("DenyUploadsOtherKmsKey", [
      { test: "Null", variable: SSE_KMS_KEY_ID_CONDITION_KEY, values: ["false"] },
      { test: "StringNotEquals", variable: SSE_KMS_KEY_ID_CONDITION_KEY, values: [kmsKeyArn] },
    ]),
    deny("DenyUploadsKmsWithoutKeyId", [
      { test: "Null", variable: SSE_CONDITION_KEY, values: ["false"] },
      { test: "Null", variable: SSE_KMS_KEY_ID_CONDITION_KEY, values: ["true"] },
    ]),
  ];
}

export interface EncryptedBucketProps {
  /** Globally unique S3 bucket name. */
  readonly bucketName: string;
  /** ARN of the customer-managed KMS key for default SSE-KMS encryption (with an S3 bucket key). */
  readonly kmsKeyArn: string;
  /**
   * Deny `s3:PutObject` requests that ask for a *different* encryption than the bucket's: an
   * `s3:x-amz-server-side-encryption` header other than `aws:kms`, an
   * `s3:x-amz-server-side-encryption-aws-kms-key-id` header other than `kmsKeyArn`, or `aws:kms` without a key
   * id (S3 would then use the AWS-managed `aws/s3` key, not this bucket's). Uploads without any encryption
   * header are never denied: default encryption applies this bucket's key to them. Writers that name the key
   * must send its full ARN (the condition compares strings; an alias or bare key id is denied), e.g. S3A's
   * `fs.s3a.server-side-encryption.key` or a Unity Catalog external location's `encryption_details`.
   * See {@link denyOtherEncryptionStatements}.
   * @default {@link DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE} (true)
   */
  readonly denyOtherEncryptionOnWrite?: boolean;
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
 * policy that denies any request not over TLS and, unless switched off, any upload that asks for another
 * encryption than SSE-KMS with this bucket's key (see {@link denyOtherEncryptionStatements}).
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
    if (props.denyOtherEncryptionOnWrite ?? DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE) {
      statement.push(...denyOtherEncryptionStatements(objects, props.kmsKeyArn));
    }
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      sourcePolicyDocuments: props.sourcePolicyDocuments ? [...props.sourcePolicyDocuments] : undefined,
      statement,
    });
    this.policy = new S3BucketPolicy(this, "policy", { bucket, policy: document.json, dependsOn: [publicAccessBlock] });
  }
}
