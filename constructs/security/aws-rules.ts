/**
 * Rules that AWS and Databricks enforce at deploy time and that no offline tool checks (DBX010-DBX012).
 * Each inspects the constructs before synthesis: the policy document a key or bucket policy refers to (an
 * `aws_iam_policy_document` data source of the same stack, or a literal JSON string), and the explicit
 * dependencies of the workspace. A policy the rules cannot read (a reference to anything else, such as a
 * provider-computed document) is not guessed at: only what can be read is judged.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { MwsNetworks } from "@cdktf/provider-databricks/lib/mws-networks";
import { MwsStorageConfigurations } from "@cdktf/provider-databricks/lib/mws-storage-configurations";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DEPLOYER_KEY_ADMIN_SID } from "../storage/keys";
import type { SecurityRule } from "./rules";

/** A policy statement in one shape, whether it came from an `aws_iam_policy_document` or from IAM JSON. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** `{ type: "AWS" | "Service" | "Federated" | "*", identifiers }`; `[]` when the policy names no principal. */
  readonly principals: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

const asArray = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Statements of an IAM policy JSON document (`Statement`, `Principal`, `Condition` blocks). */
export function statementsFromJson(json: string): PolicyStatement[] {
  const doc = JSON.parse(json) as { Statement?: unknown };
  const list = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Record<string, any>[];
  return list.map((s) => ({
    sid: s.Sid,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    principals:
      s.Principal === "*" ? [{ type: "*", identifiers: ["*"] }] : Object.entries((s.Principal ?? {}) as Record<string, unknown>).map(([type, ids]) => ({ type, identifiers: asArray(ids) })),
    actions: asArray(s.Action),
    notActions: asArray(s.NotAction),
    conditions: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, byKey]) =>
      Object.entries(byKey).map(([variable, values]) => ({ test, variable, values: asArray(values) })),
    ),
  }));
}

/** The `${data.aws_iam_policy_document.<id>.json}` reference a policy attribute resolves to, if it is one. */
const DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/;

/** `value` with its tokens resolved as the stack would write them, e.g. `${aws_s3_bucket.x.arn}`. */
function resolveString(stack: TerraformStack, value: string): string {
  return Token.isUnresolved(value) ? String(Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false })) : value;
}

/** The `aws_iam_policy_document` of `node`'s stack that the attribute value `policy` refers to, if any. */
export function policyDocumentOf(node: IConstruct, policy: string | undefined): DataAwsIamPolicyDocument | undefined {
  if (policy === undefined || !Token.isUnresolved(policy)) return undefined;
  const stack = TerraformStack.of(node);
  const m = DOCUMENT_REF.exec(resolveString(stack, policy));
  return m ? stack.node.findAll().find((c): c is DataAwsIamPolicyDocument => c instanceof DataAwsIamPolicyDocument && c.friendlyUniqueId === m[1]) : undefined;
}

/**
 * The statements of the policy `policy` (an attribute value of `node`): a literal JSON document, or a
 * reference to an `aws_iam_policy_document` of the same stack with its `source_policy_documents` merged in.
 * `readable` is false when some part could not be read (a reference to anything else).
 */
export function policyStatements(node: IConstruct, policy: string | undefined): { statements: PolicyStatement[]; readable: boolean } {
  if (policy === undefined) return { statements: [], readable: true };
  const stack = TerraformStack.of(node);
  if (!Token.isUnresolved(policy)) {
    try {
      return { statements: statementsFromJson(policy), readable: true };
    } catch {
      return { statements: [], readable: false };
    }
  }
  const doc = policyDocumentOf(node, policy);
  if (!doc) return { statements: [], readable: false };
  const own = doc.statementInput;
  if (own !== undefined && !Array.isArray(own)) return { statements: [], readable: false };
  const statements: PolicyStatement[] = (own ?? []).map((s) => ({
    sid: s.sid,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    principals: Array.isArray(s.principals) ? s.principals.map((p) => ({ type: p.type, identifiers: p.identifiers.map((i) => resolveString(stack, i)) })) : [],
    actions: s.actions ?? [],
    notActions: s.notActions ?? [],
    conditions: Array.isArray(s.condition) ? s.condition.map((c) => ({ test: c.test, variable: c.variable, values: c.values })) : [],
  }));
  let readable = true;
  for (const source of doc.sourcePolicyDocumentsInput ?? []) {
    const merged = policyStatements(doc, source);
    statements.push(...merged.statements);
    readable &&= merged.readable;
  }
  return { statements, readable };
}

