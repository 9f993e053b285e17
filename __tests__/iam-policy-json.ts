/**
 * Turns the policies of a synthesized stack (`cdk.tf.json`) into IAM policy JSON a policy engine can
 * evaluate: `data.aws_iam_policy_document` blocks (HCL-shaped `statement` lists with `principals` and
 * `condition` blocks, `source_policy_documents`) become `{ Version, Statement }` documents, and every
 * `${...}` reference is replaced by a concrete value: ARNs built from the resource's own arguments (bucket
 * name, role name) and the stack's AWS provider (region, allowed account), a stable made-up key id per KMS
 * key. Provider-computed documents that are not in the JSON (`databricks_aws_bucket_policy`,
 * `databricks_aws_unity_catalog_policy`) are rebuilt from the provider's source. Anything else that cannot be made concrete throws, naming the reference, so a
 * test never evaluates a policy with a hole in it.
 */
import * as crypto from "crypto";
import type { TfJson } from "./helpers";

export type IamStatement = {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string[]>;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
};
export type IamPolicy = { Version: "2012-10-17"; Statement: IamStatement[] };

type HclStatement = {
  sid?: string;
  effect?: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  not_resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  not_principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
};

/** The Databricks control plane's AWS account for the `aws` partition (provider `aws/constants.go`, `AwsConfig`). */
export const DATABRICKS_AWS_ACCOUNT_ID = "414351767826";

/**
 * `data.databricks_aws_bucket_policy` as the provider computes it: one Allow statement for the Databricks
 * account's root on the bucket and its objects, conditioned on `aws:PrincipalTag/DatabricksAccountId` when
 * `databricks_e2_account_id` is set, with `full_access_role` replacing the principal when given.
 * Source: databricks/terraform-provider-databricks `aws/data_aws_bucket_policy.go` (`DataAwsBucketPolicy`,
 * Read) and `aws/constants.go` (`AwsConfig["aws"]`).
 */
export function databricksAwsBucketPolicy(args: { bucket: string; databricks_e2_account_id?: string; full_access_role?: string }): IamPolicy {
  const statement: IamStatement = {
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"],
    Resource: [`arn:aws:s3:::${args.bucket}/*`, `arn:aws:s3:::${args.bucket}`],
    Principal: { AWS: [args.full_access_role ?? `arn:aws:iam::${DATABRICKS_AWS_ACCOUNT_ID}:root`] },
  };
  if (args.databricks_e2_account_id) statement.Condition = { StringEquals: { "aws:PrincipalTag/DatabricksAccountId": [args.databricks_e2_account_id] } };
  return { Version: "2012-10-17", Statement: [statement] };
}

/**
 * `data.databricks_aws_unity_catalog_policy` as the provider computes it: read/write/list on one bucket,
 * `sts:AssumeRole` on the role itself (self-assumption), the KMS key when `kms_name` is set, and the
 * statements for managed file events (bucket notifications, SNS topics and SQS queues).
 * Source: databricks/terraform-provider-databricks `aws/data_aws_unity_catalog_policy.go` (`generateReadContext`).
 */
