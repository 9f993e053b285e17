/** The converter from synthesized policy documents to IAM JSON (used by the policy-engine tests). */
import { databricksAwsBucketPolicy, databricksAwsUnityCatalogPolicy, fakeKeyId, PolicyConverter } from "./iam-policy-json";
import type { TfJson } from "./helpers";

const json: TfJson = {
  provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["123456789012"] }] },
  resource: {
    aws_s3_bucket: { b: { bucket: "my-bucket" } },
    aws_kms_key: { k: { enable_key_rotation: true } },
    aws_iam_role: { r: { name: "my-role" } },
  },
  data: {
    databricks_aws_bucket_policy: { dbx: { bucket: "my-bucket", databricks_e2_account_id: "acc-1" } },
    aws_iam_policy_document: {
      doc: {
        source_policy_documents: ["${data.databricks_aws_bucket_policy.dbx.json}"],
        statement: [
          {
            sid: "DenyOtherKey", effect: "Deny", actions: ["s3:PutObject"], resources: ["${aws_s3_bucket.b.arn}/*"],
            principals: [{ type: "*", identifiers: ["*"] }],
            condition: [
              { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["false"] },
              { test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["${aws_kms_key.k.arn}"] },
            ],
          },
          { actions: ["kms:Decrypt"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["${aws_iam_role.r.arn}"] }, { type: "Service", identifiers: ["s3.amazonaws.com"] }] },
        ],
      },
      bad: { statement: [{ actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.missing.arn}"] }] },
    },
  },
};

test("statements become IAM JSON with concrete ARNs; source documents come first", () => {
  const c = new PolicyConverter(json);
  expect(c.document("doc")).toEqual({
    Version: "2012-10-17",
    Statement: [
      databricksAwsBucketPolicy({ bucket: "my-bucket", databricks_e2_account_id: "acc-1" }).Statement[0],
      {
        Sid: "DenyOtherKey", Effect: "Deny", Principal: "*", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::my-bucket/*"],
        Condition: {
          Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": ["false"] },
          StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": [`arn:aws:kms:eu-west-1:123456789012:key/${fakeKeyId("k")}`] },
        },
      },
      { Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["*"], Principal: { AWS: ["arn:aws:iam::123456789012:role/my-role"], Service: ["s3.amazonaws.com"] } },
    ],
  });
});

test("the rebuilt databricks_aws_bucket_policy grants the Databricks account on behalf of one Databricks account", () => {
  expect(databricksAwsBucketPolicy({ bucket: "b", databricks_e2_account_id: "acc" }).Statement).toEqual([{
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"],
    Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
    Principal: { AWS: ["arn:aws:iam::414351767826:root"] },
    Condition: { StringEquals: { "aws:PrincipalTag/DatabricksAccountId": ["acc"] } },
  }]);
});

test("a reference that cannot be made concrete throws, naming it", () => {
  expect(() => new PolicyConverter(json).document("bad")).toThrow("no resource aws_s3_bucket.missing for ${aws_s3_bucket.missing.arn}");
  expect(() => new PolicyConverter(json).substitute("${aws_vpc.v.arn}")).toThrow("no resource aws_vpc.v for ${aws_vpc.v.arn}");
  expect(() => new PolicyConverter({ resource: {} })).toThrow("the stack has no AWS provider with region and allowed_account_ids");
});

test("key ids are stable and distinct per key", () => {
  expect(fakeKeyId("a")).toBe(fakeKeyId("a"));
  expect(fakeKeyId("a")).not.toBe(fakeKeyId("b"));
  expect(fakeKeyId("a")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test("the rebuilt databricks_aws_unity_catalog_policy: one bucket, self-assumption, the key by full ARN", () => {
  const policy = databricksAwsUnityCatalogPolicy({ bucket_name: "lake", role_name: "uc", aws_account_id: "123456789012", kms_name: "arn:aws:kms:eu-west-1:123456789012:key/k" });
  expect(policy.Statement.slice(0, 3)).toEqual([
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"], Resource: ["arn:aws:s3:::lake/*", "arn:aws:s3:::lake"] },
    { Effect: "Allow", Action: ["sts:AssumeRole"], Resource: ["arn:aws:iam::123456789012:role/uc"] },
    { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], Resource: ["arn:aws:kms:eu-west-1:123456789012:key/k"] },
  ]);
  expect(databricksAwsUnityCatalogPolicy({ bucket_name: "lake", role_name: "uc", aws_account_id: "1", kms_name: "eu-west-1:1:key/k" }).Statement[2].Resource).toEqual(["arn:aws:kms:eu-west-1:1:key/k"]);
  expect(databricksAwsUnityCatalogPolicy({ bucket_name: "lake", role_name: "uc", aws_account_id: "1" }).Statement.some((st) => st.Action?.includes("kms:Decrypt"))).toBe(false);
});