/** Whether IAM action pattern `pattern` (wildcards `*`, `?`; case-insensitive) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(action);
}

/** Whether `statement` covers `action` (through `actions` or, for `notActions`, by not excluding it). */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.notActions.length > 0) return !statement.notActions.some((p) => actionMatches(p, action));
  return statement.actions.some((p) => actionMatches(p, action));
}

/** An account root principal: `arn:<partition>:iam::<account>:root`, or a bare account id (both mean the account). */
const ACCOUNT_ROOT = /^(?:arn:aws[a-z-]*:iam::(\d{12}|\$\{[^}]+\}):root|(\d{12})|(\$\{data\.aws_caller_identity\.[^.}]+\.account_id\}))$/;

/**
 * Whether `id` names the root of the account the key lives in: when the stack's AWS providers pin the
 * account (`allowed_account_ids`), the root must be of one of those accounts; a reference (e.g. to
 * `aws_caller_identity`) is taken as the current account.
 */
function isOwnAccountRoot(node: IConstruct, id: string): boolean {
  const m = ACCOUNT_ROOT.exec(id);
  if (!m) return false;
  const account = m[1] ?? m[2];
  if (account === undefined || !/^\d{12}$/.test(account)) return true;
  const pinned = TerraformStack.of(node).node.findAll().filter((c): c is AwsProvider => c instanceof AwsProvider).flatMap((p) => p.allowedAccountIdsInput ?? []);
  return pinned.length === 0 || pinned.includes(account);
}

export const DBX010: SecurityRule = {
  id: "DBX010",
  level: "error",
  description: "every KMS key policy keeps the account root's kms:* statement, or gives an explicitly configured deployer kms:PutKeyPolicy",
  reason:
    "CreateKey and PutKeyPolicy run the policy-lockout safety check: unless Terraform runs as a principal the new policy lets call PutKeyPolicy, the key fails with MalformedPolicyDocumentException; the account-root statement lets IAM govern the key whoever deploys",
  source: "AWS KMS \"Default key policy\" and CreateKey BypassPolicyLockoutSafetyCheck; provider docs/resources/mws_customer_managed_keys.md",
  check: (node) => {
    if (!(node instanceof KmsKey)) return [];
    const policy = node.policyInput;
    if (policy === undefined) return []; // AWS applies the default key policy, which has the root statement.
    const { statements, readable } = policyStatements(node, policy);
    if (!readable) return [];
    const unconditionalAllow = (s: PolicyStatement) => s.effect === "Allow" && s.conditions.length === 0 && coversAction(s, "kms:PutKeyPolicy");
    const aws = (s: PolicyStatement) => s.principals.filter((p) => p.type === "AWS").flatMap((p) => p.identifiers);
    const root = statements.some((s) => unconditionalAllow(s) && aws(s).some((id) => isOwnAccountRoot(node, id)));
    const deployer = statements.some((s) => s.sid === DEPLOYER_KEY_ADMIN_SID && unconditionalAllow(s) && aws(s).some((id) => id !== "*"));
    return root || deployer
      ? []
      : [
          `aws_kms_key policy has no unconditional statement giving the account root kms:* ("Enable IAM User Permissions") nor a "${DEPLOYER_KEY_ADMIN_SID}" statement giving the deploying principal kms:PutKeyPolicy`,
        ];
  },
};

/** The S3 condition keys that carry a PutObject request's encryption headers (S3 PutObject API reference). */
const ENCRYPTION_HEADER_KEYS = ["s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"];

/**
 * Whether condition `test` with `values` is true for a request that does not carry the condition key
 * (AWS IAM "Condition operators": negated operators and `...IfExists` are true when the key is absent,
 * `Null` is true for "true", `ForAllValues:` is vacuously true).
 */
export function trueWhenKeyAbsent(test: string, values: readonly string[]): boolean {
  if (test === "Null") return values.map((v) => v.toLowerCase()).includes("true");
  if (test.endsWith("IfExists")) return true;
  if (test.startsWith("ForAllValues:")) return true;
  if (test.startsWith("ForAnyValue:")) return false;
  return /Not(Equals|Like|EqualsIgnoreCase)$/.test(test);
}