export function databricksAwsUnityCatalogPolicy(args: { bucket_name: string; role_name: string; aws_account_id: string; kms_name?: string; aws_partition?: string }): IamPolicy {
  const p = args.aws_partition ?? "aws";
  const statements: IamStatement[] = [
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"], Resource: [`arn:${p}:s3:::${args.bucket_name}/*`, `arn:${p}:s3:::${args.bucket_name}`] },
    { Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [`arn:${p}:iam::${args.aws_account_id}:role/${args.role_name}`] },
  ];
  if (args.kms_name) {
    const kmsArn = args.kms_name.startsWith(`arn:${p}`) ? args.kms_name : `arn:${p}:kms:${args.kms_name}`;
    statements.push({ Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], Resource: [kmsArn] });
  }
  statements.push(
    {
      Sid: "ManagedFileEventsSetupStatement", Effect: "Allow",
      Action: ["s3:GetBucketNotification", "s3:PutBucketNotification", "sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:CreateTopic", "sns:TagResource", "sns:Publish", "sns:Subscribe",
        "sqs:CreateQueue", "sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"],
      Resource: [`arn:${p}:s3:::${args.bucket_name}`, "arn:aws:sqs:*:*:*", "arn:aws:sns:*:*:*"],
    },
    { Sid: "ManagedFileEventsListStatement", Effect: "Allow", Action: ["sqs:ListQueues", "sqs:ListQueueTags", "sns:ListTopics"], Resource: ["*"] },
    { Sid: "ManagedFileEventsTeardownStatement", Effect: "Allow", Action: ["sns:Unsubscribe", "sns:DeleteTopic", "sqs:DeleteQueue"], Resource: ["arn:aws:sqs:*:*:*", "arn:aws:sns:*:*:*"] },
  );
  return { Version: "2012-10-17", Statement: statements };
}

