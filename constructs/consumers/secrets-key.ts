/**
 * The customer-managed KMS key that encrypts the consumers' credentials in AWS Secrets Manager.
 *
 * Field facts:
 * - AWS KMS "Default key policy": the statement giving the account root `kms:*` ("Enable IAM User
 *   Permissions") lets IAM policies govern the key and passes the policy-lockout safety check of
 *   `CreateKey`/`PutKeyPolicy` whoever deploys (DESIGN.md, "KMS key policies"); it is always kept here.
 * - AWS Secrets Manager "Secret encryption and decryption": Secrets Manager calls KMS on the caller's behalf
 *   with `kms:ViaService = secretsmanager.<region>.amazonaws.com` and the encryption context
 *   `SecretARN`; a reader needs `secretsmanager:GetSecretValue` on the secret and `kms:Decrypt` on the key.
 * - AWS KMS condition keys, `kms:ViaService`: absent on direct calls. The deny statement below refuses
 *   every cryptographic use of the key that does not come through Secrets Manager in the key's region.
 */
import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

/** The cryptographic operations the key is used for; only Secrets Manager may ask for them. */
export const SECRET_KEY_CRYPTO_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"] as const;

export interface ConsumerSecretsKeyProps {
  readonly namePrefix: string;
  /** Region of the key and of the secrets it encrypts. */
  readonly region: string;
  /** The AWS account the key lives in (12 digits). */
  readonly awsAccountId: string;
  /**
   * Further principals with full key administration, beside the account root.
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
 * A rotating CMK with alias `alias/<namePrefix>-consumer-secrets` whose policy keeps the account-root
 * administration statement and allows cryptographic use only through Secrets Manager.
 * @throws Error naming the value when `deletionWindowDays` is outside 7-30.
 */
export class ConsumerSecretsKey extends Construct {
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;
  /** The key policy document (for tests and policy-engine proofs). */
  public readonly policy: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: ConsumerSecretsKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`ConsumerSecretsKey ${id}: deletionWindowDays: expected a whole number from 7 to 30, found ${deletionWindowInDays}`);
    }
    const root = `arn:aws:iam::${props.awsAccountId}:root`;
    const admins = [root, ...(props.adminArns ?? []).filter((a) => a !== root)];
    this.policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        { sid: "EnableIamUserPermissions", principals: [{ type: "AWS", identifiers: admins }], actions: ["kms:*"], resources: ["*"] },
        {
          sid: "CryptoOnlyThroughSecretsManager",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...SECRET_KEY_CRYPTO_ACTIONS],
          resources: ["*"],
          condition: [{ test: "StringNotEquals", variable: "kms:ViaService", values: [`secretsmanager.${props.region}.amazonaws.com`] }],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: "Credentials of the workspace's consumers in AWS Secrets Manager",
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: this.policy.json,
      tags: { Name: `${props.namePrefix}-consumer-secrets` },
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-consumer-secrets`, targetKeyId: this.key.keyId });
  }
}