export const DBX011: SecurityRule = {
  id: "DBX011",
  level: "error",
  description: "no bucket-policy Deny on PutObject applies merely because an encryption header is missing",
  reason:
    "default bucket encryption already applies the bucket's key to uploads without an encryption header, and whether Databricks' own writers send one is not documented; StringNotEquals and StringNotEqualsIfExists are both true when the header is absent, so such a Deny refuses those writes unless it ANDs Null = \"false\"",
  source: "AWS IAM \"Condition operators\" and \"...IfExists condition operators\"; S3 PutObject API reference; DESIGN \"Encryption\"",
  check: (node) => {
    if (!(node instanceof S3BucketPolicy)) return [];
    const { statements } = policyStatements(node, node.policyInput);
    return statements
      .filter((s) => s.effect === "Deny" && coversAction(s, "s3:PutObject") && s.conditions.length > 0)
      .filter((s) => s.conditions.every((c) => ENCRYPTION_HEADER_KEYS.includes(c.variable.toLowerCase())))
      .filter((s) => s.conditions.every((c) => trueWhenKeyAbsent(c.test, c.values)))
      .map(
        (s) =>
          `bucket policy statement ${s.sid ? `"${s.sid}" ` : ""}denies s3:PutObject without an encryption header (${s.conditions
            .map((c) => `${c.test} ${c.variable}`)
            .join(" AND ")}); add Null = "false" on the header so only uploads asking for another encryption are denied`,
      );
  },
};

/** `type.name` of a resource or data source, as `depends_on` lists it. */
function addressOf(element: { terraformResourceType: string; friendlyUniqueId: string }): string {
  return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/** The `type.name` a reference such as `${aws_s3_bucket.x.bucket}` points at, or undefined for anything else. */
function referencedAddress(stack: TerraformStack, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+\.[^.}]+)(\.[^}]*)?\}$/.exec(resolveString(stack, value));
  return m?.[1];
}

export const DBX012: SecurityRule = {
  id: "DBX012",
  level: "error",
  description: "databricks_mws_workspaces depends on its root bucket's policy and on every rule of its security groups",
  reason:
    "Databricks validates root-bucket access and the network when it creates the workspace; nothing the workspace references orders the bucket policy or the security group rules first, so without depends_on the creation can race them and fail",
  source: "provider docs/guides/aws-workspace.md; DESIGN \"Terraform rules\"",
  check: (node) => {
    if (!(node instanceof MwsWorkspaces)) return [];
    const stack = TerraformStack.of(node);
    const all = stack.node.findAll();
    const dependsOn = new Set((node.dependsOn ?? []).map((d) => resolveString(stack, d).replace(/^\$\{(.*)\}$/, "$1")));
    const findings: string[] = [];

    // Root bucket: storage configuration -> bucket (reference or literal name) -> its bucket policies.
    const storageAddress = referencedAddress(stack, node.storageConfigurationIdInput);
    const storage = all.find((c): c is MwsStorageConfigurations => c instanceof MwsStorageConfigurations && addressOf(c) === storageAddress);
    const bucketName = storage?.bucketNameInput;
    if (storage && bucketName !== undefined) {
      const bucketAddress = referencedAddress(stack, bucketName);
      const bucket = all.find((c): c is S3Bucket => c instanceof S3Bucket && (addressOf(c) === bucketAddress || c.bucketInput === bucketName));
      if (bucket) {
        const policies = all.filter((c): c is S3BucketPolicy => c instanceof S3BucketPolicy && (referencedAddress(stack, c.bucketInput) === addressOf(bucket) || c.bucketInput === bucket.bucketInput));
        for (const p of policies) if (!dependsOn.has(addressOf(p))) findings.push(`databricks_mws_workspaces does not depend on the root bucket policy ${addressOf(p)}`);
      }
    }

    // Network: registration -> security groups -> every rule of them.
    const networkAddress = referencedAddress(stack, node.networkIdInput);
    const network = all.find((c): c is MwsNetworks => c instanceof MwsNetworks && addressOf(c) === networkAddress);
    for (const sgId of network?.securityGroupIdsInput ?? []) {
      const sgAddress = referencedAddress(stack, sgId);
      if (!sgAddress) continue;
      const rules = all.filter(
        (c): c is VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule | SecurityGroupRule =>
          (c instanceof VpcSecurityGroupIngressRule || c instanceof VpcSecurityGroupEgressRule || c instanceof SecurityGroupRule) &&
          referencedAddress(stack, c.securityGroupIdInput) === sgAddress,
      );
      const missing = rules.map(addressOf).filter((a) => !dependsOn.has(a));
      if (missing.length > 0) {
        findings.push(`databricks_mws_workspaces does not depend on ${missing.length} rule(s) of security group ${sgAddress}: ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""}`);
      }
    }
    return findings;
  },
};

/** The rules of this file, in id order. */
export const AWS_DEPLOY_RULES: readonly SecurityRule[] = [DBX010, DBX011, DBX012];