/** A stable made-up KMS key id (UUID-shaped) for a key's logical name. */
export function fakeKeyId(logicalName: string): string {
  const h = crypto.createHash("sha256").update(logicalName).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Region and account of the stack's AWS provider (`region`, `allowed_account_ids[0]`). */
export function awsTarget(json: TfJson): { region: string; accountId: string } {
  const aws = json.provider?.aws?.[0] as { region?: string; allowed_account_ids?: string[] } | undefined;
  if (!aws?.region || !aws.allowed_account_ids?.[0]) throw new Error("the stack has no AWS provider with region and allowed_account_ids");
  return { region: aws.region, accountId: aws.allowed_account_ids[0] };
}

/** Converts the policies of one synthesized stack; see the module comment. */
export class PolicyConverter {
  private readonly region: string;
  private readonly accountId: string;

  constructor(private readonly json: TfJson) {
    ({ region: this.region, accountId: this.accountId } = awsTarget(json));
  }

  /** The concrete value of `type.name.attr` (managed resource) or `data.type.name.attr` (data source). */
  public value(reference: string): string {
    const parts = reference.split(".");
    if (parts[0] === "data") {
      const [, type, name, attr] = parts;
      const body = this.json.data?.[type]?.[name] as Record<string, unknown> | undefined;
      if (!body) throw new Error(`no data source ${type}.${name} for \${${reference}}`);
      if (attr === "json" && type === "aws_iam_policy_document") return JSON.stringify(this.document(name));
      if (attr === "json" && type === "databricks_aws_bucket_policy") {
        return JSON.stringify(databricksAwsBucketPolicy(this.concrete(body) as Parameters<typeof databricksAwsBucketPolicy>[0]));
      }
      if (attr === "json" && type === "databricks_aws_unity_catalog_policy") {
        return JSON.stringify(databricksAwsUnityCatalogPolicy(this.concrete(body) as Parameters<typeof databricksAwsUnityCatalogPolicy>[0]));
      }
      throw new Error(`no concrete value for \${${reference}}`);
    }
    const [type, name, attr] = parts;
    const body = this.json.resource?.[type]?.[name];
    if (!body) throw new Error(`no resource ${type}.${name} for \${${reference}}`);
    const arg = (key: string) => {
      const v = body[key];
      if (typeof v !== "string") throw new Error(`${type}.${name}.${key} is not a literal string, needed for \${${reference}}`);
      return this.substitute(v);
    };
    const { region, accountId } = this;
    const values: Record<string, () => Record<string, string>> = {
      aws_kms_key: () => {
        const id = fakeKeyId(name);
        return { arn: `arn:aws:kms:${region}:${accountId}:key/${id}`, key_id: id, id };
      },
      aws_kms_alias: () => ({ name: arg("name"), arn: `arn:aws:kms:${region}:${accountId}:${arg("name")}` }),
      aws_s3_bucket: () => ({ arn: `arn:aws:s3:::${arg("bucket")}`, id: arg("bucket"), bucket: arg("bucket") }),
      aws_iam_role: () => ({ arn: `arn:aws:iam::${accountId}:role/${arg("name")}`, name: arg("name"), id: arg("name") }),
      aws_cloudwatch_log_group: () => ({ arn: `arn:aws:logs:${region}:${accountId}:log-group:${arg("name")}`, name: arg("name") }),
    };
    const value = values[type]?.()[attr];
    if (value === undefined) throw new Error(`no concrete value for \${${reference}}`);
    return value;
  }

  /** `text` with every `${reference}` replaced by its concrete value. */
  public substitute(text: string): string {
    return text.replace(/\$\{([^}]+)\}/g, (_m, reference: string) => this.value(reference));
  }

  /** A value of any shape with every string substituted. */
  public concrete(value: unknown): unknown {
    if (typeof value === "string") return this.substitute(value);
    if (Array.isArray(value)) return value.map((v) => this.concrete(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, this.concrete(v)]));
    }
    return value;
  }

  /**
   * IAM JSON of `data.aws_iam_policy_document.<name>`: the statements of its `source_policy_documents`
   * first, then its own, an own statement replacing a source statement with the same non-empty Sid (the
   * AWS provider's merge rule, `website/docs/d/iam_policy_document.html.markdown`).
   */
  public document(name: string): IamPolicy {
    const body = this.json.data?.aws_iam_policy_document?.[name] as { statement?: HclStatement[]; source_policy_documents?: string[]; override_policy_documents?: string[] } | undefined;
    if (!body) throw new Error(`no data.aws_iam_policy_document.${name}`);
    if (body.override_policy_documents?.length) throw new Error(`data.aws_iam_policy_document.${name}: override_policy_documents is not supported by this converter`);
    const statements: IamStatement[] = [];
    for (const source of body.source_policy_documents ?? []) statements.push(...(JSON.parse(this.substitute(source)) as IamPolicy).Statement);
    for (const s of body.statement ?? []) {
      const converted = this.statement(s);
      const same = converted.Sid ? statements.findIndex((o) => o.Sid === converted.Sid) : -1;
      if (same >= 0) statements[same] = converted;
      else statements.push(converted);
    }
    return { Version: "2012-10-17", Statement: statements };
  }

  /** The IAM JSON of the policy a resource attribute holds (`${data.aws_iam_policy_document.x.json}` or literal JSON). */
  public policyOf(attributeValue: unknown): IamPolicy {
    if (typeof attributeValue !== "string") throw new Error(`not a policy: ${JSON.stringify(attributeValue)}`);
    return JSON.parse(this.substitute(attributeValue)) as IamPolicy;
  }

  private statement(s: HclStatement): IamStatement {
    const out: IamStatement = { Effect: s.effect === "Deny" ? "Deny" : "Allow" };
    if (s.sid) out.Sid = s.sid;
    const principal = (blocks: { type: string; identifiers: string[] }[]) => {
      if (blocks.length === 1 && blocks[0].type === "*") return "*" as const;
      const map: Record<string, string[]> = {};
      for (const b of blocks) map[b.type] = [...(map[b.type] ?? []), ...b.identifiers.map((i) => this.substitute(i))];
      return map;
    };
    if (s.principals?.length) out.Principal = principal(s.principals);
    if (s.not_principals?.length) throw new Error("not_principals is not supported by this converter");
    if (s.actions) out.Action = s.actions;
    if (s.not_actions) out.NotAction = s.not_actions;
    if (s.resources) out.Resource = s.resources.map((r) => this.substitute(r));
    if (s.not_resources) out.NotResource = s.not_resources.map((r) => this.substitute(r));
    if (s.condition?.length) {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of s.condition) {
        condition[c.test] ??= {};
        if (condition[c.test][c.variable]) throw new Error(`statement ${s.sid ?? ""}: ${c.test} on ${c.variable} twice`);
        condition[c.test][c.variable] = c.values.map((v) => this.substitute(v));
      }
      out.Condition = condition;
    }
    return out;
  }
}
