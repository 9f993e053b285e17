/**
 * Per-resource checkov skips, declared next to the resource they concern.
 *
 * checkov's `terraform_json` framework (what scans cdktf output) has no inline skips: the HCL comment
 * `#checkov:skip=` has no JSON form, and the `"//"` comment property is ignored (checkov issue #4634,
 * hashicorp/terraform-cdk issue #3609; `checkov/terraform_json/runner.py` scans every entity with an empty
 * skip list). A project-wide `skip-check` in `.checkov.yaml` would hide the check for every resource, so a
 * false positive on one resource is declared here instead: {@link skipCheckov} writes
 * `"//": { "checkov": { "skip": [{ "id": ..., "comment": ... }] } }` on the element (the format proposed in
 * checkov #4634; Terraform ignores `"//"` properties), and `scripts/scan.sh` turns every such entry into a
 * checkov baseline (`--baseline`), which suppresses exactly that check on exactly that resource and prints
 * each one with its reason.
 */
import type { IAspect, TerraformElement } from "cdktf";
import type { IConstruct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocumentOf } from "./aws-rules";
import { MIN_SUPPRESSION_REASON_LENGTH } from "./rules";

/** checkov check ids: `CKV_<PROVIDER>_<n>` or `CKV2_<PROVIDER>_<n>`. */
export const CHECKOV_CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

const SKIPS = new WeakMap<TerraformElement, { id: string; comment: string }[]>();

/**
 * Skips checkov check `checkId` for `element` (a resource or data source) alone, for `reason`.
 * @throws Error when `checkId` is not a checkov check id or `reason` is shorter than
 *   {@link MIN_SUPPRESSION_REASON_LENGTH} characters.
 */
export function skipCheckov(element: TerraformElement, checkId: string, reason: string): void {
  if (!CHECKOV_CHECK_ID.test(checkId)) throw new Error(`skipCheckov ${element.node.path}: checkId: expected a checkov check id such as CKV_AWS_24, found ${JSON.stringify(checkId)}`);
  const why = (reason ?? "").trim();
  if (why.length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new Error(`skipCheckov ${element.node.path} ${checkId}: reason: expected at least ${MIN_SUPPRESSION_REASON_LENGTH} characters saying why, found ${JSON.stringify(why)}`);
  }
  const known = SKIPS.get(element);
  const skips = (known ?? []).filter((s) => s.id !== checkId);
  skips.push({ id: checkId, comment: why });
  SKIPS.set(element, skips);
  if (known) return;
  // The "//" property is written from `constructNodeMetadata` (a protected getter of TerraformElement):
  // resources merge it over their overrides, data sources replace "//" with it, so an override of "//"
  // would be lost on data sources. Extending the getter on this instance works for both.
  const base = Object.getOwnPropertyDescriptor(findPrototypeWith(element, "constructNodeMetadata"), "constructNodeMetadata")!.get!;
  Object.defineProperty(element, "constructNodeMetadata", {
    configurable: true,
    get(this: TerraformElement) {
      return { ...base.call(this), checkov: { skip: (SKIPS.get(this) ?? []).map((s) => ({ ...s })) } };
    },
  });
}

function findPrototypeWith(object: object, property: string): object {
  for (let p = Object.getPrototypeOf(object); p; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, property)?.get) return p;
  }
  throw new Error(`skipCheckov: ${property} not found; the cdktf version changed how "//" is written`);
}

/**
 * checkov's IAM-policy checks read a KMS key policy as if it were an identity policy: `Resource: "*"` and
 * `kms:*` look unbounded, but in a key policy `"*"` is the key the policy is attached to (AWS KMS "Key
 * policies", Resource element). These checks are skipped on key policies only, never on other documents.
 */
export const KEY_POLICY_CHECKOV_SKIPS: readonly { readonly id: string; readonly reason: string }[] = [
  { id: "CKV_AWS_109", reason: "key policy: kms:* on Resource \"*\" (this key) for the account root or the named key admins is the AWS default key-policy pattern" },
  { id: "CKV_AWS_111", reason: "key policy: write actions apply to this key only (Resource \"*\" in a key policy is the key itself)" },
  { id: "CKV_AWS_356", reason: "key policy: Resource \"*\" in a key policy is the key the policy is attached to" },
];

/**
 * An Aspect that applies {@link KEY_POLICY_CHECKOV_SKIPS} to the `aws_iam_policy_document` every
 * `aws_kms_key` of the stack uses as its policy, whichever construct created the key.
 */
export class KeyPolicyCheckovSkips implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof KmsKey)) return;
    const doc = policyDocumentOf(node, node.policyInput);
    if (doc) for (const skip of KEY_POLICY_CHECKOV_SKIPS) skipCheckov(doc, skip.id, skip.reason);
  }
}
